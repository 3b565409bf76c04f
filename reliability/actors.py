"""
People using a running stack over plain HTTP, as the soak scenarios need many of them at once:
hosts (seeded in bulk, logged in, Zoom connected through the real OAuth flow) and invitees who
book through the public pages. Every response is tallied, so a scenario can tell what the
product answered and what its users saw.
"""

import json
import random
import re
import secrets
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx

from zoom_sandbox.testing import authorize

PASSWORD = "soak-password-2026"  # noqa: S105 - seeded test hosts
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT = re.compile(r'class="slot" href="([^"]+)"')
KEY = re.compile(r'name="key" value="([^"]+)"')
AWAITING = re.compile(r'href="/workspace/bookings/(VR-[0-9A-Z]{6})/"')

SEED = """
import json
from accounts.services import user_signup
from bookings import services
from bookings.models import Service

hosts = []
for i in range({count}):
    email = "{prefix}-%d@soak.example" % i
    user = user_signup(name="Host %d" % i, email=email, password="{password}",
                       time_zone="Europe/Amsterdam")
    services.availability_set_weekly(user.workspace, {{d: [(0, 1440)] for d in range(7)}})
    common = dict(workspace=user.workspace, duration_minutes=30, slot_step_minutes=30,
                  minimum_notice_minutes=24 * 60, horizon_days=365, location_kind="zoom",
                  reminder_minutes=[])
    Service.objects.create(name="Call", slug="call", **common)
    Service.objects.create(name="Session", slug="session", requires_confirmation=True, **common)
    hosts.append({{"email": email, "slug": user.workspace.slug}})
print(json.dumps(hosts))
"""


@dataclass
class Tally:
    """What the product answered, counted by status, shared by every actor of a scenario."""

    statuses: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)
    # What people saw on error pages (the start of each), to tell a 503 page from a traceback.
    error_pages: list = field(default_factory=list)
    transport_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, response):
        with self.lock:
            self.statuses[response.status_code] += 1
            if response.status_code >= 500:
                self.errors.append(
                    f"{response.status_code} {response.request.method} {response.request.url.path}"
                )
                self.error_pages.append(response.text[:2000])

    def note_transport_error(self):
        with self.lock:
            self.transport_errors += 1

    @property
    def requests(self):
        return sum(self.statuses.values())

    @property
    def server_errors(self):
        return sum(n for status, n in self.statuses.items() if status >= 500)


class Actor:
    def __init__(self, stack, tally):
        self.stack = stack
        self.tally = tally
        self.http = httpx.Client(base_url=stack.url, timeout=30.0, follow_redirects=False)

    def request(self, method, path, **kwargs):
        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TransportError:
            self.tally.note_transport_error()
            raise
        self.tally.note(response)
        return response

    def post_form(self, path, page_html, data):
        token = CSRF.search(page_html)
        if token is None:
            raise AssertionError(f"no CSRF token on the page before POST {path}")
        return self.request("POST", path, data={"csrfmiddlewaretoken": token.group(1), **data})

    def close(self):
        self.http.close()


def shell(stack, code, timeout=300):
    """Run Python in the stack's Django and return what its last line printed, as JSON."""
    output = stack.manage("shell", "--no-imports", "-c", code, timeout=timeout).stdout
    return json.loads(output.strip().splitlines()[-1])


# Books ``per_host`` confirmed times for every seeded host in ``slugs`` (inside the stack, fast).
QUEUE_CONFIRMATIONS = """
import json, random
from datetime import timedelta
from django.utils import timezone
from bookings import selectors, services
from bookings.models import Service

start = timezone.now() + timedelta(days=2)
made = 0
for service in Service.objects.filter(slug="call", workspace__slug__in={slugs!r}).order_by("pk"):
    slots = selectors.free_slots(service, start=start, end=start + timedelta(days=30))
    for slot in random.Random(service.pk).sample(slots, {per_host}):
        services.booking_request(service=service, start=slot, invitee_name="Queued Invitee",
                                 invitee_email="queued@example.com")
        made += 1
print(json.dumps(made))
"""


def queue_confirmations(stack, hosts, per_host, timeout=900):
    """Confirm ``per_host`` bookings of each host's Zoom "call" service; how many were made."""
    script = QUEUE_CONFIRMATIONS.format(per_host=per_host, slugs=[host.slug for host in hosts])
    return shell(stack, script, timeout=timeout)


def seed_hosts(stack, count, prefix="host"):
    """Create ``count`` hosts with all-day availability and two Zoom services each."""
    hosts = shell(stack, SEED.format(count=count, prefix=prefix, password=PASSWORD))
    return [Host(stack, info["email"], info["slug"]) for info in hosts]


class Host:
    """A seeded host; ``act(tally)`` gives an HTTP actor logged in as them."""

    def __init__(self, stack, email, slug):
        self.stack, self.email, self.slug = stack, email, slug
        self.zoom_user = email.replace("@soak.example", "@zoom.soak.example")

    def act(self, tally):
        actor = Actor(self.stack, tally)
        page = actor.request("GET", "/login/").text
        response = actor.post_form("/login/", page, {"username": self.email, "password": PASSWORD})
        assert response.status_code == 302, f"login of {self.email}: {response.status_code}"
        return HostActor(actor, self)


class HostActor:
    def __init__(self, actor, host):
        self.actor, self.host = actor, host
        self.confirmed = []  # References the host saw confirmed.

    def connect_zoom(self):
        """Integrations → Zoom → Set Up → Zoom's consent → Allow → back, connected."""
        page = self.actor.request("GET", "/integrations/").text
        response = self.actor.post_form("/integrations/zoom/connect", page, {})
        query = {
            k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()
        }
        back = authorize(
            self.actor.stack.sandbox_url,
            query["client_id"],
            query["redirect_uri"],
            state=query["state"],
            code_challenge=query["code_challenge"],
            scope=query["scope"],
            user=self.host.zoom_user,
        )
        parts = urlsplit(back)
        self.actor.request("GET", f"{parts.path}?{parts.query}")
        page = self.actor.request("GET", "/integrations/").text
        assert "Connected since" in page, "Zoom did not connect"

    def disconnect_zoom(self):
        page = self.actor.request("GET", "/integrations/").text
        return self.actor.post_form("/integrations/zoom/disconnect", page, {})

    def confirm_awaiting(self, limit=5):
        """Open the awaiting tab and confirm up to ``limit`` requests, as a host would."""
        page = self.actor.request("GET", "/workspace/bookings/?tab=awaiting").text
        confirmed = 0
        for reference in list(dict.fromkeys(AWAITING.findall(page)))[:limit]:
            detail = self.actor.request("GET", f"/workspace/bookings/{reference}/")
            if f"/workspace/bookings/{reference}/confirm/" not in detail.text:
                continue  # Confirmed meanwhile, or its time passed.
            response = self.actor.post_form(
                f"/workspace/bookings/{reference}/confirm/", detail.text, {}
            )
            if response.status_code == 302:
                after = self.actor.request("GET", response.headers["location"])
                if "Confirmed." in after.text:
                    self.confirmed.append(reference)
                    confirmed += 1
        return confirmed


class Invitee(Actor):
    """Someone booking a random free time of a host's service through its public page."""

    def __init__(self, stack, tally, rng=None):
        super().__init__(stack, tally)
        self.rng = rng or random.Random()  # noqa: S311 - test data
        self.booked = []  # Manage tokens of the bookings this invitee made.

    def book(self, host, service):
        day = (datetime.now(UTC) + timedelta(days=self.rng.randint(2, 200))).date()
        page = self.request(
            "GET", f"/{host.slug}/{service}/", params={"day": day.isoformat(), "tz": "UTC"}
        )
        slots = SLOT.findall(page.text)
        if not slots:
            return "no slot"
        details = self.request("GET", self.rng.choice(slots).replace("&amp;", "&"))
        start = re.search(r'name="start" value="([^"]+)"', details.text)
        if details.status_code != 200 or start is None:
            return "gone"
        fields = {
            "name": "Soak Invitee",
            "email": f"invitee-{secrets.token_hex(4)}@example.com",
            "notes": "",
            "start": start.group(1),
            "tz": "UTC",
        }
        review = self.post_form(
            f"/{host.slug}/{service}/", details.text, {**fields, "step": "details"}
        )
        key = KEY.search(review.text)
        if key is None:
            return "taken"
        done = self.post_form(
            f"/{host.slug}/{service}/",
            review.text,
            {**fields, "step": "confirm", "key": key.group(1)},
        )
        if done.status_code == 302 and done.headers["location"].startswith("/b/"):
            self.booked.append(done.headers["location"].split("/")[2])
            return "booked"
        return "taken"
