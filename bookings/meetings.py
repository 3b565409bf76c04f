"""
A booking's Zoom meeting: created once when the booking is confirmed, kept in step when it
moves, removed when it is called off — and explained whenever there is no link.

The booking services call the ``on_*`` hooks inside their own transaction; each hook records
the work on the booking's ``Meeting`` row and queues a task to do it (the task row commits with
the booking's change). Right after, the view makes the first attempt inline, so that in the
normal case the page the person lands on already has the link. If Zoom is slow or failing, the
worker retries with capped, jittered backoff until the booking's start time.

Zoom has no idempotency key: a create whose answer was lost (a timeout, a dropped connection,
a crash) may still have made a meeting. So each create is noted first (``create_attempted_at``)
and any later attempt looks for the booking's meeting in Zoom before creating another one.
"""

import logging
import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import dateformat, timezone
from django_tasks_db.models import DBTaskResult

from bookings.models import Booking, LocationKind, Meeting
from integrations.zoom import meetings as zoom

log = logging.getLogger(__name__)


def _lease():
    """How long one attempt may take before another process may assume it died."""
    return timedelta(seconds=settings.ZOOM_MEETING_LEASE_SECONDS)


# The queued task waits this long, so the inline attempt of the person's request goes first.
INLINE_HEAD_START = timedelta(seconds=8)
BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(minutes=15)
# A removal keeps being retried for this long after the meeting's time.
DELETE_GIVE_UP_AFTER = timedelta(days=1)


def is_zoom(booking):
    return booking.location_kind == LocationKind.ZOOM


def _host_name(booking):
    return booking.workspace.owner.name or booking.workspace.name


def plan_for(booking):
    """What the booking's Zoom meeting should say."""
    host = booking.workspace.owner
    return zoom.MeetingPlan(
        reference=booking.reference,
        topic=f"{booking.service.name} with {booking.invitee_name}",
        start=booking.start,
        duration_minutes=int((booking.end - booking.start).total_seconds() // 60),
        time_zone=host.time_zone,
        details=(
            f"{booking.service.name}, booked on vrtual.ly.\n"
            f"Host: {_host_name(booking)}\nInvitee: {booking.invitee_name}"
        ),
    )


# Hooks for the booking services, called inside their transaction -------------------------


def _waiting_wakeup(meeting):
    """The meeting's wake-up task, if it is still queued (not taken by a worker)."""
    return DBTaskResult.objects.filter(pk=meeting.wakeup_task_id or None, status="READY")


def _queue(meeting, *, when):
    """Schedule the next attempt at ``when`` (the caller saves ``meeting``)."""
    from bookings import tasks

    meeting.next_attempt_at = when
    # A wake-up still waiting in the queue is moved rather than joined by another, so a
    # meeting never has more than one task queued for it.
    if not (meeting.wakeup_task_id and _waiting_wakeup(meeting).update(run_after=when)):
        task = tasks.sync_meeting.using(run_after=when).enqueue(meeting.booking_id)
        meeting.wakeup_task_id = str(task.id)


# The fields the hooks write. They save only these, so an attempt running meanwhile (which
# writes create_attempted_at on its own) is never overwritten.
WORK_FIELDS = [
    "state",
    "action",
    "cause",
    "attempts",
    "problem",
    "problem_detail",
    "next_attempt_at",
    "wakeup_task_id",
    "host_told_of_failure",
    "updated",
]


def _locked(booking):
    return Meeting.objects.select_for_update().filter(booking=booking).first()


def _start_work(meeting, action, cause):
    meeting.action = action
    meeting.cause = cause[:300]
    meeting.attempts = 0
    meeting.problem = Meeting.Problem.NONE
    meeting.problem_detail = ""
    _queue(meeting, when=timezone.now() + INLINE_HEAD_START)
    # A booking's first meeting row is written whole, wake-up included, in one INSERT.
    meeting.save(update_fields=WORK_FIELDS if meeting.pk else None)


def on_confirmed(booking, *, cause):
    """A person confirmed the booking: it gets its Zoom meeting (the only way one is made)."""
    if not is_zoom(booking):
        return None
    meeting = _locked(booking) or Meeting(booking=booking)
    meeting.state = Meeting.State.PENDING
    meeting.host_told_of_failure = False
    _start_work(meeting, Meeting.Action.CREATE, cause)
    return meeting


def on_rescheduled(booking, *, cause):
    meeting = _locked(booking)
    # A creation still to come uses the new time; one under way is followed by an update.
    if meeting is None or meeting.state != Meeting.State.CREATED:
        return None
    if meeting.action in (Meeting.Action.NONE, Meeting.Action.UPDATE):
        _start_work(meeting, Meeting.Action.UPDATE, cause)
    return meeting


def on_called_off(booking, *, cause):
    """The booking was cancelled or declined: its meeting goes from Zoom."""
    meeting = _locked(booking)
    if meeting is None:
        return None
    if meeting.state == Meeting.State.CREATED or meeting.create_attempted_at:
        _start_work(meeting, Meeting.Action.DELETE, cause)
    else:
        # Nothing reached Zoom; an attempt under way learns of the cancellation when it ends.
        meeting.state = Meeting.State.DELETED
        meeting.action = Meeting.Action.NONE
        meeting.save(update_fields=WORK_FIELDS)
    return meeting


class CannotCreate(Exception):
    """Why the Create Zoom meeting button cannot be used now."""


def request_create(booking, *, cause):
    """The host clicked Create Zoom meeting for a confirmed booking that has none."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update().select_related("workspace").get(pk=booking.pk)
        )
        meeting = Meeting.objects.filter(booking=booking).first()
        if not is_zoom(booking):
            raise CannotCreate("This booking does not take place on Zoom.")
        if booking.status != Booking.Status.CONFIRMED:
            raise CannotCreate("Zoom meetings are created only for confirmed bookings.")
        if booking.has_started():
            raise CannotCreate("The scheduled time has already passed.")
        if meeting is not None and meeting.state in (Meeting.State.CREATED, Meeting.State.PENDING):
            raise CannotCreate("This booking already has its Zoom meeting (or one on its way).")
        return on_confirmed(booking, cause=cause)


def on_connection_removed(sender, *, workspace_id, provider, **kwargs):
    """Zoom was disconnected: work queued for it stops; existing links stay as they are."""
    if provider != "zoom":
        return
    pending = Meeting.objects.select_for_update().filter(booking__workspace_id=workspace_id)
    for meeting in pending.exclude(action=Meeting.Action.NONE):
        if meeting.action == Meeting.Action.CREATE:
            meeting.state = Meeting.State.FAILED
        meeting.action = Meeting.Action.NONE
        meeting.problem = Meeting.Problem.NOT_CONNECTED
        meeting.problem_detail = "Zoom was disconnected before this reached Zoom."
        meeting.lease_until = None
        meeting.save()


# Attempts -----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one attempt learned; applied to the meeting row by _settle()."""

    done: bool = True
    changes: dict = field(default_factory=dict)
    retry_at: object = None
    failed_permanently: bool = False
    # Whether Zoom can still be reached, so changes made meanwhile can follow.
    reachable: bool = True


def _claim(rows, *, inline):
    """Take the lease of the meeting in ``rows`` if it has work and nobody holds it."""
    now = timezone.now()
    claimable = rows.exclude(action=Meeting.Action.NONE).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    if not inline:
        claimable = claimable.filter(next_attempt_at__lte=now)
    return claimable.update(lease_until=now + _lease()) == 1


def _attempt(rows, *, inline):
    # Claimed with one UPDATE before anything is read: most attempts find nothing to do (the
    # worker's wake-up after an inline success) and then cost a single statement.
    if not _claim(rows, inline=inline):
        return
    meeting = rows.select_related("booking__service", "booking__workspace__owner").get()
    timeout = settings.ZOOM_INLINE_TIMEOUT if inline else None
    action = meeting.action
    outcome = _work(meeting, action, timeout)
    _settle(meeting.pk, action, outcome)


def attempt(booking_id):
    """Do the booking's meeting's pending work once, if it is due (the worker's wake-up task)."""
    _attempt(Meeting.objects.filter(booking_id=booking_id), inline=False)


def attempt_for(booking):
    """
    The inline attempt after a person's action on ``booking``, if there is work: it goes ahead
    of any scheduled wait and uses the short timeout, since someone is waiting for the page.
    """
    _attempt(Meeting.objects.filter(booking=booking), inline=True)


def _work(meeting, action, timeout):
    booking = meeting.booking
    cause = meeting.cause if meeting.attempts == 0 else f"{meeting.cause} (retry)"
    workspace_id = booking.workspace_id
    now = timezone.now()
    try:
        if action == Meeting.Action.CREATE:
            if booking.status != Booking.Status.CONFIRMED:
                return Outcome(changes={"state": Meeting.State.DELETED})
            if booking.start <= now:
                return _failed(Meeting.Problem.TIME_PASSED, "")
            return _create(meeting, cause, timeout)
        if action == Meeting.Action.UPDATE:
            if booking.start <= now:
                return Outcome()  # Too late to matter.
            try:
                zoom.update(
                    workspace_id,
                    meeting.zoom_meeting_id,
                    plan_for(booking),
                    cause=cause,
                    timeout=timeout,
                )
            except zoom.client.MeetingNotFound:
                # Deleted in Zoom meanwhile: the booking still needs one.
                return _create(meeting, cause, timeout, replacing=True)
            return Outcome(changes={"synced_sequence": booking.sequence})
        if action == Meeting.Action.DELETE:
            ids = {meeting.zoom_meeting_id} - {None}
            if meeting.create_attempted_at and meeting.zoom_meeting_id is None:
                ids |= {m.id for m in zoom.find(workspace_id, booking.reference, cause=cause)}
            for meeting_id in ids:
                zoom.delete(workspace_id, meeting_id, cause=cause, timeout=timeout)
            return Outcome(changes={"state": Meeting.State.DELETED})
    except zoom.NotConnected as error:
        problem = (
            Meeting.Problem.NEEDS_RECONNECT
            if error.reason == zoom.NotConnected.NEEDS_RECONNECT
            else Meeting.Problem.NOT_CONNECTED
        )
        return _failed(problem, "") if action == Meeting.Action.CREATE else _dropped(problem)
    except zoom.RateLimited as error:
        daily = Meeting.Problem.DAILY_LIMIT if error.daily else Meeting.Problem.ZOOM_FAILING
        return _retry(meeting, action, daily, error)
    except zoom.TransientError as error:
        return _retry(meeting, action, Meeting.Problem.ZOOM_FAILING, error)
    except zoom.PermanentError as error:
        if action == Meeting.Action.DELETE:
            # Zoom keeps a meeting that has started or ended: nothing more can be done.
            return Outcome(changes={"state": Meeting.State.DELETED})
        if action == Meeting.Action.CREATE:
            return _failed(Meeting.Problem.REJECTED, error.message)
        return _dropped(Meeting.Problem.REJECTED, error.message)
    return Outcome()


def _create(meeting, cause, timeout, *, replacing=False):
    booking = meeting.booking
    workspace_id = booking.workspace_id
    if meeting.create_attempted_at and not replacing:
        found = zoom.find(workspace_id, booking.reference, cause=cause, timeout=timeout)
        if found:
            keep, *extra = found
            for duplicate in extra:
                zoom.delete(workspace_id, duplicate.id, cause=cause, timeout=timeout)
            return _created(keep, booking)
    # Noted before the call, in its own commit: from here on a meeting may exist in Zoom.
    previous = meeting.create_attempted_at
    Meeting.objects.filter(pk=meeting.pk).update(create_attempted_at=timezone.now())
    try:
        created = zoom.create(workspace_id, plan_for(booking), cause=cause, timeout=timeout)
    except (zoom.RateLimited, zoom.Unreachable):
        # Refused before anything was made (by Zoom's limits, our own pacing ahead of them, or
        # no connection at all): no meeting to look for next time.
        Meeting.objects.filter(pk=meeting.pk).update(create_attempted_at=previous)
        raise
    return _created(created, booking)


def _created(created, booking):
    return Outcome(
        changes={
            "state": Meeting.State.CREATED,
            "zoom_meeting_id": created.id,
            "join_url": created.join_url,
            "synced_sequence": booking.sequence,
        }
    )


def _failed(problem, detail):
    return Outcome(
        changes={
            "state": Meeting.State.FAILED,
            "problem": problem,
            "problem_detail": detail[:300],
        },
        failed_permanently=True,
    )


def _dropped(problem, detail=""):
    """An update or removal that cannot reach Zoom; the meeting keeps what it has."""
    return Outcome(changes={"problem": problem, "problem_detail": detail[:300]}, reachable=False)


def _retry(meeting, action, problem, error):
    now = timezone.now()
    delay = min(BACKOFF_BASE * 2 ** min(meeting.attempts, 12), BACKOFF_CAP)
    delay *= random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security
    when = now + delay
    if error.retry_after and error.retry_after > when:
        when = error.retry_after
    booking = meeting.booking
    deadline = booking.start + (
        DELETE_GIVE_UP_AFTER if action == Meeting.Action.DELETE else timedelta(0)
    )
    if when >= deadline:
        if action == Meeting.Action.CREATE:
            return _failed(problem, error.message)
        return _dropped(problem, error.message)
    return Outcome(
        done=False,
        changes={"problem": problem, "problem_detail": error.message[:300]},
        retry_at=when,
    )


def _settle(meeting_id, action, outcome):
    """Write an attempt's outcome, and whatever work it leaves, in one locked transaction."""
    from bookings import tasks

    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("booking").get(pk=meeting_id)
        booking = meeting.booking
        for name, value in outcome.changes.items():
            setattr(meeting, name, value)
        if outcome.done and "problem" not in outcome.changes:
            meeting.problem, meeting.problem_detail = Meeting.Problem.NONE, ""
        if meeting.state == Meeting.State.CREATED:
            meeting.create_attempted_at = None
        meeting.lease_until = None

        # Work that arrived while Zoom was answering was queued by its hook: it goes next.
        if meeting.action == action:
            if outcome.done:
                meeting.action = Meeting.Action.NONE
                # The wake-up queued in case the inline attempt failed has nothing left to do.
                _waiting_wakeup(meeting).delete()
            else:
                meeting.attempts += 1
                _queue(meeting, when=outcome.retry_at)

        # Changes made while the call was under way still have to reach Zoom.
        if (
            outcome.reachable
            and meeting.state == Meeting.State.CREATED
            and meeting.action == Meeting.Action.NONE
        ):
            follow_up = None
            if booking.status != Booking.Status.CONFIRMED:
                follow_up = Meeting.Action.DELETE
            elif meeting.synced_sequence != booking.sequence and booking.start > timezone.now():
                follow_up = Meeting.Action.UPDATE
            if follow_up:
                meeting.action, meeting.attempts = follow_up, 0
                _queue(meeting, when=timezone.now())

        if outcome.failed_permanently and not meeting.host_told_of_failure:
            meeting.host_told_of_failure = True
            tasks.send_meeting_failed_email.enqueue(meeting.pk)
        if meeting.state == Meeting.State.CREATED and meeting.link_owed:
            meeting.link_owed = False
            tasks.send_meeting_link_emails.enqueue(booking.pk)
        meeting.save()


# Recovery -----------------------------------------------------------------------------------


def requeue_orphans(grace=timedelta(minutes=2)):
    """
    Queue again the meetings whose worker died: an attempt whose lease ran out, or work whose
    wake-up task was taken by a worker that never got to it. Waiting in a long queue is not
    dying: work whose task is still queued is left alone.
    """
    now = timezone.now()
    requeued = 0
    with transaction.atomic():
        candidates = list(
            Meeting.objects.select_for_update(skip_locked=True)
            .exclude(action=Meeting.Action.NONE)
            .filter(
                Q(lease_until__lt=now)
                | Q(lease_until__isnull=True, next_attempt_at__lt=now - grace)
            )
            .order_by("next_attempt_at")[:500]
        )
        waiting = set(
            DBTaskResult.objects.filter(
                pk__in=[m.wakeup_task_id for m in candidates if m.wakeup_task_id],
                status="READY",
            ).values_list("pk", flat=True)
        )
        waiting = {str(pk) for pk in waiting}
        for meeting in candidates:
            if meeting.lease_until is None and meeting.wakeup_task_id in waiting:
                continue
            meeting.lease_until = None
            _queue(meeting, when=now)
            meeting.save(update_fields=["lease_until", "next_attempt_at", "wakeup_task_id"])
            requeued += 1
    return requeued


# What people see ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    """Where a booking's Zoom meeting stands, in words, for the host or the invitee."""

    tone: str  # ok, info, warn, bad
    title: str
    text: str = ""
    # What the host can do about it: "connect", "reconnect" or "create".
    fixes: tuple = ()
    # The page asks again every few seconds, until the meeting settles.
    waiting: bool = False


def explain(booking, *, to_host, zone, zoom_connected=True):
    """
    Why a booking has, or has not, a Zoom link — the troubleshooting of the user documentation
    answered for this one booking. ``zoom_connected`` is the host's Zoom connection state now.
    """
    from bookings.locations import meeting_of

    def format_time(instant, zone):
        return dateformat.format(instant.astimezone(zone), "D j M, H:i T")

    if not is_zoom(booking):
        return None
    meeting = meeting_of(booking)
    host = _host_name(booking)
    status = booking.status
    if status == Booking.Status.REQUESTED:
        return Explanation(
            "info",
            "No Zoom meeting yet",
            "The booking awaits your confirmation: its Zoom meeting is created when you confirm."
            if to_host
            else f"The Zoom meeting is created once {host} confirms your booking.",
        )
    if status != Booking.Status.CONFIRMED:
        if meeting is not None and meeting.action == Meeting.Action.DELETE:
            return Explanation(
                "info", "Removing the Zoom meeting…", "The booking is off.", waiting=True
            )
        if meeting is not None and meeting.problem and meeting.state != Meeting.State.DELETED:
            return Explanation(
                "warn",
                "The Zoom meeting could not be removed",
                "Zoom was disconnected before the meeting could be removed from it. "
                "You can delete it in Zoom."
                if to_host
                else "",
            )
        return Explanation(
            "info", "No Zoom meeting", "This booking is off, and so is its meeting."
        )

    if meeting is not None and meeting.state == Meeting.State.CREATED:
        if to_host and not zoom_connected:
            return Explanation(
                "warn",
                "Zoom is disconnected",
                "This link still works: the meeting exists in your Zoom account. But changes to "
                "the booking no longer reach Zoom. Reconnect Zoom to keep them in step.",
                fixes=("connect",),
            )
        return Explanation("ok", "Zoom meeting ready")

    started = booking.has_started()
    if meeting is not None and meeting.state == Meeting.State.PENDING:
        if meeting.problem == Meeting.Problem.DAILY_LIMIT:
            return Explanation(
                "warn",
                "Zoom’s daily limit is reached",
                "Zoom allows a limited number of new meetings per day for each Zoom user. "
                f"We’ll try again at {format_time(meeting.next_attempt_at, zone)}, after Zoom’s "
                "limit resets (00:00 UTC). The booking itself is confirmed."
                if to_host
                else "The booking is confirmed; the Zoom link follows by email shortly.",
                waiting=True,
            )
        if meeting.problem == Meeting.Problem.ZOOM_FAILING:
            return Explanation(
                "warn",
                "Zoom isn’t answering right now",
                "The booking is confirmed. We keep trying to create its Zoom meeting — next "
                f"attempt at {format_time(meeting.next_attempt_at, zone)}."
                if to_host
                else "The booking is confirmed; the Zoom link follows by email shortly.",
                waiting=True,
            )
        return Explanation("info", "Creating the Zoom meeting…", waiting=True)

    if not to_host:
        return Explanation(
            "warn",
            "The Zoom link isn’t ready",
            f"Your booking is confirmed. {host} has been told and will send you the link.",
        )
    problem = meeting.problem if meeting is not None else Meeting.Problem.NONE
    create = () if started else ("create",)
    if problem == Meeting.Problem.NOT_CONNECTED or (meeting is None and not zoom_connected):
        return Explanation(
            "bad",
            "No Zoom meeting: Zoom isn’t connected",
            "Connect Zoom (Business Tools → Integrations), then click Create Zoom meeting.",
            fixes=("connect", *create),
        )
    if problem == Meeting.Problem.NEEDS_RECONNECT:
        return Explanation(
            "bad",
            "No Zoom meeting: Zoom needs reconnecting",
            "Zoom no longer accepts vrtual.ly’s access. Reconnect Zoom, then click Create Zoom "
            "meeting.",
            fixes=("reconnect", *create),
        )
    if started or problem == Meeting.Problem.TIME_PASSED:
        return Explanation(
            "bad",
            "No Zoom meeting: the time has passed",
            "The scheduled time passed before a Zoom meeting could be created.",
        )
    if problem in (Meeting.Problem.ZOOM_FAILING, Meeting.Problem.DAILY_LIMIT):
        return Explanation(
            "bad",
            "No Zoom meeting: Zoom didn’t answer in time",
            f"Zoom kept failing ({meeting.problem_detail or 'no answer'}). Try again now.",
            fixes=create,
        )
    if problem == Meeting.Problem.REJECTED:
        return Explanation(
            "bad",
            "No Zoom meeting: Zoom refused to create it",
            f"Zoom said: “{meeting.problem_detail}”. Try again, or write to care@vrtual.ly.",
            fixes=create,
        )
    return Explanation(
        "bad",
        "No Zoom meeting",
        "This booking has no Zoom meeting. Click Create Zoom meeting to make one.",
        fixes=create,
    )
