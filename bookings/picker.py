"""
The month calendar and the day's free times, as the booking and rescheduling pages show them.

Everything comes from GET parameters (``month``, ``day``, ``tz``), read defensively: a value
that does not parse falls back to a sensible default instead of failing the page.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import urlencode

from django.utils import dateformat, timezone

from accounts.timezones import time_zone_choices
from bookings import selectors
from bookings.times import format_time, instant_param, zone_named


@dataclass
class Day:
    date: date
    in_month: bool
    slot_count: int
    selected: bool
    url: str


@dataclass
class Picker:
    zone: object
    detect_zone: bool
    month: date
    month_label: str
    prev_url: str | None
    next_url: str | None
    weeks: list
    day: date | None
    day_label: str
    slots: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def month_param(self):
        return self.month.strftime("%Y-%m")

    @property
    def day_param(self):
        return self.day.isoformat() if self.day else ""

    @property
    def zone_choices(self):
        return time_zone_choices()


def parse_month(value):
    match = re.fullmatch(r"(\d{4})-(\d{2})", value or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        return None
    return date(int(match[1]), int(match[2]), 1)


def parse_day(value):
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _add_month(first, months):
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _midnight(day, zone):
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def build_picker(
    request,
    service,
    *,
    default_zone,
    detect_zone=False,
    exclude=None,
    duration=None,
    now=None,
):
    """The calendar state of ``service`` for this request's ``month``/``day``/``tz``."""
    now = now or timezone.now()
    params = request.GET
    notices = []
    zone = zone_named(params.get("tz"))
    zone_given = zone is not None
    if params.get("tz") and not zone_given:
        notices.append(
            f"We don’t know the time zone “{params['tz'][:64]}”; times are shown in "
            f"{default_zone.key}."
        )
    zone = zone or default_zone

    today = now.astimezone(zone).date()
    first_month = today.replace(day=1)
    horizon_end = now + timedelta(days=service.horizon_days + 1)
    last_month = horizon_end.astimezone(zone).date().replace(day=1)

    day = parse_day(params.get("day"))
    month = day.replace(day=1) if day else parse_month(params.get("month")) or first_month
    month = min(max(month, first_month), last_month)
    if day and day.replace(day=1) != month:
        day = None

    window_start = max(_midnight(month, zone), now)
    window_end = _midnight(_add_month(month, 1), zone)
    free = []
    if window_start < window_end:
        free = selectors.free_slots(
            service, start=window_start, end=window_end, exclude=exclude, duration=duration
        )
    by_day = defaultdict(list)
    for slot in free:
        by_day[slot.astimezone(zone).date()].append(slot)

    if day is None and by_day:
        day = min(by_day)
    elif day is not None and day not in by_day:
        notices.append(f"No free times on {dateformat.format(day, 'l j F')}.")

    def url(**extra):
        query = {"tz": zone.key, "month": month.strftime("%Y-%m"), **extra}
        return f"{request.path}?{urlencode(query)}"

    weeks = []
    cursor = month - timedelta(days=month.weekday())
    end = _add_month(month, 1)
    while cursor < end:
        week = []
        for _ in range(7):
            week.append(
                Day(
                    date=cursor,
                    in_month=cursor.month == month.month,
                    slot_count=len(by_day.get(cursor, ())),
                    selected=cursor == day,
                    url=url(day=cursor.isoformat()),
                )
            )
            cursor += timedelta(days=1)
        weeks.append(week)

    slots = [
        (slot, format_time(slot, zone), url(day=day.isoformat(), start=instant_param(slot)))
        for slot in by_day.get(day, ())
    ]
    return Picker(
        zone=zone,
        detect_zone=detect_zone and not zone_given,
        month=month,
        month_label=dateformat.format(month, "F Y"),
        prev_url=url(month=f"{_add_month(month, -1):%Y-%m}") if month > first_month else None,
        next_url=url(month=f"{_add_month(month, 1):%Y-%m}") if month < last_month else None,
        weeks=weeks,
        day=day,
        day_label=dateformat.format(day, "l j F Y") if day else "",
        slots=slots,
        notices=notices,
    )
