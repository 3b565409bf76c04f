"""
Fixtures for the browser tests: one running stack and one Chromium per test process (each
pytest-xdist worker that runs browser tests starts its own), a fresh browser context per test,
and a host who signed up through the UI. Tests never depend on each other's state: each host
signs up anew and connects a Zoom user of its own.

Chromium is Debian's (`make test` installs it where it can). Without it the browser tests skip,
and the reason shows in pytest's summary (`-rs`).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from e2e import journeys
from e2e.stack import Stack

CHROMIUM = "/usr/bin/chromium"
# Headless without a sandbox (we run as root), and without the background traffic (updates,
# sync, QUIC probes) that this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
INVITEE_ZONE = "Asia/Tokyo"
ARTIFACTS = Path(__file__).parent / "artifacts"
# Assertions wait for what a person waits for; two cores shared with the rest of the suite
# can make a page take a few seconds.
expect.set_options(timeout=10_000)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.failed_call = report.failed
    return report


@pytest.fixture(scope="session")
def stack():
    """The product on its own ports and database, shared by the process's end-to-end tests.
    Two task workers, as a deployment may run, so the tests see them share the queue."""
    with Stack.from_env(web_workers=2, task_workers=2) as stack:
        yield stack


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(
            f"browser tests need Debian's Chromium at {CHROMIUM}: `apt-get install chromium` "
            "as root (`make test` does it where it can)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_context(browser, stack, *, time_zone, locale):
    context = browser.new_context(
        base_url=stack.url,
        viewport=DESKTOP,
        locale=locale,
        timezone_id=time_zone,
        color_scheme="light",
        reduced_motion="reduce",
    )
    context.set_default_timeout(10_000)
    return context


def _watch(page, stack):
    """The console errors and uncaught exceptions of vrtual.ly's pages in ``page``, as a list
    that grows while the test runs. (Zoom's pages are the sandbox's, a stand-in: what they log
    is not the product's to fix.)"""
    problems = []

    def on_console(message):
        where = message.location.get("url") or page.url
        # A page that answers with an error status on purpose (the 404 page) is logged too.
        status_of_page = message.text.startswith("Failed to load resource") and where == page.url
        if message.type == "error" and where.startswith(stack.url) and not status_of_page:
            problems.append(f"{message.text} ({where})")

    def on_error(error):
        if page.url.startswith(stack.url):
            problems.append(f"{error} ({page.url})")

    page.on("console", on_console)
    page.on("pageerror", on_error)
    return problems


@pytest.fixture
def context(browser, stack, request):
    """The host's browser, in New York."""
    context = _new_context(browser, stack, time_zone="America/New_York", locale="en-US")
    yield context
    if getattr(request.node, "failed_call", False):
        _keep_artifacts(context, request.node.name)
    context.close()


@pytest.fixture
def page(context, stack):
    """A tab that fails the test on any console error from vrtual.ly's pages: a script or a
    style the CSP blocked, a missing asset, an exception in app.js."""
    page = context.new_page()
    problems = _watch(page, stack)
    yield page
    assert not problems, "the browser reported errors:\n" + "\n".join(problems)


@pytest.fixture
def invitee_page(browser, stack, request):
    """A second browser, an invitee's in Tokyo (another zone, another day than the host's),
    without a vrtual.ly account; it fails the test on console errors like ``page``."""
    context = _new_context(browser, stack, time_zone=INVITEE_ZONE, locale="en-GB")
    page = context.new_page()
    problems = _watch(page, stack)
    yield page
    if getattr(request.node, "failed_call", False):
        _keep_artifacts(context, request.node.name + "-invitee")
    context.close()
    assert not problems, "the invitee's browser reported errors:\n" + "\n".join(problems)


@dataclass
class BookableHost:
    """A host with weekly hours, Zoom connected and two Zoom services, set up once through the
    UI and shared by the process's tests (which only add bookings); ``log_in(context)`` gives
    a browser the host's session."""

    host: journeys.Host
    zoom_user: str
    instant_url: str  # "Intro call": booked and confirmed by the invitee's click
    request_url: str  # "Strategy session": requires the host's confirmation
    cookies: list

    def log_in(self, context):
        context.add_cookies(self.cookies)


@pytest.fixture(scope="session")
def bookable_host(browser, stack):
    context = _new_context(browser, stack, time_zone="America/New_York", locale="en-US")
    try:
        page = context.new_page()
        zoom_user = journeys.new_zoom_user()
        host = journeys.host_ready_for_bookings(page, stack, zoom_user=zoom_user)
        instant_url = journeys.create_service(page, "Intro call")
        request_url = journeys.create_service(page, "Strategy session", requires_confirmation=True)
        yield BookableHost(host, zoom_user, instant_url, request_url, context.cookies())
    finally:
        context.close()


@pytest.fixture
def host(page):
    """A host who just signed up through the UI; ``page`` is logged in as them."""
    return journeys.sign_up(page)


def _keep_artifacts(context, name):
    """A failed test leaves a screenshot and the HTML of each open tab in e2e/artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    for number, tab in enumerate(context.pages, 1):
        stem = ARTIFACTS / f"{name}-{number}"
        try:
            tab.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(tab.content())
        except Exception as error:
            Path(f"{stem}.txt").write_text(f"could not capture {tab.url}: {error}")
