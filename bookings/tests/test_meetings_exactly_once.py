"""One booking, one Zoom meeting: whatever Zoom, the network or our own processes do."""

import contextlib
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from unittest import mock

from django.core import mail
from django.db import connection as db_connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.testing import run_tasks
from bookings import meetings, services
from bookings.models import Actor, Meeting
from bookings.tests.base import ALL_WEEK_9_TO_17, make_service
from bookings.tests.meeting_base import MeetingTestCase
from integrations.models import RateWindow
from integrations.zoom.testing import ZoomTransactionTestCase


class FaultsTestCase(MeetingTestCase):
    def confirm_with(self, kind, **fault):
        booking = self.request()
        self.zoom.control.fault("meetings.create", kind, count=1, **fault)
        response = self.confirm(booking)
        return booking, response

    def assert_one_meeting(self, booking):
        run_tasks(include_deferred=True)
        meeting = self.meeting(booking)
        self.assertEqual(meeting.state, Meeting.State.CREATED)
        live = self.zoom_meetings()
        self.assertEqual([m["id"] for m in live], [meeting.zoom_meeting_id])
        return meeting

    def test_a_5xx_leaves_it_pending_and_the_worker_creates_it(self):
        booking, response = self.confirm_with("5xx", status=503)
        self.assertContains(response, "Zoom isn’t answering right now")
        self.assertContains(response, 'hx-trigger="every 3s"')  # The page updates itself.
        meeting = self.meeting(booking)
        self.assertEqual((meeting.state, meeting.problem), ("pending", "zoom_failing"))
        self.assertGreater(meeting.next_attempt_at, timezone.now())
        self.assert_one_meeting(booking)
        # Once there, the panel stops asking.
        panel = self.client.get(f"/workspace/bookings/{booking.reference}/meeting/")
        self.assertNotContains(panel, 'hx-trigger="every')
        self.assertContains(panel, "Join Zoom meeting")

    def test_an_html_answer_or_a_dropped_connection_is_retried(self):
        for kind in ("html", "drop"):
            with self.subTest(kind=kind):
                booking, _ = self.confirm_with(kind)
                self.assertEqual(self.meeting(booking).state, Meeting.State.PENDING)
                run_tasks(include_deferred=True)
                self.assertEqual(self.meeting(booking).state, Meeting.State.CREATED)
        self.assertEqual(len(self.zoom_meetings()), 2)

    def test_a_timeout_after_zoom_created_it_adopts_that_meeting(self):
        # Zoom is slower than our patience but does create the meeting.
        with self.settings(ZOOM_INLINE_TIMEOUT=0.3):
            booking, _ = self.confirm_with("timeout", seconds=1)
        self.assertEqual(self.meeting(booking).state, Meeting.State.PENDING)
        time.sleep(1.2)  # Let the sandbox finish the create it was holding.
        meeting = self.assert_one_meeting(booking)
        endpoints = [r["endpoint"] for r in self.api_requests()]
        self.assertEqual(endpoints, ["meetings.create", "meetings.list"])
        self.assertTrue(meeting.join_url)

    def test_when_zoom_cannot_be_reached_the_retry_creates_without_searching_first(self):
        # Nothing listens on the address: the request never left, so Zoom made nothing.
        with socket.socket() as closed:
            closed.bind(("127.0.0.1", 0))
            nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}/v2"
        booking = self.request()
        with self.settings(ZOOM_API_BASE_URL=nowhere):
            response = self.confirm(booking)
        self.assertContains(response, "Zoom isn’t answering right now")
        self.assertIsNone(self.meeting(booking).create_attempted_at)
        self.assert_one_meeting(booking)
        self.assertEqual([r["endpoint"] for r in self.api_requests()], ["meetings.create"])

    def test_a_retry_moves_the_queued_wake_up_instead_of_adding_one(self):
        booking, _ = self.confirm_with("5xx", status=503)
        meeting = self.meeting(booking)
        wake_ups = DBTaskResult.objects.filter(task_path="bookings.tasks.sync_meeting")
        self.assertEqual(wake_ups.filter(status="READY").count(), 1)
        self.assertEqual(
            wake_ups.get(status="READY").run_after.replace(microsecond=0),
            meeting.next_attempt_at.replace(microsecond=0),
        )
        self.assert_one_meeting(booking)

    def test_an_inline_success_leaves_no_wake_up_queued(self):
        booking = self.request()
        self.confirm(booking)
        self.assertEqual(self.meeting(booking).state, Meeting.State.CREATED)
        wake_ups = DBTaskResult.objects.filter(task_path="bookings.tasks.sync_meeting")
        self.assertFalse(wake_ups.exists())

    def test_commit_then_drop_never_makes_a_second_meeting(self):
        booking, _ = self.confirm_with("commit_then_drop")
        self.assertEqual(len(self.zoom_meetings()), 1)  # Zoom made it; we never heard.
        self.assert_one_meeting(booking)
        self.assertEqual(len(self.creates()), 1)

    def test_each_form_of_retry_after_is_honoured(self):
        # Zoom's daily limit resets at 00:00 UTC; its 429 says so in one of several forms.
        tomorrow = (timezone.now() + timedelta(days=1)).astimezone(UTC).date()
        midnight = datetime.combine(tomorrow, datetime.min.time(), UTC)
        for form in ("iso", "seconds", "http-date", "none"):
            with self.subTest(form=form):
                # Each form on a fresh day: forget the limit the previous round ran into.
                RateWindow.objects.all().delete()
                booking = self.request(start=self.slot(days=3))
                self.zoom.control.limits(retry_after=form)
                self.zoom.control.fault(
                    "meetings.create", "429", count=1, limit_type="Daily-limit"
                )
                self.confirm(booking)
                meeting = self.meeting(booking)
                self.assertEqual((meeting.state, meeting.problem), ("pending", "daily_limit"))
                self.assertLess(abs((meeting.next_attempt_at - midnight).total_seconds()), 2)
                run_tasks(include_deferred=True)
                self.assertEqual(self.meeting(booking).state, Meeting.State.CREATED)

    def test_a_429_without_retry_after_backs_off(self):
        booking = self.request()
        self.zoom.control.limits(qps_retry_after="none")
        self.zoom.control.fault("meetings.create", "429", count=2)
        self.confirm(booking)
        first = self.meeting(booking).next_attempt_at - timezone.now()
        self.assertGreater(first, timedelta(seconds=5))
        self.assert_one_meeting(booking)
        self.assertEqual([r["status"] for r in self.creates()], [429, 429, 201])

    def test_zoom_s_daily_limit_says_so_on_the_booking_page(self):
        booking = self.request(start=self.slot(days=3))
        self.zoom.control.fault("meetings.create", "429", count=1, limit_type="Daily-limit")
        response = self.confirm(booking)
        self.assertContains(response, "Zoom’s daily limit is reached")
        self.assertContains(response, "00:00 UTC")
        self.assert_one_meeting(booking)

    def test_a_daily_limit_that_outlasts_the_booking_ends_in_an_explained_failure(self):
        # The booking starts before Zoom's limit lifts (here: an hour after its start).
        booking = self.request()
        self.zoom.control.limits(retry_after="none")
        self.zoom.control.fault("meetings.create", "429", count=1, limit_type="Daily-limit")
        with mock.patch(
            "integrations.zoom.client._next_utc_midnight",
            lambda now: booking.start + timedelta(hours=1),
        ):
            self.confirm(booking)
        meeting = self.meeting(booking)
        self.assertEqual((meeting.state, meeting.problem), ("failed", "daily_limit"))
        response = self.client.get(f"/workspace/bookings/{booking.reference}/")
        self.assertContains(response, "Zoom didn’t answer in time")
        self.assertContains(response, "Create Zoom meeting")

    def test_retries_stop_at_the_booking_s_start_and_the_host_hears_once(self):
        booking = self.request()
        self.zoom.control.fault("meetings.create", "5xx", count=1000)
        self.confirm(booking)
        run_tasks(include_deferred=True)
        meeting = self.meeting(booking)
        self.assertEqual((meeting.state, meeting.action), ("failed", ""))
        # Backoff doubles up to 15 minutes, so a day of outage costs about a hundred tries.
        hours = (booking.start - timezone.now()).total_seconds() / 3600
        self.assertLess(len(self.creates()), hours * 4 + 10)
        last = self.zoom.control.requests()[-1]
        self.assertEqual(last["endpoint"], "meetings.create")
        failed = [m for m in mail.outbox if m.subject.startswith("No Zoom meeting yet")]
        self.assertEqual(len(failed), 1)
        self.assertEqual(self.zoom_meetings(), [])

    def test_a_worker_that_dies_after_zoom_answered_leaves_no_duplicate(self):
        booking = self.request()
        self.zoom.control.fault("meetings.create", "5xx", count=1)
        self.confirm(booking)  # Pending: the worker will retry.
        real_settle = meetings._settle

        def crash(*args, **kwargs):
            raise SystemExit("kill -9")  # The worker dies between Zoom's answer and our commit.

        with mock.patch.object(meetings, "_settle", crash), self.assertRaises(SystemExit):
            meeting = self.meeting(booking)
            Meeting.objects.filter(pk=meeting.pk).update(next_attempt_at=timezone.now())
            meetings.attempt(meeting.booking_id)
        self.assertEqual(len(self.zoom_meetings()), 1)
        self.assertIsNotNone(self.meeting(booking).lease_until)

        # The lease runs out; the sweeper queues it again; the retry finds Zoom's meeting.
        Meeting.objects.filter(pk=meeting.pk).update(
            lease_until=timezone.now() - timedelta(seconds=1)
        )
        self.assertEqual(meetings.requeue_orphans(), 1)
        self.assertIs(meetings._settle, real_settle)
        self.assert_one_meeting(booking)
        self.assertEqual(len(self.creates()), 2)

    def test_a_task_taken_by_a_worker_that_died_is_queued_again(self):
        booking = self.request()
        self.zoom.control.fault("meetings.create", "5xx", count=1)
        self.confirm(booking)
        meeting = self.meeting(booking)
        # A worker claimed the wake-up task and died before it got to the meeting.
        DBTaskResult.objects.filter(pk=meeting.wakeup_task_id).update(status="RUNNING")
        Meeting.objects.filter(pk=meeting.pk).update(
            next_attempt_at=timezone.now() - timedelta(minutes=5)
        )
        self.assertEqual(meetings.requeue_orphans(), 1)
        self.assertEqual(meetings.requeue_orphans(), 0)
        self.assert_one_meeting(booking)

    def test_a_long_queue_is_not_mistaken_for_a_dead_worker(self):
        booking = self.request()
        self.zoom.control.fault("meetings.create", "5xx", count=1)
        self.confirm(booking)
        meeting = self.meeting(booking)
        Meeting.objects.filter(pk=meeting.pk).update(
            next_attempt_at=timezone.now() - timedelta(minutes=5)
        )
        # Its task is still waiting in the queue.
        self.assertEqual(meetings.requeue_orphans(), 0)

    def test_a_double_clicked_confirm_makes_one_meeting(self):
        booking = self.request()
        self.confirm(booking)
        response = self.confirm(booking)
        self.assertContains(response, "only a booking awaiting confirmation can be confirmed")
        run_tasks(include_deferred=True)
        self.assertEqual(len(self.zoom_meetings()), 1)
        self.assertEqual(len(self.creates()), 1)


class ConcurrentConfirmTestCase(ZoomTransactionTestCase):
    """Two confirms of one booking at the same moment (two tabs, two processes)."""

    def test_it_makes_one_meeting(self):
        services.availability_set_weekly(self.alice.workspace, ALL_WEEK_9_TO_17)
        service = make_service(
            self.alice.workspace, requires_confirmation=True, location_kind="zoom"
        )
        self.connect()
        start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
        start = start.replace(hour=10)
        booking = services.booking_request(
            service=service,
            start=start,
            invitee_name="Ivy",
            invitee_email="ivy@example.com",
        )
        barrier = threading.Barrier(4)
        errors = []

        def confirm():
            try:
                barrier.wait()
                with contextlib.suppress(services.NotAllowed):
                    services.booking_confirm(booking, actor=Actor.HOST)
                meetings.attempt_for(booking)
            except Exception as error:
                errors.append(error)
            finally:
                db_connection.close()

        threads = [threading.Thread(target=confirm) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(errors, [])
        run_tasks(include_deferred=True)
        live = [m for m in self.zoom.control.meetings() if not m["deleted"]]
        self.assertEqual(len(live), 1)
        self.assertEqual(Meeting.objects.get().zoom_meeting_id, live[0]["id"])
