"""The host's bookings dashboard: tabs, and paging that costs the same on every page."""

from datetime import timedelta

from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings import selectors, services
from bookings.models import Actor, Booking
from bookings.tests.base import BookingTestCase


def add_bookings(service, starts, status=Booking.Status.CONFIRMED):
    """Bookings written straight to the table: fast, for listing tests."""
    Booking.objects.bulk_create(
        Booking(
            workspace=service.workspace,
            service=service,
            status=status,
            start=start,
            end=start + timedelta(minutes=30),
            busy_start=start,
            busy_end=start + timedelta(minutes=30),
            invitee_name=f"Invitee {i}",
            invitee_email=f"invitee{i}@example.com",
            location_kind=service.location_kind,
        )
        for i, start in enumerate(starts)
    )


class TabsTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)
        self.confirmed = self.book(start=self.slot(days=1))
        self.cancelled = self.book(start=self.slot(days=2))
        self.act(services.booking_cancel, self.cancelled, actor=Actor.HOST)
        self.service.requires_confirmation = True
        self.service.save()
        self.requested = self.book(start=self.slot(days=3))
        self.declined = self.book(start=self.slot(days=4))
        self.act(services.booking_decline, self.declined, actor=Actor.HOST)
        past = timezone.now().replace(microsecond=0) - timedelta(days=3)
        add_bookings(self.service, [past])
        self.past = Booking.objects.get(start=past)

    def test_each_tab_lists_its_bookings(self):
        expected = {
            "upcoming": [self.confirmed],
            "awaiting": [self.requested],
            "past": [self.past],
            "cancelled": [self.declined, self.cancelled],
        }
        all_bookings = [self.confirmed, self.requested, self.past, self.declined, self.cancelled]
        for tab, listed in expected.items():
            with self.subTest(tab=tab):
                response = self.client.get("/workspace/bookings/", {"tab": tab})
                self.assertEqual(list(response.context["page"].bookings), listed)
                for booking in all_bookings:
                    if booking not in listed:
                        self.assertNotContains(response, booking.reference)

    def test_the_awaiting_tab_shows_how_many_wait(self):
        response = self.client.get("/workspace/bookings/")
        self.assertContains(response, 'Awaiting confirmation <span class="count">1</span>')

    def test_a_booking_in_progress_is_still_upcoming(self):
        started = timezone.now().replace(microsecond=0) - timedelta(minutes=10)
        add_bookings(self.service, [started])
        upcoming = selectors.bookings_page(self.workspace, selectors.Tab.UPCOMING).bookings
        self.assertEqual(upcoming[0].start, started)


class PagingTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)
        base = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
        # 60 bookings, two of them at each time, so the cursor must break ties by id.
        self.starts = [base + timedelta(hours=i // 2) for i in range(60)]
        add_bookings(self.service, self.starts)

    def walk(self, tab, **params):
        pages, cursor = [], None
        while True:
            query = {"tab": tab, **({"after": cursor} if cursor else {}), **params}
            page = self.client.get("/workspace/bookings/", query).context["page"]
            pages.append(page)
            cursor = page.next_cursor
            if not cursor:
                return pages

    def test_pages_follow_each_other_without_gaps_or_repeats(self):
        pages = self.walk("upcoming")
        self.assertEqual([len(page.bookings) for page in pages], [25, 25, 10])
        seen = [booking.pk for page in pages for booking in page.bookings]
        self.assertEqual(len(seen), 60)
        self.assertEqual(len(set(seen)), 60)
        starts = [booking.start for page in pages for booking in page.bookings]
        self.assertEqual(starts, sorted(self.starts))

    def test_previous_goes_back_to_the_same_page(self):
        pages = self.walk("upcoming")
        back = self.client.get(
            "/workspace/bookings/", {"tab": "upcoming", "before": pages[2].previous_cursor}
        ).context["page"]
        self.assertEqual(back.bookings, pages[1].bookings)
        self.assertIsNotNone(back.previous_cursor)
        first = self.client.get(
            "/workspace/bookings/", {"tab": "upcoming", "before": back.previous_cursor}
        ).context["page"]
        self.assertEqual(first.bookings, pages[0].bookings)
        self.assertIsNone(first.previous_cursor)

    def test_past_bookings_come_newest_first(self):
        back = timedelta(days=30)
        Booking.objects.update(
            start=F("start") - back,
            end=F("end") - back,
            busy_start=F("busy_start") - back,
            busy_end=F("busy_end") - back,
        )
        pages = self.walk("past")
        listed = [(booking.start, booking.pk) for page in pages for booking in page.bookings]
        self.assertEqual(len(listed), 60)
        self.assertEqual(listed, sorted(listed, reverse=True))

    def test_every_page_costs_the_same_few_queries_and_no_full_count(self):
        first = self.client.get("/workspace/bookings/")
        cursor = first.context["page"].next_cursor
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/workspace/bookings/", {"after": cursor})
        listing = [q["sql"] for q in queries if 'FROM "bookings_booking"' in q["sql"]]
        # The page itself, and the count of requests awaiting an answer.
        self.assertEqual(len(listing), 2)
        page_sql = next(sql for sql in listing if "COUNT" not in sql)
        self.assertIn("LIMIT 26", page_sql)
        # The cursor bounds the index range itself, not only a filter on it.
        self.assertIn('"start" >=', page_sql)
        count_sql = next(sql for sql in listing if "COUNT" in sql)
        self.assertIn("requested", count_sql)
