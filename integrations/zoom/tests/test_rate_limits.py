import socket
import time
from datetime import UTC, datetime, timedelta

from django.test import override_settings
from django.utils import timezone

from integrations.zoom import client, tokens
from integrations.zoom.testing import ZoomTestCase

LIMITS = {"light": 30, "medium": 4, "daily": 3}


def list_meetings(workspace_id, rate_wait=None):
    return tokens.call(
        workspace_id, "meeting.find", "test", client.list_upcoming_meetings, rate_wait=rate_wait
    )


def create(workspace_id, rate_wait=None):
    fields = client.MeetingFields(
        topic="t",
        start_time=timezone.now() + timedelta(days=1),
        duration=30,
        timezone="UTC",
        agenda="a",
    )
    return tokens.call(
        workspace_id,
        "meeting.create",
        "test",
        lambda token: client.create_meeting(token, fields),
        rate_wait=rate_wait,
    )


@override_settings(ZOOM_RATE_LIMITS=LIMITS)
class RateLimitsTestCase(ZoomTestCase):
    def setUp(self):
        super().setUp()
        self.zoom.control.limits(medium_per_second=4, daily_create_update=100)
        self.connect()
        self.workspace_id = self.alice.workspace.pk
        self.zoom.control.clear_requests()

    def test_a_burst_is_spread_over_seconds_instead_of_meeting_429s(self):
        started = time.monotonic()
        for _ in range(10):
            list_meetings(self.workspace_id)
        self.assertGreaterEqual(time.monotonic() - started, 1.0)
        self.assertEqual({r["status"] for r in self.api_requests()}, {200})

    def test_a_person_waiting_is_not_kept_waiting_long(self):
        for _ in range(4):
            list_meetings(self.workspace_id)
        started = time.monotonic()
        try:
            for _ in range(8):
                list_meetings(self.workspace_id, rate_wait=0)
        except client.RateLimited as error:
            self.assertFalse(error.daily)
            self.assertLess(time.monotonic() - started, 0.5)
        else:
            self.fail("the limit let everything through at once")

    def test_the_daily_limit_is_kept_without_asking_zoom(self):
        for _ in range(3):
            create(self.workspace_id)
        with self.assertRaises(client.RateLimited) as caught:
            create(self.workspace_id)
        self.assertTrue(caught.exception.daily)
        tomorrow = (timezone.now() + timedelta(days=1)).astimezone(UTC).date()
        self.assertEqual(
            caught.exception.retry_after, datetime.combine(tomorrow, datetime.min.time(), UTC)
        )
        self.assertEqual(len(self.api_requests()), 3)

    def test_calls_that_never_reached_zoom_do_not_count_against_the_daily_limit(self):
        # During an outage every retry fails to connect: Zoom counted none of them.
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}/v2"
        with self.settings(ZOOM_API_BASE_URL=nowhere):
            for _ in range(5):
                with self.assertRaises(client.Unreachable):
                    create(self.workspace_id)
        for _ in range(3):
            create(self.workspace_id)
        self.assertEqual(len(self.api_requests()), 3)

    def test_zoom_s_error_answers_do_not_count_against_the_daily_limit(self):
        # A Zoom outage answering 503: nothing was made, so the day's budget is still whole.
        self.zoom.control.fault("meetings.create", "5xx", count=5, status=503)
        for _ in range(5):
            with self.assertRaises(client.TransientError):
                create(self.workspace_id)
        for _ in range(3):
            create(self.workspace_id)
        self.assertEqual([r["status"] for r in self.api_requests()], [503] * 5 + [201] * 3)

    def test_zoom_s_own_429_holds_back_every_process(self):
        self.zoom.control.fault("meetings.list", "429", count=1)
        with self.assertRaises(client.RateLimited):
            list_meetings(self.workspace_id, rate_wait=0)
        # The window is now full: the next call waits for the next second, then goes.
        with self.assertRaises(client.RateLimited):
            list_meetings(self.workspace_id, rate_wait=0)
        list_meetings(self.workspace_id, rate_wait=2)
        self.assertEqual([r["status"] for r in self.api_requests()], [429, 200])

    def test_a_daily_429_from_zoom_stops_creates_for_the_day(self):
        self.zoom.control.fault("meetings.create", "429", count=1, limit_type="Daily-limit")
        with self.assertRaises(client.RateLimited):
            create(self.workspace_id)
        with self.assertRaises(client.RateLimited) as caught:
            create(self.workspace_id)
        self.assertTrue(caught.exception.daily)
        self.assertEqual(len(self.api_requests()), 1)
