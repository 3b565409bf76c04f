"""Fixtures for booking tests: Alice (Europe/Amsterdam) and a bookable "Intro call"."""

from datetime import timedelta

from django.utils import timezone

from accounts.testing import BaseTestCase
from bookings import selectors, services
from bookings.models import Booking, LocationKind, Service
from bookings.times import instant_param

ALL_WEEK_9_TO_17 = {weekday: [(9 * 60, 17 * 60)] for weekday in range(7)}


def make_service(workspace, **fields):
    defaults = {
        "name": "Intro call",
        "slug": "intro",
        "duration_minutes": 30,
        "minimum_notice_minutes": 0,
        # By phone: booking behaviour on its own. Zoom meetings have tests of their own
        # (test_meetings_*), against the Zoom sandbox.
        "location_kind": LocationKind.PHONE,
        "location_phone": "+31 20 123 4567",
    }
    return Service.objects.create(workspace=workspace, **{**defaults, **fields})


def free_slots_after(service, *, days=1, count=1, exclude=None):
    """The first free start times of ``service`` from ``days`` days from now."""
    start = timezone.now() + timedelta(days=days)
    slots = selectors.free_slots(
        service, start=start, end=start + timedelta(days=7), exclude=exclude
    )
    return slots[:count]


class BookingTestCase(BaseTestCase):
    """Alice works 09:00–17:00 every day and offers a 30-minute "Intro call" by phone."""

    def setUp(self):
        super().setUp()
        self.workspace = self.alice.workspace
        services.availability_set_weekly(self.workspace, ALL_WEEK_9_TO_17)
        self.service = make_service(self.workspace)

    def slot(self, service=None, *, days=1, index=0):
        return free_slots_after(service or self.service, days=days, count=index + 1)[index]

    def book(self, service=None, start=None, **fields):
        """Book as an invitee who has clicked "Confirm booking", queueing the emails."""
        service = service or self.service
        details = {
            "invitee_name": "Ivy Invitee",
            "invitee_email": "ivy@example.com",
            "invitee_time_zone": "America/New_York",
            **fields,
        }
        return services.booking_request(
            service=service, start=start or self.slot(service), **details
        )

    def request(self, **fields):
        """A booking of a service that needs Alice's confirmation."""
        self.service.requires_confirmation = True
        self.service.save()
        return self.book(**fields)

    def act(self, action, booking, **kwargs):
        return action(booking, **kwargs)

    def reload(self, booking):
        return Booking.objects.get(pk=booking.pk)

    def public_url(self, service=None):
        service = service or self.service
        return f"/{service.workspace.slug}/{service.slug}/"

    def review_post(self, start, *, key="k" * 24, **fields):
        """What the review step's "Confirm booking" button posts."""
        return {
            "step": "confirm",
            "name": "Ivy Invitee",
            "email": "ivy@example.com",
            "notes": "",
            "start": instant_param(start),
            "tz": "Europe/Paris",
            "key": key,
            **fields,
        }
