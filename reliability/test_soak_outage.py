"""
Scenario 5: Zoom is down for minutes while a thousand bookings are confirmed; once it is back,
every one gets exactly one meeting, and the backlog drains within Zoom's rate limits.
"""

import time

import pytest

from e2e.stack import Stack
from reliability import invariants
from reliability.actors import Tally, queue_confirmations, seed_hosts
from reliability.conftest import postgres_server
from reliability.scenario import settled, wait_until

pytestmark = [pytest.mark.soak, pytest.mark.xdist_group("reliability")]

HOSTS = 20
PER_HOST = 50  # Under Zoom's daily limit of 100 creations per user.
OUTAGE_SECONDS = 180
ACCOUNT = "soakClinicAccount01"  # Every host in one Zoom account: they share its rate limits.


def test_a_thousand_confirmations_through_a_zoom_outage(record):
    env = {"ZOOM_MEETING_LEASE_SECONDS": "30", "WORKER_SWEEP_SECONDS": "5"}
    with Stack(database_url=postgres_server(), web_workers=2, task_workers=2, env=env) as stack:
        tally = Tally()
        hosts = seed_hosts(stack, HOSTS)
        for host in hosts:
            stack.control.add_user(host.zoom_user, account_id=ACCOUNT)
            host.act(tally).connect_zoom()
        limits = stack.control.limits()

        stack.control.fault("meetings.create", "5xx", probability=1.0, status=503)
        stack.control.fault("meetings.list", "5xx", probability=1.0, status=503)
        outage_started = time.monotonic()
        confirmed = queue_confirmations(stack, hosts, PER_HOST, timeout=600)
        assert confirmed == HOSTS * PER_HOST
        time.sleep(max(0, OUTAGE_SECONDS - (time.monotonic() - outage_started)))
        mark = stack.control.requests()[-1]["seq"]
        stack.control.clear_faults()
        recovered = time.monotonic()

        assert wait_until(lambda: settled(stack), 1800, interval=2), "the backlog did not drain"
        drained = time.monotonic() - recovered
        after = stack.control.requests(mark)
        creates = [r for r in after if r["endpoint"] == "meetings.create" and r["status"] == 201]
        limited = [r for r in after if r["status"] == 429]
        first = min(r["time"] for r in creates)
        last = max(r["time"] for r in creates)
        report = invariants.check(stack)
        assert report.problems == [], report.problems[:10]
        assert report.meetings == HOSTS * PER_HOST and report.explained == 0
        assert len(limited) <= 5, f"{len(limited)} answers of 429 while draining"
        record(
            f"Zoom outage of {OUTAGE_SECONDS // 60} min with {confirmed} confirmations queued",
            requests=len(stack.control.requests()),
            faults=sum(1 for r in stack.control.requests() if r.get("fault")),
            bookings=report.bookings,
            meetings=report.meetings,
            duplicates=report.duplicates,
            lost=report.lost,
            drain=f"{drained:.0f} s after recovery ({len(creates)} creates, {first[11:19]}–"
            f"{last[11:19]} UTC; limit {limits['medium_per_second']}/s per account; "
            f"{len(limited)} × 429)",
        )
