"""Calendar invites (.ics) for bookings, built with the icalendar library."""

from email.mime.text import MIMEText

import icalendar
from django.conf import settings
from django.utils import timezone

from bookings.locations import location_for
from bookings.models import Actor, Booking

UID_DOMAIN = "vrtual.ly"


class Method:
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


def booking_uid(booking):
    """The same for every invite of one booking, so calendars update one event."""
    return f"{booking.reference}@{UID_DOMAIN}"


def current_status(booking):
    """The STATUS of an invite describing the booking as it is now."""
    return {
        Booking.Status.REQUESTED: "TENTATIVE",
        Booking.Status.CONFIRMED: "CONFIRMED",
    }.get(booking.status, "CANCELLED")


def _address(email, name, **params):
    address = icalendar.vCalAddress(f"mailto:{email}")
    address.params["cn"] = name
    address.params.update(params)
    return address


def _description(booking, recipient, other_name, location):
    lines = [f"{booking.service.name} with {other_name}", f"Reference: {booking.reference}"]
    lines.append(f"Where: {location.label}")
    lines += [value for value in (location.details, location.url) if value]
    if recipient == Actor.HOST:
        if booking.invitee_notes:
            lines.append(f"Notes from {other_name}: {booking.invitee_notes}")
        lines.append(f"Booking page: {settings.BASE_URL}{booking.get_absolute_url()}")
    else:
        lines.append(f"Reschedule or cancel: {settings.BASE_URL}{booking.get_manage_url()}")
    return "\n".join(lines)


def booking_invite(
    booking, recipient, *, method, status=None, start=None, end=None, sequence=None
):
    """
    A VCALENDAR with one VEVENT for one side of ``booking`` (the host or the invitee).

    ``start``, ``end`` and ``sequence`` default to the booking's own; emails pass those of
    the change they announce.
    """
    location = location_for(booking)
    host = booking.workspace.owner
    host_name = host.name or booking.workspace.name
    other_name = booking.invitee_name if recipient == Actor.HOST else host_name

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//vrtual.ly//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = icalendar.Event()
    event.add("uid", booking_uid(booking))
    event.add("sequence", booking.sequence if sequence is None else sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start or booking.start)
    event.add("dtend", end or booking.end)
    event.add("summary", f"{booking.service.name} with {other_name}")
    event.add("description", _description(booking, recipient, other_name, location))
    event.add("location", location.text)
    if location.url:
        event.add("url", location.url)
    event.add("status", status or current_status(booking))
    event.add("organizer", _address(host.email, host_name))
    event.add(
        "attendee",
        _address(
            booking.invitee_email,
            booking.invitee_name,
            role="REQ-PARTICIPANT",
            partstat="ACCEPTED",
        ),
    )
    calendar.add_component(event)
    return calendar


def attachment(calendar):
    """The invite as an email part that mail clients offer to add to the calendar."""
    part = MIMEText(calendar.to_ical().decode(), "calendar", "utf-8")
    part.set_param("method", str(calendar["METHOD"]))
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part
