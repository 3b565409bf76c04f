"""Scenario 11: Zoom rotates the refresh token but its answer is lost."""

import time

import pytest

from e2e.stack import Stack
from reliability import invariants
from reliability.actors import Invitee, Tally, seed_hosts, shell
from reliability.conftest import postgres_server
from reliability.scenario import settled, wait_until

pytestmark = pytest.mark.xdist_group("reliability")

STATUS = """
import json
from integrations.models import Connection
print(json.dumps([[c.status, c.problem] for c in Connection.objects.all()]))
"""


def test_it_ends_in_needs_reconnect_with_one_email_and_no_retry_loop(record):
    with Stack(
        database_url=postgres_server(),
        web_workers=2,
        task_workers=1,
        env={"WORKER_SWEEP_SECONDS": "1"},
    ) as stack:
        tally = Tally()
        (host,) = seed_hosts(stack, 1)
        host.act(tally).connect_zoom()
        invitee = Invitee(stack, tally)

        # Zoom expires the access token early; the refresh that follows is answered into the void.
        stack.control.expire_tokens()
        stack.control.fault("oauth.token", "commit_then_drop", count=1)
        assert invitee.book(host, "call") == "booked"
        assert wait_until(lambda: settled(stack), 60)

        ((status, problem),) = shell(stack, STATUS)
        assert status == "needs_reconnect"
        assert "Reconnect Zoom" in problem
        time.sleep(3)  # Several sweeps later, still no retry loop:
        refreshes = [r for r in stack.control.requests() if r["endpoint"] == "oauth.token"]
        assert len(refreshes) == 3  # The connect, the lost refresh, the one that found out.
        reconnect = [m for m in stack.outbox() if "reconnect Zoom" in m["Subject"]]
        assert len(reconnect) == 1

        report = invariants.check(stack)
        assert report.problems == []
        assert report.explained == 1  # The booking says why it has no meeting.
        record(
            "lost refresh answer",
            requests=tally.requests,
            faults=1,
            bookings=report.bookings,
            meetings=report.meetings,
            explained=report.explained,
            duplicates=0,
            lost=0,
        )
