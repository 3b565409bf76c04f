"""Free-time look-ups read only the bookings around the window shown."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import selectors, services
from bookings.tests.base import BookingTestCase, make_service


class FreeSlotsQueryTestCase(BookingTestCase):
    def test_it_asks_only_for_bookings_overlapping_the_window(self):
        booking = self.book()
        start = booking.start - timedelta(hours=1)
        with CaptureQueriesContext(connection) as queries:
            free = selectors.free_slots(self.service, start=start, end=start + timedelta(hours=3))
        (sql,) = [q["sql"] for q in queries if 'FROM "bookings_booking"' in q["sql"]]
        self.assertIn('"busy_start" <', sql)
        self.assertIn('"busy_end" >', sql)
        self.assertNotIn(booking.start, free)

    def test_a_booking_just_outside_the_window_still_blocks_through_its_buffers(self):
        self.service.buffer_after_minutes = 30
        self.service.save()
        booking = self.book()
        after = booking.end
        # A window starting where the booking ends: its buffer still keeps the next half hour.
        free = selectors.free_slots(self.service, start=after, end=after + timedelta(hours=2))
        self.assertNotIn(after, free)
        self.assertIn(after + timedelta(minutes=30), free)

    def test_the_longest_booking_still_blocks_a_window_that_starts_near_its_end(self):
        # 12 hours with two hours of buffer on each side: the most one booking can hold. The
        # look-up bounds busy_start from below by that much, and must still find it.
        services.availability_set_weekly(self.workspace, {day: [(0, 1440)] for day in range(7)})
        long = make_service(
            self.workspace,
            name="Retreat",
            slug="retreat",
            duration_minutes=12 * 60,
            buffer_before_minutes=120,
            buffer_after_minutes=120,
        )
        booking = self.book(long)
        start = booking.busy_end - timedelta(minutes=30)
        free = selectors.free_slots(self.service, start=start, end=start + timedelta(hours=1))
        self.assertNotIn(start, free)
        self.assertIn(booking.busy_end, free)
