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
    details, url = "", None
    if booking.status == Booking.Status.REQUESTED:
        details = "The Zoom meeting is set up once the host confirms the booking."
    elif booking.status == Booking.Status.CONFIRMED:
        meeting = meeting_of(booking)
        if meeting is not None and meeting.state == meeting.State.CREATED and meeting.join_url:
            url = meeting.join_url
            details = f"Meeting ID {format_meeting_id(meeting.zoom_meeting_id)}"
        else:
            details = "The Zoom link follows as soon as the meeting is ready."
    return Location(LocationKind.ZOOM, "Zoom video meeting", url, details)


def meeting_of(booking):
    try:
        return booking.meeting
    except Booking.meeting.RelatedObjectDoesNotExist:
        return None


# How Zoom groups the digits of a meeting id, by its length.
_ID_GROUPS = {9: (3, 3, 3), 10: (3, 3, 4), 11: (3, 4, 4)}


def format_meeting_id(meeting_id):
    """Zoom's own way of writing a meeting id: 857 4606 5432."""
    digits = str(meeting_id or "")
    parts, at = [], 0
    for size in _ID_GROUPS.get(len(digits), (len(digits),)):
        parts.append(digits[at : at + size])
        at += size
    return " ".join(parts)
