"""Screenshots of the Zoom connection's pages (docs/screenshots/), taken along the journey."""

import pytest
from playwright.sync_api import expect

from e2e import journeys
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
