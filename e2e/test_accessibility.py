"""axe-core on every page a host sees today, in each Zoom state, and on Zoom's own pages."""

import pytest
from playwright.sync_api import expect

from e2e import journeys
from e2e.accessibility import AXE, Audit
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
