"""
Free start times of a service: a pure computation over plain values, with no database access.

Availability is given in wall-clock minutes of the host's time zone: the host is available at
every instant their clock then reads a time inside that date's hours, so "09:00–17:00" stays
09:00–17:00 local across daylight-saving changes. Start times lie on a grid of
``step_minutes`` counted from the host's local midnight; on a day whose clocks fall back, a
wall time that happens twice yields two start times, and one the clocks skip yields none.
"""

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60

# An interval of wall-clock minutes after local midnight, end excluded: (540, 720) is 09:00–12:00.
Interval = tuple[int, int]


@dataclass(frozen=True)
class SlotRules:
    """The settings of a service that shape its start times."""

    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    minimum_notice: timedelta = timedelta(0)
    horizon_days: int = 60
    step_minutes: int = 30


def wall_instants(day: date, minute: int, zone: ZoneInfo) -> list[datetime]:
    """
    The UTC instants at which clocks in ``zone`` show ``minute`` past midnight of ``day``.

    Usually one; two when the clocks fall back over that time; none when they spring over it.
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=minute)
    instants = []
    for fold in (0, 1):
        instant = naive.replace(tzinfo=zone, fold=fold).astimezone(UTC)
        # Times skipped by the clocks do not survive the round trip.
        if instant.astimezone(zone).replace(tzinfo=None) == naive and instant not in instants:
            instants.append(instant)
    return sorted(instants)


def _offset_segments(first, last, zone):
    """
    ``[(start, end, utc_offset)]`` covering ``[first, last)``, cut wherever the zone's UTC
    offset changes. Offsets are probed hour by hour and each change is narrowed to the minute.
    """

    def offset(instant):
        return instant.astimezone(zone).utcoffset()

    cursor = first.replace(minute=0, second=0, microsecond=0)
    segments, segment_start, current = [], cursor, offset(cursor)
    while cursor < last:
        following = cursor + timedelta(hours=1)
        if offset(following) != current:
            low, high = cursor, following
            while high - low > timedelta(minutes=1):
                middle = low + timedelta(minutes=(high - low) // timedelta(minutes=2))
                low, high = (middle, high) if offset(middle) == current else (low, middle)
            segments.append((segment_start, high, current))
            segment_start, current = high, offset(high)
        cursor = following
    segments.append((segment_start, max(last, segment_start), current))
    return segments


def _wall_range_instants(day, start_minute, end_minute, segments):
    """
    The instants at which the wall clock reads a time in ``[start_minute, end_minute)`` of
    ``day``: one range usually, none when the clocks skip all of it, two when they fall back
    through it.
    """
    midnight = datetime.combine(day, time())
    wall_start = midnight + timedelta(minutes=start_minute)
    wall_end = midnight + timedelta(minutes=end_minute)
    for segment_start, segment_end, offset in segments:
        start = max(segment_start, (wall_start - offset).replace(tzinfo=UTC))
        end = min(segment_end, (wall_end - offset).replace(tzinfo=UTC))
        if start < end:
            yield start, end


def _merge(intervals: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _dates(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def free_slots(
    *,
    weekly: Mapping[int, Sequence[Interval]],
    overrides: Mapping[date, Sequence[Interval]],
    busy: Iterable[tuple[datetime, datetime]],
    rules: SlotRules,
    now: datetime,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
) -> list[datetime]:
    """
    The free start times in ``[start, end)``, as sorted UTC datetimes.

    ``weekly`` maps a weekday (Monday is 0) to its intervals; ``overrides`` maps a date to the
    intervals that replace the weekly ones on that date (none: a day off). ``busy`` holds the
    time existing bookings keep, their buffers included. A start time is free when the whole
    meeting fits in the availability, the meeting widened by the buffers overlaps nothing busy,
    it is at least the minimum notice after ``now``, and its local date is at most
    ``horizon_days`` after today's.
    """
    earliest = max(start, now + rules.minimum_notice)
    last_date = now.astimezone(zone).date() + timedelta(days=rules.horizon_days)
    first_date = start.astimezone(zone).date() - timedelta(days=1)
    # One day either side: a meeting may run past midnight into the next day's hours.
    final_date = min(end.astimezone(zone).date(), last_date) + timedelta(days=1)
    if earliest >= end or first_date > final_date:
        return []

    hours = {
        day: overrides[day] if day in overrides else weekly.get(day.weekday(), ())
        for day in _dates(first_date, final_date)
    }
    # Availability is every instant at which the host's clock reads a time inside that
    # date's hours; around daylight-saving changes that is not simply "from a to b".
    segments = _offset_segments(
        _midnight_utc(first_date) - timedelta(days=1),
        _midnight_utc(final_date) + timedelta(days=2),
        zone,
    )
    available = _merge(
        piece
        for day, intervals in hours.items()
        for start_minute, end_minute in intervals
        for piece in _wall_range_instants(day, start_minute, end_minute, segments)
    )
    available_starts = [interval[0] for interval in available]
    taken = _merge(busy)
    taken_starts = [interval[0] for interval in taken]

    def fits(slot):
        index = bisect.bisect_right(available_starts, slot) - 1
        return index >= 0 and slot + rules.duration <= available[index][1]

    def clashes(slot):
        blocked_start = slot - rules.buffer_before
        blocked_end = slot + rules.duration + rules.buffer_after
        # Taken intervals are disjoint and sorted: only the last one starting before the
        # blocked time ends can reach into it.
        index = bisect.bisect_left(taken_starts, blocked_end) - 1
        return index >= 0 and taken[index][1] > blocked_start

    step = rules.step_minutes
    slots = set()
    for day, intervals in hours.items():
        if day > last_date:
            continue
        for start_minute, end_minute in intervals:
            first_minute = -(-start_minute // step) * step
            for minute in range(first_minute, min(end_minute, MINUTES_PER_DAY), step):
                for slot in wall_instants(day, minute, zone):
                    if earliest <= slot < end and fits(slot) and not clashes(slot):
                        slots.add(slot)
    return sorted(slots)
