"""
Booking emails, rendered by the worker from the database as it is when they are sent.

Each history event sends one email to each side, with the calendar invite attached. An
invite that a later change has made stale (the booking moved or was called off before the
worker got to it) is not sent: the later change's own email says what holds now.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from bookings import ics
from bookings.locations import location_for, meeting_of
from bookings.models import Actor, Booking, BookingEvent, Meeting
from bookings.times import duration_label, format_range, zone_or_utc
from lib.emails import send_templated_email

# The invite each kind of event carries: its METHOD, and the event STATUS in it.
INVITES = {
    BookingEvent.Action.REQUESTED: (ics.Method.REQUEST, "TENTATIVE"),
    BookingEvent.Action.CONFIRMED: (ics.Method.REQUEST, "CONFIRMED"),
    # A moved booking keeps its state: still awaiting the host, or confirmed.
    BookingEvent.Action.RESCHEDULED: (ics.Method.REQUEST, None),
    BookingEvent.Action.CANCELLED: (ics.Method.CANCEL, "CANCELLED"),
    BookingEvent.Action.DECLINED: (ics.Method.CANCEL, "CANCELLED"),
}


def _bookings():
    return Booking.objects.select_related("service", "workspace__owner")


def booking_context(booking, recipient, *, start, end):
    """What every booking email and invite says about ``booking``, for one side of it."""
    host = booking.workspace.owner
    host_name = host.name or booking.workspace.name
    to_host = recipient == Actor.HOST
    zone = zone_or_utc(host.time_zone if to_host else booking.invitee_time_zone)
    path = booking.get_absolute_url() if to_host else booking.get_manage_url()
    return {
        "booking": booking,
        "service": booking.service,
        "to_host": to_host,
        "host_name": host_name,
        "recipient_name": host_name if to_host else booking.invitee_name,
        "other_name": booking.invitee_name if to_host else host_name,
        "to": host.email if to_host else booking.invitee_email,
        "reply_to": booking.invitee_email if to_host else host.email,
        "zone": zone,
        "when": format_range(start, end, zone),
        "location": location_for(booking),
        "link": settings.BASE_URL + path,
    }


def _send(template, context, attachments=()):
    send_templated_email(
        template,
        context,
        [context["to"]],
        attachments=attachments,
        headers={"Reply-To": context["reply_to"]},
    )


# A confirmation waits this long for its Zoom link; after that it goes without, and the link
# follows in an email of its own as soon as the meeting exists.
LINK_WAIT = timedelta(minutes=2)


def _awaits_link(booking, event):
    meeting = meeting_of(booking)
    return (
        event.action == BookingEvent.Action.CONFIRMED
        and meeting is not None
        and meeting.state == Meeting.State.PENDING
        and timezone.now() - event.at < LINK_WAIT
    )


def _owe_link(booking):
    """The email went without a Zoom link: send it when the meeting is there."""
    from bookings import tasks

    owed = Meeting.objects.filter(
        booking=booking, state__in=[Meeting.State.PENDING, Meeting.State.FAILED]
    ).update(link_owed=True)
    meeting = meeting_of(booking)
    if not owed and meeting is not None:
        meeting.refresh_from_db()
        if meeting.state == Meeting.State.CREATED:
            # Created in the meantime: the link email goes now.
            tasks.send_meeting_link_emails.enqueue(booking.pk)


def send_event_email(event_id, recipient):
    from bookings import tasks

    event = BookingEvent.objects.filter(pk=event_id).first()
    if event is None:
        return
    booking = _bookings().get(pk=event.booking_id)
    method, status = INVITES[event.action]
    if method == ics.Method.REQUEST and (
        not booking.is_active or booking.sequence != event.sequence
    ):
        return
    if _awaits_link(booking, event):
        later = tasks.send_booking_email.using(run_after=timezone.now() + timedelta(seconds=5))
        later.enqueue(event_id, recipient)
        return

    context = booking_context(booking, recipient, start=event.start, end=event.end)
    context["event"] = event
    if event.previous_start:
        context["previous_when"] = format_range(
            event.previous_start, event.previous_end, context["zone"]
        )
    calendar = ics.booking_invite(
        booking,
        recipient,
        method=method,
        status=status,
        start=event.start,
        end=event.end,
        sequence=event.sequence,
    )
    _send(f"bookings/emails/{event.action}", context, [ics.attachment(calendar)])
    if (
        event.action == BookingEvent.Action.CONFIRMED
        and context["location"].kind == "zoom"
        and not context["location"].url
    ):
        _owe_link(booking)


def send_reminder(booking_id, sequence, start, recipient, minutes_before):
    """Remind one side of a booking, unless it has since been moved or called off."""
    booking = _bookings().filter(pk=booking_id).first()
    if (
        booking is None
        or booking.status != Booking.Status.CONFIRMED
        or booking.sequence != sequence
        or booking.start != datetime.fromisoformat(start)
        or booking.start <= timezone.now()
    ):
        return
    context = booking_context(booking, recipient, start=booking.start, end=booking.end)
    context["lead_time"] = duration_label(minutes_before)
    _send("bookings/emails/reminder", context)


def send_meeting_link(booking_id):
    """The Zoom link that a confirmation had to go without, to both sides, with the invite."""
    booking = _bookings().filter(pk=booking_id).first()
    if booking is None or booking.status != Booking.Status.CONFIRMED:
        return
    if not location_for(booking).url or booking.start <= timezone.now():
        return
    for recipient in (Actor.INVITEE, Actor.HOST):
        context = booking_context(booking, recipient, start=booking.start, end=booking.end)
        calendar = ics.booking_invite(booking, recipient, method=ics.Method.REQUEST)
        _send("bookings/emails/meeting_ready", context, [ics.attachment(calendar)])


def send_meeting_failed(meeting_id):
    """Tell the host, once, that a confirmed booking has no Zoom meeting, and why."""
    from bookings.meetings import explain
    from bookings.times import zone_or_utc

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None or meeting.state != Meeting.State.FAILED:
        return
    booking = _bookings().get(pk=meeting.booking_id)
    if booking.status != Booking.Status.CONFIRMED:
        return
    context = booking_context(booking, Actor.HOST, start=booking.start, end=booking.end)
    context["explanation"] = explain(
        booking,
        to_host=True,
        zone=zone_or_utc(booking.workspace.owner.time_zone),
        zoom_connected=meeting.problem != Meeting.Problem.NOT_CONNECTED,
    )
    _send("bookings/emails/meeting_failed", context)
