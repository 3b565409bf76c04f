"""Reminder emails before a confirmed booking, none once it is moved away or called off."""

from datetime import timedelta

from django.core import mail
from django_tasks_db.models import DBTaskResult

from accounts.testing import run_tasks
from bookings import services
from bookings.models import Actor
from bookings.tests.base import BookingTestCase

REMINDER_TASK = "bookings.tasks.send_booking_reminder"


def reminders_sent():
    return [m for m in mail.outbox if m.subject.startswith("Reminder:")]


class RemindersTestCase(BookingTestCase):
    def test_a_confirmed_booking_schedules_reminders_at_the_services_offsets(self):
        booking = self.book(start=self.slot(days=3))
        queued = DBTaskResult.objects.filter(task_path=REMINDER_TASK)
        self.assertEqual(
            sorted(task.run_after for task in queued),
            sorted(
                [booking.start - timedelta(hours=24)] * 2
                + [booking.start - timedelta(hours=1)] * 2
            ),
        )

    def test_reminders_wait_for_their_time_then_go_to_both_sides(self):
        self.book(start=self.slot(days=3))
        run_tasks()
        self.assertEqual(reminders_sent(), [])
        run_tasks(include_deferred=True)
        sent = reminders_sent()
        self.assertEqual(len(sent), 4)
        self.assertEqual(
            sorted((m.to[0], m.subject.split(" in ")[-1]) for m in sent),
            [
                ("alice@example.org", "1 hour"),
                ("alice@example.org", "24 hours"),
                ("ivy@example.com", "1 hour"),
                ("ivy@example.com", "24 hours"),
            ],
        )
        invitee = next(m for m in sent if m.to == ["ivy@example.com"])
        self.assertIn("Intro call with Alice Adams starts in", invitee.body)
        self.assertIn("Where:     Phone call — +31 20 123 4567", invitee.body)

    def test_each_service_chooses_its_reminders(self):
        self.service.reminder_minutes = [2 * 24 * 60]
        self.service.save()
        self.book(start=self.slot(days=3))
        run_tasks(include_deferred=True)
        self.assertEqual(
            sorted(m.subject.split(" in ")[-1] for m in reminders_sent()), ["2 days", "2 days"]
        )

    def test_a_request_gets_reminders_only_once_confirmed(self):
        booking = self.request(start=self.slot(days=3))
        self.assertFalse(DBTaskResult.objects.filter(task_path=REMINDER_TASK).exists())
        self.act(services.booking_confirm, booking, actor=Actor.HOST)
        self.assertEqual(DBTaskResult.objects.filter(task_path=REMINDER_TASK).count(), 4)

    def test_a_cancelled_booking_sends_no_reminders(self):
        booking = self.book(start=self.slot(days=3))
        self.act(services.booking_cancel, booking, actor=Actor.INVITEE)
        run_tasks(include_deferred=True)
        self.assertEqual(reminders_sent(), [])

    def test_a_moved_booking_is_reminded_once_at_its_new_time(self):
        booking = self.book(start=self.slot(days=3))
        new_start = self.slot(days=4)
        self.act(services.booking_reschedule, booking, new_start=new_start, actor=Actor.HOST)
        run_tasks(include_deferred=True)
        sent = reminders_sent()
        self.assertEqual(len(sent), 4)
        # Two sets were queued; the stale set did nothing.
        self.assertEqual(DBTaskResult.objects.filter(task_path=REMINDER_TASK).count(), 8)

    def test_moving_back_to_the_first_time_does_not_double_the_reminders(self):
        first = self.slot(days=3)
        booking = self.book(start=first)
        booking = self.act(
            services.booking_reschedule, booking, new_start=self.slot(days=4), actor=Actor.HOST
        )
        self.act(services.booking_reschedule, booking, new_start=first, actor=Actor.HOST)
        run_tasks(include_deferred=True)
        self.assertEqual(len(reminders_sent()), 4)

    def test_reminders_whose_time_has_passed_are_not_scheduled(self):
        services.availability_set_weekly(self.workspace, {day: [(0, 24 * 60)] for day in range(7)})
        # Half-hour start times: the first is within 30 minutes, the fifth 2 to 2.5 hours away.
        within_the_hour, in_two_hours = self.slot(days=0), self.slot(days=0, index=4)
        self.book(start=within_the_hour)
        self.assertFalse(DBTaskResult.objects.filter(task_path=REMINDER_TASK).exists())
        booking = self.book(start=in_two_hours, invitee_email="later@example.com")
        queued = DBTaskResult.objects.filter(task_path=REMINDER_TASK)
        self.assertEqual(
            [task.run_after for task in queued], [booking.start - timedelta(hours=1)] * 2
        )
