"""The host's services: create, edit, deactivate, with clear errors."""

from bookings.models import LocationKind, Service
from bookings.tests.base import BookingTestCase, make_service

VALID = {
    "name": "Strategy session",
    "slug": "",
    "description": "Ninety minutes on your plan.",
    "duration_minutes": "90",
    "location_kind": "zoom",
    "location_address": "",
    "location_phone": "",
    "buffer_before_minutes": "0",
    "buffer_after_minutes": "15",
    "minimum_notice_minutes": "1440",
    "horizon_days": "30",
    "slot_step_minutes": "30",
    "requires_confirmation": "on",
    "reminder_minutes": ["1440", "60"],
}


class ServicesPagesTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def test_the_list_shows_each_service_with_its_booking_page(self):
        response = self.client.get("/workspace/services/")
        self.assertContains(response, "Intro call")
        self.assertContains(response, "http://localhost:8000/alice-adams/intro/")
        self.assertContains(response, 'data-copy="#service-url-')

    def test_a_new_service_starts_from_sensible_defaults(self):
        form = self.client.get("/workspace/services/new/").context["form"]
        self.assertEqual(form["duration_minutes"].value(), 30)
        self.assertEqual(form["location_kind"].value(), LocationKind.ZOOM)
        self.assertEqual(form["slot_step_minutes"].value(), 30)
        self.assertEqual(form["minimum_notice_minutes"].value(), 4 * 60)
        self.assertEqual(form["horizon_days"].value(), 60)
        self.assertEqual(form["reminder_minutes"].value(), Service().reminder_minutes)

    def test_a_host_creates_a_service_with_every_setting(self):
        response = self.client.post("/workspace/services/new/", VALID, follow=True)
        self.assertRedirects(response, "/workspace/services/")
        self.assertContains(response, "“Strategy session” is created.")
        service = Service.objects.get(slug="strategy-session")
        self.assertEqual(service.workspace, self.workspace)
        self.assertEqual(service.duration_minutes, 90)
        self.assertEqual(service.buffer_after_minutes, 15)
        self.assertEqual(service.minimum_notice_minutes, 1440)
        self.assertEqual(service.horizon_days, 30)
        self.assertTrue(service.requires_confirmation)
        self.assertEqual(sorted(service.reminder_minutes), [60, 1440])
        self.assertEqual(self.client.get("/alice-adams/strategy-session/").status_code, 200)

    def test_locations_need_their_details(self):
        for kind, field, message in (
            ("in_person", "location_address", "Give the address for in-person bookings."),
            ("phone", "location_phone", "Give the number invitees should call."),
        ):
            with self.subTest(kind=kind):
                response = self.client.post(
                    "/workspace/services/new/", {**VALID, "location_kind": kind}
                )
                self.assertContains(response, message)
                response = self.client.post(
                    "/workspace/services/new/",
                    {**VALID, "location_kind": kind, field: "+31 20 123 4567", "slug": kind},
                )
                self.assertEqual(response.status_code, 302)

    def test_bad_values_are_named_and_the_input_kept(self):
        response = self.client.post(
            "/workspace/services/new/",
            {
                **VALID,
                "duration_minutes": "0",
                "horizon_days": "abc",
                "slot_step_minutes": "7",
                "slug": "Not a slug!",
            },
        )
        self.assertContains(response, "Ensure this value is greater than or equal to 5.")
        self.assertContains(response, "Enter a whole number.")
        self.assertContains(
            response, "Select a valid choice. 7 is not one of the available choices."
        )
        self.assertContains(response, "Enter a valid “slug”")
        self.assertContains(response, 'value="Strategy session"')
        self.assertFalse(Service.objects.filter(name="Strategy session").exists())

    def test_a_public_address_is_unique_within_the_workspace_only(self):
        response = self.client.post("/workspace/services/new/", {**VALID, "slug": "intro"})
        self.assertContains(response, "Another of your services uses “intro”.")
        make_service(self.bob.workspace, slug="bobs-thing")
        response = self.client.post("/workspace/services/new/", {**VALID, "slug": "bobs-thing"})
        self.assertEqual(response.status_code, 302)

    def test_a_host_edits_a_service(self):
        response = self.client.get(f"/workspace/services/{self.service.pk}/")
        self.assertContains(response, 'value="Intro call"')
        response = self.client.post(
            f"/workspace/services/{self.service.pk}/",
            {
                **VALID,
                "name": "Intro call",
                "slug": "intro",
                "location_kind": "in_person",
                "location_address": "Dam 1",
            },
        )
        self.assertRedirects(response, "/workspace/services/")
        self.service.refresh_from_db()
        self.assertEqual(self.service.location_kind, LocationKind.IN_PERSON)
        self.assertEqual(self.service.duration_minutes, 90)

    def test_deactivating_takes_the_booking_page_down_and_keeps_bookings(self):
        booking = self.book()
        response = self.client.post(
            f"/workspace/services/{self.service.pk}/active/", {"active": "0"}, follow=True
        )
        self.assertContains(response, "is deactivated")
        self.assertContains(response, "Inactive")
        self.assertEqual(self.client.get(self.public_url()).status_code, 404)
        self.assertEqual(self.client.get(booking.get_manage_url()).status_code, 200)

        self.client.post(f"/workspace/services/{self.service.pk}/active/", {"active": "1"})
        self.assertEqual(self.client.get(self.public_url()).status_code, 200)
