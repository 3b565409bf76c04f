"""Scenario 2: every access token expires at once while people are booking."""

import pytest

from e2e.stack import Stack
from reliability import invariants
from reliability.actors import Tally, seed_hosts
from reliability.conftest import postgres_server
from reliability.scenario import Load, settled, wait_until

pytestmark = pytest.mark.xdist_group("reliability")


def run_storm(seconds, invitees, hosts_count, record):
    with Stack(database_url=postgres_server(), web_workers=3, task_workers=2) as stack:
        tally = Tally()
        hosts = seed_hosts(stack, hosts_count)
        actors = [host.act(tally) for host in hosts]
        for actor in actors:
            actor.connect_zoom()
        load = Load(stack, tally, hosts, invitees=invitees).start(actors)
        load.run_for(seconds / 2)
        stack.control.expire_tokens()
        load.run_for(seconds / 2)
        load.stop()
        assert wait_until(lambda: settled(stack), 120)

        grants = {g["email"]: g for g in stack.control.grants()}
        refreshes = [grants[host.zoom_user]["refreshes"] for host in hosts]
        assert refreshes == [1] * len(hosts), refreshes
        report = invariants.check(
            stack,
            seen_tokens=load.booked_tokens,
            seen_references=[r for a in actors for r in a.confirmed],
        )
        assert report.problems == []
        assert report.explained == 0  # Nobody was sent to reconnect.
        assert tally.server_errors == 0, tally.errors
        record(
            f"token expiry storm ({invitees} people, {seconds} s)",
            requests=tally.requests,
            faults="all tokens expired",
            bookings=report.bookings,
            meetings=report.meetings,
            duplicates=report.duplicates,
            lost=report.lost,
        )


def test_every_connection_refreshes_once_and_none_needs_reconnecting(record):
    run_storm(seconds=12, invitees=12, hosts_count=3, record=record)
