"""A booking whose time has passed is not confirmed, and nothing moves into the past."""

from datetime import timedelta

from django.utils import timezone

from bookings import services
from bookings.models import Actor, Booking
from bookings.tests.base import BookingTestCase
from bookings.times import instant_param


class PastTimeTestCase(BookingTestCase):
    def move_to(self, booking, start):
        """Let time pass: put ``booking`` at ``start``, behind the services' backs."""
        end = start + timedelta(minutes=30)
        Booking.objects.filter(pk=booking.pk).update(
            start=start, end=end, busy_start=start, busy_end=end
        )
        return self.reload(booking)

    def request_that_started(self):
        """A request whose time came while it waited for Alice."""
        return self.move_to(self.request(), timezone.now() - timedelta(minutes=10))

    def test_confirming_after_the_start_is_refused_and_says_why(self):
        booking = self.request_that_started()
        with self.assertRaisesMessage(
            services.TimePassed, "The scheduled time has already passed"
        ):
            services.booking_confirm(booking, actor=Actor.HOST)
        self.assertEqual(self.reload(booking).status, Booking.Status.REQUESTED)

    def test_the_booking_page_explains_instead_of_offering_confirm(self):
        booking = self.request_that_started()
        self.client.force_login(self.alice)
        url = f"/workspace/bookings/{booking.reference}/"
        response = self.client.get(url)
        self.assertContains(response, "The scheduled time has already passed")
        self.assertNotContains(response, f'action="{url}confirm/"')
        self.assertContains(response, "Not confirmed in time")
        self.assertContains(response, "Decline")
        self.assertContains(response, "Reschedule")
        # A confirm sent anyway is refused with the same words.
        response = self.client.post(f"{url}confirm/", follow=True)
        self.assertContains(response, "The scheduled time has already passed")
        self.assertEqual(self.reload(booking).status, Booking.Status.REQUESTED)

    def test_a_late_request_can_be_moved_ahead_then_confirmed(self):
        booking = self.request_that_started()
        booking = self.act(
            services.booking_reschedule, booking, new_start=self.slot(days=2), actor=Actor.HOST
        )
        booking = self.act(services.booking_confirm, booking, actor=Actor.HOST)
        self.assertEqual(booking.status, Booking.Status.CONFIRMED)

    def test_nothing_is_moved_into_the_past(self):
        booking = self.book()
        past = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=2)
        with self.assertRaisesMessage(services.TimePassed, "That time has already passed"):
            services.booking_reschedule(booking, new_start=past, actor=Actor.INVITEE)
        response = self.client.post(
            f"/b/{booking.manage_token}/reschedule/", {"start": instant_param(past)}
        )
        self.assertContains(response, "That time has already passed")
        self.assertEqual(self.reload(booking).start, booking.start)

    def test_nothing_is_booked_in_the_past(self):
        past = timezone.now().replace(second=0, microsecond=0) - timedelta(hours=1)
        response = self.client.post(self.public_url(), self.review_post(past))
        self.assertContains(response, "That time has already passed")
        self.assertEqual(Booking.objects.count(), 0)

    def test_a_started_booking_can_no_longer_be_moved_or_cancelled(self):
        booking = self.book()
        booking = self.move_to(booking, timezone.now() - timedelta(minutes=5))
        with self.assertRaises(services.TimePassed):
            services.booking_cancel(booking, actor=Actor.HOST)
        with self.assertRaises(services.TimePassed):
            services.booking_reschedule(booking, new_start=self.slot(days=2), actor=Actor.HOST)
        response = self.client.get(booking.get_manage_url())
        self.assertContains(response, "This booking has started or taken place.")
        self.assertNotContains(response, "Cancel booking")
