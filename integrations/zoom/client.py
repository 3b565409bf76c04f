"""
The only code that speaks Zoom's protocol: its URLs, wire formats and error replies.

Everything else calls these functions with plain values and gets typed results, or a
``ZoomError`` whose ``transient`` flag says whether trying again later can help. Base URLs come
from settings, so the same code talks to zoom.us in production and to the Zoom sandbox
everywhere else.
"""

import base64
import binascii
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from lib.http import parse_retry_after

log = logging.getLogger(__name__)


class ZoomError(Exception):
    """A Zoom call that did not succeed."""

    transient = False

    def __init__(self, message, *, status=None, code=None, retry_after=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        # When Zoom asked us to come back (an aware datetime), if it did.
        self.retry_after = retry_after


class TransientError(ZoomError):
    """Zoom was unreachable, slow, overloaded or broken: the same call may work later."""

    transient = True


class Unreachable(TransientError):
    """No connection to Zoom could be made: the request never left, so Zoom did nothing."""


class RateLimited(TransientError):
    def __init__(self, message, *, daily=False, **kwargs):
        super().__init__(message, **kwargs)
        self.daily = daily


class PermanentError(ZoomError):
    """Zoom refused the call; repeating it unchanged will not help."""


class InvalidGrant(PermanentError):
    """The authorization code or refresh token is no longer valid: the user must reconnect."""


class InvalidAccessToken(PermanentError):
    """Zoom rejected the access token (expired early, or the grant was revoked)."""


class MissingScope(PermanentError):
    """The grant lacks a permission this call needs."""


class MeetingNotFound(PermanentError):
    """The meeting does not exist in Zoom (never did, or was deleted)."""


@dataclass(frozen=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    expires_at: datetime
    scope: str
    # Zoom's user and account ids, read from the token's claims when Zoom puts them there.
    user_id: str
    account_id: str


@dataclass(frozen=True)
class Meeting:
    id: int
    uuid: str
    host_id: str
    host_email: str
    topic: str
    start_time: datetime | None
    duration: int
    timezone: str
    agenda: str
    join_url: str
    # The host link starts the meeting as host: a secret, never logged or stored.
    start_url: str = field(default="", repr=False)
    password: str = field(default="", repr=False)
    status: str = ""


@dataclass(frozen=True)
class MeetingSummary:
    id: int
    topic: str
    start_time: datetime | None
    agenda: str
    join_url: str


_http = None
_http_lock = threading.Lock()


def _client():
    # One pooled client per process, so calls reuse kept-alive connections to Zoom.
    global _http
    if _http is None:
        with _http_lock:
            if _http is None:
                _http = httpx.Client(
                    headers={"User-Agent": "vrtual.ly (+https://vrtual.ly/docs/zoom)"},
                    limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
                    follow_redirects=False,
                )
    return _http


def _timeout(seconds):
    seconds = seconds or settings.ZOOM_HTTP_TIMEOUT
    return httpx.Timeout(seconds, connect=min(seconds, 5.0))


@sensitive_variables()
def _send(method, url, *, timeout=None, **kwargs):
    """Make one HTTP call, turning transport failures into TransientError."""
    started = time.monotonic()
    path = httpx.URL(url).path
    try:
        response = _client().request(method, url, timeout=_timeout(timeout), **kwargs)
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as error:
        log.warning("zoom %s %s failed: %s", method, path, type(error).__name__)
        raise Unreachable("Zoom could not be reached.") from None
    except httpx.TimeoutException:
        log.warning("zoom %s %s timed out", method, path)
        raise TransientError("Zoom did not answer in time.") from None
    except httpx.HTTPError as error:
        log.warning("zoom %s %s failed: %s", method, path, type(error).__name__)
        raise TransientError("Zoom could not be reached.") from None
    elapsed = (time.monotonic() - started) * 1000
    log.info("zoom %s %s -> %s in %.0f ms", method, path, response.status_code, elapsed)
    return response


def _json_body(response):
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None


def _next_utc_midnight(now):
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


def _error_for(response):
    """The ZoomError matching an unsuccessful response (never raises anything else)."""
    status = response.status_code
    body = _json_body(response)
    now = timezone.now()

    if status == 429:
        daily = response.headers.get("X-RateLimit-Type", "").lower().startswith("daily")
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now)
        if daily and retry_after is None:
            # Zoom's daily limits reset at 00:00 UTC, and some 429s omit Retry-After.
            retry_after = _next_utc_midnight(now)
        message = (body or {}).get("message") or "Zoom's rate limit was reached."
        return RateLimited(message, status=status, code=429, daily=daily, retry_after=retry_after)
    if status >= 500 or body is None:
        # Zoom sometimes answers with an HTML or XML page; both mean "not now".
        return TransientError(f"Zoom answered with an error ({status}).", status=status)

    code = body.get("code")
    message = str(body.get("message") or body.get("reason") or f"Zoom answered {status}.")
    # The OAuth endpoints answer {"reason", "error"}; the REST API {"code", "message"}.
    error = body.get("error")
    if error == "invalid_grant":
        return InvalidGrant(message, status=status)
    if status == 401 or code == 124:
        return InvalidAccessToken(message, status=status, code=code)
    if code == 4711:
        return MissingScope(message, status=status, code=code)
    if status == 404 and code in (3001, 1001, None):
        return MeetingNotFound(message, status=status, code=code)
    return PermanentError(message, status=status, code=code if isinstance(code, int) else None)


# OAuth -----------------------------------------------------------------------------------


def authorize_url(*, state, code_challenge, redirect_uri):
    """Where to send the user to approve vrtual.ly on Zoom (PKCE S256)."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.ZOOM_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
            "scope": " ".join(settings.ZOOM_SCOPES),
        }
    )
    return f"{settings.ZOOM_OAUTH_BASE_URL}/oauth/authorize?{query}"


def _token_claims(access_token):
    """Claims of a JWT-shaped token, unverified: Zoom calls its tokens opaque."""
    try:
        payload = access_token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error, UnicodeDecodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


@sensitive_variables()
def _token_request(data, *, timeout=None):
    response = _send(
        "POST",
        f"{settings.ZOOM_OAUTH_BASE_URL}/oauth/token",
        data=data,
        auth=(settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET),
        timeout=timeout,
    )
    if response.status_code != 200:
        raise _error_for(response)
    body = _json_body(response)
    try:
        access_token = body["access_token"]
        refresh_token = body["refresh_token"]
        expires_in = int(body["expires_in"])
        if not (isinstance(access_token, str) and isinstance(refresh_token, str)):
            raise TypeError
    except (TypeError, KeyError, ValueError):
        raise TransientError("Zoom sent an unreadable token response.") from None
    claims = _token_claims(access_token)
    return Tokens(
        access_token=access_token,
        refresh_token=refresh_token,
        expires_at=timezone.now() + timedelta(seconds=expires_in),
        scope=str(body.get("scope", "")),
        user_id=str(claims.get("userId") or claims.get("uid") or ""),
        account_id=str(claims.get("accountId") or claims.get("aid") or ""),
    )


@sensitive_variables()
def exchange_code(*, code, redirect_uri, code_verifier):
    """Trade the authorization code from Zoom's redirect for tokens."""
    return _token_request(
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
    )


@sensitive_variables()
def refresh_tokens(refresh_token):
    """New tokens for an expired access token. Zoom rotates the refresh token every time."""
    return _token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})


@sensitive_variables()
def revoke(access_token, *, timeout=None):
    """Ask Zoom to invalidate the whole grant behind ``access_token``."""
    response = _send(
        "POST",
        f"{settings.ZOOM_OAUTH_BASE_URL}/oauth/revoke",
        data={"token": access_token},
        auth=(settings.ZOOM_CLIENT_ID, settings.ZOOM_CLIENT_SECRET),
        timeout=timeout,
    )
    if response.status_code != 200:
        raise _error_for(response)


# Meetings API ------------------------------------------------------------------------------


def _parse_time(value):
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _meeting(body):
    try:
        meeting_id = body["id"]
        join_url = body["join_url"]
        if isinstance(meeting_id, bool) or not isinstance(meeting_id, int):
            raise TypeError
        if not isinstance(join_url, str):
            raise TypeError
    except (TypeError, KeyError):
        raise TransientError("Zoom sent an unreadable meeting.") from None
    return Meeting(
        id=meeting_id,
        uuid=str(body.get("uuid", "")),
        host_id=str(body.get("host_id", "")),
        host_email=str(body.get("host_email", "")),
        topic=str(body.get("topic", "")),
        start_time=_parse_time(body.get("start_time")),
        duration=int(body.get("duration") or 0),
        timezone=str(body.get("timezone", "")),
        agenda=str(body.get("agenda", "")),
        join_url=join_url,
        start_url=str(body.get("start_url", "")),
        password=str(body.get("password", "")),
        status=str(body.get("status", "")),
    )


@sensitive_variables()
def _api(method, path, access_token, *, timeout=None, **kwargs):
    response = _send(
        method,
        f"{settings.ZOOM_API_BASE_URL}{path}",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=timeout,
        **kwargs,
    )
    if response.status_code >= 300:
        raise _error_for(response)
    return response


@dataclass(frozen=True)
class MeetingFields:
    """What vrtual.ly tells Zoom about a booking's meeting."""

    topic: str
    start_time: datetime
    duration: int
    timezone: str
    agenda: str

    def as_json(self):
        return {
            "topic": self.topic[:200],
            "type": 2,  # A scheduled meeting.
            "start_time": self.start_time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "duration": self.duration,
            "timezone": self.timezone,
            "agenda": self.agenda[:2000],
        }


def create_meeting(access_token, fields, *, timeout=None):
    response = _api(
        "POST", "/users/me/meetings", access_token, json=fields.as_json(), timeout=timeout
    )
    return _meeting(_json_body(response) or {})


def get_meeting(access_token, meeting_id, *, timeout=None):
    response = _api("GET", f"/meetings/{int(meeting_id)}", access_token, timeout=timeout)
    return _meeting(_json_body(response) or {})


def update_meeting(access_token, meeting_id, fields, *, timeout=None):
    _api(
        "PATCH",
        f"/meetings/{int(meeting_id)}",
        access_token,
        json=fields.as_json(),
        timeout=timeout,
    )


def delete_meeting(access_token, meeting_id, *, timeout=None):
    _api("DELETE", f"/meetings/{int(meeting_id)}", access_token, timeout=timeout)


def list_upcoming_meetings(access_token, *, timeout=None):
    """Every upcoming meeting of the token's user, following Zoom's paging."""
    meetings, page_token = [], ""
    for _ in range(100):  # At 300 a page, far beyond any real host's calendar.
        params = {"type": "upcoming", "page_size": 300}
        if page_token:
            params["next_page_token"] = page_token
        body = _json_body(
            _api("GET", "/users/me/meetings", access_token, params=params, timeout=timeout)
        )
        if body is None or not isinstance(body.get("meetings"), list):
            raise TransientError("Zoom sent an unreadable meeting list.")
        for item in body["meetings"]:
            if isinstance(item, dict) and isinstance(item.get("id"), int):
                meetings.append(
                    MeetingSummary(
                        id=item["id"],
                        topic=str(item.get("topic", "")),
                        start_time=_parse_time(item.get("start_time")),
                        agenda=str(item.get("agenda", "")),
                        join_url=str(item.get("join_url", "")),
                    )
                )
        page_token = body.get("next_page_token") or ""
        if not page_token:
            break
    return meetings
