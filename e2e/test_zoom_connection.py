"""Connecting and disconnecting Zoom as a host does it: in Chromium, against the real processes."""

import pytest
from playwright.sync_api import expect

from e2e import journeys
from e2e.journeys import expect_zoom_state, zoom_card

pytestmark = pytest.mark.browser


def zoom_user_id(stack, email):
    return next(u["user_id"] for u in stack.control.users() if u["email"] == email)


def last_request(stack):
    log = stack.control.requests()
    return log[-1]["seq"] if log else 0


def test_a_new_host_connects_zoom(page, stack, host):
    journeys.open_integrations(page)
    expect_zoom_state(page, "Not connected")

    journeys.start_set_up(page, stack)
    # Zoom's page names exactly the two permissions the docs promise.
    expect(page.get_by_text("Create, update and delete your meetings")).to_be_visible()
    expect(page.get_by_text("View your meetings")).to_be_visible()
    expect(page.locator("ul.scopes li")).to_have_count(2)
    journeys.answer_consent(page, stack, zoom_user="Dana Whitfield")

    expect(
        page.get_by_text("Zoom is connected. Confirmed bookings now get their own Zoom meeting.")
    ).to_be_visible()
    expect_zoom_state(page, "Connected")
    expect(zoom_card(page).get_by_role("button", name="Set Up")).to_have_count(0)
    expect(
        zoom_card(page).get_by_role("button", name="Delete the Zoom integration")
    ).to_be_visible()

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Workspace").click()
    step = page.get_by_role("listitem").filter(has_text="Connect Zoom")
    expect(step).to_contain_text("Done")


def test_declining_at_zoom_leaves_zoom_not_connected(page, stack, host):
    journeys.open_integrations(page)
    journeys.start_set_up(page, stack)
    journeys.answer_consent(page, stack, zoom_user=journeys.new_zoom_user(), decision="Decline")

    expect(
        page.get_by_text("You declined the Zoom authorization, so Zoom is not connected.")
    ).to_be_visible()
    expect_zoom_state(page, "Not connected")
    expect(zoom_card(page).get_by_role("button", name="Set Up")).to_be_visible()


def test_deleting_the_integration_revokes_access_and_stops_zoom_calls(page, stack, host):
    zoom_user = journeys.new_zoom_user()
    journeys.open_integrations(page)
    journeys.connect_zoom(page, stack, zoom_user=zoom_user)

    # Changing one's mind at the confirmation keeps Zoom connected.
    question = journeys.delete_zoom(page, accept=False)
    assert question.startswith("Delete the Zoom integration?")
    expect_zoom_state(page, "Connected")

    mark = last_request(stack)
    journeys.delete_zoom(page)
    expect(page.get_by_text("vrtual.ly’s access was revoked")).to_be_visible()
    expect_zoom_state(page, "Not connected")
    expect(
        zoom_card(page).get_by_role("button", name="Delete the Zoom integration")
    ).to_have_count(0)

    # The host carries on; the worker runs a sweep meanwhile (every 2 s in the stack).
    zoom_card(page).get_by_role("link", name="Activity log").click()
    revoke = page.get_by_role("row").filter(has_text="Revoke access")
    expect(revoke).to_contain_text(f"Zoom disconnected by {host.name}")
    expect(revoke).to_contain_text("Succeeded")
    page.wait_for_timeout(2500)
    page.reload()

    user_id = zoom_user_id(stack, zoom_user)
    calls = [r["endpoint"] for r in stack.control.requests(mark) if r["user_id"] == user_id]
    assert calls[0] == "oauth.revoke", calls
    assert not [call for call in calls if call.startswith("meetings.")], calls

    # Zoom's side agrees: the app is gone from the user's Installed Apps.
    page.goto(f"{stack.sandbox_url}/marketplace/manage/installed-apps?user_id={user_id}")
    expect(page.get_by_text("No apps are installed for this user.")).to_be_visible()


def test_deleting_while_zoom_is_down_disconnects_now_and_revokes_later(page, stack, host):
    journeys.open_integrations(page)
    journeys.connect_zoom(page, stack, zoom_user=journeys.new_zoom_user())
    stack.control.fault("oauth.revoke", "5xx", probability=1.0, status=503)
    try:
        journeys.delete_zoom(page)
    finally:
        stack.control.clear_faults("oauth.revoke")
    expect(page.get_by_text("we keep trying in the background")).to_be_visible()
    expect_zoom_state(page, "Disconnecting")
    expect(zoom_card(page).get_by_role("button", name="Set Up")).to_be_visible()


def test_removing_the_app_in_zoom_disconnects_vrtually(page, stack, host):
    zoom_user = journeys.new_zoom_user()
    journeys.open_integrations(page)
    journeys.connect_zoom(page, stack, zoom_user=zoom_user)
    journeys.delete_zoom(page)
    journeys.connect_zoom(page, stack, zoom_user=zoom_user)  # reconnecting works

    journeys.remove_app_in_zoom(page, stack, zoom_user=zoom_user)

    page.goto("/integrations/")
    journeys.reload_until(page, zoom_card(page).get_by_text("Not connected", exact=True))
    zoom_card(page).get_by_role("link", name="Activity log").click()
    expect(page.get_by_role("row").filter(has_text="Zoom app removed in Zoom")).to_have_count(1)


def test_the_activity_log_lists_the_connect_and_its_cause(page, stack, host):
    journeys.open_integrations(page)
    journeys.connect_zoom(page, stack, zoom_user=journeys.new_zoom_user())

    zoom_card(page).get_by_role("link", name="Activity log").click()
    expect(page.get_by_role("heading", name="Zoom activity log")).to_be_visible()
    connect = page.get_by_role("row").filter(has_text="Connect Zoom account")
    expect(connect).to_have_count(1)
    expect(connect).to_contain_text(f"Zoom connected by {host.name}")
    expect(connect).to_contain_text("Succeeded")
    expect_zoom_state(page, "Connected")


def test_set_up_works_from_the_keyboard(page, stack, host):
    page.goto("/integrations/")
    set_up = zoom_card(page).get_by_role("button", name="Set Up")
    for _ in range(30):
        page.keyboard.press("Tab")
        if set_up.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached Set Up")
    page.keyboard.press("Enter")
    journeys.expect_consent_page(page, stack)


def test_the_skip_link_jumps_past_the_navigation(page, host):
    page.goto("/integrations/")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown while it has focus

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    # The next stop is the page's own content (its breadcrumb), not the site navigation.
    focused = page.locator(":focus")
    expect(page.get_by_role("main").locator(":focus")).to_have_count(1)
    expect(focused).to_have_text("Workspace")
