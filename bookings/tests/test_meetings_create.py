"""A Zoom meeting is created when a person confirms a booking — then, and only then."""

from datetime import UTC

from django.core import mail
from icalendar import Calendar

from accounts.testing import run_tasks
from bookings import services
from bookings.models import Actor, Meeting
from bookings.tests.meeting_base import MeetingTestCase
from integrations.models import Activity


def invite(message):
    (part,) = [p for p in message.attachments if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True)).events[0]


class CreateOnConfirmationTestCase(MeetingTestCase):
    def test_the_hosts_confirm_creates_one_meeting_with_the_bookings_details(self):
        booking = self.request()
        self.assertEqual(self.zoom_meetings(), [])  # Not on request.

        response = self.confirm(booking)
        (created,) = self.zoom_meetings()
        self.assertEqual(created["topic"], "Intro call with Ivy Invitee")
        self.assertEqual(
            created["start_time"], booking.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        self.assertEqual(created["duration"], 30)
        self.assertEqual(created["timezone"], "Europe/Amsterdam")
        self.assertTrue(created["agenda"].startswith(f"vrtual.ly booking {booking.reference}\n"))

        meeting = self.meeting(booking)
        self.assertEqual(meeting.state, Meeting.State.CREATED)
        self.assertEqual(meeting.zoom_meeting_id, created["id"])
        self.assertIn(f"/j/{created['id']}?pwd=", meeting.join_url)
        # The page the host lands on already has the link.
        self.assertContains(response, meeting.join_url)
        self.assertContains(response, "Join Zoom meeting")

    def test_the_page_sending_confirm_itself_gets_the_page_with_the_link_in_one_answer(self):
        # The booking page's forms post with htmx (hx-post, hx-target="body").
        booking = self.request()
        page = self.client.get(f"/workspace/bookings/{booking.reference}/")
        self.assertContains(page, 'hx-target="body"')

        response = self.client.post(
            f"/workspace/bookings/{booking.reference}/confirm/", headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.meeting(booking).join_url)
        self.assertContains(response, "Confirmed. Ivy Invitee gets an email")
        # The message was shown with this answer, not kept for the next page.
        page = self.client.get(f"/workspace/bookings/{booking.reference}/")
        self.assertNotContains(page, "Confirmed. Ivy Invitee gets an email")

        # A refusal comes back the same way, on the booking's page.
        response = self.client.post(
            f"/workspace/bookings/{booking.reference}/confirm/", headers={"HX-Request": "true"}
        )
        self.assertContains(response, "This booking is confirmed: only a booking awaiting")
        self.assertEqual(len(self.creates()), 1)

    def test_a_confirmation_costs_exactly_one_zoom_api_call(self):
        booking = self.request()
        self.confirm(booking)
        run_tasks(include_deferred=True)
        self.assertEqual([r["endpoint"] for r in self.api_requests()], ["meetings.create"])
        self.assertEqual(self.token_requests(), [])

    def test_the_invitees_confirm_booking_creates_it_on_an_auto_confirmed_service(self):
        booking, response = self.booked()
        self.assertEqual(len(self.zoom_meetings()), 1)
        page = self.client.get(response["Location"])
        self.assertContains(page, self.meeting(booking).join_url)

    def test_nothing_is_created_for_a_request_a_decline_or_in_advance(self):
        booking = self.request()
        self.act(services.booking_decline, booking, actor=Actor.HOST)
        run_tasks(include_deferred=True)
        self.assertEqual(self.zoom_meetings(), [])
        self.assertEqual(self.api_requests(), [])
        self.assertFalse(Meeting.objects.exists())

    def test_the_activity_log_names_the_person_who_caused_it(self):
        booking = self.request()
        self.confirm(booking)
        entry = Activity.objects.get(operation="meeting.create")
        self.assertEqual(
            entry.cause, f"Booking {booking.reference} confirmed by Alice Adams (host)"
        )
        self.assertEqual(entry.meeting_id, str(self.meeting(booking).zoom_meeting_id))

    def test_the_join_link_is_in_every_email_and_invite(self):
        booking, _ = self.booked()
        join_url = self.meeting(booking).join_url
        run_tasks()
        self.assertEqual(len(mail.outbox), 2)
        for message in mail.outbox:
            with self.subTest(to=message.to):
                self.assertIn(join_url, message.body)
                self.assertIn(join_url, message.alternatives[0][0])
                event = invite(message)
                self.assertEqual(str(event["LOCATION"]), join_url)
                self.assertIn(join_url, str(event["DESCRIPTION"]))
        self.assertNotIn("zak=", "".join(m.message().as_string() for m in mail.outbox))


class WithoutZoomTestCase(MeetingTestCase):
    def setUp(self):
        super().setUp()
        self.client.post("/integrations/zoom/disconnect")
        run_tasks()
        mail.outbox.clear()
        self.zoom.control.clear_requests()

    def test_a_confirmation_without_zoom_says_why_and_tells_the_host_once(self):
        booking = self.request()
        response = self.confirm(booking)
        self.assertEqual(self.api_requests(), [])
        meeting = self.meeting(booking)
        self.assertEqual((meeting.state, meeting.problem), ("failed", "not_connected"))
        self.assertContains(response, "No Zoom meeting: Zoom isn’t connected")
        self.assertContains(response, "Create Zoom meeting")
        self.assertContains(response, 'href="/integrations/"')

        run_tasks(include_deferred=True)
        failed = [m for m in mail.outbox if m.subject.startswith("No Zoom meeting yet")]
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0].to, ["alice@example.org"])
        self.assertIn("Zoom isn’t connected", failed[0].body)
        # The invitee's confirmation went without a link, and says it follows.
        invitee = next(m for m in mail.outbox if m.to == ["ivy@example.com"])
        self.assertIn("The Zoom link follows", invitee.body)
        # Never a silent fallback to another location.
        self.assertIn("Zoom video meeting", invitee.body)

        # The host connects Zoom and clicks Create Zoom meeting: the link reaches both sides.
        self.connect()
        mail.outbox.clear()
        self.client.post(f"/workspace/bookings/{booking.reference}/meeting/create/")
        self.assertEqual(len(self.zoom_meetings()), 1)
        run_tasks()
        join_url = self.meeting(booking).join_url
        ready = [m for m in mail.outbox if m.subject.startswith("Zoom link")]
        self.assertEqual(sorted(m.to[0] for m in ready), ["alice@example.org", "ivy@example.com"])
        for message in ready:
            self.assertIn(join_url, message.body)
            self.assertEqual(str(invite(message)["LOCATION"]), join_url)

    def test_the_invitee_is_told_the_link_will_follow(self):
        booking = self.request()
        self.confirm(booking)
        response = self.client.get(f"/b/{booking.manage_token}/")
        self.assertContains(response, "The Zoom link isn’t ready")
        self.assertNotContains(response, "Create Zoom meeting")
        self.assertNotContains(response, "isn’t connected")
