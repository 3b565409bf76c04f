"""Injected faults, each observed by an httpx client exactly as the product will meet it."""

import time

import httpx
import pytest

from .conftest import REDIRECT_URI, http, refresh


def test_it_answers_5xx_then_recovers(connect, control):
    zoom = connect()
    control.fault("meetings.create", "5xx", count=2, status=503)
    failures = [zoom.create() for _ in range(2)]
    assert [(f.status_code, f.json()) for f in failures] == [
        (503, {"code": 503, "message": "Service Unavailable"})
    ] * 2
    assert zoom.create().status_code == 201
    assert control.meetings()[0]["topic"] == "Zoom Meeting" and len(control.meetings()) == 1


def test_it_answers_5xx_on_the_token_endpoint_in_oauth_shape(connect, base_url, app, control):
    zoom = connect()
    control.fault("oauth.token", "5xx")
    failed = refresh(base_url, app, zoom.tokens["refresh_token"])
    assert (failed.status_code, failed.json()["error"]) == (500, "server_error")
    assert refresh(base_url, app, zoom.tokens["refresh_token"]).status_code == 200


def test_it_shows_an_error_page_for_a_consent_fault(base_url, app, control):
    control.fault("oauth.authorize", "5xx", status=502)
    page = http.get(
        f"{base_url}/oauth/authorize",
        params={"client_id": app.client_id, "redirect_uri": REDIRECT_URI},
    )
    assert page.status_code == 502 and page.headers["content-type"].startswith("text/html")


def test_it_holds_a_request_past_the_clients_timeout_then_processes_it(connect, control):
    zoom = connect()
    control.fault("meetings.create", "timeout", seconds=5)
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        zoom.api.post("/users/me/meetings", json={"topic": "late"}, timeout=0.3)
    assert time.monotonic() - started < 1
    # The request reached Zoom: the meeting exists even though the client never heard back.
    deadline = time.monotonic() + 3
    while not control.meetings() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [m["topic"] for m in control.meetings()] == ["late"]


def test_it_answers_a_held_request_when_the_client_waits(connect, control):
    zoom = connect()
    control.fault("meetings.get", "timeout", seconds=0.3)
    meeting_id = zoom.create().json()["id"]
    started = time.monotonic()
    assert zoom.get(meeting_id).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_it_drops_the_connection_without_doing_anything(connect, control):
    zoom = connect()
    control.fault("meetings.create", "drop")
    started = time.monotonic()
    with pytest.raises(httpx.TransportError):
        zoom.create(topic="lost")
    assert time.monotonic() - started < 1
    assert control.meetings() == []
    assert zoom.create().status_code == 201


def test_it_answers_html_instead_of_json(connect, control):
    zoom = connect()
    control.fault("meetings.get", "html")
    response = zoom.get(1)
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    with pytest.raises(ValueError):
        response.json()


def test_it_can_answer_html_with_status_200(connect, control):
    zoom = connect()
    control.fault("meetings.list", "html", status=200)
    response = zoom.api.get("/users/me/meetings")
    assert response.status_code == 200 and response.text.startswith("<html>")


def test_it_creates_the_meeting_then_drops_the_answer(connect, control):
    zoom = connect()
    control.fault("meetings.create", "commit_then_drop")
    with pytest.raises(httpx.TransportError):
        zoom.create(topic="orphan")
    [meeting] = control.meetings()
    assert meeting["topic"] == "orphan" and meeting["deleted"] is False


def test_it_rotates_the_refresh_token_then_drops_the_answer(connect, base_url, app, control):
    zoom = connect()
    control.fault("oauth.token", "commit_then_drop")
    with pytest.raises(httpx.TransportError):
        refresh(base_url, app, zoom.tokens["refresh_token"])
    stale = refresh(base_url, app, zoom.tokens["refresh_token"])
    assert (stale.status_code, stale.json()["error"]) == (400, "invalid_grant")
    assert zoom.api.get("/users/me/meetings").status_code == 401
    [grant] = control.grants()
    assert grant["refreshes"] == 1 and not grant["revoked"]


@pytest.mark.parametrize(
    ("limit_type", "retry_after"), [("QPS", False), ("Daily-limit", True)], ids=["qps", "daily"]
)
def test_it_answers_429_on_demand(connect, control, limit_type, retry_after):
    zoom = connect()
    control.fault("meetings.create", "429", limit_type=limit_type)
    response = zoom.create()
    assert (response.status_code, response.json()["code"]) == (429, 429)
    assert response.headers["X-RateLimit-Type"] == limit_type
    assert response.headers["X-RateLimit-Category"] == "Medium"
    assert ("Retry-After" in response.headers) is retry_after
    assert control.meetings() == []


def test_it_keeps_a_probability_fault_until_cleared(connect, control):
    zoom = connect()
    control.fault("meetings.list", "5xx", probability=1.0)
    assert [zoom.api.get("/users/me/meetings").status_code for _ in range(3)] == [500] * 3
    assert len(control.faults()) == 1
    control.clear_faults()
    assert zoom.api.get("/users/me/meetings").status_code == 200


def test_it_never_fires_a_zero_probability_fault(connect, control):
    zoom = connect()
    control.fault("meetings.list", "drop", probability=0.0)
    assert all(zoom.api.get("/users/me/meetings").status_code == 200 for _ in range(5))


def test_it_fires_a_wildcard_fault_on_any_endpoint(connect, base_url, app, control):
    zoom = connect()
    control.fault("*", "5xx", count=2)
    assert zoom.api.get("/users/me/meetings").status_code == 500
    assert refresh(base_url, app, zoom.tokens["refresh_token"]).status_code == 500
    assert zoom.api.get("/users/me/meetings").status_code == 200


def test_it_fires_faults_in_the_order_they_were_added(connect, control):
    zoom = connect()
    control.fault("meetings.create", "5xx")
    control.fault("meetings.create", "html")
    assert [zoom.create().status_code for _ in range(3)] == [500, 502, 201]


def test_it_clears_faults_of_one_endpoint(control):
    control.fault("meetings.create", "5xx")
    control.fault("meetings.get", "5xx")
    control.clear_faults("meetings.get")
    assert [f["endpoint"] for f in control.faults()] == ["meetings.create"]


def test_it_logs_faulted_requests(connect, control):
    zoom = connect()
    control.fault("meetings.create", "drop")
    with pytest.raises(httpx.TransportError):
        zoom.create()
    entry = control.requests()[-1]
    assert (entry["endpoint"], entry["fault"], entry["status"]) == (
        "meetings.create",
        "drop",
        None,
    )


def test_it_adds_fixed_latency_to_one_endpoint(connect, control):
    zoom = connect()
    meeting_id = zoom.create().json()["id"]
    control.latency(ms=200, endpoint="meetings.get")
    started = time.monotonic()
    zoom.get(meeting_id)
    assert time.monotonic() - started >= 0.2
    started = time.monotonic()
    zoom.api.get("/users/me/meetings")
    assert time.monotonic() - started < 0.15
    control.latency(ms=0, endpoint="meetings.get")
    started = time.monotonic()
    zoom.get(meeting_id)
    assert time.monotonic() - started < 0.15


def test_it_adds_random_latency_within_a_range(connect, control):
    zoom = connect()
    control.latency(min_ms=100, max_ms=150)
    for _ in range(3):
        started = time.monotonic()
        zoom.api.get("/users/me/meetings")
        assert 0.1 <= time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    "spec",
    [
        {"endpoint": "meetings.nope", "kind": "5xx"},
        {"endpoint": "meetings.get", "kind": "explode"},
        {"endpoint": "meetings.get", "kind": "5xx", "status": 404},
        {"endpoint": "meetings.get", "kind": "5xx", "count": 0},
        {"endpoint": "meetings.get", "kind": "5xx", "probability": 2},
        {"endpoint": "meetings.get", "kind": "5xx", "count": 1, "probability": 0.5},
        {"endpoint": "meetings.get", "kind": "timeout", "seconds": -1},
        {"endpoint": "meetings.get", "kind": "429", "limit_type": "monthly"},
    ],
)
def test_it_rejects_unusable_fault_specs(control, spec):
    response = control.client.post("/_sandbox/faults", json=spec)
    assert response.status_code == 400 and response.json()["error"]
