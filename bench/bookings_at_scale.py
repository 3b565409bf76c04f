"""
What the booking pages cost when a host has years of bookings behind them.

    .venv/bin/python bench/bookings_at_scale.py [--bookings 100000] [--runs 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
        .venv/bin/python bench/bookings_at_scale.py

Works in a throw-away test database (created, then dropped, like the test suite's), seeds
one host with N bookings spread over the past years and the coming weeks, and prints the
median time of each page or call, once with no bookings and once with N. Pages that only
read what they show should cost about the same in both runs.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vrtually.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.services import user_signup  # noqa: E402
from bookings import selectors, services  # noqa: E402
from bookings.models import Booking, Service  # noqa: E402


def median_ms(action, runs):
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


FUTURE = 300  # A busy host's coming weeks; everything else lies in the past years.


def seed(service, count):
    """``count`` bookings: FUTURE of them every 2 hours from 3 days ahead, the rest behind."""
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    batch = []
    for i in range(count):
        if i < FUTURE:
            start = now + timedelta(days=3, hours=2 * i)
        else:
            start = now - timedelta(minutes=45 * (i - FUTURE + 1))
        status = Booking.Status.CANCELLED if i % 7 == 0 else Booking.Status.CONFIRMED
        batch.append(
            Booking(
                workspace=service.workspace,
                service=service,
                # Numbered: random references would meet each other among 100,000.
                reference=f"VR-{i:06d}",
                status=status,
                start=start,
                end=start + timedelta(minutes=30),
                busy_start=start,
                busy_end=start + timedelta(minutes=30),
                invitee_name=f"Invitee {i}",
                invitee_email=f"invitee{i}@example.com",
                location_kind=service.location_kind,
            )
        )
        if len(batch) == 5000:
            Booking.objects.bulk_create(batch)
            batch = []
    Booking.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, service, runs):
    workspace = service.workspace
    page = f"/{workspace.slug}/{service.slug}/"
    middle = (
        Booking.objects.filter(workspace=workspace, status=Booking.Status.CONFIRMED)
        .order_by("start")
        .only("start")[Booking.objects.count() // 3 : Booking.objects.count() // 3 + 1]
    )
    deep = selectors.encode_cursor(middle[0]) if middle else ""
    month_start = timezone.now()

    def book():
        slot = selectors.free_slots(
            service, start=month_start + timedelta(days=1), end=month_start + timedelta(days=9)
        )[0]
        services.booking_request(
            service=service, start=slot, invitee_name="Bench", invitee_email="b@example.com"
        )

    return {
        "dashboard, upcoming, first page": median_ms(
            lambda: client.get("/workspace/bookings/"), runs
        ),
        "dashboard, past, first page": median_ms(
            lambda: client.get("/workspace/bookings/?tab=past"), runs
        ),
        "dashboard, past, a page deep in the years": median_ms(
            lambda: client.get(f"/workspace/bookings/?tab=past&before={deep}"), runs
        ),
        "public calendar, a month of free times": median_ms(lambda: client.get(page), runs),
        "free_slots() over 31 days": median_ms(
            lambda: selectors.free_slots(
                service, start=month_start, end=month_start + timedelta(days=31)
            ),
            runs,
        ),
        "booking_request() (lock, check, write)": median_ms(book, min(runs, 10)),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        host = user_signup(name="Bench Host", email="bench@example.com", password="x" * 12)
        services.availability_set_weekly(
            host.workspace, {day: [(8 * 60, 20 * 60)] for day in range(7)}
        )
        service = Service.objects.create(
            workspace=host.workspace, name="Call", slug="call", minimum_notice_minutes=0
        )
        client = Client()
        client.force_login(host)

        empty = measure(client, service, args.runs)
        Booking.objects.all().delete()
        started = time.perf_counter()
        seed(service, args.bookings)
        print(
            f"{connection.vendor}: seeded {args.bookings:,} bookings "
            f"in {time.perf_counter() - started:.1f} s"
        )
        full = measure(client, service, args.runs)

        print(
            f"\n{'median of ' + str(args.runs) + ' runs, ms':45} {'no bookings':>12} {'with':>6}"
        )
        for label, value in empty.items():
            print(f"{label:45} {value:12.1f} {full[label]:6.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
