"""
What a person does in vrtual.ly and on Zoom's pages, step by step, as browser actions.

Tests compose these; each step waits for what the person would see before the next one, and
finds things the way a person does — by their role, label and text.
"""

import re
import secrets
import time
from dataclasses import dataclass

from playwright.sync_api import Page, expect

PASSWORD = "a-long-pass-phrase-2026"


@dataclass
class Host:
    name: str
    email: str
    password: str = PASSWORD

    @property
    def short_name(self):
        return self.name.split()[0]


def sign_up(page: Page, name="Alex Rivera"):
    """From the home page, create an account; return the Host, logged in on ``page``."""
    host = Host(name=name, email=f"{name.split()[0].lower()}-{secrets.token_hex(4)}@example.com")
    page.goto("/")
    page.get_by_role("link", name="Sign up free").click()
    expect(page.get_by_role("heading", name="Create your vrtual.ly account")).to_be_visible()
    page.get_by_label("Name", exact=True).fill(host.name)
    page.get_by_label("Email", exact=True).fill(host.email)
    page.get_by_label("Password", exact=True).fill(host.password)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"Welcome to vrtual.ly, {host.short_name}!")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(host.name)
    return host


def open_integrations(page: Page):
    """Workspace → Business Tools → Integrations, through the navigation."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Business Tools").click()
    expect(page.get_by_role("heading", name="Business Tools", level=1)).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^\W*Integrations")).click()
    expect(page.get_by_role("heading", name="Integrations", level=1)).to_be_visible()


def zoom_card(page: Page):
    return page.get_by_role("region", name="Zoom")


def expect_zoom_state(page: Page, state):
    """The Zoom card's badge says ``state`` ("Connected", "Not connected", …)."""
    expect(zoom_card(page).get_by_text(state, exact=True)).to_be_visible()


def start_set_up(page: Page, stack):
    """Click Set Up on the Zoom card; wait for Zoom's (the sandbox's) consent page."""
    zoom_card(page).get_by_role("button", name="Set Up").click()
    expect_consent_page(page, stack)


def expect_consent_page(page: Page, stack):
    expect(page).to_have_url(re.compile("^" + re.escape(stack.sandbox_url + "/oauth/authorize?")))
    expect(
        page.get_by_role("heading", name="vrtual.ly would like to access your Zoom account")
    ).to_be_visible()


def answer_consent(page: Page, stack, *, zoom_user, decision="Allow"):
    """On the consent page, pick the Zoom user (a seeded one by name, or any email) and
    click Allow or Decline; wait until back on vrtual.ly's Integrations page."""
    if "@" in zoom_user:
        page.get_by_label("Sign in as another email").check()
        page.get_by_label("Email address").fill(zoom_user)
    else:
        page.get_by_label(zoom_user).check()
    page.get_by_role("button", name=decision).click()
    expect(page).to_have_url(stack.url + "/integrations/")


def connect_zoom(page: Page, stack, *, zoom_user):
    """The whole Set Up flow from the Integrations page, ending Connected."""
    start_set_up(page, stack)
    answer_consent(page, stack, zoom_user=zoom_user)
    expect(page.get_by_text("Zoom is connected.")).to_be_visible()
    expect_zoom_state(page, "Connected")


def delete_zoom(page: Page, *, accept=True):
    """Click the trash icon on the Zoom card and answer the confirmation; return its text."""
    asked = []

    def answer(dialog):
        asked.append(dialog.message)
        if accept:
            dialog.accept()
        else:
            dialog.dismiss()

    page.once("dialog", answer)
    zoom_card(page).get_by_role("button", name="Delete the Zoom integration").click()
    if accept:
        expect(page.get_by_role("status")).to_contain_text("Zoom is disconnected")
    else:
        page.wait_for_timeout(200)  # a dismissed confirm sends nothing; give it the chance
    assert asked, "Delete did not ask for confirmation"
    return asked[0]


def new_zoom_user():
    """An email no Zoom user has yet: "Sign in as another email" makes a user of its own, so
    tests never share a Zoom grant."""
    return f"zoom-{secrets.token_hex(4)}@example.net"


def remove_app_in_zoom(page: Page, stack, *, zoom_user):
    """As the Zoom user: Zoom → Manage → Installed Apps → Remove vrtual.ly."""
    page.goto(stack.sandbox_url + "/")
    expect(page.get_by_role("heading", name="Installed Apps")).to_be_visible()
    chooser = page.get_by_label("Signed in as")
    label = chooser.locator("option", has_text=zoom_user).inner_text()
    chooser.select_option(label=label)
    page.get_by_role("button", name="Show apps").click()
    page.get_by_role("button", name="Remove vrtual.ly").click()
    expect(page.get_by_text("vrtual.ly was removed")).to_be_visible()
    expect(page.get_by_text("No apps are installed for this user.")).to_be_visible()


def reload_until(page: Page, locator, timeout=15.0):
    """Reload ``page`` until ``locator`` is visible, as a person waiting for a change would."""
    deadline = time.monotonic() + timeout
    while True:
        page.reload()
        if locator.is_visible():
            return
        if time.monotonic() > deadline:
            expect(locator).to_be_visible(timeout=1)  # fails with Playwright's explanation
        page.wait_for_timeout(250)


# Bookings: the host's set-up and the invitee's side.


def tab_to(page: Page, locator, presses=60):
    """Press Tab until ``locator`` has the focus, as a keyboard user would; fail if it never
    does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def open_business_tool(page: Page, name):
    """Business Tools → ``name`` ("Services", "Availability", "Bookings"), through the menus."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Business Tools").click()
    page.get_by_role("link", name=re.compile(rf"^\W*{name}")).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def set_weekly_hours(page: Page, hours="08:00-20:00"):
    """Business Tools → Availability: the same hours every day of the week."""
    open_business_tool(page, "Availability")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(day).fill(hours)
    page.get_by_role("button", name="Save weekly hours").click()
    expect(page.get_by_text("Your weekly hours are saved.")).to_be_visible()


def create_service(page: Page, name, *, requires_confirmation=False, description=""):
    """Business Tools → Services → New service, on Zoom; return its public booking address."""
    open_business_tool(page, "Services")
    page.get_by_role("link", name="New service").click()
    page.get_by_label("Name", exact=True).fill(name)
    if description:
        page.get_by_label("Description").fill(description)
    page.get_by_label("Duration (minutes)").fill("30")
    page.get_by_label("Zoom video meeting").check()
    if requires_confirmation:
        page.get_by_label("Requires my confirmation").check()
    page.get_by_role("button", name="Create service").click()
    expect(page.get_by_role("status")).to_contain_text(f"“{name}” is")
    card = page.get_by_role("region", name=name)
    return card.get_by_label("Booking page address").input_value()


def host_ready_for_bookings(page: Page, stack, *, zoom_user=None):
    """A new host, signed up through the UI, with weekly hours and Zoom connected."""
    host = sign_up(page)
    set_weekly_hours(page)
    open_integrations(page)
    connect_zoom(page, stack, zoom_user=zoom_user or new_zoom_user())
    return host


def open_booking_page(page: Page, url, time_zone):
    """The public page of a service; the browser's zone is detected and named on the page."""
    page.goto(url)
    expect(page.get_by_label("Times are shown in")).to_have_value(time_zone)
    expect(page.get_by_role("heading", name="Pick a time")).to_be_visible()


def free_slot(page: Page):
    """A free time on the calendar, on the day shown or the next free one. Not the earliest
    time offered: that one can be minutes from the service's minimum notice, and gone by the
    time the invitee confirms it, as a real invitee who dawdles would find."""
    see_next = page.get_by_role("link", name="See next month")
    if see_next.is_visible():
        see_next.click()
    expect(page.get_by_role("heading", level=3).first).to_be_visible()
    slots = page.locator(".slots a.slot")
    other_days = page.locator("a.day-free:not([aria-current])")
    if slots.count() < 2 and other_days.count():
        other_days.first.click()
        expect(slots.first).to_be_visible()
    slot = slots.nth(1) if slots.count() >= 2 else slots.first
    expect(slot).to_be_visible()
    return slot


def fill_details(page: Page, name, email, notes=""):
    expect(page.get_by_role("heading", name="Your details")).to_be_visible()
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your email").fill(email)
    if notes:
        page.get_by_label("Anything to share beforehand?").fill(notes)
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", name="Review and confirm")).to_be_visible()


def book_free_slot(page: Page, url, *, time_zone, name="Mina Sato", email=None):
    """As an invitee: pick a free time, give details, Confirm booking. Returns the
    time label clicked and the invitee's email; ``page`` ends on the booking's own page."""
    email = email or f"mina-{secrets.token_hex(4)}@example.org"
    open_booking_page(page, url, time_zone)
    slot = free_slot(page)
    label = slot.inner_text()
    slot.click()
    fill_details(page, name, email)
    page.get_by_role("button", name="Confirm booking").click()
    expect(page).to_have_url(re.compile(r"/b/[^/]+/$"))
    return label, email


def booking_reference(page: Page):
    """The reference (VR-…) a booking's page shows."""
    return page.get_by_role("definition").filter(has_text=re.compile(r"^VR-")).inner_text()


def join_link(page: Page):
    """The participant join link the Zoom panel shows."""
    return page.get_by_role("region", name="Zoom meeting").get_by_label("Join link")
