"""Scenario 9: a full flow with DEBUG logging leaves no token or secret anywhere."""

import re

import pytest

from e2e.stack import Stack
from reliability import invariants
from reliability.actors import CSRF, Invitee, Tally, seed_hosts
from reliability.conftest import postgres_server
from reliability.scenario import settled, wait_until

pytestmark = pytest.mark.xdist_group("reliability")


def test_no_token_or_secret_in_logs_pages_emails_or_columns(record):
    with Stack(
        database_url=postgres_server(), web_workers=2, task_workers=1, env={"LOG_LEVEL": "DEBUG"}
    ) as stack:
        tally = Tally()
        (host,) = seed_hosts(stack, 1)
        acting = host.act(tally)
        acting.connect_zoom()
        invitee = Invitee(stack, tally)
        pages = []
        assert invitee.book(host, "call") == "booked"
        assert invitee.book(host, "session") == "booked"
        stack.control.expire_tokens()  # The next call refreshes, rotating both tokens.
        acting.confirm_awaiting()
        assert invitee.book(host, "call") == "booked"
        assert wait_until(lambda: settled(stack), 60)

        for token in invitee.booked:
            pages.append(invitee.request("GET", f"/b/{token}/").text)
            pages.append(invitee.request("GET", f"/b/{token}/meeting/details/").text)
        for path in ("/workspace/bookings/?tab=upcoming", "/integrations/", "/integrations/zoom/"):
            pages.append(acting.actor.request("GET", path).text)
        reference = re.search(r"/workspace/bookings/(VR-\w{6})/", pages[-3]).group(1)
        detail = acting.actor.request("GET", f"/workspace/bookings/{reference}/").text
        pages.append(detail)
        start = acting.actor.request(
            "POST",
            f"/workspace/bookings/{reference}/meeting/start/",
            data={"csrfmiddlewaretoken": CSRF.search(detail).group(1)},
        )
        assert "zak=" in start.headers["location"]  # The host's own start link…
        acting.disconnect_zoom()
        pages.append(acting.actor.request("GET", "/integrations/").text)

        assert "DEBUG" in stack.logs("web") + stack.logs("worker.1")
        for page in pages:  # …never in a page.
            assert not invariants.JWT.search(page)
            assert stack.zoom_client_secret not in page
        report = invariants.check(stack)
        assert report.problems == []
        assert tally.server_errors == 0
        record(
            "secrets: full flow with DEBUG logging",
            requests=tally.requests,
            bookings=report.bookings,
            meetings=report.meetings,
            leaks=0,
            duplicates=0,
            lost=0,
        )
