from datetime import timedelta

from django.core import mail
from django.utils import timezone

from accounts.testing import run_tasks
from integrations.models import Connection
from integrations.zoom import client, tokens
from integrations.zoom.testing import ZoomTestCase


def list_meetings(workspace_id):
    return tokens.call(
        workspace_id,
        "meeting.find",
        "test",
        lambda access_token: client.list_upcoming_meetings(access_token),
    )


class TokensTestCase(ZoomTestCase):
    def setUp(self):
        super().setUp()
        self.connect()
        self.workspace_id = self.alice.workspace.pk
        self.zoom.control.clear_requests()

    def expire_locally(self):
        Connection.objects.update(access_token_expires_at=timezone.now() - timedelta(seconds=1))

    def test_it_reuses_the_access_token_until_it_expires(self):
        for _ in range(5):
            list_meetings(self.workspace_id)
        self.assertEqual(self.token_requests(), [])
        self.assertEqual(len(self.api_requests()), 5)

    def test_it_refreshes_an_expired_token_once_and_saves_the_rotated_one(self):
        before = self.connection()
        self.expire_locally()
        list_meetings(self.workspace_id)
        list_meetings(self.workspace_id)
        self.assertEqual(len(self.token_requests()), 1)
        after = self.connection()
        self.assertEqual(after.token_version, before.token_version + 1)
        self.assertGreater(after.access_token_expires_at, timezone.now())

    def test_a_token_zoom_expired_early_is_refreshed_and_the_call_repeated(self):
        self.zoom.control.expire_tokens()
        meetings = list_meetings(self.workspace_id)
        self.assertEqual(meetings, [])
        statuses = [r["status"] for r in self.api_requests()]
        self.assertEqual(statuses, [401, 200])
        self.assertEqual(len(self.token_requests()), 1)

    def test_the_old_refresh_token_is_never_reused(self):
        for _ in range(3):
            self.expire_locally()
            list_meetings(self.workspace_id)
        refreshes = self.token_requests()
        self.assertEqual(len(refreshes), 3)
        self.assertEqual({r["status"] for r in refreshes}, {200})
        self.assertEqual(self.connection().status, Connection.Status.CONNECTED)

    def test_a_revoked_grant_makes_the_connection_need_reconnecting_and_tells_the_host(self):
        self.zoom.control.revoke_user("KDcuGIm1QgePTO8WbOqwIQ", notify=False)
        with self.assertRaises(tokens.NotConnected) as caught:
            list_meetings(self.workspace_id)
        self.assertEqual(caught.exception.reason, "needs_reconnect")
        connection = self.connection()
        self.assertEqual(connection.status, Connection.Status.NEEDS_RECONNECT)
        self.assertEqual((connection.access_token, connection.refresh_token), ("", ""))
        run_tasks()
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("reconnect Zoom", mail.outbox[0].subject)

        # The card says so and offers to reconnect; no more Zoom calls are attempted.
        self.client.force_login(self.alice)
        response = self.client.get("/integrations/")
        self.assertContains(response, "Needs reconnect")
        self.assertContains(response, ">Reconnect</button>")
        before = len(self.zoom.control.requests())
        with self.assertRaises(tokens.NotConnected):
            list_meetings(self.workspace_id)
        self.assertEqual(len(self.zoom.control.requests()), before)
        self.assertEqual(len(mail.outbox), 1)

        # Reconnecting brings it back.
        self.connect()
        self.assertEqual(self.connection().status, Connection.Status.CONNECTED)

    def test_zoom_failing_during_refresh_never_needs_reconnect(self):
        # Zoom refused or lost the request before rotating anything. (A timeout where Zoom
        # did rotate is the lost-answer case below.)
        for kind in ("5xx", "drop", "html"):
            with self.subTest(kind=kind):
                self.expire_locally()
                self.zoom.control.fault("oauth.token", kind, count=1)
                with self.assertRaises(client.TransientError):
                    list_meetings(self.workspace_id)
                self.assertEqual(self.connection().status, Connection.Status.CONNECTED)
        # And once Zoom is back, the stored refresh token still works.
        self.expire_locally()
        list_meetings(self.workspace_id)

    def test_a_lost_refresh_answer_ends_in_needs_reconnect_with_one_email(self):
        # Zoom rotates the refresh token but its answer never arrives: dropped, or too slow.
        for kind in ("commit_then_drop", "timeout"):
            with self.subTest(kind=kind):
                self.connect()
                mail.outbox.clear()
                self.zoom.control.clear_requests()
                self.expire_locally()
                self.zoom.control.fault("oauth.token", kind, count=1, seconds=0.5)
                with (
                    self.settings(ZOOM_HTTP_TIMEOUT=0.3),
                    self.assertRaises(client.TransientError),
                ):
                    list_meetings(self.workspace_id)
                for _ in range(3):
                    with self.assertRaises(tokens.NotConnected):
                        list_meetings(self.workspace_id)
                # One more refresh finds the token rotated away; then no retry loop.
                self.assertEqual(len(self.token_requests()), 2)
                run_tasks()
                self.assertEqual(len(mail.outbox), 1)
                connection = self.connection()
                self.assertEqual(connection.status, Connection.Status.NEEDS_RECONNECT)
                self.assertIn("Reconnect Zoom", connection.problem)

    def test_a_workspace_without_zoom_makes_no_call(self):
        with self.assertRaises(tokens.NotConnected) as caught:
            list_meetings(self.bob.workspace.pk)
        self.assertEqual(caught.exception.reason, "not_connected")
        self.assertEqual(self.zoom.control.requests(), [])
