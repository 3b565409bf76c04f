from django.utils import timezone

from accounts.testing import run_tasks
from integrations.models import Revocation
from integrations.zoom import client, tokens
from integrations.zoom.testing import DANA, ZoomTestCase


def list_meetings(workspace_id):
    return tokens.call(
        workspace_id, "meeting.find", "test", lambda token: client.list_upcoming_meetings(token)
    )


class DisconnectTestCase(ZoomTestCase):
    def setUp(self):
        super().setUp()
        self.connect()
        self.workspace_id = self.alice.workspace.pk
        list_meetings(self.workspace_id)

    def disconnect(self):
        return self.client.post("/integrations/zoom/disconnect", follow=True)

    def grant_revoked(self):
        return {g["email"]: g["revoked"] for g in self.zoom.control.grants()}[DANA]

    def test_deleting_revokes_at_zoom_and_forgets_everything(self):
        mark = self.zoom.control.requests()[-1]["seq"]
        response = self.disconnect()
        self.assertContains(response, "Zoom is disconnected")
        self.assertContains(response, "Not connected")
        self.assertIsNone(self.connection())
        self.assertFalse(Revocation.objects.exists())
        self.assertTrue(self.grant_revoked())
        self.assertEqual(
            [r["endpoint"] for r in self.zoom.control.requests(mark)], ["oauth.revoke"]
        )

    def test_no_zoom_api_call_happens_after_disconnect(self):
        self.disconnect()
        mark = self.zoom.control.requests()[-1]["seq"]
        with self.assertRaises(tokens.NotConnected):
            list_meetings(self.workspace_id)
        run_tasks(include_deferred=True)
        self.assertEqual(self.zoom.control.requests(mark), [])

    def test_with_zoom_down_it_disconnects_now_and_revokes_later(self):
        self.zoom.control.fault("oauth.revoke", "5xx", count=2, status=503)
        response = self.disconnect()
        self.assertContains(response, "we keep trying in the background")
        self.assertContains(response, "Disconnecting")
        self.assertIsNone(self.connection())
        with self.assertRaises(tokens.NotConnected):
            list_meetings(self.workspace_id)
        revocation = Revocation.objects.get()
        self.assertEqual(revocation.attempts, 1)
        self.assertGreater(revocation.next_attempt_at, timezone.now())
        self.assertFalse(self.grant_revoked())

        # The worker keeps trying: once more in vain, then Zoom is back.
        run_tasks(include_deferred=True)
        self.assertFalse(Revocation.objects.exists())
        self.assertTrue(self.grant_revoked())
        revokes = self.zoom_requests("oauth.revoke")
        self.assertEqual([r["status"] for r in revokes], [503, 503, 200])
        self.assertEqual(self.api_requests()[-1]["endpoint"], "meetings.list")
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/integrations/"), "Not connected")

    def test_a_revocation_survives_an_expired_access_token(self):
        self.zoom.control.fault("oauth.revoke", "5xx", count=1, status=503)
        self.disconnect()
        self.zoom.control.expire_tokens()
        run_tasks(include_deferred=True)
        self.assertTrue(self.grant_revoked())
        self.assertFalse(Revocation.objects.exists())

    def test_reconnecting_while_a_revocation_is_pending_keeps_the_new_connection(self):
        self.zoom.control.fault("oauth.revoke", "5xx", count=1, status=503)
        self.disconnect()
        self.connect()
        self.assertFalse(Revocation.objects.exists())
        run_tasks(include_deferred=True)
        list_meetings(self.workspace_id)
        self.assertFalse(self.grant_revoked())

    def test_deleting_twice_is_harmless(self):
        self.disconnect()
        response = self.disconnect()
        self.assertContains(response, "Not connected")

    def test_delete_is_a_post_and_needs_login(self):
        self.assertEqual(self.client.get("/integrations/zoom/disconnect").status_code, 405)
        self.client.logout()
        response = self.client.post("/integrations/zoom/disconnect")
        self.assertEqual(response.status_code, 302)
        self.assertIsNotNone(self.connection())
