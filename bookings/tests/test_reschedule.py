"""Moving a booking to another free time: by the host, or by the invitee on their link."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core import mail

from accounts.testing import run_tasks
from bookings import services
from bookings.models import Actor, Booking
from bookings.tests.base import BookingTestCase
from bookings.times import instant_param


class HostRescheduleTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)
        self.booking = self.book()
        self.new_start = self.slot(days=3)

    def test_the_host_picks_a_free_time_and_moves_the_booking(self):
        url = f"/workspace/bookings/{self.booking.reference}/reschedule/"
        response = self.client.get(url)
        self.assertContains(response, "Pick a new time")
        self.assertContains(response, "Europe/Amsterdam")  # Alice's own zone by default.

        response = self.client.get(url, {"start": instant_param(self.new_start)})
        self.assertContains(response, "Move the booking")

        response = self.client.post(url, {"start": instant_param(self.new_start)}, follow=True)
        self.assertRedirects(response, f"/workspace/bookings/{self.booking.reference}/")
        self.assertContains(response, "The booking has moved")
        booking = self.reload(self.booking)
        self.assertEqual(booking.start, self.new_start)
        self.assertEqual(booking.end, self.new_start + timedelta(minutes=30))
        self.assertEqual(booking.status, Booking.Status.CONFIRMED)
        self.assertEqual(booking.sequence, 1)
        event = booking.events.last()
        self.assertEqual((event.action, event.actor), ("rescheduled", "host"))
        self.assertEqual(event.previous_start, self.booking.start)

    def test_the_calendar_does_not_offer_the_bookings_own_time(self):
        url = f"/workspace/bookings/{self.booking.reference}/reschedule/"
        zone = ZoneInfo("Europe/Amsterdam")  # Alice's
        day = self.booking.start.astimezone(zone).date().isoformat()
        response = self.client.get(url, {"day": day, "tz": zone.key})
        offered = [slot for slot, _, _ in response.context["picker"].slots]
        self.assertTrue(offered)
        self.assertNotIn(self.booking.start, offered)
        self.assertNotContains(response, f"start={instant_param(self.booking.start)}")

    def test_the_old_time_is_free_again_and_the_new_one_taken(self):
        self.act(
            services.booking_reschedule, self.booking, new_start=self.new_start, actor=Actor.HOST
        )
        other = self.book(start=self.booking.start, invitee_email="other@example.com")
        self.assertEqual(other.start, self.booking.start)
        with self.assertRaises(services.SlotTaken):
            self.book(start=self.new_start, invitee_email="third@example.com")

    def test_a_taken_time_is_refused_with_the_calendar_again(self):
        self.book(start=self.new_start, invitee_email="other@example.com")
        url = f"/workspace/bookings/{self.booking.reference}/reschedule/"
        response = self.client.post(url, {"start": instant_param(self.new_start)})
        self.assertContains(response, "This time was just taken — please pick another.")
        self.assertContains(response, 'class="calendar-grid"')
        self.assertEqual(self.reload(self.booking).start, self.booking.start)

    def test_a_time_off_the_grid_is_refused(self):
        odd = self.new_start + timedelta(minutes=7)
        with self.assertRaises(services.SlotUnavailable):
            services.booking_reschedule(self.booking, new_start=odd, actor=Actor.HOST)

    def test_both_sides_get_the_new_time_with_an_updated_invite(self):
        mail.outbox.clear()
        run_tasks()
        mail.outbox.clear()
        self.act(
            services.booking_reschedule, self.booking, new_start=self.new_start, actor=Actor.HOST
        )
        run_tasks()
        self.assertEqual(len(mail.outbox), 2)
        invitee = next(m for m in mail.outbox if m.to == ["ivy@example.com"])
        self.assertTrue(invitee.subject.startswith("Rescheduled: Intro call with Alice Adams"))
        self.assertIn("Alice Adams moved Intro call to a new time", invitee.body)
        self.assertIn("Was:", invitee.body)
        host = next(m for m in mail.outbox if m.to == ["alice@example.org"])
        self.assertIn("You moved Intro call", host.body)

    def test_a_request_can_be_moved_and_still_awaits_confirmation(self):
        request = self.request(start=self.slot(days=4))
        moved = self.act(
            services.booking_reschedule, request, new_start=self.slot(days=5), actor=Actor.HOST
        )
        self.assertEqual(moved.status, Booking.Status.REQUESTED)


class InviteeRescheduleTestCase(BookingTestCase):
    def test_the_invitee_moves_their_booking_from_the_manage_link(self):
        booking = self.book()
        new_start = self.slot(days=3)
        url = f"/b/{booking.manage_token}/reschedule/"
        response = self.client.get(url)
        # The invitee's own zone by default.
        self.assertContains(response, '<option value="America/New_York" selected>')

        response = self.client.post(url, {"start": instant_param(new_start)}, follow=True)
        self.assertRedirects(response, f"/b/{booking.manage_token}/")
        self.assertContains(response, "The booking has moved")
        booking.refresh_from_db()
        self.assertEqual(booking.start, new_start)
        event = booking.events.last()
        self.assertEqual(
            (event.action, event.actor, event.actor_name),
            ("rescheduled", "invitee", "Ivy Invitee"),
        )

        run_tasks()
        host = next(
            m for m in mail.outbox if m.to == ["alice@example.org"] and "Rescheduled" in m.subject
        )
        self.assertIn("Ivy Invitee moved Intro call", host.body)

    def test_the_booking_keeps_its_length_when_the_service_changes(self):
        booking = self.book()
        self.service.duration_minutes = 60
        self.service.save()
        moved = self.act(
            services.booking_reschedule, booking, new_start=self.slot(days=3), actor=Actor.INVITEE
        )
        self.assertEqual(moved.end - moved.start, timedelta(minutes=30))

    def test_its_own_current_time_does_not_block_a_nearby_time(self):
        booking = self.book()
        later = booking.start + timedelta(minutes=15)
        self.service.slot_step_minutes = 15
        self.service.save()
        moved = self.act(
            services.booking_reschedule, booking, new_start=later, actor=Actor.INVITEE
        )
        self.assertEqual(moved.start, later)
