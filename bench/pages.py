"""
What the booking pages cost when a host has years of bookings behind them.

One host, seeded in bulk into the stack's own database with 0, then 10,000, then 100,000
bookings (a few hundred in the coming weeks, the rest over the past years); each page is timed
over HTTP against gunicorn. Pages that read only what they show cost the same at every size.
"""

import re

from bench.figures import timed
from reliability.actors import PASSWORD, Host, Tally, shell

SETUP = """
import json
from accounts.services import user_signup
from bookings import services
from bookings.models import Service

host = user_signup(name="Busy Host", email="busy@bench.example", password={password!r},
                   time_zone="Europe/Amsterdam")
services.availability_set_weekly(host.workspace, {{d: [(8 * 60, 20 * 60)] for d in range(7)}})
Service.objects.create(workspace=host.workspace, name="Call", slug="call",
                       minimum_notice_minutes=0)
print(json.dumps(host.workspace.slug))
"""

# Bookings numbered from ``first``: the first FUTURE of all every 2 hours from 3 days ahead,
# the rest 45 minutes apart going back into the past. One in seven is cancelled.
SEED = """
import json
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from bookings.models import Booking, Service

FUTURE = 300
service = Service.objects.select_related("workspace").get(slug="call",
                                                         workspace__slug={slug!r})
now = timezone.now().replace(minute=0, second=0, microsecond=0)
batch = []
for i in range({first}, {last}):
    if i < FUTURE:
        start = now + timedelta(days=3, hours=2 * i)
    else:
        start = now - timedelta(minutes=45 * (i - FUTURE + 1))
    batch.append(Booking(
        workspace=service.workspace, service=service, reference=f"VR-{{i:06d}}",
        status=Booking.Status.CANCELLED if i % 7 == 0 else Booking.Status.CONFIRMED,
        start=start, end=start + timedelta(minutes=30),
        busy_start=start, busy_end=start + timedelta(minutes=30),
        invitee_name=f"Invitee {{i}}", invitee_email=f"invitee{{i}}@example.com",
        location_kind=service.location_kind,
    ))
    if len(batch) == 5000:
        Booking.objects.bulk_create(batch)
        batch = []
Booking.objects.bulk_create(batch)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(json.dumps(Booking.objects.count()))
"""

DEEP_CURSOR = """
import json
from bookings import selectors
from bookings.models import Booking

past = Booking.objects.filter(status=Booking.Status.CONFIRMED).order_by("-start")
print(json.dumps(selectors.encode_cursor(past[past.count() // 3])))
"""


def _time(actor, path, runs):
    timings = []
    for run in range(runs + 3):  # three to warm up
        response, took = timed(lambda: actor.request("GET", path))
        if response.status_code != 200:
            raise RuntimeError(f"GET {path} answered {response.status_code}")
        if run >= 3:
            timings.append(took)
    return timings


STYLESHEET = re.compile(r'href="(/static/[^"]+\.css)"')


def static_assets(actor, page, table, engine, runs):
    """The page's stylesheet: served by every web process, cached by browsers for good."""
    path = STYLESHEET.search(actor.request("GET", page).text).group(1)
    timings = _time(actor, path, runs)
    cache = actor.request("GET", path).headers.get("cache-control", "none")
    table.add_timings(
        engine,
        "Static asset (the stylesheet)",
        timings,
        note=f"Cache-Control: {cache}",
    )


def run(stack, table, engine, *, sizes=(0, 10_000, 100_000), runs=30):
    tally = Tally()
    slug = shell(stack, SETUP.format(password=PASSWORD))
    actor = Host(stack, "busy@bench.example", slug).act(tally).actor
    public = f"/{slug}/call/"
    seeded = 0
    for size in sizes:
        if size > seeded:
            shell(stack, SEED.format(slug=slug, first=seeded, last=size), timeout=900)
            seeded = size
        timings = _time(actor, public, runs)
        table.add_timings(
            engine,
            f"Public booking page (a month of free times), {size:,} bookings",
            timings,
            target="p95 ≤ 50 ms" if size == sizes[-1] else "",
            note=f"{runs} GETs",
        )
    static_assets(actor, public, table, engine, runs)
    deep = shell(stack, DEEP_CURSOR)
    for label, path in (
        ("upcoming, first page", "/workspace/bookings/"),
        ("past, first page", "/workspace/bookings/?tab=past"),
        ("past, a page deep in the years", f"/workspace/bookings/?tab=past&before={deep}"),
    ):
        timings = _time(actor, path, runs)
        table.add_timings(
            engine,
            f"Host dashboard, {label}, {seeded:,} bookings",
            timings,
            note=f"{runs} GETs",
        )
    actor.close()
