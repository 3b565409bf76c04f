"""
The Zoom path: a host's Confirm against the bare create-meeting call, measured on one stack.

Every figure is taken next to the sandbox's own bare call in the same run: a direct POST to its
create-meeting endpoint with a valid token of the bench's own, at the same latency setting.
"""

import base64
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import httpx

from bench.figures import median, ratio, timed
from reliability import invariants
from reliability.actors import CSRF, Tally, queue_confirmations, seed_hosts, shell
from zoom_sandbox.testing import authorize

JOIN = re.compile(r"/j/\d+")

# Bookings awaiting each host's confirmation (the "session" service asks hosts to confirm).
SEED_REQUESTS = """
import json
from datetime import timedelta
from django.utils import timezone
from bookings import selectors, services
from bookings.models import Service

wanted = {wanted!r}
start = timezone.now() + timedelta(days=2)
made = {{}}
for service in Service.objects.filter(slug="session", workspace__slug__in=wanted):
    slug = service.workspace.slug
    slots = selectors.free_slots(service, start=start, end=start + timedelta(days=90))
    made[slug] = [
        services.booking_request(service=service, start=slot, invitee_name="Bench Invitee",
                                 invitee_email="invitee@example.com").reference
        for slot in slots[: wanted[slug]]
    ]
print(json.dumps(made))
"""

# The access tokens' lifetime ends now, as far as the product knows: the next call refreshes.
LIFETIME_OVER = """
import json
from django.utils import timezone
from integrations.models import Connection
print(json.dumps(Connection.objects.update(access_token_expires_at=timezone.now())))
"""

PENDING = """
import json
from bookings.models import Meeting
print(json.dumps(Meeting.objects.exclude(action="").count()))
"""


class Confirmer:
    """A host in a browser of their own: confirms a booking and loads the page it lands on."""

    def __init__(self, host, tally):
        self.host = host
        self.actor = host.act(tally).actor
        page = self.actor.request("GET", "/workspace/bookings/").text
        self.csrf = CSRF.search(page).group(1)

    def confirm(self, reference):
        """
        Confirm → the booking's page; True when that page has the Zoom join link.

        Sent as the booking page's Confirm button sends it (htmx), so the updated page comes
        back in the answer; a browser without JavaScript follows a redirect instead, one
        round trip more.
        """
        page = self.actor.request(
            "POST",
            f"/workspace/bookings/{reference}/confirm/",
            data={"csrfmiddlewaretoken": self.csrf},
            headers={"HX-Request": "true"},
        )
        if page.status_code != 200:
            raise RuntimeError(f"confirm of {reference} answered {page.status_code}")
        return bool(JOIN.search(page.text))

    def close(self):
        self.actor.close()


class BareZoom:
    """The sandbox's create-meeting call with nothing of ours around it."""

    def __init__(self, stack, user):
        self.stack = stack
        self.http = httpx.Client(base_url=stack.sandbox_url, timeout=30.0)
        self.token = self._token(user)

    def _token(self, user):
        # The bench's own grant (its own Zoom user), obtained exactly as the product does.
        redirect = f"{self.stack.url}/integrations/zoom/callback"
        location = authorize(
            self.stack.sandbox_url, self.stack.zoom_client_id, redirect, state="bench", user=user
        )
        code = parse_qs(urlsplit(location).query)["code"][0]
        basic = base64.b64encode(
            f"{self.stack.zoom_client_id}:{self.stack.zoom_client_secret}".encode()
        ).decode()
        answer = self.http.post(
            "/oauth/token",
            data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect},
            headers={"Authorization": f"Basic {basic}"},
        )
        answer.raise_for_status()
        return answer.json()["access_token"]

    def create(self):
        response = self.http.post(
            "/v2/users/me/meetings",
            headers={"Authorization": f"Bearer {self.token}"},
            json={
                "topic": "Bare create",
                "type": 2,
                "start_time": "2030-01-07T10:00:00Z",
                "duration": 30,
                "timezone": "UTC",
                "agenda": "bench",
            },
        )
        if response.status_code != 201:
            raise RuntimeError(f"bare create answered {response.status_code}: {response.text}")

    def close(self):
        self.http.close()


class ZoomBench:
    """Hosts connected to Zoom on ``stack``, with bookings awaiting their confirmation."""

    def __init__(self, stack, hosts, per_host, prefix="zoom"):
        self.stack = stack
        self.tally = Tally()
        self.hosts = seed_hosts(stack, hosts, prefix=prefix)
        for host in self.hosts:
            host.act(self.tally).connect_zoom()
        wanted = {host.slug: per_host for host in self.hosts}
        self.awaiting = shell(stack, SEED_REQUESTS.format(wanted=wanted), timeout=600)
        self.lock = threading.Lock()

    def take(self, host):
        with self.lock:
            queue = self.awaiting[host.slug]
            return queue.pop() if queue else None

    def overhead(self, table, engine, latency_ms, runs):
        """Confirm → page with the join link, against the bare create, alternated."""
        self.stack.control.latency(latency_ms)
        host = self.hosts[0]
        confirmer = Confirmer(host, self.tally)
        bare = BareZoom(self.stack, f"bare-{latency_ms}@bench.example")
        confirms, bares, linked = [], [], 0
        try:
            for run in range(runs + 3):  # the first three warm both paths up
                reference = self.take(host)
                has_link, confirm_ms = timed(lambda r=reference: confirmer.confirm(r))
                _, bare_ms = timed(bare.create)
                if run >= 3:
                    confirms.append(confirm_ms)
                    bares.append(bare_ms)
                    linked += has_link
        finally:
            confirmer.close()
            bare.close()
            self.stack.control.latency(0)
        extra = median(confirms) - median(bares)
        table.add_timings(
            engine,
            f"Zoom create, bare, sandbox +{latency_ms} ms",
            bares,
            note=f"{runs} calls",
        )
        table.add_timings(
            engine,
            f"Confirm → page with join link, sandbox +{latency_ms} ms",
            confirms,
            ratio=ratio(median(confirms) / median(bares)),
            target="overhead ≤ 10% of bare" if latency_ms >= 150 else "",
            note=f"overhead {extra:,.1f} ms = {100 * extra / median(bares):.0f}% of bare; "
            f"{linked}/{runs} pages had the link",
        )

    def throughput(self, table, engine, *, sessions_per_host, seconds, latency_ms=0, label=""):
        """Confirmations a second with everyone confirming at once, against bare creates."""
        stack = self.stack
        stack.control.latency(latency_ms)
        try:
            return self._throughput(table, engine, sessions_per_host, seconds, latency_ms, label)
        finally:
            stack.control.latency(0)

    def _throughput(self, table, engine, sessions_per_host, seconds, latency_ms, label):
        stack = self.stack
        main = not label and not latency_ms  # the run the targets are about
        label = f", sandbox +{latency_ms} ms{label}"
        confirmers = [
            Confirmer(host, self.tally) for host in self.hosts for _ in range(sessions_per_host)
        ]
        people = len(confirmers)
        shell(stack, LIFETIME_OVER)
        mark = _last_seq(stack)
        done, linked, finished = [], [], []
        started = time.monotonic()
        deadline = started + seconds

        def confirm_until_deadline(confirmer):
            while time.monotonic() < deadline:
                reference = self.take(confirmer.host)
                if reference is None:
                    break
                has_link = confirmer.confirm(reference)
                with self.lock:
                    done.append(reference)
                    linked.append(has_link)
                    finished.append(time.monotonic())

        try:
            with ThreadPoolExecutor(people) as pool:
                list(pool.map(confirm_until_deadline, confirmers))
        finally:
            for confirmer in confirmers:
                confirmer.close()
        product_rate = len(done) / (max(finished) - started)
        log = stack.control.requests(mark)

        bares = [BareZoom(stack, f"bare-{n}@bench.example") for n in range(len(self.hosts))]
        creates = []
        started = time.monotonic()
        deadline = started + seconds

        def create_until_deadline(bare):
            while time.monotonic() < deadline:
                bare.create()
                with self.lock:
                    creates.append(time.monotonic())

        try:
            with ThreadPoolExecutor(people) as pool:
                list(pool.map(create_until_deadline, bares * sessions_per_host))
        finally:
            for bare in bares:
                bare.close()
        bare_rate = len(creates) / (max(creates) - started)

        table.add(
            engine,
            f"Zoom create, bare, {people} concurrent callers{label}",
            median=f"{bare_rate:,.1f}/s",
            note=f"{len(creates)} creates in {seconds} s",
        )
        table.add(
            engine,
            f"Confirmations/s, {people} concurrent confirmers{label}",
            median=f"{product_rate:,.1f}/s",
            ratio=ratio(product_rate / bare_rate),
            target="≥ 0.50 of bare" if main else "",
            note=f"{len(done)} confirmed, {sum(linked)} pages had the link",
        )
        api = [r for r in log if (r["endpoint"] or "").startswith("meetings.")]
        tokens = [r for r in log if r["endpoint"] == "oauth.token"]
        rejected = sum(1 for r in api if r["status"] == 401)
        table.add(
            engine,
            f"Zoom API calls per confirmed booking{label}",
            median=ratio(len(api) / len(done)),
            target="1.00" if main else "",
            note=f"{len(api)} calls ({_by_endpoint(api)}) for {len(done)} confirmations; "
            f"{rejected} × 401",
        )
        table.add(
            engine,
            f"Token requests per access-token lifetime{label}",
            median=ratio(len(tokens) / len(self.hosts)),
            target="1.00" if main else "",
            note=f"{len(tokens)} refreshes for {len(self.hosts)} connections, "
            f"{sessions_per_host} confirmers each",
        )
        return product_rate

    def duplicates(self, table, engine, label=""):
        """Every confirmed booking has one meeting in Zoom: none made twice, none lost."""
        _wait_settled(self.stack, 300)
        made, missing, twice = meetings_per_booking(self.stack)
        table.add(
            engine,
            f"Processed twice{label}",
            median=str(twice),
            target="0",
            note=f"{made} Zoom meetings for {made + missing - twice} confirmed bookings; "
            f"{missing} without one",
        )


def meetings_per_booking(stack):
    """(meetings in Zoom, confirmed Zoom bookings without one, meetings made twice)."""
    state = invariants.database_state(stack)
    per_reference = {}
    for meeting in stack.control.meetings():
        match = invariants.MARKER.match(meeting.get("agenda") or "")
        if match and not meeting["deleted"]:  # the bench's bare creates carry no booking
            per_reference[match.group(1)] = per_reference.get(match.group(1), 0) + 1
    confirmed = [
        b["reference"] for b in state["bookings"] if b["zoom"] and b["status"] == "confirmed"
    ]
    made = sum(per_reference.values())
    missing = sum(1 for reference in confirmed if reference not in per_reference)
    twice = sum(n - 1 for n in per_reference.values() if n > 1)
    return made, missing, twice


def backlog_drain(stack, table, engine, *, hosts, per_host, account):
    """1,000 meeting creations queued while Zoom is unreachable, then Zoom comes back."""
    tally = Tally()
    seeded = seed_hosts(stack, hosts, prefix="drain")
    for host in seeded:
        stack.control.add_user(host.zoom_user, account_id=account)
        host.act(tally).connect_zoom()
    limit = stack.control.limits()["medium_per_second"]
    stack.kill("zoom")  # Zoom's outage: nothing answers.
    queued = queue_confirmations(stack, seeded, per_host)
    time.sleep(10)  # The worker meets the outage; the backlog's retries are scheduled.
    stack.restart("zoom")
    mark = _last_seq(stack)
    back = time.monotonic()
    drained = _wait_settled(stack, 900)
    seconds = time.monotonic() - back
    log = stack.control.requests(mark)
    creates = [r for r in log if r["endpoint"] == "meetings.create" and r["status"] == 201]
    limited = sum(1 for r in log if r["status"] == 429)
    made, missing, twice = meetings_per_booking(stack)
    ideal = queued / limit
    table.add(
        engine,
        f"Backlog drain: {queued:,} creations queued in a Zoom outage",
        median=f"{seconds:,.0f} s" if drained else f"> {seconds:,.0f} s",
        ratio=ratio(ideal / seconds),
        note=f"limit {limit}/s per account → {ideal:.0f} s at best; {len(creates)} creates, "
        f"{len(log) - len(creates)} other calls, {limited} × 429; "
        f"{made} meetings, {twice} made twice, {missing} missing; "
        f"{len(stack.names('worker'))} task worker(s)",
    )


def _wait_settled(stack, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if shell(stack, PENDING) == 0:
            return True
        time.sleep(1)
    return False


def _last_seq(stack):
    log = stack.control.requests()
    return log[-1]["seq"] if log else 0


def _by_endpoint(calls):
    counts = {}
    for call in calls:
        counts[call["endpoint"]] = counts.get(call["endpoint"], 0) + 1
    return ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))


def peak_rss(stack, table, engine, *, label):
    """The most memory a web worker and a task worker held, from the kernel's high-water mark."""
    for role, pids in (
        ("web worker", stack.web_worker_pids()),
        ("task worker", list(stack.pids("worker").values())),
    ):
        peaks = [_vm_hwm_mb(pid) for pid in pids]
        peaks = [p for p in peaks if p is not None]
        table.add(
            engine,
            f"Peak RSS, {role}, {label}",
            median=f"{max(peaks):,.0f} MB" if peaks else "–",
            target="≤ 150 MB" if role == "task worker" else "",
            note=f"highest of {len(peaks)} process(es)",
        )


def _vm_hwm_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
