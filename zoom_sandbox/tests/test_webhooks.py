"""Webhooks (CONTRACT §4): app_deauthorized signed like Zoom, retried, and URL validation."""

import hashlib
import hmac
import json
import re
import time

import pytest

from zoom_sandbox.testing import SandboxServer, authorize

from .conftest import REDIRECT_URI, WEBHOOK_SECRET, code_from, exchange, http, make_config


def verify(delivery, secret=WEBHOOK_SECRET):
    """An independent check of Zoom's signature, as the product must do it."""
    timestamp = delivery["headers"]["x-zm-request-timestamp"]
    message = b"v0:" + timestamp.encode() + b":" + delivery["body"]
    expected = "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, delivery["headers"]["x-zm-signature"])


def wait_until(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


def test_it_sends_a_signed_app_deauthorized_when_the_app_revokes(connect, server, receiver):
    zoom = connect()
    app = server.config.apps[0]
    started = time.time()
    http.post(
        f"{server.base_url}/oauth/revoke",
        auth=(app.client_id, app.client_secret),
        data={"token": zoom.tokens["access_token"]},
    )
    [delivery] = receiver.wait_for(1)
    assert verify(delivery)
    assert not verify(delivery, secret="another-secret")
    assert abs(int(delivery["headers"]["x-zm-request-timestamp"]) - started) < 5
    event = json.loads(delivery["body"])
    assert event["event"] == "app_deauthorized"
    assert isinstance(event["event_ts"], int) and abs(event["event_ts"] / 1000 - started) < 5
    payload = event["payload"]
    assert payload["user_data_retention"] == "false"
    assert payload["user_id"] == "KDcuGIm1QgePTO8WbOqwIQ"
    assert payload["account_id"] == "aCcT7Rk2Q4yUeZ0bN1pLwA"
    assert payload["client_id"] == "test-client"
    assert payload["deauthorization_time"].endswith("Z") and payload["signature"]


def test_it_removes_the_app_from_the_installed_apps_page(connect, server, receiver, control):
    zoom = connect()
    page = http.get(f"{server.base_url}/marketplace/manage/installed-apps")
    assert page.status_code == 200 and "vrtual.ly" in page.text and "Remove" in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    removed = http.post(
        f"{server.base_url}/marketplace/manage/installed-apps/remove",
        data={"csrf": csrf, "user_id": "KDcuGIm1QgePTO8WbOqwIQ", "client_id": "test-client"},
    )
    assert removed.status_code == 303
    [delivery] = receiver.wait_for(1)
    assert verify(delivery) and json.loads(delivery["body"])["event"] == "app_deauthorized"
    assert zoom.api.get("/users/me/meetings").status_code == 401
    [grant] = control.grants()
    assert grant["revoked"] and grant["revoked_by"] == "user"
    after = http.get(f"{server.base_url}{removed.headers['location']}")
    assert "was removed" in after.text and "No apps are installed" in after.text


def test_it_deauthorizes_through_the_control_api(connect, receiver, control):
    zoom = connect()
    assert control.deauthorize_user("dana.whitfield@example.com") == ["test-client"]
    assert verify(receiver.wait_for(1)[0])
    assert zoom.api.get("/users/me/meetings").status_code == 401


def test_it_revokes_silently_when_asked(connect, receiver, control):
    zoom = connect()
    assert control.revoke_user("KDcuGIm1QgePTO8WbOqwIQ", notify=False) == ["test-client"]
    assert zoom.api.get("/users/me/meetings").status_code == 401
    time.sleep(0.3)
    assert receiver.received == []
    assert control.webhooks() == []


def test_it_retries_with_a_fresh_signature_until_delivered(connect, receiver, control):
    receiver.statuses.extend([500, 503])
    connect()
    control.deauthorize_user("dana.whitfield@example.com")
    deliveries = receiver.wait_for(3)
    assert len(deliveries) == 3 and all(verify(d) for d in deliveries)
    assert len({d["body"] for d in deliveries}) == 1
    [logged] = wait_until(lambda: [d for d in control.webhooks() if d["status"] == "delivered"])
    assert [a["status_code"] for a in logged["attempts"]] == [500, 503, 200]


def test_it_gives_up_after_three_retries(connect, receiver, control):
    receiver.statuses.extend([500] * 10)
    connect()
    control.deauthorize_user("dana.whitfield@example.com")
    [logged] = wait_until(lambda: [d for d in control.webhooks() if d["status"] == "failed"])
    assert len(logged["attempts"]) == 4
    time.sleep(0.4)
    assert len(receiver.received) == 4


def test_it_counts_only_200_and_204_as_delivered(connect, receiver, control):
    receiver.statuses.extend([202])
    connect()
    control.deauthorize_user("dana.whitfield@example.com")
    assert len(receiver.wait_for(2)) == 2


def test_it_retries_an_answer_slower_than_the_timeout(connect, receiver, control):
    receiver.delay = 1.3  # the test sandbox waits 1 s (Zoom: 3 s)
    connect()
    control.deauthorize_user("dana.whitfield@example.com")
    logged = wait_until(lambda: [d for d in control.webhooks() if d["attempts"]])[0]
    assert logged["attempts"][0]["status_code"] is None
    assert "Timeout" in logged["attempts"][0]["error"]


def test_it_schedules_retries_on_the_sandbox_clock(receiver):
    """With Zoom's real delays (5, 20, 60 min), moving the clock on releases each retry."""
    config = make_config(receiver.url, webhook_retry_delays=(300.0, 1200.0, 3600.0))
    receiver.statuses.extend([500, 500])
    with SandboxServer(config) as slow:
        app = config.apps[0]
        code = code_from(authorize(slow.base_url, app.client_id, REDIRECT_URI))
        assert exchange(slow.base_url, app, code).status_code == 200
        slow.control.deauthorize_user("dana.whitfield@example.com")
        assert len(receiver.wait_for(1)) == 1
        time.sleep(0.3)
        assert len(receiver.received) == 1
        [pending] = slow.control.webhooks()
        assert pending["status"] == "pending" and pending["next_attempt_at"]
        slow.control.advance_clock(300)
        assert len(receiver.wait_for(2)) == 2
        # The retry is scheduled once the sandbox has read the answer, not when it was sent.
        wait_until(
            lambda: slow.control.webhooks()[0]["next_attempt_at"] != pending["next_attempt_at"]
        )
        slow.control.advance_clock(1200)
        assert len(receiver.wait_for(3)) == 3
        wait_until(lambda: slow.control.webhooks()[0]["status"] == "delivered")


def test_it_passes_url_validation_answered_correctly(control, receiver):
    result = control.url_validation()
    assert result["ok"] is True, result
    [delivery] = receiver.received
    assert verify(delivery)
    event = json.loads(delivery["body"])
    assert event["event"] == "endpoint.url_validation"
    assert event["payload"]["plainToken"] == result["plainToken"]


def test_it_fails_url_validation_answered_wrongly(control, receiver):
    receiver.validation = "wrong"
    result = control.url_validation()
    assert result["ok"] is False
    assert "encryptedToken" in result["reason"]
    [logged] = control.webhooks()
    assert logged["event"] == "endpoint.url_validation" and logged["status"] == "failed"


@pytest.mark.parametrize("status", [404, 500])
def test_it_fails_url_validation_on_an_error_status(control, receiver, status):
    receiver.statuses.append(status)
    assert control.url_validation()["ok"] is False


def test_it_fails_url_validation_when_nobody_listens(control):
    result = control.url_validation(url="http://127.0.0.1:9/nothing")
    assert result["ok"] is False and result["status_code"] is None
