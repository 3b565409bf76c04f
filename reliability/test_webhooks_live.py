"""Scenario 6: hostile deliveries to the webhook of the running product."""

import json
import time

import httpx
import pytest

from e2e.stack import Stack
from integrations.zoom.webhooks import signature
from reliability import invariants
from reliability.actors import Tally, seed_hosts, shell
from reliability.conftest import postgres_server

pytestmark = pytest.mark.xdist_group("reliability")


def deauthorized(user_id, account_id, event_ts):
    return {
        "event": "app_deauthorized",
        "event_ts": event_ts,
        "payload": {
            "account_id": account_id,
            "user_id": user_id,
            "signature": "ignored",
            "deauthorization_time": "2099-01-01T00:00:00Z",
            "user_data_retention": "false",
        },
    }


def test_forged_stale_replayed_duplicated_malformed_huge_and_mistyped_deliveries(record):
    with Stack(database_url=postgres_server(), web_workers=3, task_workers=1) as stack:
        tally = Tally()
        host, other = seed_hosts(stack, 2)
        host.act(tally).connect_zoom()
        other.act(tally).connect_zoom()
        grants = {g["email"]: g for g in stack.control.grants()}
        zoom_user = grants[host.zoom_user]
        url = stack.url + "/integrations/zoom/webhook"
        secret = stack.zoom_webhook_secret

        def post(body, *, ts=None, key=secret, content_type="application/json"):
            raw = body if isinstance(body, bytes) else json.dumps(body).encode()
            ts = int(time.time()) if ts is None else ts
            return httpx.post(
                url,
                content=raw,
                headers={
                    "content-type": content_type,
                    "x-zm-request-timestamp": str(ts),
                    "x-zm-signature": signature(key, ts, raw),
                },
            )

        event = deauthorized(zoom_user["user_id"], "", int(time.time() * 1000))
        answers = {
            "forged": post(event, key="not-the-secret").status_code,
            "stale": post(event, ts=int(time.time()) - 600).status_code,
            "malformed": post(b"{oops").status_code,
            "wrong type": post(event, content_type="text/plain").status_code,
            "huge": post(b'{"event": "' + b"x" * 200_000 + b'"}').status_code,
        }
        assert answers == {
            "forged": 401,
            "stale": 401,
            "malformed": 400,
            "wrong type": 415,
            "huge": 413,
        }
        # Nothing happened yet: both hosts are still connected.
        assert len(_connected(stack)) == 2

        # The real delivery, then the same event three more times (Zoom retries, a replay).
        first = post(event)
        assert (first.status_code, first.json()["status"]) == (200, "ok")
        repeats = [post(event).json()["status"] for _ in range(3)]
        assert repeats == ["duplicate"] * 3
        assert len(_connected(stack)) == 1  # Only the other host remains.

        report = invariants.check(stack)
        assert report.problems == []
        record(
            "webhooks: forged, stale, malformed, huge, wrong type, 3 duplicates",
            requests=9,
            faults=8,
            side_effects=1,
            duplicates=0,
            lost=0,
        )


def _connected(stack):
    return shell(
        stack,
        "import json\nfrom integrations.models import Connection\n"
        "print(json.dumps(list(Connection.objects.filter(status='connected')"
        ".values_list('pk', flat=True))))",
    )
