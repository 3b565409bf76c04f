"""
Where a booking happens, as every page, email and calendar invite shows it.

Everything that shows a booking's location goes through ``location_for``, so the Zoom
meeting's join link, once a booking has one, appears everywhere at once.
"""

from dataclasses import dataclass

from bookings.models import Booking, LocationKind


@dataclass(frozen=True)
class Location:
    kind: str
    label: str
    # A link to join or reach the booking (a meeting link, a tel: link), when there is one.
    url: str | None
    details: str

    @property
    def text(self):
        """One line for a calendar's LOCATION field."""
        if self.url and self.kind == LocationKind.ZOOM:
            return self.url
        return f"{self.label}: {self.details}" if self.details else self.label


def location_for(booking):
    kind = booking.location_kind
    if kind == LocationKind.IN_PERSON:
        return Location(kind, "In person", None, booking.location_details)
    if kind == LocationKind.PHONE:
        number = booking.location_details
        dial = "".join(c for c in number if c.isdigit() or c == "+")
        return Location(kind, "Phone call", f"tel:{dial}" if dial else None, number)
    details = ""
    if booking.status == Booking.Status.REQUESTED:
        details = "The Zoom meeting is set up once the host confirms the booking."
    return Location(LocationKind.ZOOM, "Zoom video meeting", None, details)
