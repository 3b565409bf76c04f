"""Zoom's rate limits: requests per second per account and category, meeting writes per day.

Both answer ``429`` with Zoom's body and ``X-RateLimit-*`` headers. ``Retry-After`` comes in the
form configured for the limit type, so that a client's tests can meet every form Zoom has used.
"""

import math
import threading
from collections import deque
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import formatdate

from .config import PLANS, ConfigError, RateLimitConfig
from .errors import ApiError

QPS_MESSAGE = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY_MESSAGE = (
    "You have exceeded the daily rate limit ({limit}) of Meeting Create/Update API requests "
    "permitted for this particular user. You may resume these requests at GMT 00:00:00."
)
MEETING_UPDATES_MESSAGE = (
    "You have exceeded the limit of {limit} updates in 24 hours for meeting {meeting_id}. "
    "Try again later."
)


def format_retry_after(form, retry_at, now):
    if form == "seconds":
        return str(max(1, math.ceil(retry_at - now)))
    if form == "http-date":
        return formatdate(retry_at, usegmt=True)
    if form == "iso":
        return datetime.fromtimestamp(retry_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return None


def next_utc_midnight(now):
    today = datetime.fromtimestamp(now, UTC).date()
    midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    return midnight.timestamp()


class RateLimiter:
    def __init__(self, settings, clock):
        self.defaults = settings
        self.settings = replace(settings)
        self.clock = clock
        self._lock = threading.Lock()
        self._windows = {}
        self._daily = {}

    def reset(self):
        with self._lock:
            self.settings = replace(self.defaults)
            self._windows.clear()
            self._daily.clear()

    def update(self, changes):
        """Apply a control-API change; raise ConfigError on nonsense."""
        values = dict(vars(self.settings))
        changes = dict(changes)
        plan = changes.pop("plan", None)
        if plan == "off":
            values["enabled"] = False
        elif plan is not None:
            if plan not in PLANS:
                raise ConfigError(f"unknown plan {plan!r}; use {', '.join(PLANS)} or off")
            values.update(
                enabled=True, light_per_second=PLANS[plan][0], medium_per_second=PLANS[plan][1]
            )
        unknown = set(changes) - set(values)
        if unknown:
            raise ConfigError(f"unknown rate-limit setting(s): {', '.join(sorted(unknown))}")
        values.update(changes)
        if not isinstance(values["enabled"], bool):
            raise ConfigError("enabled must be true or false")
        settings = RateLimitConfig(**values)
        with self._lock:
            self.settings = settings
        return settings

    def per_second_limit(self, category):
        if category == "Medium":
            return self.settings.medium_per_second
        return self.settings.light_per_second

    def check_per_second(self, account_id, category):
        """Count one request against the account's per-second budget, or raise a 429."""
        settings = self.settings
        if not settings.enabled:
            return
        limit = self.per_second_limit(category)
        now = self.clock.now()
        with self._lock:
            window = self._windows.setdefault((account_id, category), deque())
            while window and window[0] <= now - 1:
                window.popleft()
            if len(window) >= limit:
                retry_at = window[0] + 1
            else:
                window.append(now)
                return
        raise self.too_many("QPS", category, limit, retry_at, QPS_MESSAGE)

    def check_daily(self, user_id, category):
        """Count one meeting create/update against the host's daily budget, or raise a 429."""
        settings = self.settings
        if not settings.enabled:
            return
        limit = settings.daily_create_update
        now = self.clock.now()
        day = datetime.fromtimestamp(now, UTC).date()
        with self._lock:
            counted_day, count = self._daily.get(user_id, (day, 0))
            if counted_day != day:
                count = 0
            if count < limit:
                self._daily[user_id] = (day, count + 1)
                return
        message = DAILY_MESSAGE.format(limit=limit)
        raise self.too_many("Daily-limit", category, limit, next_utc_midnight(now), message)

    def meeting_update_limit_error(self, meeting_id, oldest_update):
        limit = self.settings.updates_per_meeting
        message = MEETING_UPDATES_MESSAGE.format(limit=limit, meeting_id=meeting_id)
        return self.too_many("Daily-limit", "Light", limit, oldest_update + 86400, message)

    def too_many(self, limit_type, category, limit, retry_at, message):
        headers = {
            "X-RateLimit-Category": category,
            "X-RateLimit-Type": limit_type,
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": "0",
        }
        form = self.settings.qps_retry_after if limit_type == "QPS" else self.settings.retry_after
        retry_after = format_retry_after(form, retry_at, self.clock.now())
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        return ApiError(429, 429, message, headers=headers)

    def fault(self, category, limit_type):
        """The 429 a fault injects, as if the limit had been reached."""
        now = self.clock.now()
        if limit_type == "Daily-limit":
            limit = self.settings.daily_create_update
            return self.too_many(
                limit_type,
                category,
                limit,
                next_utc_midnight(now),
                DAILY_MESSAGE.format(limit=limit),
            )
        return self.too_many(
            "QPS", category, self.per_second_limit(category), now + 1, QPS_MESSAGE
        )

    def describe(self):
        return dict(vars(self.settings))
