"""
Invitees racing for one time, with real threads and real transactions: exactly one booking,
and a clear answer for everyone else. Runs on SQLite and on PostgreSQL.
"""

import re
import threading

from django.db import connection
from django.test import Client, TransactionTestCase

from accounts.testing import make_host
from bookings import services
from bookings.models import Booking
from bookings.tests.base import ALL_WEEK_9_TO_17, free_slots_after, make_service
from bookings.times import instant_param

RACERS = 4


class ConcurrentBookingTestCase(TransactionTestCase):
    def setUp(self):
        host = make_host("Alice Adams", "alice@example.org", time_zone="Europe/Amsterdam")
        services.availability_set_weekly(host.workspace, ALL_WEEK_9_TO_17)
        self.service = make_service(host.workspace)
        self.start = free_slots_after(self.service)[0]
        self.url = f"/{host.workspace.slug}/intro/"

    def race(self, make_post):
        """POST ``make_post(i)`` from RACERS threads released at the same moment."""
        barrier = threading.Barrier(RACERS)
        responses = [None] * RACERS

        def confirm(i):
            try:
                client = Client()
                barrier.wait(timeout=10)
                responses[i] = client.post(self.url, make_post(i))
            finally:
                connection.close()

        threads = [threading.Thread(target=confirm, args=(i,)) for i in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return responses

    def post(self, i, *, key):
        return {
            "step": "confirm",
            "name": f"Invitee {i}",
            "email": f"invitee{i}@example.com",
            "notes": f"Notes of invitee {i}",
            "start": instant_param(self.start),
            "tz": "Europe/Paris",
            "key": key,
        }

    def test_invitees_confirming_one_time_at_once_get_one_booking(self):
        responses = self.race(lambda i: self.post(i, key=f"racer-{i}-" + "k" * 20))

        booking = Booking.objects.get()
        self.assertEqual(booking.start, self.start)
        winners = [r for r in responses if r.status_code == 302]
        losers = [r for r in responses if r.status_code == 200]
        self.assertEqual(len(winners), 1)
        self.assertEqual(len(losers), RACERS - 1)
        self.assertEqual(winners[0]["Location"], f"/b/{booking.manage_token}/")
        for response in losers:
            page = response.content.decode()
            self.assertIn("This time was just taken — please pick another.", page)
            # Their details are kept, and other times are offered.
            i = re.search(r'value="Invitee (\d)"', page)[1]
            self.assertIn(f'value="invitee{i}@example.com"', page)
            self.assertIn(f"Notes of invitee {i}</textarea>", page)
            self.assertIn('type="radio" name="start"', page)
            self.assertNotIn(f'value="{instant_param(self.start)}"', page)
        # Nothing half-saved: one booking, one history entry.
        self.assertEqual(booking.events.count(), 1)

    def test_a_confirm_sent_several_times_at_once_makes_one_booking(self):
        responses = self.race(lambda i: self.post(0, key="same-key-" + "k" * 20))
        booking = Booking.objects.get()
        self.assertEqual(booking.invitee_email, "invitee0@example.com")
        for response in responses:
            self.assertEqual(response.status_code, 302)
            self.assertEqual(response["Location"], f"/b/{booking.manage_token}/")
