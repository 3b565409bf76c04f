"""Calling a booking off: by the host with an optional reason, or by the invitee."""

from django.core import mail

from accounts.testing import run_tasks
from bookings import services
from bookings.models import Actor, Booking
from bookings.tests.base import BookingTestCase


class HostCancelTestCase(BookingTestCase):
    def test_the_host_cancels_with_a_reason(self):
        booking = self.book()
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/workspace/bookings/{booking.reference}/cancel/",
            {"reason": "Ill, sorry."},
            follow=True,
        )
        self.assertContains(response, "Cancelled. Ivy Invitee gets an email")
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.CANCELLED)
        self.assertEqual(booking.sequence, 1)
        event = booking.events.last()
        self.assertEqual(
            (event.action, event.actor, event.reason), ("cancelled", "host", "Ill, sorry.")
        )

        run_tasks()
        invitee = next(
            m for m in mail.outbox if m.to == ["ivy@example.com"] and "Cancelled" in m.subject
        )
        self.assertIn("Alice Adams cancelled Intro call", invitee.body)
        self.assertIn("Reason: Ill, sorry.", invitee.body)
        self.assertIn("Book another time: http://localhost:8000/alice-adams/intro/", invitee.body)

    def test_the_time_is_free_again(self):
        booking = self.book()
        self.act(services.booking_cancel, booking, actor=Actor.HOST)
        self.assertEqual(self.book(start=booking.start).start, booking.start)

    def test_a_too_long_reason_is_refused_and_nothing_changes(self):
        booking = self.book()
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/workspace/bookings/{booking.reference}/cancel/", {"reason": "x" * 1001}, follow=True
        )
        self.assertContains(response, "at most 1000 characters")
        self.assertEqual(self.reload(booking).status, Booking.Status.CONFIRMED)

    def test_cancelling_twice_says_it_is_already_cancelled(self):
        booking = self.book()
        self.act(services.booking_cancel, booking, actor=Actor.HOST)
        with self.assertRaisesMessage(services.NotAllowed, "already cancelled"):
            services.booking_cancel(booking, actor=Actor.HOST)


class InviteeCancelTestCase(BookingTestCase):
    def test_the_invitee_cancels_from_the_manage_link(self):
        booking = self.book()
        url = f"/b/{booking.manage_token}/cancel/"
        self.assertContains(self.client.get(url), "Cancel this booking?")
        response = self.client.post(url, {"reason": "Found another date"}, follow=True)
        self.assertRedirects(response, f"/b/{booking.manage_token}/")
        self.assertContains(response, "Your booking is cancelled")
        self.assertContains(response, "you cancelled it on")
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.CANCELLED)

        run_tasks()
        host = next(
            m for m in mail.outbox if m.to == ["alice@example.org"] and "Cancelled" in m.subject
        )
        self.assertIn("Ivy Invitee cancelled Intro call", host.body)
        self.assertIn("Reason: Found another date", host.body)

    def test_an_invitee_may_withdraw_a_request(self):
        booking = self.request()
        self.act(services.booking_cancel, booking, actor=Actor.INVITEE)
        self.assertEqual(self.reload(booking).status, Booking.Status.CANCELLED)
