"""The meeting follows the booking: moved with it, removed with it, through the same retries."""

from django.core import mail
from icalendar import Calendar

from accounts.testing import run_tasks
from bookings import meetings, services
from bookings.models import Actor, Meeting
from bookings.tests.meeting_base import MeetingTestCase
from bookings.times import instant_param


class InStepTestCase(MeetingTestCase):
    def setUp(self):
        super().setUp()
        self.booking = self.request()
        self.confirm(self.booking)
        self.created = self.meeting(self.booking)
        run_tasks()
        mail.outbox.clear()
        self.zoom.control.clear_requests()

    def reschedule(self, new_start):
        url = f"/workspace/bookings/{self.booking.reference}/reschedule/"
        return self.client.post(url, {"start": instant_param(new_start)}, follow=True)

    def test_a_reschedule_updates_the_meeting_and_keeps_its_link(self):
        new_start = self.slot(days=2, index=3)
        response = self.reschedule(new_start)
        (live,) = self.zoom_meetings()
        self.assertEqual(live["start_time"], new_start.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.assertEqual(live["updates"], 1)
        self.assertEqual([r["endpoint"] for r in self.api_requests()], ["meetings.update"])
        meeting = self.meeting(self.booking)
        self.assertEqual(meeting.join_url, self.created.join_url)
        self.assertContains(response, self.created.join_url)

        run_tasks()
        moved = [m for m in mail.outbox if m.subject.startswith("Rescheduled")]
        self.assertEqual(len(moved), 2)
        for message in moved:
            self.assertIn(self.created.join_url, message.body)
            (part,) = [p for p in message.attachments if p.get_content_type() == "text/calendar"]
            event = Calendar.from_ical(part.get_payload(decode=True)).events[0]
            self.assertEqual(str(event["LOCATION"]), self.created.join_url)
            self.assertEqual(int(event["SEQUENCE"]), 1)

    def test_an_invitee_s_reschedule_reaches_zoom_too(self):
        self.client.logout()
        new_start = self.slot(days=2, index=2)
        url = f"/b/{self.booking.manage_token}/reschedule/"
        self.client.post(url, {"start": instant_param(new_start)})
        (live,) = self.zoom_meetings()
        self.assertEqual(live["start_time"], new_start.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def test_a_reschedule_while_zoom_fails_is_retried(self):
        self.zoom.control.fault("meetings.update", "5xx", count=1)
        new_start = self.slot(days=2, index=1)
        self.reschedule(new_start)
        self.assertEqual(self.meeting(self.booking).action, Meeting.Action.UPDATE)
        run_tasks(include_deferred=True)
        (live,) = self.zoom_meetings()
        self.assertEqual(live["start_time"], new_start.strftime("%Y-%m-%dT%H:%M:%SZ"))

    def test_a_meeting_deleted_in_zoom_is_made_again_on_reschedule(self):
        from integrations.zoom import meetings as zoom

        zoom.delete(self.alice.workspace.pk, self.created.zoom_meeting_id, cause="test")
        new_start = self.slot(days=2, index=1)
        self.reschedule(new_start)
        meeting = self.meeting(self.booking)
        self.assertEqual(meeting.state, Meeting.State.CREATED)
        self.assertNotEqual(meeting.zoom_meeting_id, self.created.zoom_meeting_id)
        (live,) = self.zoom_meetings()
        self.assertEqual(live["id"], meeting.zoom_meeting_id)

    def test_a_cancel_deletes_the_meeting(self):
        self.client.post(f"/workspace/bookings/{self.booking.reference}/cancel/", {"reason": ""})
        self.assertEqual(self.zoom_meetings(), [])
        self.assertEqual([r["endpoint"] for r in self.api_requests()], ["meetings.delete"])
        meeting = self.meeting(self.booking)
        self.assertEqual((meeting.state, meeting.action), ("deleted", ""))
        # The booking is kept as a record; its page no longer offers the link.
        response = self.client.get(f"/workspace/bookings/{self.booking.reference}/")
        self.assertNotContains(response, self.created.join_url)
        self.assertContains(response, "This booking is off, and so is its meeting")

    def test_an_invitee_s_cancel_deletes_it_even_when_zoom_already_did(self):
        self.zoom.control.fault("meetings.delete", "5xx", count=1)
        self.client.logout()
        self.client.post(f"/b/{self.booking.manage_token}/cancel/", {"reason": ""})
        self.assertEqual(self.meeting(self.booking).action, Meeting.Action.DELETE)
        # Meanwhile the host deleted it in Zoom: "already gone" counts as done.
        from integrations.zoom import meetings as zoom

        zoom.delete(self.alice.workspace.pk, self.created.zoom_meeting_id, cause="test")
        run_tasks(include_deferred=True)
        self.assertEqual(self.meeting(self.booking).state, Meeting.State.DELETED)


class CalledOffWhileCreatingTestCase(MeetingTestCase):
    def test_a_cancel_while_zoom_was_failing_leaves_no_meeting_behind(self):
        booking = self.request()
        self.zoom.control.fault("meetings.create", "commit_then_drop", count=1)
        self.confirm(booking)  # Zoom made it; we never heard.
        self.assertEqual(len(self.zoom_meetings()), 1)
        self.act(services.booking_cancel, booking, actor=Actor.HOST)
        meetings.attempt_for(booking)
        run_tasks(include_deferred=True)
        self.assertEqual(self.zoom_meetings(), [])
        self.assertEqual(self.meeting(booking).state, Meeting.State.DELETED)

    def test_a_cancel_before_anything_reached_zoom_calls_zoom_not_at_all(self):
        booking = self.request()
        services.booking_confirm(booking, actor=Actor.HOST)  # No inline attempt yet.
        self.act(services.booking_cancel, booking, actor=Actor.HOST)
        run_tasks(include_deferred=True)
        self.assertEqual(self.api_requests(), [])
        self.assertEqual(self.meeting(booking).state, Meeting.State.DELETED)
