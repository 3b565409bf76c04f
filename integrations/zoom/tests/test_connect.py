import time

from integrations.models import Activity, Connection
from integrations.zoom.testing import DANA, DANA_ID, PRIYA, ZoomTestCase
from lib import crypto


class ConnectTestCase(ZoomTestCase):
    def test_set_up_asks_zoom_for_exactly_the_documented_scopes_with_pkce(self):
        query = self.start_connect()
        self.assertEqual(query["scope"], "meeting:write meeting:read")
        self.assertEqual(query["code_challenge_method"], "S256")
        self.assertEqual(query["redirect_uri"], "http://localhost:8000/integrations/zoom/callback")
        self.assertGreaterEqual(len(query["state"]), 32)
        self.assertEqual(len(query["code_challenge"]), 43)

    def test_set_up_is_a_post_with_csrf(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/integrations/zoom/connect").status_code, 405)

    def test_it_connects_and_shows_connected(self):
        response = self.connect()
        self.assertContains(response, "Zoom is connected")
        self.assertContains(response, "Connected since")
        self.assertContains(response, f"Zoom user {DANA_ID}")
        connection = self.connection()
        self.assertEqual(connection.status, Connection.Status.CONNECTED)
        self.assertEqual(connection.external_user_id, DANA_ID)
        self.assertEqual(set(connection.scopes.split()), {"meeting:read", "meeting:write"})
        # Stored encrypted, readable with our key.
        self.assertNotIn(".", connection.access_token[:10])
        self.assertTrue(crypto.decrypt(connection.access_token))

    def test_authorizing_creates_no_meeting_and_calls_no_zoom_api(self):
        self.connect()
        self.assertEqual(self.zoom.control.meetings(), [])
        self.assertEqual(self.api_requests(), [])
        self.assertEqual(len(self.token_requests()), 1)
        entry = Activity.objects.get()
        self.assertEqual((entry.operation, entry.outcome), ("oauth.connect", "ok"))
        self.assertIn("Zoom connected by Alice Adams", entry.cause)

    def test_declining_at_zoom_stores_nothing(self):
        response = self.connect(decision="decline")
        self.assertContains(response, "You declined the Zoom authorization")
        self.assertIsNone(self.connection())
        self.assertEqual(self.token_requests(), [])

    def test_a_callback_without_a_pending_state_changes_nothing(self):
        self.client.force_login(self.alice)
        response = self.client.get("/integrations/zoom/callback?code=abc&state=xyz", follow=True)
        self.assertContains(response, "not one we were waiting for")
        self.assertIsNone(self.connection())

    def test_a_callback_with_another_state_changes_nothing(self):
        query = self.start_connect()
        callback = self.consent(query)
        forged = callback.replace(f"state={query['state']}", "state=forged-state-value")
        response = self.client.get(forged, follow=True)
        self.assertContains(response, "did not start from your vrtual.ly session")
        self.assertIsNone(self.connection())
        self.assertEqual(self.token_requests(), [])

    def test_a_callback_without_state_or_code_changes_nothing(self):
        for path in ("/integrations/zoom/callback", "/integrations/zoom/callback?code=abc"):
            with self.subTest(path=path):
                self.start_connect()
                response = self.client.get(path, follow=True)
                self.assertContains(response, "Nothing was changed")
                self.assertIsNone(self.connection())

    def test_a_reused_callback_is_refused(self):
        callback = self.consent(self.start_connect())
        self.client.get(callback)
        first = self.connection()
        response = self.client.get(callback, follow=True)
        self.assertContains(response, "not one we were waiting for")
        self.assertEqual(self.connection().token_version, first.token_version)
        self.assertEqual(len(self.token_requests()), 1)

    def test_an_expired_state_is_refused(self):
        query = self.start_connect()
        session = self.client.session
        session["zoom_oauth"]["created"] = int(time.time()) - 3600
        session.save()
        response = self.client.get(self.consent(query), follow=True)
        self.assertContains(response, "took too long and expired")
        self.assertIsNone(self.connection())

    def test_a_wrong_pkce_verifier_is_refused_by_zoom_and_nothing_is_stored(self):
        query = self.start_connect()
        session = self.client.session
        session["zoom_oauth"]["verifier"] = "not-the-verifier-" * 3
        session.save()
        response = self.client.get(self.consent(query), follow=True)
        self.assertContains(response, "Zoom did not accept this authorization")
        self.assertIsNone(self.connection())
        self.assertEqual(self.token_requests()[0]["status"], 400)

    def test_a_replayed_code_is_refused(self):
        callback = self.consent(self.start_connect())
        self.client.get(callback)
        self.client.post("/integrations/zoom/disconnect")
        # A new Set Up, but Zoom's old code with the new state.
        query = self.start_connect()
        code = callback.split("code=")[1].split("&")[0]
        response = self.client.get(
            f"/integrations/zoom/callback?code={code}&state={query['state']}", follow=True
        )
        self.assertContains(response, "Zoom did not accept this authorization")
        self.assertIsNone(self.connection())

    def test_an_error_from_zoom_is_explained(self):
        query = self.start_connect()
        response = self.client.get(
            f"/integrations/zoom/callback?error=server_error&state={query['state']}", follow=True
        )
        self.assertContains(response, "Zoom could not authorize vrtual.ly")
        self.assertIsNone(self.connection())

    def test_zoom_unreachable_during_the_exchange_is_explained(self):
        query = self.start_connect()
        callback = self.consent(query)
        self.zoom.control.fault("oauth.token", "5xx", count=1, status=503)
        response = self.client.get(callback, follow=True)
        self.assertContains(response, "Zoom could not be reached to finish connecting")
        self.assertIsNone(self.connection())

    def test_connecting_again_replaces_the_connection(self):
        self.connect()
        first = self.connection()
        self.connect()
        second = self.connection()
        self.assertEqual(Connection.objects.count(), 1)
        self.assertEqual(second.pk, first.pk)
        self.assertGreater(second.token_version, first.token_version)
        self.assertNotEqual(
            crypto.decrypt(second.refresh_token), crypto.decrypt(first.refresh_token)
        )

    def test_connecting_another_zoom_account_revokes_the_previous_grant(self):
        self.connect(zoom_user=DANA)
        self.connect(zoom_user=PRIYA)
        self.assertNotEqual(self.connection().external_user_id, DANA_ID)
        from accounts.testing import run_tasks

        run_tasks()
        grants = {g["email"]: g for g in self.zoom.control.grants()}
        self.assertTrue(grants[DANA]["revoked"])
        self.assertFalse(grants[PRIYA]["revoked"])

    def test_each_host_has_their_own_connection(self):
        self.connect(self.alice)
        self.client.logout()
        self.connect(self.bob, zoom_user=PRIYA)
        self.assertEqual(Connection.objects.count(), 2)
        self.client.force_login(self.charlie)
        self.assertContains(self.client.get("/integrations/"), "Not connected")
