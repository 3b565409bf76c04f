import threading
from datetime import timedelta

from django.db import connection as db_connection
from django.utils import timezone

from integrations.models import Connection
from integrations.zoom import client, tokens
from integrations.zoom.testing import ZoomTransactionTestCase

CALLERS = 20


class ConcurrentRefreshTestCase(ZoomTransactionTestCase):
    """20 web requests and workers need a token at the moment it expires."""

    def test_it_refreshes_exactly_once_and_every_caller_succeeds(self):
        self.connect()
        workspace_id = self.alice.workspace.pk
        Connection.objects.update(access_token_expires_at=timezone.now() - timedelta(seconds=1))
        self.zoom.control.clear_requests()

        barrier = threading.Barrier(CALLERS)
        results, errors = [], []

        def caller():
            try:
                barrier.wait()
                token = tokens.call(
                    workspace_id,
                    "meeting.find",
                    "test",
                    lambda access_token: client.list_upcoming_meetings(access_token),
                )
                results.append(token)
            except Exception as error:
                errors.append(error)
            finally:
                db_connection.close()

        threads = [threading.Thread(target=caller) for _ in range(CALLERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

        self.assertEqual(errors, [])
        self.assertEqual(len(results), CALLERS)
        self.assertEqual(len(self.token_requests()), 1)
        api = self.api_requests()
        self.assertEqual(len(api), CALLERS)
        self.assertEqual({r["status"] for r in api}, {200})
        self.assertEqual(self.connection().status, Connection.Status.CONNECTED)
