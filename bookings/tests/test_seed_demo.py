from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from bookings import selectors
from bookings.models import LocationKind, Service


class SeedDemoTestCase(TestCase):
    def test_it_sets_up_a_bookable_demo_once(self):
        for _ in range(2):
            out = StringIO()
            call_command("seed_demo", stdout=out)
        self.assertIn("Demo login: demo@vrtual.ly / demo-password-2026", out.getvalue())
        self.assertIn("http://localhost:8000/dana/", out.getvalue())

        services = {service.slug: service for service in Service.objects.all()}
        self.assertEqual(len(services), 3)
        discovery = services["discovery-call"]
        self.assertEqual(
            (discovery.duration_minutes, discovery.location_kind), (30, LocationKind.ZOOM)
        )
        self.assertFalse(discovery.requires_confirmation)
        coaching = services["coaching-session"]
        self.assertEqual(coaching.duration_minutes, 60)
        self.assertTrue(coaching.requires_confirmation)
        in_person = services["in-person-consultation"]
        self.assertEqual((in_person.duration_minutes, in_person.location_kind), (45, "in_person"))
        self.assertTrue(in_person.location_address)

        weekly = selectors.weekly_hours(discovery.workspace)
        self.assertEqual(weekly, {day: [(540, 720), (780, 1020)] for day in range(5)})
        self.assertEqual(discovery.workspace.owner.time_zone, "Europe/Amsterdam")
        self.assertEqual(self.client.get("/dana/discovery-call/").status_code, 200)
