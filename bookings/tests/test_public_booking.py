"""An invitee books on the public pages: calendar, details, review, "Confirm booking"."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from bookings.models import Booking, BookingEvent
from bookings.tests.base import BookingTestCase, make_service
from bookings.times import instant_param

PARIS = ZoneInfo("Europe/Paris")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class WorkspacePageTestCase(BookingTestCase):
    def test_it_lists_the_active_services(self):
        make_service(self.workspace, name="Old offer", slug="old", is_active=False)
        response = self.client.get(f"/{self.workspace.slug}/")
        self.assertContains(response, "Intro call")
        self.assertContains(response, f'href="/{self.workspace.slug}/intro/"')
        self.assertNotContains(response, "Old offer")

    def test_an_unknown_workspace_is_not_found(self):
        self.assertEqual(self.client.get("/nobody-here/").status_code, 404)
        self.assertEqual(self.client.get("/nobody-here/intro/").status_code, 404)

    def test_product_pages_are_not_taken_for_workspaces(self):
        self.assertContains(self.client.get("/support"), "care@vrtual.ly")
        self.assertRedirects(self.client.get("/workspace/"), "/login/?next=/workspace/")


class ServicePageTestCase(BookingTestCase):
    def test_it_shows_the_host_the_service_and_a_calendar(self):
        response = self.client.get(self.public_url())
        self.assertContains(response, "Intro call")
        self.assertContains(response, "Alice Adams")
        self.assertContains(response, "30 minutes")
        self.assertContains(response, 'class="calendar-grid"')
        self.assertContains(response, 'aria-current="date"')

    def test_without_a_zone_it_shows_utc_and_asks_the_browser(self):
        response = self.client.get(self.public_url())
        self.assertContains(response, '<option value="UTC" selected>')
        self.assertContains(response, "data-detect-time-zone")

    def test_times_are_shown_in_the_invitees_zone(self):
        # Alice's first time on a day two days out is 09:00 in Amsterdam, which is
        # 17:00 that same day in Tokyo (16:00 while Amsterdam is on summer time).
        day = (timezone.now().astimezone(AMSTERDAM) + timedelta(days=2)).date()
        start = datetime.combine(day, time(9), AMSTERDAM)
        response = self.client.get(self.public_url(), {"tz": "Asia/Tokyo", "day": day.isoformat()})
        self.assertContains(response, '<option value="Asia/Tokyo" selected>')
        self.assertNotContains(response, "data-detect-time-zone")
        tokyo = start.astimezone(ZoneInfo("Asia/Tokyo"))
        self.assertIn(tokyo.hour, (16, 17))
        slot_link = f"start={instant_param(start).replace(':', '%3A')}"
        self.assertRegex(
            response.content.decode(), rf'href="[^"]*{re.escape(slot_link)}">{tokyo:%H:%M}</a>'
        )

    def test_an_inactive_service_is_not_found(self):
        self.service.is_active = False
        self.service.save()
        self.assertEqual(self.client.get(self.public_url()).status_code, 404)

    def test_another_workspaces_service_is_not_found_under_this_one(self):
        make_service(self.bob.workspace, slug="bobs")
        response = self.client.get(f"/{self.workspace.slug}/bobs/")
        self.assertEqual(response.status_code, 404)


class BookingFlowTestCase(BookingTestCase):
    def test_an_invitee_books_from_calendar_to_confirmation(self):
        start = self.slot(days=2)
        day = start.astimezone(PARIS).date().isoformat()

        # The calendar links the day's times.
        response = self.client.get(self.public_url(), {"tz": "Europe/Paris", "day": day})
        slot_link = f"start={instant_param(start).replace(':', '%3A')}"
        self.assertContains(response, slot_link)

        # A time leads to the details form.
        response = self.client.get(
            self.public_url(), {"tz": "Europe/Paris", "day": day, "start": instant_param(start)}
        )
        self.assertContains(response, "Your details")
        self.assertContains(response, "(Europe/Paris)")

        # Details lead to the review, with the "Confirm booking" button.
        response = self.client.post(
            self.public_url(),
            {
                "step": "details",
                "name": "Ivy Invitee",
                "email": "ivy@example.com",
                "notes": "About my project",
                "start": instant_param(start),
                "tz": "Europe/Paris",
            },
        )
        self.assertContains(response, "Confirm booking")
        self.assertContains(response, "About my project")
        self.assertEqual(Booking.objects.count(), 0)
        key = re.search(r'name="key" value="([^"]+)"', response.content.decode())[1]

        # Confirming books it, and lands on the booking's own page.
        response = self.client.post(
            self.public_url(), self.review_post(start, key=key), follow=True
        )
        booking = Booking.objects.get()
        self.assertRedirects(response, f"/b/{booking.manage_token}/")
        self.assertContains(response, "You’re booked!")
        self.assertEqual(booking.start, start)
        self.assertEqual(booking.end, start + timedelta(minutes=30))
        self.assertEqual(booking.invitee_time_zone, "Europe/Paris")
        self.assertEqual(booking.status, Booking.Status.CONFIRMED)
        self.assertRegex(booking.reference, r"^VR-[2-9A-HJ-NP-Z]{6}$")

        self.assertContains(response, booking.reference)
        self.assertContains(response, "Phone call")

    def test_edit_details_goes_back_to_the_form_with_the_input(self):
        start = self.slot()
        response = self.client.post(
            self.public_url(), {**self.review_post(start, notes="Hello"), "step": "edit"}
        )
        self.assertContains(response, "Your details")
        self.assertContains(response, 'value="Ivy Invitee"')
        self.assertContains(response, "Hello</textarea>")
        self.assertEqual(Booking.objects.count(), 0)

    def test_a_booked_time_disappears_from_the_calendar(self):
        start = self.slot()
        self.book(start=start)
        day = start.astimezone(PARIS).date().isoformat()
        response = self.client.get(self.public_url(), {"tz": "Europe/Paris", "day": day})
        self.assertNotContains(response, instant_param(start).replace(":", "%3A"))

    def test_a_service_with_confirmation_tells_the_invitee_it_awaits_the_host(self):
        self.service.requires_confirmation = True
        self.service.save()
        start = self.slot()
        response = self.client.post(self.public_url(), self.review_post(start), follow=True)
        self.assertContains(response, "Request sent")
        self.assertContains(response, "Waiting for Alice Adams to confirm")
        self.assertEqual(Booking.objects.get().status, Booking.Status.REQUESTED)
        self.assertEqual(
            list(BookingEvent.objects.values_list("action", "actor")),
            [("requested", "invitee")],
        )
