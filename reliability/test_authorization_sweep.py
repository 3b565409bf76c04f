"""
Scenario 8: every page and action that takes an object's identifier, walked as another host,
an anonymous visitor and an invitee without the manage token. None of them gets the object.
"""

from datetime import timedelta

from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bookings import services
from bookings.models import DateOverride, Service
from bookings.tests.meeting_base import MeetingTestCase

# Pages that identify objects by design, for anyone: the public booking pages, and the
# password reset link (its token is the secret).
PUBLIC = {"public_workspace", "public_service", "password_reset_confirm"}


def patterns_with_identifiers(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns_with_identifiers(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and "<" in prefix + str(entry.pattern):
            yield entry.name


class AuthorizationSweepTestCase(MeetingTestCase):
    def setUp(self):
        super().setUp()
        self.booking = self.request()
        self.confirm(self.booking)  # Alice's booking has its Zoom meeting.
        self.day = timezone.localdate() + timedelta(days=20)
        services.availability_set_override(self.alice.workspace, self.day, [])
        self.client.logout()

    def kwargs_for(self, name):
        """Alice's identifiers for each kind of route; a new kind fails the sweep."""
        routes = {
            "service_": {"pk": self.service.pk},
            "override_": {"day": self.day.isoformat()},
            "booking_": {"reference": self.booking.reference},
            "manage_": {"token": self.booking.manage_token},
        }
        for start, kwargs in routes.items():
            if name.startswith(start):
                return kwargs
        self.fail(f"the sweep does not know the route {name!r}: teach it")

    def routes(self):
        names = sorted(set(patterns_with_identifiers()) - PUBLIC)
        self.assertGreater(len(names), 15)
        return [(name, reverse(name, kwargs=self.kwargs_for(name))) for name in names]

    def assert_unchanged(self):
        self.booking.refresh_from_db()
        self.assertEqual(self.booking.status, "confirmed")
        self.assertTrue(Service.objects.get(pk=self.service.pk).is_active)
        self.assertTrue(DateOverride.objects.filter(workspace=self.alice.workspace).exists())
        self.assertEqual(len(self.zoom_meetings()), 1)

    def test_another_host_gets_nothing(self):
        self.client.force_login(self.bob)
        for name, url in self.routes():
            if name.startswith("manage_"):
                continue  # The manage link is the invitee's key, whoever holds it.
            with self.subTest(route=name):
                for method in ("get", "post"):
                    response = getattr(self.client, method)(url)
                    if name.startswith("override_") and method == "post":
                        # Removes the override of Bob's own calendar for that day, if any.
                        self.assertRedirects(response, "/workspace/availability/")
                    else:
                        self.assertIn(response.status_code, (404, 405), f"{method} {url}")
        self.assert_unchanged()

    def test_an_anonymous_visitor_is_sent_to_log_in(self):
        for name, url in self.routes():
            if name.startswith("manage_"):
                continue
            with self.subTest(route=name):
                for method in ("get", "post"):
                    response = getattr(self.client, method)(url)
                    if response.status_code != 405:
                        self.assertEqual(response.status_code, 302)
                        self.assertTrue(response["Location"].startswith("/login/"))
        self.assert_unchanged()

    def test_an_invitee_without_the_token_gets_404(self):
        forged = "A" * len(self.booking.manage_token)
        for name, url in self.routes():
            if not name.startswith("manage_"):
                continue
            with self.subTest(route=name):
                for method in ("get", "post"):
                    url_without = url.replace(self.booking.manage_token, forged)
                    response = getattr(self.client, method)(url_without)
                    self.assertIn(response.status_code, (404, 405))
        self.assert_unchanged()

    def test_the_invitee_with_the_token_never_sees_the_start_link(self):
        for name, url in self.routes():
            if name.startswith("manage_") and not name.endswith(("cancel", "reschedule")):
                with self.subTest(route=name):
                    body = self.client.get(url).content.decode()
                    self.assertNotIn("zak=", body)
                    self.assertNotIn(f"{self.zoom.base_url}/s/", body)

    def test_alice_herself_reaches_every_route(self):
        self.client.force_login(self.alice)
        for name, url in self.routes():
            with self.subTest(route=name):
                self.assertNotEqual(self.client.get(url).status_code, 404)
