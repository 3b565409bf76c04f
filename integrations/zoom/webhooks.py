"""
Zoom's event notifications: signature checks, URL validation and app deauthorization.

Zoom signs ``"v0:{timestamp}:{raw body}"`` with the app's secret token (HMAC-SHA256) and
sends the timestamp in seconds; a stale timestamp is refused so a captured request cannot be
replayed later, and a repeated event within the window is recognised and ignored.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.models import Provider, WebhookEvent
from integrations.zoom import connections

MAX_BODY_BYTES = 64 * 1024
TOLERANCE_SECONDS = 300


class Rejected(Exception):
    """The request is not a valid Zoom notification; ``status`` says how to answer."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def signature(secret, timestamp, body):
    message = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(*, timestamp, signature_header, body, now=None):
    """Raise Rejected unless the body was signed with our secret within the replay window."""
    now = now or timezone.now()
    if not timestamp or not signature_header:
        raise Rejected(401, "missing signature headers")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Rejected(401, "bad timestamp") from None
    if abs(now.timestamp() - sent) > TOLERANCE_SECONDS:
        raise Rejected(401, "stale timestamp")
    expected = signature(settings.ZOOM_WEBHOOK_SECRET, sent, body)
    if not hmac.compare_digest(expected.encode(), signature_header.encode()):
        raise Rejected(401, "bad signature")


def parse(body):
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Rejected(400, "body is not JSON") from None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        raise Rejected(400, "not a Zoom event")
    if not isinstance(event.get("payload"), dict):
        raise Rejected(400, "event has no payload")
    return event


def handle(event):
    """Act on a verified event and return the JSON to answer with."""
    kind = event["event"]
    if kind == "endpoint.url_validation":
        plain = event["payload"].get("plainToken")
        if not isinstance(plain, str) or not plain or len(plain) > 256:
            raise Rejected(400, "plainToken missing")
        encrypted = hmac.new(
            settings.ZOOM_WEBHOOK_SECRET.encode(), plain.encode(), hashlib.sha256
        ).hexdigest()
        return {"plainToken": plain, "encryptedToken": encrypted}
    if kind == "app_deauthorized":
        return _deauthorized(event)
    return {"status": "ignored"}


def _deauthorized(event):
    payload = event["payload"]
    user_id, account_id = payload.get("user_id"), payload.get("account_id", "")
    if not isinstance(user_id, str) or not user_id or not isinstance(account_id, str):
        raise Rejected(400, "user_id missing")
    client_id = payload.get("client_id")
    if client_id and client_id != settings.ZOOM_CLIENT_ID:
        return {"status": "ignored"}  # About another app of ours, not this one.
    when = _deauthorization_time(payload, event.get("event_ts"))
    key = hashlib.sha256(
        f"app_deauthorized:{event.get('event_ts')}:{account_id}:{user_id}".encode()
    ).hexdigest()
    try:
        with transaction.atomic():
            WebhookEvent.objects.create(provider=Provider.ZOOM, key=key)
            removed = connections.deauthorize(
                user_id=user_id, account_id=account_id, deauthorized_at=when
            )
    except IntegrityError:
        return {"status": "duplicate"}
    return {"status": "ok", "removed": removed}


def _deauthorization_time(payload, event_ts):
    value = payload.get("deauthorization_time")
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return when if when.tzinfo else when.replace(tzinfo=UTC)
        except ValueError:
            pass
    if isinstance(event_ts, int) and not isinstance(event_ts, bool) and event_ts > 0:
        try:
            return datetime.fromtimestamp(event_ts / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            pass
    return timezone.now()
