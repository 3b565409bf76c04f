"""
Zoom's rate limits, respected before Zoom has to enforce them.

Zoom limits each account per second by category (creating and listing meetings are "Medium",
reading, updating and deleting "Light"), over any one-second span, and each user to a number of
meeting creations and updates per day (reset at 00:00 UTC). Every process of every machine
paces its calls through the database, so a backlog drained by many workers stays under the
limits instead of setting off a storm of 429s; and when Zoom answers 429 anyway (other apps
share the account's limits), the limit is marked reached so nobody tries again too soon.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection as db
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from integrations.models import RatePace, RateWindow
from integrations.zoom.client import RateLimited

MEDIUM = {"meeting.create", "meeting.find"}
# Calls that count against Zoom's per-user daily limit of meeting creations and updates.
DAILY = {"meeting.create", "meeting.update"}


def _category(operation):
    return "medium" if operation in MEDIUM else "light"


def _spacing(per_second):
    # Calls are spaced for 90% of the limit: a call leaves some milliseconds after its moment
    # (a busy machine, the network), and spacing for the full limit left only 25 ms of slack
    # before Zoom counted one too many in a second.
    return 1.0 / (per_second * 0.9) if per_second > 1 else 1.0


def _take_moment(key, spacing, max_wait):
    """Claim the next free moment for ``key``; return it, or None when it is too far off."""
    now = time.time()
    table, k, n = (db.ops.quote_name(name) for name in (RatePace._meta.db_table, "key", "next_at"))
    greatest = "GREATEST" if db.vendor == "postgresql" else "MAX"
    with db.cursor() as cursor:
        # One statement (every call of every process makes it): create the key's row, or move
        # its moment on unless that moment is more than max_wait away.
        cursor.execute(
            # Only quoted identifiers are formatted in; every value is a bound parameter.
            f"INSERT INTO {table} ({k}, {n}) VALUES (%s, %s) "  # noqa: S608  # nosec B608
            f"ON CONFLICT ({k}) DO UPDATE SET {n} = {greatest}({table}.{n}, %s) + %s "
            f"WHERE {table}.{n} <= %s RETURNING {n}",
            [key, now + spacing, now, spacing, now + max_wait],
        )
        row = cursor.fetchone()
    return row[0] - spacing if row else None


def _count_today(user, add=1):
    """Add ``add`` to the user's creations and updates today (UTC); return the new count."""
    table, k, s, c = (
        db.ops.quote_name(name) for name in (RateWindow._meta.db_table, "key", "slot", "count")
    )
    today = timezone.now().astimezone(UTC).toordinal()
    with db.cursor() as cursor:
        cursor.execute(
            # Only quoted identifiers are formatted in; every value is a bound parameter.
            f"INSERT INTO {table} ({k}, {s}, {c}) VALUES (%s, %s, %s) "  # noqa: S608  # nosec B608
            f"ON CONFLICT ({k}, {s}) DO UPDATE SET {c} = {table}.{c} + EXCLUDED.{c} "
            f"RETURNING {c}",
            [f"zoom:day:{user}", today, add],
        )
        count = cursor.fetchone()[0]
    if random.random() < 0.01:  # noqa: S311 - occasional clean-up of past days
        RateWindow.objects.filter(slot__lt=today - 1).delete()
    return count


def _midnight_after(now):
    tomorrow = now.astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(tomorrow, datetime.min.time(), UTC)


def reserve(*, account, user, operation, max_wait):
    """
    Take this call's place within Zoom's limits, sleeping until its moment if that is at most
    ``max_wait`` seconds away; raise RateLimited when the call must wait longer.
    """
    limits = settings.ZOOM_RATE_LIMITS
    if operation in DAILY and user and _count_today(user) > limits["daily"]:
        raise RateLimited(
            "Zoom's daily limit of meeting creations and updates is reached.",
            daily=True,
            retry_after=_midnight_after(timezone.now()),
        )
    category = _category(operation)
    key = f"zoom:{category}:{account}"
    moment = _take_moment(key, _spacing(limits[category]), max_wait)
    if moment is None:
        free = RatePace.objects.values_list("next_at", flat=True).get(key=key)
        raise RateLimited(
            "Zoom's per-second rate limit is reached.",
            retry_after=timezone.now() + timedelta(seconds=max(free - time.time(), 0.05)),
        )
    pause = moment - time.time()
    if pause > 0:
        time.sleep(pause)


def note_rate_limited(error, *, account, user, operation):
    """Zoom said 429: hold back every process for this limit before anyone tries again."""
    limits = settings.ZOOM_RATE_LIMITS
    if error.daily and user:
        _count_today(user, add=limits["daily"] + 1)
        return
    now = timezone.now()
    wait = (error.retry_after - now).total_seconds() if error.retry_after else 1.0
    key = f"zoom:{_category(operation)}:{account}"
    RatePace.objects.filter(key=key).update(
        next_at=Greatest(F("next_at"), Value(time.time() + min(max(wait, 0.0), 60.0)))
    )


def give_back(*, account, user, operation):
    """Zoom made nothing (no connection, or an error answer): it counted nothing, nor do we."""
    if operation in DAILY and user:
        today = timezone.now().astimezone(UTC).toordinal()
        RateWindow.objects.filter(key=f"zoom:day:{user}", slot=today, count__gt=0).update(
            count=F("count") - 1
        )
