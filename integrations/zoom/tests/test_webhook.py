import hashlib
import hmac
import json
import time

from django.test import override_settings

from accounts.testing import run_tasks
from integrations.models import Activity, Connection, WebhookEvent
from integrations.zoom.testing import DANA_ID, ZoomTestCase
from integrations.zoom.webhooks import signature

SECRET = "vrtually-dev-webhook-secret"


def deauthorized(user_id=DANA_ID, event_ts=None, **payload):
    return {
        "event": "app_deauthorized",
        "event_ts": event_ts or int(time.time() * 1000),
        "payload": {
            "account_id": "aCcT7Rk2Q4yUeZ0bN1pLwA",
            "user_id": user_id,
            "signature": "ignored",
            "deauthorization_time": "2099-01-01T00:00:00.000Z",
            "client_id": "vrtually-dev-client",
            "user_data_retention": "false",
            **payload,
        },
    }


@override_settings(ZOOM_WEBHOOK_SECRET=SECRET)
class WebhookTestCase(ZoomTestCase):
    def setUp(self):
        super().setUp()
        self.connect()

    def post(self, body, *, timestamp=None, secret=SECRET, content_type="application/json"):
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        timestamp = int(time.time()) if timestamp is None else timestamp
        return self.client.generic(
            "POST",
            "/integrations/zoom/webhook",
            raw,
            content_type=content_type,
            headers={
                "x-zm-request-timestamp": str(timestamp),
                "x-zm-signature": signature(secret, timestamp, raw),
            },
        )

    def test_it_answers_url_validation(self):
        response = self.post(
            {"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}}
        )
        self.assertEqual(response.status_code, 200)
        expected = hmac.new(SECRET.encode(), b"abc", hashlib.sha256).hexdigest()
        self.assertEqual(response.json(), {"plainToken": "abc", "encryptedToken": expected})

    def test_app_deauthorized_removes_the_connection_without_calling_zoom(self):
        mark = self.zoom.control.requests()[-1]["seq"]
        response = self.post(deauthorized())
        self.assertEqual(response.status_code, 200)
        self.assertIsNone(self.connection())
        run_tasks(include_deferred=True)
        self.assertEqual(self.zoom.control.requests(mark), [])
        self.assertTrue(
            Activity.objects.filter(operation="webhook.deauthorized", outcome="ok").exists()
        )
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/integrations/"), "Not connected")

    def test_a_duplicate_delivery_is_processed_once(self):
        event = deauthorized()
        self.assertEqual(self.post(event).json()["status"], "ok")
        self.connect()  # The host reconnects between Zoom's retries.
        for _ in range(2):
            self.assertEqual(self.post(event).json()["status"], "duplicate")
        self.assertIsNotNone(self.connection())
        self.assertEqual(WebhookEvent.objects.count(), 1)

    def test_it_never_removes_a_connection_made_after_the_removal(self):
        response = self.post(deauthorized(deauthorization_time="2001-01-01T00:00:00Z"))
        self.assertEqual(response.json()["removed"], 0)
        self.assertIsNotNone(self.connection())

    def test_a_forged_signature_is_refused_without_effect(self):
        response = self.post(deauthorized(), secret="not-our-secret")
        self.assertEqual(response.status_code, 401)
        self.assertIsNotNone(self.connection())

    def test_a_stale_or_future_timestamp_is_refused_without_effect(self):
        for skew in (-301, 301):
            with self.subTest(skew=skew):
                response = self.post(deauthorized(), timestamp=int(time.time()) + skew)
                self.assertEqual(response.status_code, 401)
        self.assertIsNotNone(self.connection())

    def test_missing_or_garbled_signature_headers_are_refused(self):
        raw = json.dumps(deauthorized()).encode()
        for headers in (
            {},
            {"x-zm-request-timestamp": "soon", "x-zm-signature": "v0=00"},
            {"x-zm-request-timestamp": str(int(time.time())), "x-zm-signature": "v0=00"},
        ):
            response = self.client.generic(
                "POST",
                "/integrations/zoom/webhook",
                raw,
                content_type="application/json",
                headers=headers,
            )
            self.assertEqual(response.status_code, 401)
        self.assertIsNotNone(self.connection())

    def test_malformed_bodies_get_400_not_500(self):
        for body in (b"{not json", b"[]", b'"text"', b"{}", b'{"event": "x"}', b"\xff\xfe"):
            with self.subTest(body=body):
                self.assertEqual(self.post(body).status_code, 400)
        bad = deauthorized()
        bad["payload"]["user_id"] = 42
        self.assertEqual(self.post(bad).status_code, 400)
        self.assertIsNotNone(self.connection())

    def test_wrong_content_type_and_huge_bodies_are_refused(self):
        self.assertEqual(self.post(deauthorized(), content_type="text/plain").status_code, 415)
        huge = json.dumps(deauthorized(padding="x" * 70_000)).encode()
        self.assertEqual(self.post(huge).status_code, 413)
        self.assertIsNotNone(self.connection())

    def test_only_post_is_accepted(self):
        self.assertEqual(self.client.get("/integrations/zoom/webhook").status_code, 405)

    def test_events_for_another_app_are_ignored(self):
        response = self.post(deauthorized(client_id="someone-elses-app"))
        self.assertEqual(response.json()["status"], "ignored")
        self.assertEqual(Connection.objects.count(), 1)
