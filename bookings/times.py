"""Time zones and instants as bookings show and read them."""

import zoneinfo
from datetime import UTC, datetime, timedelta

from django.utils import dateformat, timezone

from accounts.timezones import time_zone_names


def zone_named(name):
    """The ZoneInfo a person asked for by name, or None for anything we don't offer."""
    if not isinstance(name, str) or name not in time_zone_names():
        return None
    return zoneinfo.ZoneInfo(name)


def zone_or_utc(name):
    return zone_named(name) or zoneinfo.ZoneInfo("UTC")


def instant_param(instant):
    """An instant as it travels in URLs and forms: minutes in UTC, e.g. 2026-03-03T09:00Z."""
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


# Nothing is ever booked this far from today; refusing such instants early keeps date
# arithmetic on them from overflowing.
INSTANT_RANGE = timedelta(days=5 * 366)


def parse_instant_param(value):
    """
    The instant of ``instant_param``'s text, or None for anything else: naive times, and
    times years away from now.
    """
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None or abs(parsed - timezone.now()) > INSTANT_RANGE:
        return None
    return parsed.astimezone(UTC)


def format_day(instant, zone):
    return dateformat.format(instant.astimezone(zone), "l j F Y")


def format_time(instant, zone):
    return dateformat.format(instant.astimezone(zone), "H:i")


def format_range(start, end, zone):
    """e.g. "Tuesday 3 March 2026, 10:00–10:30 (Europe/Amsterdam)"."""
    if start.astimezone(zone).date() == end.astimezone(zone).date():
        until = format_time(end, zone)
    else:
        until = f"{format_day(end, zone)}, {format_time(end, zone)}"
    return f"{format_day(start, zone)}, {format_time(start, zone)}–{until} ({zone.key})"


def duration_label(minutes):
    """e.g. "30 minutes", "1 hour", "90 minutes", "24 hours", "2 days", "1 week"."""

    def plural(count, unit):
        return f"{count} {unit}" if count == 1 else f"{count} {unit}s"

    if minutes and minutes % (7 * 24 * 60) == 0:
        return plural(minutes // (7 * 24 * 60), "week")
    if minutes and minutes % (24 * 60) == 0 and minutes > 24 * 60:
        return plural(minutes // (24 * 60), "day")
    if minutes and minutes % 60 == 0:
        return plural(minutes // 60, "hour")
    return plural(minutes, "minute")
