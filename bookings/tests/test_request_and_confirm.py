"""A service that requires the host's confirmation: the request waits, the host confirms."""

from django.core import mail

from accounts.testing import run_tasks
from bookings import services
from bookings.models import Actor, Booking
from bookings.tests.base import BookingTestCase


class RequestAndConfirmTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def test_a_request_waits_for_the_host_and_holds_its_time(self):
        booking = self.request()
        self.assertEqual(booking.status, Booking.Status.REQUESTED)
        # Nobody else can take the time meanwhile.
        with self.assertRaises(services.SlotTaken):
            self.book(start=booking.start, invitee_email="other@example.com")

    def test_the_host_sees_it_awaiting_and_confirms_it(self):
        booking = self.request()
        response = self.client.get("/workspace/bookings/?tab=awaiting")
        self.assertContains(response, booking.reference)
        self.assertContains(response, "Ivy Invitee")

        response = self.client.post(
            f"/workspace/bookings/{booking.reference}/confirm/", follow=True
        )
        self.assertContains(response, "Confirmed. Ivy Invitee gets an email")
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.CONFIRMED)

        # The history says who did what.
        response = self.client.get(f"/workspace/bookings/{booking.reference}/")
        events = list(booking.events.values_list("action", "actor", "actor_name"))
        self.assertEqual(
            events,
            [("requested", "invitee", "Ivy Invitee"), ("confirmed", "host", "Alice Adams")],
        )
        self.assertContains(response, "Requested</strong>\n            by Ivy Invitee")
        self.assertContains(response, "Confirmed</strong>\n            by Alice Adams")

    def test_both_sides_hear_of_the_request_then_of_the_confirmation(self):
        booking = self.request()
        run_tasks()
        subjects = sorted(message.subject for message in mail.outbox)
        self.assertTrue(subjects[0].startswith("New booking request: Intro call with Ivy Invitee"))
        self.assertTrue(subjects[1].startswith("Request received: Intro call with Alice Adams"))

        mail.outbox.clear()
        self.act(services.booking_confirm, booking, actor=Actor.HOST)
        run_tasks()
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            ["alice@example.org", "ivy@example.com"],
        )
        for message in mail.outbox:
            self.assertTrue(message.subject.startswith("Confirmed: Intro call with"))

    def test_confirming_twice_says_it_is_already_confirmed(self):
        booking = self.request()
        self.act(services.booking_confirm, booking, actor=Actor.HOST)
        response = self.client.post(
            f"/workspace/bookings/{booking.reference}/confirm/", follow=True
        )
        self.assertContains(response, "This booking is confirmed: only a booking awaiting")
        self.assertEqual(booking.events.filter(action="confirmed").count(), 1)

    def test_only_the_host_confirms(self):
        booking = self.request()
        with self.assertRaises(services.NotAllowed):
            services.booking_confirm(booking, actor=Actor.INVITEE)
        self.assertEqual(self.reload(booking).status, Booking.Status.REQUESTED)


class AutoConfirmTestCase(BookingTestCase):
    def test_the_invitees_own_confirm_click_confirms_the_booking(self):
        booking = self.book()
        self.assertEqual(booking.status, Booking.Status.CONFIRMED)
        self.assertEqual(
            list(booking.events.values_list("action", "actor", "actor_name")),
            [("confirmed", "invitee", "Ivy Invitee")],
        )

    def test_both_sides_get_one_confirmation_and_no_request_emails(self):
        self.book()
        run_tasks()
        self.assertEqual(len(mail.outbox), 2)
        subjects = sorted(message.subject for message in mail.outbox)
        self.assertTrue(subjects[0].startswith("Confirmed: Intro call with Alice Adams"))
        self.assertTrue(subjects[1].startswith("New booking: Intro call with Ivy Invitee"))

    def test_the_host_page_shows_it_booked_and_confirmed_by_the_invitee(self):
        booking = self.book()
        self.client.force_login(self.alice)
        response = self.client.get(f"/workspace/bookings/{booking.reference}/")
        self.assertContains(response, "Booked and confirmed</strong>\n            by Ivy Invitee")
        self.assertNotContains(
            response, f'action="/workspace/bookings/{booking.reference}/confirm/"'
        )


class DeclineTestCase(BookingTestCase):
    def test_the_host_declines_with_a_reason_and_the_time_is_free_again(self):
        booking = self.request()
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/workspace/bookings/{booking.reference}/decline/",
            {"reason": "I'm away that week."},
            follow=True,
        )
        self.assertContains(response, "Declined. Ivy Invitee gets an email")
        self.assertContains(response, "Reason: “I&#x27;m away that week.”")
        booking.refresh_from_db()
        self.assertEqual(booking.status, Booking.Status.DECLINED)
        self.assertEqual(booking.sequence, 1)
        # The time can be booked again.
        again = self.book(start=booking.start, invitee_email="next@example.com")
        self.assertEqual(again.status, Booking.Status.REQUESTED)

    def test_the_invitee_hears_why(self):
        booking = self.request()
        self.act(services.booking_decline, booking, actor=Actor.HOST, reason="Fully booked.")
        mail.outbox.clear()
        run_tasks()
        invitee = next(
            m for m in mail.outbox if m.to == ["ivy@example.com"] and "Declined" in m.subject
        )
        self.assertIn("Alice Adams can't take your request", invitee.body)
        self.assertIn("Reason: Fully booked.", invitee.body)
        self.assertIn("Pick another time: http://localhost:8000/alice-adams/intro/", invitee.body)

    def test_the_manage_link_says_it_was_declined(self):
        booking = self.request()
        self.act(services.booking_decline, booking, actor=Actor.HOST)
        response = self.client.get(booking.get_manage_url())
        self.assertContains(response, "Alice Adams declined this request")
        self.assertNotContains(response, "Reschedule")

    def test_a_confirmed_booking_cannot_be_declined(self):
        booking = self.book()
        with self.assertRaises(services.NotAllowed):
            services.booking_decline(booking, actor=Actor.HOST)
