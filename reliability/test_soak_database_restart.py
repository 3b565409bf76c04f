"""Scenario 4: the database restarts while people are booking."""

import pytest

from e2e.stack import Stack
from reliability import invariants
from reliability.actors import Tally, seed_hosts
from reliability.postgres import PrivatePostgres, Unavailable
from reliability.scenario import Load, settled, wait_until

pytestmark = [pytest.mark.soak, pytest.mark.xdist_group("reliability")]


def test_requests_fail_cleanly_and_nothing_committed_is_lost(record):
    try:
        server = PrivatePostgres()
    except Unavailable as reason:
        pytest.skip(f"needs a PostgreSQL server of its own to restart: {reason}")
    env = {"ZOOM_MEETING_LEASE_SECONDS": "15", "WORKER_SWEEP_SECONDS": "2"}
    with server, Stack(database_url=server.url, web_workers=3, task_workers=2, env=env) as stack:
        tally = Tally()
        hosts = seed_hosts(stack, 5)
        actors = [host.act(tally) for host in hosts]
        for actor in actors:
            actor.connect_zoom()
        load = Load(stack, tally, hosts, invitees=20).start(actors)
        load.run_for(15)
        server.restart(down_for=5)
        load.run_for(20)
        load.stop()
        assert wait_until(lambda: settled(stack), 300), "the worker did not resume"

        # While the database was away, people got the 503 page — never a 500 or a traceback.
        unavailable = tally.statuses.get(503, 0)
        assert unavailable > 0
        assert tally.server_errors == unavailable, tally.errors[:10]
        assert all("back in a moment" in page for page in tally.error_pages)
        assert not any("Traceback" in page for page in tally.error_pages)
        assert all(stack.processes[name].alive for name in stack.names())
        report = invariants.check(
            stack,
            seen_tokens=load.booked_tokens,
            seen_references=[r for a in actors for r in a.confirmed],
        )
        assert report.problems == [], report.problems[:10]
        record(
            "database restart mid-load (down 5 s)",
            requests=tally.requests,
            faults=f"{unavailable} answered 503",
            bookings=report.bookings,
            meetings=report.meetings,
            duplicates=report.duplicates,
            lost=report.lost,
        )
