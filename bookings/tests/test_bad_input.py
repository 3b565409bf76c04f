"""Malformed or tampered input gets a clear answer (or a 404), and never a 500."""

from datetime import timedelta

from bookings.models import Booking
from bookings.tests.base import BookingTestCase
from bookings.times import instant_param


class PublicPagesBadInputTestCase(BookingTestCase):
    def test_malformed_calendar_parameters_fall_back_to_defaults(self):
        for params in [
            {"month": "abcd"},
            {"month": "2026-13"},
            {"month": "0000-01"},
            {"month": "99999-01"},
            {"month": "9999-12"},
            {"month": "1900-01"},
            {"day": "2026-02-30"},
            {"day": "yesterday"},
            {"day": "0001-01-01"},
            {"day": "9999-12-31"},
            {"tz": "Not/AZone"},
            {"tz": "<script>alert(1)</script>"},
            {"tz": "x" * 5000},
            {"start": "garbage"},
            {"start": "2026-01-01T10:00"},
            {"start": "2026-01-01T10:00Z"},
            {"start": "9999-12-31T23:59Z"},
            {"start": "x" * 5000},
            {"month": ["2026-01", "2027-01"], "tz": ["UTC", "Europe/Paris"]},
        ]:
            with self.subTest(params=params):
                response = self.client.get(self.public_url(), params)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "<script>alert(1)</script>")

    def test_an_unknown_zone_is_named_and_replaced_by_utc(self):
        response = self.client.get(self.public_url(), {"tz": "Mars/Olympus"})
        self.assertContains(response, "We don’t know the time zone “Mars/Olympus”")
        self.assertContains(response, '<option value="UTC" selected>')

    def test_a_time_off_the_grid_or_taken_is_not_offered(self):
        start = self.slot()
        for bad in (start + timedelta(minutes=7), start - timedelta(days=400)):
            with self.subTest(start=bad):
                response = self.client.get(self.public_url(), {"start": instant_param(bad)})
                self.assertContains(response, "That time is not available — please pick another.")
                self.assertContains(response, "Pick a time")
                self.assertNotContains(response, 'name="email"')

    def details(self, **fields):
        return {
            "step": "details",
            "name": "Ivy Invitee",
            "email": "ivy@example.com",
            "notes": "",
            "start": instant_param(self.slot()),
            "tz": "Europe/Paris",
            **fields,
        }

    def test_a_bad_email_is_named_and_the_input_kept(self):
        response = self.client.post(
            self.public_url(), self.details(email="not-an-email", notes="Hi")
        )
        self.assertContains(response, "Enter a valid email address.")
        self.assertContains(response, 'value="not-an-email"')
        self.assertContains(response, 'value="Ivy Invitee"')
        self.assertContains(response, "Hi</textarea>")

    def test_too_long_notes_are_refused_with_the_limit(self):
        response = self.client.post(self.public_url(), self.details(notes="n" * 2001))
        self.assertContains(response, "Keep notes to 2000 characters (you have 2001).")
        self.assertContains(response, 'value="Ivy Invitee"')

    def test_a_missing_name_is_asked_for(self):
        response = self.client.post(self.public_url(), self.details(name="   "))
        self.assertContains(response, "This field is required.")

    def test_a_tampered_time_sends_back_to_the_calendar(self):
        for start in ("", "garbage", "2026-01-01T10:00", "x" * 100):
            with self.subTest(start=start):
                response = self.client.post(self.public_url(), self.details(start=start))
                self.assertContains(response, "Pick a time from the calendar.")
                self.assertContains(response, 'class="calendar-grid"')

    def test_a_time_that_is_not_free_gets_other_times_offered(self):
        off_grid = self.slot() + timedelta(minutes=7)
        for step in ("details", "confirm"):
            with self.subTest(step=step):
                response = self.client.post(
                    self.public_url(),
                    self.review_post(off_grid, step=step, notes="Keep me"),
                )
                self.assertContains(response, "— please pick another.")
                self.assertContains(response, "Keep me</textarea>")
                self.assertContains(response, 'type="radio" name="start"')
        self.assertEqual(Booking.objects.count(), 0)

    def test_a_tampered_zone_reads_as_utc(self):
        response = self.client.post(self.public_url(), self.details(tz="Nowhere/Land"))
        self.assertContains(response, "(UTC)")
        self.assertContains(response, "Confirm booking")

    def test_a_tampered_key_asks_to_review_again(self):
        response = self.client.post(self.public_url(), self.review_post(self.slot(), key="short"))
        self.assertContains(response, "This form has expired. Please review your booking again.")
        self.assertEqual(Booking.objects.count(), 0)

    def test_an_unknown_step_is_treated_as_the_details_step(self):
        response = self.client.post(self.public_url(), self.details(step="launch"))
        self.assertContains(response, "Review and confirm")

    def test_unsupported_methods_are_refused(self):
        self.assertEqual(self.client.put(self.public_url()).status_code, 405)
        self.assertEqual(self.client.delete(self.public_url()).status_code, 405)

    def test_malformed_paths_are_not_found(self):
        for path in ("/alice-adams/intro/extra/", "/alice adams/", "/b/", "/b/%00/"):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 404)


class HostPagesBadInputTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def test_dashboard_parameters_that_do_not_parse_show_the_first_page(self):
        booking = self.book()
        for params in [
            {"tab": "everything"},
            {"after": "nonsense"},
            {"before": "20261301T000000000000.1"},
            {"after": "x" * 3000},
            {"tab": "past", "after": "20260101T000000000000.notanumber"},
        ]:
            with self.subTest(params=params):
                response = self.client.get("/workspace/bookings/", params)
                self.assertEqual(response.status_code, 200)
        self.assertContains(
            self.client.get("/workspace/bookings/", {"after": "x"}), booking.reference
        )

    def test_unknown_references_are_not_found(self):
        for path in (
            "/workspace/bookings/VR-NOPE99/",
            "/workspace/bookings/%27%3B--/",
            "/workspace/bookings/VR-%00/",
        ):
            self.assertEqual(self.client.get(path).status_code, 404)

    def test_a_malformed_reschedule_time_is_refused_with_a_message(self):
        booking = self.book()
        url = f"/workspace/bookings/{booking.reference}/reschedule/"
        response = self.client.post(url, {"start": "soon"})
        self.assertContains(response, "Pick a new time from the calendar.")
        response = self.client.get(url, {"start": "soon", "month": "bad", "tz": "bad"})
        self.assertEqual(response.status_code, 200)

    def test_a_malformed_override_date_is_not_found(self):
        for day in ("2026-02-30", "tomorrow"):
            response = self.client.post(f"/workspace/availability/overrides/{day}/remove/")
            self.assertEqual(response.status_code, 404)
