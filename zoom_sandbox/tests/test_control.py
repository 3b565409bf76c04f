"""The control API: reset, the request log, views of state, the clock, disabling it."""

import json

import pytest

from zoom_sandbox.testing import SandboxServer

from .conftest import http, make_config


def test_it_resets_to_the_seeded_state(connect, control):
    zoom = connect(user="brand.new@example.net")
    zoom.create()
    control.fault("meetings.get", "5xx", probability=1.0)
    control.latency(ms=50)
    control.limits(plan="free")
    control.advance_clock(1000)
    control.reset()
    assert control.meetings() == [] and control.grants() == [] and control.faults() == []
    assert control.requests() == []
    assert control.clock()["offset_seconds"] == 0
    assert control.limits()["light_per_second"] == 30
    assert "brand.new@example.net" not in {u["email"] for u in control.users()}
    assert zoom.api.get("/users/me/meetings").status_code == 401


def test_it_logs_requests_without_their_tokens(connect, control):
    zoom = connect()
    meeting_id = zoom.create().json()["id"]
    zoom.get(meeting_id)
    log = control.requests()
    assert [e["endpoint"] for e in log] == [
        "oauth.authorize",
        "oauth.authorize",
        "oauth.token",
        "meetings.create",
        "meetings.get",
    ]
    last = log[-1]
    assert (last["method"], last["path"], last["status"]) == (
        "GET",
        f"/v2/meetings/{meeting_id}",
        200,
    )
    assert last["user_id"] == "KDcuGIm1QgePTO8WbOqwIQ" and last["client_id"] == "test-client"
    assert last["token"] and last["duration_ms"] >= 0 and last["time"].endswith("Z")
    text = json.dumps(log)
    for secret in (zoom.tokens["access_token"], zoom.tokens["refresh_token"]):
        assert secret not in text
    assert "code=" not in text.replace("code=%5Bredacted%5D", "")


def test_it_pages_the_request_log(connect, control):
    zoom = connect()
    seq = control.requests()[-1]["seq"]
    zoom.api.get("/users/me/meetings")
    newer = control.requests(since=seq)
    assert [e["endpoint"] for e in newer] == ["meetings.list"]
    control.clear_requests()
    assert control.requests() == []


def test_it_does_not_log_control_calls(control):
    control.meetings()
    control.grants()
    assert control.requests() == []


def test_it_shows_deleted_meetings_with_a_flag(connect, control):
    zoom = connect()
    meeting_id = zoom.create().json()["id"]
    zoom.api.delete(f"/meetings/{meeting_id}")
    [meeting] = control.meetings()
    assert meeting["id"] == meeting_id and meeting["deleted"] is True


def test_it_shows_grants_and_their_tokens(connect, control):
    zoom = connect()
    [grant] = control.grants()
    assert grant["client_id"] == "test-client" and grant["revoked"] is False
    assert grant["access_token"]["expired"] is False
    assert zoom.tokens["access_token"] not in json.dumps(grant)


def test_it_adds_users(control):
    user = control.add_user("extra@example.com", first_name="Ex", timezone="Europe/Berlin")
    assert user["account_id"] and user["timezone"] == "Europe/Berlin"
    assert control.add_user("EXTRA@example.com")["user_id"] == user["user_id"]
    colleague = control.add_user("colleague@example.com", account_id=user["account_id"])
    assert colleague["account_id"] == user["account_id"]
    assert colleague["user_id"] != user["user_id"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "clock", {"advance_seconds": -5}),
        ("POST", "clock", {"advance_seconds": "soon"}),
        ("POST", "latency", {"ms": -1}),
        ("POST", "latency", {"endpoint": "nowhere", "ms": 5}),
        ("POST", "users", {"email": "no-at-sign"}),
        ("POST", "users", {"email": "a@b.c", "timezone": "Nowhere"}),
        ("POST", "users", {"email": "a@b.c", "account_id": 7}),
        ("POST", "users/KDcuGIm1QgePTO8WbOqwIQ/revoke", {"notify": "yes"}),
        ("POST", "webhooks/url_validation", {"url": "ftp://x"}),
        ("POST", "meetings/1/status", {"status": "paused"}),
        ("GET", "requests?since=latest", None),
    ],
)
def test_it_rejects_bad_control_input(control, method, path, body):
    response = control.client.request(method, f"/_sandbox/{path}", json=body)
    assert response.status_code == 400 and response.json()["error"]


def test_it_answers_404_for_unknown_users_and_meetings(control):
    assert control.client.post("/_sandbox/users/nobody/revoke").status_code == 404
    response = control.client.post("/_sandbox/meetings/123/status", json={"status": "ended"})
    assert response.status_code == 404


def test_it_rejects_a_control_body_that_is_not_json(control):
    response = control.client.post("/_sandbox/faults", content=b"{")
    assert response.status_code == 400


def test_it_can_run_without_the_control_api(receiver):
    with SandboxServer(make_config(receiver.url, control_enabled=False)) as server:
        assert http.post(f"{server.base_url}/_sandbox/reset").status_code == 404
        assert http.get(f"{server.base_url}/_sandbox/meetings").status_code == 404
