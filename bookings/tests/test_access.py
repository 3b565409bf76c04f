"""Every host page is the signed-in host's own: others' objects answer 404, visitors log in."""

from bookings.models import Booking, Service
from bookings.tests.base import BookingTestCase, make_service


class AccessTestCase(BookingTestCase):
    def setUp(self):
        super().setUp()
        self.booking = self.book()
        self.service_urls = [
            f"/workspace/services/{self.service.pk}/",
            f"/workspace/services/{self.service.pk}/active/",
        ]
        base = f"/workspace/bookings/{self.booking.reference}/"
        self.booking_urls = [
            base,
            f"{base}confirm/",
            f"{base}decline/",
            f"{base}cancel/",
            f"{base}reschedule/",
        ]

    def test_visitors_are_sent_to_log_in(self):
        for url in [
            *self.service_urls,
            *self.booking_urls,
            "/workspace/availability/overrides/2030-01-01/remove/",
        ]:
            with self.subTest(url=url):
                for method in (self.client.get, self.client.post):
                    response = method(url)
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith("/login/?next="))

    def test_another_host_gets_404_for_alices_services_and_bookings(self):
        self.client.force_login(self.bob)
        for url in self.service_urls + self.booking_urls:
            with self.subTest(url=url):
                response = self.client.post(url, {"active": "0", "reason": "x", "name": "Mine"})
                self.assertEqual(response.status_code, 404)
        for url in (self.service_urls[0], self.booking_urls[0], self.booking_urls[-1]):
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.service.refresh_from_db()
        self.assertTrue(self.service.is_active)
        self.assertEqual(Booking.objects.get().status, Booking.Status.CONFIRMED)

    def test_another_hosts_lists_leave_alices_things_out(self):
        make_service(self.bob.workspace, name="Bob's own")
        self.client.force_login(self.bob)
        response = self.client.get("/workspace/services/")
        self.assertContains(response, "Bob&#x27;s own")
        self.assertNotContains(response, "Intro call")
        for tab in ("upcoming", "awaiting", "past", "cancelled"):
            response = self.client.get("/workspace/bookings/", {"tab": tab})
            self.assertNotContains(response, self.booking.reference)
        self.assertNotContains(self.client.get("/workspace/"), self.booking.reference)

    def test_another_hosts_edit_cannot_move_a_service_into_their_workspace(self):
        self.client.force_login(self.bob)
        self.client.post(f"/workspace/services/{self.service.pk}/", {"name": "Mine now"})
        self.assertEqual(Service.objects.get(pk=self.service.pk).workspace, self.workspace)
