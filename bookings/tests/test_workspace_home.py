"""The workspace home and Business Tools lead to bookings, services and availability."""

from bookings.models import AvailabilityRule, Service
from bookings.tests.base import BookingTestCase


class WorkspaceHomeTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_shows_upcoming_bookings_and_requests_waiting(self):
        booking = self.book()
        self.request(start=self.slot(days=2))
        response = self.client.get("/workspace/")
        self.assertContains(response, booking.reference)
        self.assertContains(response, "Intro call with Ivy Invitee")
        self.assertContains(response, '<p class="stat">1</p>')
        self.assertContains(response, "http://localhost:8000/alice-adams/")

    def test_the_checklist_follows_services_and_availability(self):
        response = self.client.get("/workspace/")
        checklist = response.context["checklist"]
        self.assertEqual(
            [(step["label"], step["done"]) for step in checklist],
            [("Create a service", True), ("Set your availability", True), ("Connect Zoom", False)],
        )
        Service.objects.all().delete()
        AvailabilityRule.objects.all().delete()
        response = self.client.get("/workspace/")
        self.assertEqual([step["done"] for step in response.context["checklist"]], [False] * 3)
        self.assertContains(response, 'href="/workspace/services/"')
        self.assertContains(response, 'href="/workspace/availability/"')

    def test_business_tools_has_tiles_for_bookings_services_and_availability(self):
        response = self.client.get("/workspace/business-tools/")
        for url in ("/workspace/bookings/", "/workspace/services/", "/workspace/availability/"):
            self.assertContains(response, f'href="{url}"')
        self.assertContains(response, 'href="/integrations/"')
