"""A double-clicked (or re-sent) "Confirm booking" lands on the booking the first one made."""

from django.core import mail

from accounts.testing import run_tasks
from bookings.models import Booking
from bookings.tests.base import BookingTestCase


class DoubleSubmitTestCase(BookingTestCase):
    def test_the_same_review_form_sent_twice_makes_one_booking(self):
        start = self.slot()
        first = self.client.post(self.public_url(), self.review_post(start))
        second = self.client.post(self.public_url(), self.review_post(start))
        booking = Booking.objects.get()
        self.assertRedirects(first, booking.get_manage_url(), fetch_redirect_response=False)
        self.assertRedirects(second, booking.get_manage_url(), fetch_redirect_response=False)
        run_tasks()
        self.assertEqual(len(mail.outbox), 2)

    def test_a_new_review_is_a_new_booking_attempt(self):
        start = self.slot()
        self.client.post(self.public_url(), self.review_post(start, key="a" * 24))
        response = self.client.post(self.public_url(), self.review_post(start, key="b" * 24))
        self.assertContains(response, "This time was just taken — please pick another.")
        self.assertEqual(Booking.objects.count(), 1)

    def test_a_key_reused_for_another_time_does_not_reveal_the_first_booking(self):
        first, other = self.slot(), self.slot(index=2)
        self.client.post(self.public_url(), self.review_post(first))
        response = self.client.post(self.public_url(), self.review_post(other))
        booking = Booking.objects.get()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This form was already used")
        self.assertNotContains(response, booking.manage_token)
