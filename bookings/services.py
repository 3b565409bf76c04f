"""
Every change of a booking's state, as functions that views, tasks and tests all call.

Each runs in one transaction that first locks the host's Workspace row, so bookings of one
host change one at a time: whoever gets the lock second re-checks the time against what the
first one wrote, and two people can never hold the same time. (On PostgreSQL the lock is
``SELECT … FOR UPDATE``; SQLite takes its single write lock at BEGIN, see settings.)

Each change is recorded as a BookingEvent, and its emails are queued for the worker in the same
transaction: with the database task backend, they are sent if and only if the change commits.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Workspace
from bookings import meetings, selectors, tasks
from bookings.models import (
    Actor,
    AvailabilityRule,
    Booking,
    BookingEvent,
    DateOverride,
    Service,
    new_reference,
)

TAKEN_MESSAGE = "This time was just taken — please pick another."


class BookingError(Exception):
    """A change refused, with a message for the person who asked for it."""


class SlotTaken(BookingError):
    """Someone else holds (part of) the time."""


class SlotUnavailable(BookingError):
    """The time is not one the service offers: outside the hours, too soon, too far ahead…"""


class TimePassed(BookingError):
    """The time asked for, or the booking's own, has already begun."""


class NotAllowed(BookingError):
    """The booking's state (or the actor) does not allow this change."""


def _lock(workspace_id):
    Workspace.objects.select_for_update().get(pk=workspace_id)


def _fresh(booking):
    """Lock the booking's workspace, then read the booking as it is now."""
    _lock(booking.workspace_id)
    return Booking.objects.select_related("service", "workspace__owner").get(pk=booking.pk)


def _actor_name(booking, actor):
    if actor == Actor.HOST:
        return booking.workspace.owner.name or booking.workspace.name
    return booking.invitee_name


def _record(booking, action, actor, *, reason="", previous=None):
    """Add a history entry and queue its emails to both sides."""
    event = BookingEvent.objects.create(
        booking=booking,
        action=action,
        actor=actor,
        actor_name=_actor_name(booking, actor),
        at=timezone.now(),
        reason=reason,
        start=booking.start,
        end=booking.end,
        previous_start=previous.start if previous else None,
        previous_end=previous.end if previous else None,
        sequence=booking.sequence,
    )
    for recipient in (Actor.INVITEE, Actor.HOST):
        tasks.send_booking_email.enqueue(event.pk, recipient)
    return event


def _schedule_reminders(booking):
    """Queue reminders at the service's offsets before the start, for both sides."""
    now = timezone.now()
    for minutes in sorted(set(booking.service.reminder_minutes or []), reverse=True):
        when = booking.start - timedelta(minutes=minutes)
        if when <= now:
            continue
        reminder = tasks.send_booking_reminder.using(run_after=when)
        for recipient in (Actor.INVITEE, Actor.HOST):
            reminder.enqueue(
                booking.pk, booking.sequence, booking.start.isoformat(), recipient, minutes
            )


def _check_free(service, start, *, exclude=None, duration=None):
    if start <= timezone.now():
        raise TimePassed("That time has already passed — please pick a time ahead.")
    if selectors.is_free(service, start, exclude=exclude, duration=duration):
        return
    if selectors.is_free(service, start, exclude=exclude, duration=duration, with_bookings=False):
        raise SlotTaken(TAKEN_MESSAGE)
    raise SlotUnavailable("That time is not available — please pick another.")


def _cause(booking, what, actor):
    """The person's action, as the Zoom activity log shows it."""
    who = f"{_actor_name(booking, actor)} ({Actor(actor).label.lower()})"
    return f"Booking {booking.reference} {what} by {who}"


def _confirm(booking, *, actor):
    """The one place a booking becomes confirmed, by the host or by the invitee's own click."""
    booking.status = Booking.Status.CONFIRMED
    booking.save(update_fields=["status", "updated"])
    _record(booking, BookingEvent.Action.CONFIRMED, actor)
    _schedule_reminders(booking)
    # The only moment a Zoom meeting is created: a person has just confirmed the booking.
    meetings.on_confirmed(booking, cause=_cause(booking, "confirmed", actor))


def booking_request(
    *,
    service,
    start,
    invitee_name,
    invitee_email,
    invitee_notes="",
    invitee_time_zone="UTC",
    idempotency_key=None,
):
    """
    Book ``start`` of ``service`` for an invitee, who has just clicked "Confirm booking".

    The booking waits for the host when the service requires the host's confirmation, and is
    confirmed at once otherwise. A repeat with the same ``idempotency_key`` (a double click,
    a reload) returns the booking the first one made.
    """
    with transaction.atomic():
        _lock(service.workspace_id)
        if idempotency_key:
            existing = Booking.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if (existing.service_id, existing.start) != (service.pk, start):
                    raise NotAllowed("This form was already used. Please pick a time again.")
                return existing

        service = Service.objects.select_related("workspace__owner").get(pk=service.pk)
        if not service.is_active:
            raise SlotUnavailable("This service is no longer offered.")
        _check_free(service, start)

        reference = new_reference()
        while Booking.objects.filter(reference=reference).exists():
            reference = new_reference()
        end = start + timedelta(minutes=service.duration_minutes)
        details = {"phone": service.location_phone, "in_person": service.location_address}
        booking = Booking.objects.create(
            workspace=service.workspace,
            service=service,
            reference=reference,
            idempotency_key=idempotency_key or None,
            status=Booking.Status.REQUESTED,
            start=start,
            end=end,
            busy_start=start - timedelta(minutes=service.buffer_before_minutes),
            busy_end=end + timedelta(minutes=service.buffer_after_minutes),
            invitee_name=invitee_name,
            invitee_email=invitee_email,
            invitee_notes=invitee_notes,
            invitee_time_zone=invitee_time_zone,
            location_kind=service.location_kind,
            location_details=details.get(service.location_kind, ""),
        )
        if service.requires_confirmation:
            _record(booking, BookingEvent.Action.REQUESTED, Actor.INVITEE)
        else:
            _confirm(booking, actor=Actor.INVITEE)
    return booking


def booking_confirm(booking, *, actor):
    """The host accepts a requested booking; refused once its start time has passed."""
    if actor != Actor.HOST:
        raise NotAllowed("Only the host can confirm a booking request.")
    with transaction.atomic():
        booking = _fresh(booking)
        if booking.status != Booking.Status.REQUESTED:
            raise NotAllowed(
                f"This booking is {booking.get_status_display().lower()}: only a booking "
                "awaiting confirmation can be confirmed."
            )
        if booking.has_started():
            raise TimePassed(
                "The scheduled time has already passed, so this booking can’t be confirmed. "
                "Reschedule it to a time ahead, or decline it."
            )
        if selectors.overlapping_bookings(booking).exists():
            raise SlotTaken("Another booking now holds this time. Reschedule or decline this one.")
        _confirm(booking, actor=actor)
    return booking


def booking_decline(booking, *, actor, reason=""):
    """The host turns down a requested booking; the time is free again."""
    if actor != Actor.HOST:
        raise NotAllowed("Only the host can decline a booking request.")
    with transaction.atomic():
        booking = _fresh(booking)
        if booking.status != Booking.Status.REQUESTED:
            raise NotAllowed(
                f"This booking is {booking.get_status_display().lower()}: only a booking "
                "awaiting confirmation can be declined."
            )
        booking.status = Booking.Status.DECLINED
        booking.sequence += 1
        booking.save(update_fields=["status", "sequence", "updated"])
        _record(booking, BookingEvent.Action.DECLINED, actor, reason=reason.strip())
        meetings.on_called_off(booking, cause=_cause(booking, "declined", actor))
    return booking


def booking_reschedule(booking, *, new_start, actor):
    """
    Move a booking to another free start time of its service, keeping its length and status.

    A confirmed booking that has begun can no longer move; a request whose time passed
    without an answer can, to a time ahead.
    """
    with transaction.atomic():
        booking = _fresh(booking)
        if not booking.is_active:
            raise NotAllowed(
                f"This booking is {booking.get_status_display().lower()}, so it can’t be moved."
            )
        if booking.status == Booking.Status.CONFIRMED and booking.has_started():
            raise TimePassed("This booking has already started, so it can’t be moved.")
        if new_start == booking.start:
            raise SlotUnavailable("That is the booking's current time — please pick another.")
        duration = booking.end - booking.start
        _check_free(booking.service, new_start, exclude=booking, duration=duration)

        previous = BookingEvent(start=booking.start, end=booking.end)
        service = booking.service
        booking.start = new_start
        booking.end = new_start + duration
        booking.busy_start = new_start - timedelta(minutes=service.buffer_before_minutes)
        booking.busy_end = booking.end + timedelta(minutes=service.buffer_after_minutes)
        booking.sequence += 1
        booking.save(
            update_fields=["start", "end", "busy_start", "busy_end", "sequence", "updated"]
        )
        _record(booking, BookingEvent.Action.RESCHEDULED, actor, previous=previous)
        if booking.status == Booking.Status.CONFIRMED:
            _schedule_reminders(booking)
            meetings.on_rescheduled(booking, cause=_cause(booking, "rescheduled", actor))
    return booking


def booking_cancel(booking, *, actor, reason=""):
    """Host or invitee calls a booking off; the time is free again."""
    with transaction.atomic():
        booking = _fresh(booking)
        if not booking.is_active:
            raise NotAllowed(f"This booking is already {booking.get_status_display().lower()}.")
        if booking.status == Booking.Status.CONFIRMED and booking.has_started():
            raise TimePassed("This booking has already started, so it can’t be cancelled.")
        booking.status = Booking.Status.CANCELLED
        booking.sequence += 1
        booking.save(update_fields=["status", "sequence", "updated"])
        _record(booking, BookingEvent.Action.CANCELLED, actor, reason=reason.strip())
        meetings.on_called_off(booking, cause=_cause(booking, "cancelled", actor))
    return booking


def availability_set_weekly(workspace, hours):
    """Replace a workspace's weekly hours with ``{weekday: [(start, end), …]}`` (minutes)."""
    with transaction.atomic():
        _lock(workspace.pk)
        AvailabilityRule.objects.filter(workspace=workspace).delete()
        AvailabilityRule.objects.bulk_create(
            AvailabilityRule(workspace=workspace, weekday=weekday, start_minute=a, end_minute=b)
            for weekday, intervals in sorted(hours.items())
            for a, b in intervals
        )


def availability_set_override(workspace, day, intervals):
    """Give ``day`` its own hours, replacing the weekly ones; no intervals is a day off."""
    with transaction.atomic():
        _lock(workspace.pk)
        DateOverride.objects.filter(workspace=workspace, date=day).delete()
        rows = [
            DateOverride(workspace=workspace, date=day, start_minute=a, end_minute=b)
            for a, b in intervals
        ]
        DateOverride.objects.bulk_create(rows or [DateOverride(workspace=workspace, date=day)])


def availability_remove_override(workspace, day):
    """Let ``day`` follow the weekly hours again."""
    DateOverride.objects.filter(workspace=workspace, date=day).delete()
