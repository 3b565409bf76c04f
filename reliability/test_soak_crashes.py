"""
Scenario 3: processes killed with SIGKILL in the middle of creating a meeting — before the Zoom
call, while Zoom commits it, and after Zoom answered but before our own commit — then restarted.
"""

import contextlib
import os
import signal
import threading
import time

import httpx
import psycopg
import pytest

from e2e.stack import Stack
from reliability import invariants
from reliability.actors import Invitee, Tally, seed_hosts
from reliability.conftest import postgres_server
from reliability.scenario import query, settled, wait_until

pytestmark = [pytest.mark.soak, pytest.mark.xdist_group("reliability")]

# A short lease, so the sweeper recovers a dead process's attempt within the test's patience.
ENV = {"ZOOM_MEETING_LEASE_SECONDS": "15", "WORKER_SWEEP_SECONDS": "2"}
CLAIMED = "SELECT count(*) FROM bookings_meeting WHERE lease_until IS NOT NULL"


def book(invitee, host):
    with contextlib.suppress(httpx.TransportError):  # Its web worker may be killed meanwhile.
        invitee.book(host, "call")


def claimed(stack):
    return query(stack, CLAIMED)[0][0] > 0


@contextlib.contextmanager
def zoom_calls_held(stack):
    """Hold the rate-limit rows every Zoom call takes first: callers wait before calling Zoom."""
    with psycopg.connect(stack.database_url) as connection:
        connection.execute("SELECT 1 FROM integrations_ratepace FOR UPDATE")
        yield
        connection.rollback()


def test_kill_9_at_every_moment_of_a_meeting_creation(record):
    with Stack(database_url=postgres_server(), web_workers=3, task_workers=2, env=ENV) as stack:
        tally = Tally()
        hosts = seed_hosts(stack, 3)
        for host in hosts:
            host.act(tally).connect_zoom()
        invitee = Invitee(stack, tally)
        book(invitee, hosts[0])  # Warm up: every rate-limit row exists.
        killed = 0

        # 1. Web workers die while their confirm requests wait on Zoom's create; Zoom commits
        #    the meetings for callers that are gone.
        stack.control.latency(ms=3000, endpoint="meetings.create")
        people = [threading.Thread(target=book, args=(invitee, host)) for host in hosts]
        for person in people:
            person.start()
        assert wait_until(lambda: claimed(stack), 30, interval=0.1)
        time.sleep(0.5)
        for pid in stack.web_worker_pids():
            os.kill(pid, signal.SIGKILL)
            killed += 1
        for person in people:
            person.join(30)
        assert wait_until(lambda: settled(stack), 120)

        # 2. Task workers die while Zoom holds their create (after Zoom has it, before we do).
        stack.control.fault("meetings.create", "5xx", count=len(hosts))  # The worker takes over.
        for host in hosts:
            book(invitee, host)
        assert wait_until(lambda: claimed(stack), 60, interval=0.1)
        time.sleep(0.5)
        stack.kill("worker", signal.SIGKILL)
        killed += 2
        stack.restart("worker")
        assert wait_until(lambda: settled(stack), 120)

        # 3. Task workers die before their Zoom call.
        stack.control.latency(ms=0, endpoint="meetings.create")
        stack.control.fault("meetings.create", "5xx", count=1)
        book(invitee, hosts[1])
        with zoom_calls_held(stack):
            assert wait_until(lambda: claimed(stack), 60, interval=0.1)
            time.sleep(1)
            stack.kill("worker", signal.SIGKILL)
            killed += 2
        stack.restart("worker")

        assert wait_until(lambda: settled(stack), 120), "meetings were still being worked on"
        # Recovered attempts looked for the meetings Zoom had made before creating anything.
        lookups = [r for r in stack.control.requests() if r["endpoint"] == "meetings.list"]
        assert len(lookups) >= len(hosts)
        report = invariants.check(stack, seen_tokens=invitee.booked)
        assert report.problems == [], report.problems
        assert report.explained == 0
        record(
            "crashes: kill -9 of web and task workers before, during and after Zoom's create",
            requests=tally.requests,
            faults=f"{killed} processes killed",
            bookings=report.bookings,
            meetings=report.meetings,
            duplicates=report.duplicates,
            lost=report.lost,
        )
