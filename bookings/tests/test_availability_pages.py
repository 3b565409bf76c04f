"""The availability editor: weekly hours and date overrides."""

from datetime import date, timedelta

from django.forms import ValidationError
from django.test import SimpleTestCase
from django.utils import timezone

from bookings import selectors
from bookings.forms import parse_intervals
from bookings.models import DateOverride
from bookings.tests.base import BookingTestCase


class ParseIntervalsTestCase(SimpleTestCase):
    def test_it_reads_the_usual_ways_of_writing_hours(self):
        self.assertEqual(parse_intervals("09:00-12:00, 13:00–17:30"), [(540, 720), (780, 1050)])
        self.assertEqual(parse_intervals("9-12; 13 to 17"), [(540, 720), (780, 1020)])
        self.assertEqual(parse_intervals("20:00-24:00"), [(1200, 1440)])
        self.assertEqual(parse_intervals("  "), [])

    def test_it_names_what_it_cannot_read(self):
        for text, message in (
            ("9am-5pm", "“9am-5pm” is not a time range like 09:00-12:00."),
            ("09:00-25:00", "“09:00-25:00” has a time that does not exist."),
            ("09:70-10:00", "has a time that does not exist"),
            ("24:30-24:45", "has a time that does not exist"),
            ("17:00-09:00", "“17:00-09:00” ends before it starts."),
            ("09:00-12:00, 11:00-13:00", "09:00–12:00 and 11:00–13:00 overlap."),
        ):
            with self.subTest(text=text), self.assertRaisesMessage(ValidationError, message):
                parse_intervals(text)


class AvailabilityPageTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def weekly(self, **days):
        data = {
            day: ""
            for day in (
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
            )
        }
        return {**data, **days}

    def test_it_shows_the_hours_in_the_hosts_zone(self):
        response = self.client.get("/workspace/availability/")
        self.assertContains(response, "Europe/Amsterdam")
        self.assertContains(response, 'value="09:00–17:00"')

    def test_a_host_saves_weekly_hours(self):
        response = self.client.post(
            "/workspace/availability/",
            self.weekly(monday="09:00-12:00, 13:00-17:00", friday="10-14"),
            follow=True,
        )
        self.assertContains(response, "Your weekly hours are saved.")
        self.assertEqual(
            selectors.weekly_hours(self.workspace), {0: [(540, 720), (780, 1020)], 4: [(600, 840)]}
        )

    def test_errors_point_at_the_day_and_nothing_is_saved(self):
        response = self.client.post(
            "/workspace/availability/", self.weekly(monday="09:00-12:00", tuesday="noon-ish")
        )
        self.assertContains(response, "“noon-ish” is not a time range like 09:00-12:00.")
        self.assertContains(response, 'value="noon-ish"')
        self.assertEqual(selectors.weekly_hours(self.workspace)[1], [(540, 1020)])

    def test_a_day_off_and_different_hours_override_the_week(self):
        day = timezone.now().date() + timedelta(days=3)
        response = self.client.post(
            "/workspace/availability/overrides/",
            {"date": day.isoformat(), "hours": ""},
            follow=True,
        )
        self.assertContains(response, "is a day off")
        self.assertContains(response, "Day off")
        self.assertEqual(selectors.date_overrides(self.workspace), {day: []})

        # Different hours replace the day off.
        self.client.post(
            "/workspace/availability/overrides/", {"date": day.isoformat(), "hours": "14:00-15:00"}
        )
        self.assertEqual(selectors.date_overrides(self.workspace), {day: [(840, 900)]})

        # The booking page follows.
        response = self.client.get(
            self.public_url(), {"tz": "Europe/Amsterdam", "day": day.isoformat()}
        )
        self.assertContains(response, ">14:00</a>")
        self.assertContains(response, ">14:30</a>")
        self.assertNotContains(response, ">09:00</a>")

        response = self.client.post(
            f"/workspace/availability/overrides/{day.isoformat()}/remove/", follow=True
        )
        self.assertContains(response, "follows your weekly hours again")
        self.assertFalse(DateOverride.objects.exists())

    def test_bad_overrides_are_refused_with_the_reason(self):
        yesterday = timezone.now().date() - timedelta(days=2)
        for data, message in (
            ({"date": yesterday.isoformat(), "hours": ""}, "Pick today or a later date."),
            ({"date": "2026-02-30", "hours": ""}, "Enter a valid date."),
            ({"date": "", "hours": ""}, "This field is required."),
            (
                {"date": (date.today() + timedelta(days=3000)).isoformat()},
                "within the next two years",
            ),
            (
                {"date": (date.today() + timedelta(days=3)).isoformat(), "hours": "whenever"},
                "not a time range",
            ),
        ):
            with self.subTest(data=data):
                response = self.client.post("/workspace/availability/overrides/", data)
                self.assertContains(response, message)
        self.assertFalse(DateOverride.objects.exists())

    def test_hosts_only_touch_their_own_overrides(self):
        day = timezone.now().date() + timedelta(days=3)
        self.client.post(
            "/workspace/availability/overrides/", {"date": day.isoformat(), "hours": ""}
        )
        self.client.force_login(self.bob)
        self.client.post(f"/workspace/availability/overrides/{day.isoformat()}/remove/")
        self.assertEqual(selectors.date_overrides(self.workspace), {day: []})
        self.assertContains(self.client.get("/workspace/availability/"), "No overrides ahead.")
