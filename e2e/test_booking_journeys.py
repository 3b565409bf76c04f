"""
Booking with Zoom as hosts and invitees do it: the host in New York, the invitee in Tokyo, each
in a browser of their own, against the real processes. What Zoom ends up with is read from the
sandbox's control API, and emails from the stack's outbox — never from our own code.
"""

import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from e2e import journeys
from e2e.conftest import INVITEE_ZONE

pytestmark = pytest.mark.browser

TOKYO = ZoneInfo(INVITEE_ZONE)


WATCH_BUSY_BUTTONS = """() => new MutationObserver((records) => {
    for (const record of records) {
        if (record.target.getAttribute("aria-busy") === "true") {
            console.log("busy: " + record.target.textContent.trim());
        }
    }
}).observe(document.body, {subtree: true, attributes: true, attributeFilter: ["aria-busy"]})"""


def meeting_id_of(join_url):
    return re.search(r"/j/(\d+)", join_url)[1]


def zoom_meeting(stack, meeting_id):
    """The meeting as Zoom (the sandbox) has it."""
    return next(m for m in stack.control.meetings() if str(m["id"]) == str(meeting_id))


def zoom_meetings_about(stack, reference):
    """Every meeting whose agenda names the booking (how our meetings point at bookings)."""
    return [m for m in stack.control.meetings() if reference in (m["agenda"] or "")]


def starts_at(meeting):
    return datetime.fromisoformat(meeting["start_time"].replace("Z", "+00:00"))


def eventually(check, timeout=20.0, what="the condition"):
    """Poll ``check`` until it returns something truthy, as a person refreshing would."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not happen within {timeout} s")
        time.sleep(0.25)


def mail_to(stack, address, containing=""):
    """The emails sent to ``address`` so far whose text contains ``containing``."""
    found = []
    for message in stack.outbox():
        if address not in message["To"]:
            continue
        text = message.get_body(("plain",)).get_content()
        if containing in text:
            found.append((message["Subject"], text))
    return found


def wait_for_mail(stack, address, containing=""):
    return eventually(
        lambda: mail_to(stack, address, containing),
        what=f"an email to {address} containing {containing!r}",
    )


def when_in_tokyo(start):
    local = start.astimezone(TOKYO)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}–"


def test_an_invitee_in_another_zone_books_and_gets_a_zoom_link(invitee_page, stack, bookable_host):
    page = invitee_page
    label, email = journeys.book_free_slot(page, bookable_host.instant_url, time_zone=INVITEE_ZONE)
    expect(page.get_by_role("status").first).to_contain_text("You’re booked!")
    expect(page.get_by_text("Your booking is confirmed.")).to_be_visible()

    link = journeys.join_link(page)
    expect(link).to_have_value(re.compile("^" + re.escape(stack.sandbox_url) + r"/j/\d+\?pwd="))
    join_url = link.input_value()
    reference = journeys.booking_reference(page)

    # One meeting in Zoom, at the time the invitee clicked, read in their own zone, for as long
    # as the service lasts, and pointing back at the booking.
    meeting = zoom_meeting(stack, meeting_id_of(join_url))
    assert zoom_meetings_about(stack, reference) == [meeting]
    start = starts_at(meeting)
    assert start.astimezone(TOKYO).strftime("%H:%M") == label
    assert meeting["duration"] == 30
    # The booking's "When", in the invitee's zone, with the zone named.
    when = page.get_by_role("strong").filter(has_text=when_in_tokyo(start))
    expect(when).to_contain_text(f"({INVITEE_ZONE})")

    # Copy link puts it on the clipboard, ready to paste into a chat or a calendar.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stack.url)
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == join_url

    # The email carries the same link (in the confirmation, or the "Zoom link" that follows it).
    wait_for_mail(stack, email, join_url)

    # And the link works: Zoom's join page for that meeting.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Join Zoom meeting").click()
    zoom = opened.value
    expect(zoom.get_by_role("heading", name="Join meeting")).to_be_visible()
    expect(zoom.get_by_text("Waiting for the host to start this meeting.")).to_be_visible()


def test_the_host_confirms_a_request_and_both_sides_get_the_link(
    context, page, invitee_page, stack, bookable_host
):
    host = bookable_host.host
    _, email = journeys.book_free_slot(
        invitee_page, bookable_host.request_url, time_zone=INVITEE_ZONE
    )
    expect(invitee_page.get_by_role("status").first).to_contain_text("Request sent")
    panel = invitee_page.get_by_role("region", name="Zoom meeting")
    expect(panel).to_contain_text(f"The Zoom meeting is created once {host.name} confirms")
    reference = journeys.booking_reference(invitee_page)
    assert zoom_meetings_about(stack, reference) == []  # requested: no meeting yet
    wait_for_mail(stack, email, reference)  # "Request received"

    # The host finds the request among those awaiting confirmation and confirms it.
    bookable_host.log_in(context)
    page.goto("/workspace/")
    journeys.open_business_tool(page, "Bookings")
    page.get_by_role("navigation", name="Bookings").get_by_role(
        "link", name=re.compile("Awaiting")
    ).click()
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("region", name="Zoom meeting")).to_contain_text(
        "its Zoom meeting is created when you confirm"
    )
    # Confirmed from the keyboard: Tab to the button, Enter. While Zoom takes its time, the
    # button shows it is working.
    confirm = page.get_by_role("button", name="Confirm", exact=True)
    journeys.tab_to(page, confirm)
    # The page being left reports, on the console, each button that turns busy: reading the
    # attribute after the key press instead races the navigation when the machine is slow.
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.evaluate(WATCH_BUSY_BUTTONS)
    stack.control.latency(1500, endpoint="meetings.create")
    try:
        # The page sends Confirm itself and shows the page it gets back: one round trip, no
        # redirect, and the address stays the booking's.
        with page.expect_response(lambda r: r.url.endswith("/confirm/")) as answer:
            confirm.press("Enter")
        host_link = journeys.join_link(page)
        expect(host_link).to_have_value(re.compile(r"/j/\d+\?pwd="))
    finally:
        stack.control.latency(0, endpoint="meetings.create")
    assert answer.value.status == 200
    assert page.url.endswith(f"/workspace/bookings/{reference}/")
    # Keyboard and screen-reader users continue from the page's content and its message.
    expect(page.locator("#main")).to_be_focused()
    expect(page.get_by_role("status").first).to_contain_text("Confirmed.")
    assert "busy: Confirm" in console
    join_url = host_link.input_value()
    assert len(zoom_meetings_about(stack, reference)) == 1

    # The invitee's page shows the same link, and both sides are emailed it.
    invitee_page.reload()
    expect(journeys.join_link(invitee_page)).to_have_value(join_url)
    invitee_mail = wait_for_mail(stack, email, join_url)
    host_mail = wait_for_mail(stack, host.email, join_url)

    # Start meeting opens Zoom as the host, with a start link fetched fresh on each click.
    starts = []
    for _ in range(2):
        with context.expect_page() as opened:
            page.get_by_role("button", name="Start meeting").click()
        zoom = opened.value
        expect(zoom.get_by_role("heading", name="You are the host")).to_be_visible()
        starts.append(zoom.url)
        zoom.close()
        page.wait_for_timeout(1100)  # a second click, not a double click
    meeting_id = meeting_id_of(join_url)
    assert all(url.startswith(f"{stack.sandbox_url}/s/{meeting_id}?zak=") for url in starts)
    assert starts[0] != starts[1]

    # The start link is the host's alone: never on the invitee's page nor in any email.
    invitee_page.reload()
    assert "zak=" not in invitee_page.content()
    assert "/s/" not in invitee_page.content()
    assert invitee_mail and host_mail
    assert not [m["Subject"] for m in stack.outbox() if "zak=" in m.as_string()]


def test_a_refused_confirm_shows_why_and_changes_nothing(
    context, invitee_page, stack, bookable_host
):
    journeys.book_free_slot(invitee_page, bookable_host.request_url, time_zone=INVITEE_ZONE)
    reference = journeys.booking_reference(invitee_page)
    bookable_host.log_in(context)
    page = context.new_page()  # not the `page` fixture: the browser logs the 403, rightly
    page.goto(f"/workspace/bookings/{reference}/")
    # The form outlived its CSRF cookie (as after logging out and in elsewhere): the page's
    # own request is refused, and the refusal shows as it would without JavaScript.
    context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("heading", name="Please try that again")).to_be_visible()
    assert zoom_meetings_about(stack, reference) == []

    page.reload()
    expect(page.get_by_role("button", name="Confirm", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Zoom meeting")).to_contain_text(
        "its Zoom meeting is created when you confirm"
    )


def test_rescheduling_moves_the_meeting_and_cancelling_removes_it(
    invitee_page, stack, bookable_host
):
    page = invitee_page
    journeys.book_free_slot(page, bookable_host.instant_url, time_zone=INVITEE_ZONE)
    join_url = journeys.join_link(page).input_value()
    meeting_id = meeting_id_of(join_url)
    before = starts_at(zoom_meeting(stack, meeting_id))

    page.get_by_role("link", name="Reschedule").click()
    journeys.free_slot(page).click()  # never the booking's own time
    page.get_by_role("button", name="Move the booking").click()
    expect(page.get_by_role("status").first).to_contain_text("The booking has moved.")

    # Same link; Zoom's meeting moved with the booking.
    expect(journeys.join_link(page)).to_have_value(join_url)
    after = eventually(
        lambda: (m := zoom_meeting(stack, meeting_id)) and m["updates"] and starts_at(m),
        what="the meeting's move in Zoom",
    )
    assert after != before
    expect(page.get_by_role("strong").filter(has_text=when_in_tokyo(after))).to_be_visible()

    page.get_by_role("link", name="Cancel booking").click()
    page.get_by_label("Reason").fill("Something came up")
    page.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_role("status").first).to_contain_text("Your booking is cancelled.")
    eventually(lambda: zoom_meeting(stack, meeting_id)["deleted"], what="the meeting's removal")
    expect(page.get_by_role("region", name="Zoom meeting")).to_contain_text("No Zoom meeting")
    expect(journeys.join_link(page)).to_have_count(0)

    # Whoever still has the old link finds the meeting gone at Zoom.
    page.goto(join_url)
    expect(page.get_by_role("heading", name="This meeting does not exist")).to_be_visible()


def test_zoom_failing_at_confirmation_shows_pending_until_the_link_arrives(
    invitee_page, stack, bookable_host
):
    page = invitee_page
    # Every create fails until the page shows the pending state (a count would not do: the
    # worker may be retrying an earlier test's meeting meanwhile, and take the failure).
    stack.control.fault("meetings.create", "5xx", probability=1.0, status=503)
    try:
        _, email = journeys.book_free_slot(page, bookable_host.instant_url, time_zone=INVITEE_ZONE)
        panel = page.get_by_role("region", name="Zoom meeting")
        expect(panel).to_contain_text("Zoom isn’t answering right now")
        expect(panel).to_contain_text("the Zoom link follows by email shortly")
        expect(panel.locator(".spinner")).to_be_visible()
    finally:
        stack.control.clear_faults("meetings.create")

    # No reload: the page asks again every few seconds until the worker's retry succeeds.
    expect(journeys.join_link(page)).to_have_value(re.compile(r"/j/\d+"), timeout=30_000)
    expect(panel).not_to_contain_text("Zoom isn’t answering right now")
    assert len(zoom_meetings_about(stack, journeys.booking_reference(page))) == 1
    wait_for_mail(stack, email, journeys.join_link(page).input_value())


def test_without_zoom_bookings_say_why_and_make_no_zoom_call_until_reconnected(
    page, invitee_page, stack
):
    zoom_user = journeys.new_zoom_user()
    journeys.host_ready_for_bookings(page, stack, zoom_user=zoom_user)
    url = journeys.create_service(page, "Consultation")
    journeys.book_free_slot(invitee_page, url, time_zone=INVITEE_ZONE)
    first_link = journeys.join_link(invitee_page).input_value()
    first = invitee_page.url

    journeys.open_integrations(page)
    journeys.delete_zoom(page)
    user_id = next(u["user_id"] for u in stack.control.users() if u["email"] == zoom_user)
    log = stack.control.requests()
    mark = log[-1]["seq"] if log else 0

    # A booking confirmed now gets no meeting, and each side is told why.
    journeys.book_free_slot(invitee_page, url, time_zone=INVITEE_ZONE)
    expect(invitee_page.get_by_role("region", name="Zoom meeting")).to_contain_text(
        "The Zoom link isn’t ready"
    )
    reference = journeys.booking_reference(invitee_page)
    # The earlier booking's link still works, and its cancellation cannot reach Zoom.
    invitee_page.goto(first)
    expect(journeys.join_link(invitee_page)).to_have_value(first_link)
    invitee_page.get_by_role("link", name="Cancel booking").click()
    invitee_page.get_by_role("button", name="Cancel booking").click()
    expect(invitee_page.get_by_role("status").first).to_contain_text("Your booking is cancelled.")

    page.goto(f"/workspace/bookings/{reference}/")
    panel = page.get_by_role("region", name="Zoom meeting")
    expect(panel).to_contain_text("No Zoom meeting: Zoom isn’t connected")
    expect(panel.get_by_role("link", name="Connect Zoom")).to_be_visible()
    page.wait_for_timeout(2500)  # the worker's sweep runs meanwhile (every 2 s in the stack)
    calls = [r for r in stack.control.requests(mark) if r["user_id"] == user_id]
    assert calls == [], calls
    assert not zoom_meeting(stack, meeting_id_of(first_link))["deleted"]

    # Reconnecting creates nothing by itself; the host's own click does.
    panel.get_by_role("link", name="Connect Zoom").click()
    journeys.connect_zoom(page, stack, zoom_user=zoom_user)
    assert zoom_meetings_about(stack, reference) == []
    page.goto(f"/workspace/bookings/{reference}/")
    page.get_by_role("button", name="Create Zoom meeting").click()
    expect(journeys.join_link(page)).to_have_value(re.compile(r"/j/\d+"))
    assert len(zoom_meetings_about(stack, reference)) == 1


def test_an_invitee_books_with_the_keyboard_alone(invitee_page, bookable_host):
    page = invitee_page
    journeys.open_booking_page(page, bookable_host.instant_url, INVITEE_ZONE)

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    slot = journeys.free_slot(page)
    journeys.tab_to(page, slot)
    assert focus_is_visible(page), "the focused time shows no focus ring"
    page.keyboard.press("Enter")

    name = page.get_by_label("Your name")
    journeys.tab_to(page, name)
    page.keyboard.type("Kenji Watanabe")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Your email")).to_be_focused()
    page.keyboard.type("kenji@example.org")
    journeys.tab_to(page, page.get_by_role("button", name="Next"))
    assert focus_is_visible(page)
    page.keyboard.press("Enter")

    confirm = page.get_by_role("button", name="Confirm booking")
    journeys.tab_to(page, confirm)
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("You’re booked!")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Intro call")


def focus_is_visible(page):
    """Whether the focused element draws a focus indicator (an outline or a ring)."""
    return page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0)
            || style.boxShadow !== "none";
        }"""
    )
