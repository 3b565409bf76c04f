"""The invitee's manage link: unguessable, and honest about cancelled bookings."""

from icalendar import Calendar

from bookings import services
from bookings.models import Actor
from bookings.tests.base import BookingTestCase


class ManageLinkTestCase(BookingTestCase):
    def test_it_shows_the_booking_in_the_invitees_zone(self):
        booking = self.book(invitee_time_zone="Asia/Tokyo")
        response = self.client.get(f"/b/{booking.manage_token}/")
        self.assertContains(response, "(Asia/Tokyo)")
        self.assertContains(response, booking.reference)
        self.assertContains(response, "Reschedule")
        self.assertContains(response, "Cancel booking")
        self.assertEqual(response["Cache-Control"].count("no-store"), 1)
        self.assertContains(response, '<meta name="robots" content="noindex">')

    def test_the_token_is_long_and_random(self):
        first, second = self.book(), self.book(start=self.slot(days=2))
        self.assertGreaterEqual(len(first.manage_token), 32)
        self.assertNotEqual(first.manage_token, second.manage_token)
        self.assertNotIn(first.reference, first.manage_token)

    def test_an_unknown_token_is_not_found(self):
        self.book()
        for path in (
            "/b/not-a-token/",
            "/b/not-a-token/cancel/",
            "/b/x/reschedule/",
            "/b/x/invite.ics",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_a_cancelled_bookings_link_says_it_is_cancelled(self):
        booking = self.book()
        self.act(services.booking_cancel, booking, actor=Actor.HOST, reason="Double-booked")
        response = self.client.get(f"/b/{booking.manage_token}/")
        self.assertContains(response, "This booking is cancelled: Alice Adams cancelled it on")
        self.assertContains(response, "Double-booked")
        self.assertContains(response, "Book another time")
        self.assertNotContains(response, f"/b/{booking.manage_token}/reschedule/")
        # Its change pages send back to the booking, saying why.
        for action in ("reschedule", "cancel"):
            response = self.client.post(f"/b/{booking.manage_token}/{action}/", follow=True)
            self.assertRedirects(response, f"/b/{booking.manage_token}/")
            self.assertContains(response, "This booking can no longer be")

    def test_it_offers_the_invite_as_a_file(self):
        booking = self.book()
        response = self.client.get(f"/b/{booking.manage_token}/invite.ics")
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        event = Calendar.from_ical(response.content).events[0]
        self.assertEqual(str(event["UID"]), f"{booking.reference}@vrtual.ly")
        self.assertEqual(event.start, booking.start)
