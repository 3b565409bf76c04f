"""Reads for bookings: free start times, a host's bookings, availability as forms show it."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from bookings import slots
from bookings.models import (
    MAX_BUSY,
    MAX_DURATION_MINUTES,
    AvailabilityRule,
    Booking,
    DateOverride,
)
from bookings.times import zone_or_utc


def host_zone(workspace):
    """The time zone a workspace's availability is written in: its owner's."""
    return zone_or_utc(workspace.owner.time_zone)


def slot_rules(service, *, duration=None):
    return slots.SlotRules(
        duration=duration or timedelta(minutes=service.duration_minutes),
        buffer_before=timedelta(minutes=service.buffer_before_minutes),
        buffer_after=timedelta(minutes=service.buffer_after_minutes),
        minimum_notice=timedelta(minutes=service.minimum_notice_minutes),
        horizon_days=service.horizon_days,
        step_minutes=service.slot_step_minutes,
    )


def weekly_hours(workspace):
    """{weekday: [(start_minute, end_minute), …]} for weekdays with hours."""
    hours = {}
    for rule in AvailabilityRule.objects.filter(workspace=workspace):
        hours.setdefault(rule.weekday, []).append((rule.start_minute, rule.end_minute))
    return hours


def date_overrides(workspace, first=None, last=None):
    """{date: [(start_minute, end_minute), …]}; an empty list is a day off."""
    rows = DateOverride.objects.filter(workspace=workspace)
    if first is not None:
        rows = rows.filter(date__gte=first)
    if last is not None:
        rows = rows.filter(date__lte=last)
    overrides = {}
    for row in rows:
        intervals = overrides.setdefault(row.date, [])
        if row.start_minute is not None:
            intervals.append((row.start_minute, row.end_minute))
    return overrides


def free_slots(service, *, start, end, now=None, exclude=None, duration=None, with_bookings=True):
    """
    The free start times of ``service`` in ``[start, end)``, as sorted UTC datetimes.

    Reads only the bookings overlapping the window (an index range of busy_start no longer
    than the window and MAX_BUSY), so the cost does not grow with the years of bookings
    behind a host. ``exclude`` leaves
    out a booking being rescheduled; ``duration`` overrides the service's (a booking keeps
    the length it was booked with).
    """
    workspace = service.workspace
    zone = host_zone(workspace)
    rules = slot_rules(service, duration=duration)
    busy = []
    if with_bookings:
        bookings = Booking.objects.filter(
            workspace=workspace,
            status__in=Booking.ACTIVE,
            busy_start__lt=end + rules.duration + rules.buffer_after,
            busy_end__gt=start - rules.buffer_before,
            # Implied by the one above; it bounds the index range from below.
            busy_start__gt=start - rules.buffer_before - MAX_BUSY,
        )
        if exclude is not None:
            bookings = bookings.exclude(pk=exclude.pk)
        busy = list(bookings.values_list("busy_start", "busy_end"))
    return slots.free_slots(
        weekly=weekly_hours(workspace),
        overrides=date_overrides(
            workspace,
            start.astimezone(zone).date() - timedelta(days=1),
            end.astimezone(zone).date() + timedelta(days=1),
        ),
        busy=busy,
        rules=rules,
        now=now or timezone.now(),
        zone=zone,
        start=start,
        end=end,
    )


def is_free(service, start, **kwargs):
    """Whether ``start`` is one of the service's free start times (on its grid, too)."""
    return start in free_slots(service, start=start, end=start + timedelta(minutes=1), **kwargs)


def overlapping_bookings(booking):
    """Other bookings holding time that ``booking`` holds."""
    return Booking.objects.filter(
        workspace_id=booking.workspace_id,
        status__in=Booking.ACTIVE,
        busy_start__lt=booking.busy_end,
        busy_end__gt=booking.busy_start,
        busy_start__gt=booking.busy_start - MAX_BUSY,
    ).exclude(pk=booking.pk)


# The host's dashboard. Each tab is one indexed range of (workspace, status, start), read a
# page at a time with a keyset cursor, so page 500 costs what page 1 costs.
PAGE_SIZE = 25


class Tab:
    UPCOMING = "upcoming"
    AWAITING = "awaiting"
    PAST = "past"
    CANCELLED = "cancelled"

    ALL = [
        (UPCOMING, "Upcoming"),
        (AWAITING, "Awaiting confirmation"),
        (PAST, "Past"),
        (CANCELLED, "Cancelled & declined"),
    ]


def _tab_queryset(workspace, tab, now):
    bookings = Booking.objects.filter(workspace=workspace)
    # A booking in progress is still upcoming. Bounding start from below too keeps the index
    # scan from walking every past booking to find the ones that have not ended.
    in_progress_from = now - timedelta(minutes=MAX_DURATION_MINUTES)
    if tab == Tab.UPCOMING:
        return bookings.filter(
            status=Booking.Status.CONFIRMED, start__gt=in_progress_from, end__gt=now
        ), True
    if tab == Tab.AWAITING:
        return bookings.filter(
            status=Booking.Status.REQUESTED, start__gt=in_progress_from, end__gt=now
        ), True
    if tab == Tab.PAST:
        # Anything that has ended has started: the bound on start lets the index range begin
        # at now rather than filter the future out.
        return bookings.filter(status__in=Booking.ACTIVE, start__lt=now, end__lte=now), False
    return bookings.filter(status__in=Booking.INACTIVE), False


@dataclass
class Page:
    bookings: list
    next_cursor: str | None
    previous_cursor: str | None


def encode_cursor(booking):
    return f"{booking.start.astimezone(UTC).strftime('%Y%m%dT%H%M%S%f')}.{booking.pk}"


def decode_cursor(value):
    """(start, pk) of a cursor, or None when it is not one."""
    try:
        stamp, pk = value.split(".")
        start = datetime.strptime(stamp, "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
        return start, int(pk)
    except (AttributeError, ValueError):
        return None


def bookings_page(workspace, tab, *, after=None, before=None, now=None, size=PAGE_SIZE):
    """
    One page of a dashboard tab. ``after``/``before`` are cursors from a previous page's
    ``next_cursor``/``previous_cursor``; a cursor that does not parse starts at the top.
    """
    now = now or timezone.now()
    bookings, ascending = _tab_queryset(workspace, tab, now)
    bookings = bookings.select_related("service")
    forward = ("start", "pk") if ascending else ("-start", "-pk")
    backward = tuple(f[1:] if f.startswith("-") else f"-{f}" for f in forward)

    def beyond(cursor, later):
        # (start, pk) after (or before) the cursor's. The plain bound on start comes first so
        # the database starts its index range at the cursor instead of filtering up to it.
        start, pk = cursor
        if later:
            return Q(start__gte=start) & (Q(start__gt=start) | Q(pk__gt=pk))
        return Q(start__lte=start) & (Q(start__lt=start) | Q(pk__lt=pk))

    after, before = decode_cursor(after), decode_cursor(before)
    if before:
        rows = list(bookings.filter(beyond(before, not ascending)).order_by(*backward)[: size + 1])
        has_more_before = len(rows) > size
        rows = rows[:size][::-1]
        return Page(
            rows,
            next_cursor=encode_cursor(rows[-1]) if rows else None,
            previous_cursor=encode_cursor(rows[0]) if rows and has_more_before else None,
        )
    if after:
        bookings = bookings.filter(beyond(after, ascending))
    rows = list(bookings.order_by(*forward)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return Page(
        rows,
        next_cursor=encode_cursor(rows[-1]) if has_more else None,
        previous_cursor=encode_cursor(rows[0]) if rows and after else None,
    )


def upcoming_bookings(workspace, *, limit=5, now=None):
    return bookings_page(workspace, Tab.UPCOMING, now=now, size=limit).bookings


def awaiting_count(workspace, *, now=None):
    queryset, _ = _tab_queryset(workspace, Tab.AWAITING, now or timezone.now())
    return queryset.count()
