"""Fixtures for Zoom meeting tests: Alice's "Intro call" on Zoom, her Zoom connected."""

from bookings.models import Booking, LocationKind, Meeting
from bookings.tests.base import BookingTestCase
from integrations.zoom.testing import ZoomMixin


class MeetingTestCase(ZoomMixin, BookingTestCase):
    def setUp(self):
        super().setUp()
        self.service.location_kind = LocationKind.ZOOM
        self.service.save()
        self.connect()
        self.client.force_login(self.alice)
        self.zoom.control.clear_requests()

    def confirm(self, booking):
        """The host clicks Confirm on the booking's page."""
        return self.client.post(f"/workspace/bookings/{booking.reference}/confirm/", follow=True)

    def booked(self, **fields):
        """An invitee books a slot of the auto-confirmed service through the public page."""
        start = self.slot()
        response = self.client.post(self.public_url(), self.review_post(start, **fields))
        booking = Booking.objects.get(start=start)
        return booking, response

    def meeting(self, booking):
        return Meeting.objects.get(booking=booking)

    def zoom_meetings(self, include_deleted=False):
        meetings = self.zoom.control.meetings()
        return [m for m in meetings if include_deleted or not m.get("deleted")]

    def creates(self):
        return [r for r in self.api_requests() if r["endpoint"] == "meetings.create"]
