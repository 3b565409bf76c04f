"""axe-core on every page a host or an invitee sees, in each Zoom state, and on Zoom's own
pages."""

import pytest
from playwright.sync_api import expect

from e2e import journeys
from e2e.accessibility import AXE, Audit
from e2e.conftest import INVITEE_ZONE
from e2e.journeys import expect_zoom_state, zoom_card

pytestmark = pytest.mark.browser

PUBLIC_PAGES = {
    "Landing": "/",
    "Sign up": "/signup/",
    "Log in": "/login/",
    "Password reset": "/password-reset/",
    "Zoom docs": "/docs/zoom",
    "Support": "/support",
    "Privacy": "/privacy",
    "Terms": "/terms",
    "Page not found": "/no-such-page",
}


@pytest.fixture
def audit():
    if not AXE.exists():
        pytest.skip(
            "accessibility checks need axe-core in e2e/node_modules: `npm ci --prefix e2e` "
            "(make test runs it where npm is installed)"
        )
    return Audit()


def test_public_pages(audit, page):
    for label, path in PUBLIC_PAGES.items():
        page.goto(path)
        audit.check(page, label)
    expect(page.get_by_role("heading", name="We can’t find that page")).to_be_visible()

    # Forms as someone who sent them empty sees them.
    page.goto("/signup/")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    audit.check(page, "Sign up (with errors)")
    page.goto("/login/")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    audit.check(page, "Log in (with errors)")

    audit.assert_clean()


def test_host_pages_in_every_zoom_state(audit, page, stack, host):
    audit.check(page, "Workspace (welcome message)")
    for label, path in {
        "Business Tools": "/workspace/business-tools/",
        "Account settings": "/account/",
        "Workspace settings": "/workspace/settings/",
        "Zoom activity log (empty)": "/integrations/zoom/",
        "Integrations (not connected)": "/integrations/",
    }.items():
        page.goto(path)
        audit.check(page, label)

    journeys.start_set_up(page, stack)
    audit.check(page, "Zoom consent page")
    zoom_user = journeys.new_zoom_user()
    journeys.answer_consent(page, stack, zoom_user=zoom_user, decision="Decline")
    audit.check(page, "Integrations (declined: info message)")

    journeys.connect_zoom(page, stack, zoom_user=zoom_user)
    audit.check(page, "Integrations (connected: success message)")
    zoom_card(page).get_by_role("link", name="Activity log").click()
    audit.check(page, "Zoom activity log")

    page.goto(stack.sandbox_url + "/")
    audit.check(page, "Zoom Installed Apps")
    journeys.remove_app_in_zoom(page, stack, zoom_user=zoom_user)
    audit.check(page, "Zoom Installed Apps (app removed)")

    page.goto("/integrations/")
    journeys.reload_until(page, zoom_card(page).get_by_text("Not connected", exact=True))
    journeys.connect_zoom(page, stack, zoom_user=zoom_user)
    stack.control.fault("oauth.revoke", "5xx", probability=1.0, status=503)
    try:
        journeys.delete_zoom(page)
    finally:
        stack.control.clear_faults("oauth.revoke")
    expect_zoom_state(page, "Disconnecting")
    audit.check(page, "Integrations (disconnecting: warning message)")

    audit.assert_clean()


def test_the_audit_reports_what_axe_finds(audit, page):
    """The checks above can fail: a page with a nameless button does not pass."""
    page.set_content(
        '<html lang="en"><title>Planted</title><main><h1>Planted</h1><button></button></main>'
    )
    audit.check(page, "A page with a nameless button")
    with pytest.raises(AssertionError, match=r"\[critical\] button-name"):
        audit.assert_clean()


def test_a_new_hosts_pages_with_nothing_in_them_yet(audit, page, host):
    for label, path in {
        "Services (none yet)": "/workspace/services/",
        "Availability (none yet)": "/workspace/availability/",
        "Bookings (none yet)": "/workspace/bookings/",
        "Bookings awaiting confirmation (none)": "/workspace/bookings/?tab=awaiting",
    }.items():
        page.goto(path)
        audit.check(page, label)
    page.goto("/workspace/services/new/")
    audit.check(page, "New service")
    page.get_by_label("Name", exact=True).fill("")
    page.get_by_role("button", name="Create service").click()
    expect(page.get_by_text("This field is required.").first).to_be_visible()
    audit.check(page, "New service (with errors)")
    audit.assert_clean()


def test_booking_pages_of_invitees_and_hosts(audit, context, page, invitee_page, bookable_host):
    invitee = invitee_page
    journeys.open_booking_page(invitee, bookable_host.request_url, INVITEE_ZONE)
    audit.check(invitee, "Public service page (calendar and times)")
    invitee.get_by_role("link", name=bookable_host.host.name).first.click()
    audit.check(invitee, "Public workspace page")
    invitee.go_back()
    journeys.free_slot(invitee).click()
    audit.check(invitee, "Booking: your details")
    invitee.get_by_role("button", name="Next").click()
    expect(invitee.get_by_text("This field is required.").first).to_be_visible()
    audit.check(invitee, "Booking: your details (with errors)")
    journeys.fill_details(invitee, "Mina Sato", "mina@example.org", notes="About my plan")
    audit.check(invitee, "Booking: review and confirm")
    invitee.get_by_role("button", name="Confirm booking").click()
    expect(invitee.get_by_role("status").first).to_contain_text("Request sent")
    audit.check(invitee, "Invitee's booking page (requested)")
    reference = journeys.booking_reference(invitee)
    manage_url = invitee.url

    bookable_host.log_in(context)
    page.goto("/workspace/bookings/?tab=awaiting")
    audit.check(page, "Bookings awaiting confirmation")
    page.get_by_role("link", name=reference).click()
    audit.check(page, "Host's booking page (requested)")
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(journeys.join_link(page)).to_be_visible()
    expect(page.get_by_text("Passcode")).to_be_visible()  # read back from Zoom
    audit.check(page, "Host's booking page (confirmed, with Zoom links)")
    page.get_by_role("link", name="Reschedule").click()
    audit.check(page, "Host's reschedule page")
    page.goto("/workspace/bookings/")
    audit.check(page, "Bookings (upcoming)")
    for label, path in {
        "Services": "/workspace/services/",
        "Availability": "/workspace/availability/",
        "Workspace (with upcoming bookings)": "/workspace/",
    }.items():
        page.goto(path)
        audit.check(page, label)
    page.goto("/workspace/services/")
    page.get_by_role("link", name="Edit").first.click()
    audit.check(page, "Service editor")

    invitee.goto(manage_url)
    expect(journeys.join_link(invitee)).to_be_visible()
    audit.check(invitee, "Invitee's booking page (confirmed, with Zoom link)")
    invitee.get_by_role("link", name="Reschedule").click()
    audit.check(invitee, "Invitee's reschedule page")
    journeys.free_slot(invitee).click()
    audit.check(invitee, "Invitee's reschedule page (confirm the move)")
    invitee.goto(manage_url + "cancel/")
    audit.check(invitee, "Invitee's cancel page")
    invitee.goto(manage_url + "meeting/details/")
    audit.check(invitee, "Zoom meeting details")
    audit.assert_clean()


def test_pages_that_wait_for_zoom_or_explain_its_absence(audit, page, invitee_page, stack):
    journeys.host_ready_for_bookings(page, stack)
    url = journeys.create_service(page, "Consultation")
    stack.control.fault("meetings.create", "5xx", probability=1.0, status=503)
    try:
        journeys.book_free_slot(invitee_page, url, time_zone=INVITEE_ZONE)
        expect(invitee_page.get_by_text("Zoom isn’t answering right now")).to_be_visible()
        audit.check(invitee_page, "Invitee's booking page (Zoom pending)")
    finally:
        stack.control.clear_faults("meetings.create")
    journeys.open_integrations(page)
    journeys.delete_zoom(page)
    journeys.book_free_slot(invitee_page, url, time_zone=INVITEE_ZONE)
    audit.check(invitee_page, "Invitee's booking page (no link: Zoom disconnected)")
    reference = journeys.booking_reference(invitee_page)
    page.goto(f"/workspace/bookings/{reference}/")
    expect(page.get_by_text("No Zoom meeting: Zoom isn’t connected")).to_be_visible()
    audit.check(page, "Host's booking page (troubleshooting: Zoom not connected)")

    # A form sent after its CSRF cookie was lost.
    page.goto("/workspace/settings/")
    page.context.clear_cookies()
    page.goto("/login/")
    page.context.clear_cookies()
    page.get_by_label("Email").fill("someone@example.com")
    page.get_by_label("Password").fill("whatever-it-is")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Please try that again")).to_be_visible()
    audit.check(page, "CSRF failure page")
    audit.assert_clean()
