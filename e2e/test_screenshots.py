"""Screenshots of the Zoom connection's and the booking pages (docs/screenshots/), taken along
the journeys."""

import pytest
from playwright.sync_api import expect

from e2e import journeys
from e2e.conftest import INVITEE_ZONE
from e2e.journeys import zoom_card
from e2e.screenshots import shoot

pytestmark = pytest.mark.browser


def test_screenshots_of_the_zoom_connection(page, stack, host):
    journeys.open_integrations(page)
    journeys.expect_zoom_state(page, "Not connected")
    shoot(page, "integrations-not-connected")

    journeys.start_set_up(page, stack)
    shoot(page, "zoom-consent")

    # A seeded Zoom user, so the account shown on the card is the same on every run.
    journeys.answer_consent(page, stack, zoom_user="Sam Okafor")
    journeys.expect_zoom_state(page, "Connected")
    shoot(page, "integrations-connected")

    zoom_card(page).get_by_role("link", name="Activity log").click()
    expect(page.get_by_role("row").filter(has_text="Connect Zoom account")).to_be_visible()
    shoot(page, "zoom-activity")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Docs").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    paths = shoot(page, "docs-zoom")
    assert all(path.stat().st_size > 10_000 for path in paths)


def test_screenshots_of_booking_with_zoom(page, invitee_page, stack):
    """The booking pages, for the README and the docs. They show the run's dates, references and
    Zoom ids, so they are saved as ``varies`` (see e2e/screenshots.py)."""
    journeys.host_ready_for_bookings(page, stack)
    url = journeys.create_service(
        page,
        "Coaching session",
        description="Thirty minutes on your goals for the quarter, on Zoom.",
    )
    invitee = invitee_page
    journeys.open_booking_page(invitee, url, INVITEE_ZONE)
    slot = journeys.free_slot(invitee)
    shoot(invitee, "booking-calendar", varies=True)

    slot.click()
    journeys.fill_details(invitee, "Mina Sato", "mina@example.org", notes="Q3 plan attached.")
    shoot(invitee, "booking-review", varies=True)

    invitee.get_by_role("button", name="Confirm booking").click()
    expect(invitee.get_by_text("Passcode")).to_be_visible()  # the details read from Zoom
    shoot(invitee, "booking-invitee", varies=True)

    reference = journeys.booking_reference(invitee)
    page.goto(f"/workspace/bookings/{reference}/")
    expect(page.get_by_text("Passcode")).to_be_visible()
    shoot(page, "booking-host", varies=True)

    # Zoom failing: the booking is confirmed and the page waits for the link.
    stack.control.fault("meetings.create", "5xx", probability=1.0, status=503)
    try:
        book_and_shoot_hosts_page(
            page, invitee, url, "Kenji Watanabe", "Zoom isn’t answering right now", "pending"
        )
    finally:
        stack.control.clear_faults("meetings.create")

    # Zoom disconnected: the page says why there is no link, and what to do.
    journeys.open_integrations(page)
    journeys.delete_zoom(page)
    reference = book_and_shoot_hosts_page(
        page,
        invitee,
        url,
        "Lea Fischer",
        "No Zoom meeting: Zoom isn’t connected",
        "troubleshooting",
    )

    page.goto("/workspace/bookings/")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    shoot(page, "bookings-list", varies=True)


def book_and_shoot_hosts_page(page, invitee, url, name, expected_text, state):
    """The invitee books the next free time; the host's page for it says ``expected_text``."""
    email = name.split()[0].lower() + "@example.org"
    journeys.book_free_slot(invitee, url, time_zone=INVITEE_ZONE, name=name, email=email)
    reference = journeys.booking_reference(invitee)
    page.goto(f"/workspace/bookings/{reference}/")
    expect(page.get_by_text(expected_text)).to_be_visible()
    shoot(page, f"booking-{state}", varies=True)
    return reference
