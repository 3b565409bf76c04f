"""Small HTTP helpers that know nothing about the project."""

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime


def parse_retry_after(value, now):
    """
    When a server asked us to come back, as an aware UTC datetime, or None.

    Accepts the three forms seen in the wild: a number of seconds ("120"), an HTTP-date
    ("Wed, 25 Nov 2026 00:00:00 GMT") and an ISO 8601 date-time ("2026-11-25T00:00:00Z",
    which Zoom sends for its daily limits). Anything else, including a date in the past, is None.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return now + timedelta(seconds=int(value))
    when = None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    return when if when > now else None
