"""
Access tokens for a workspace's Zoom connection: reused until they expire, refreshed once.

Zoom rotates the refresh token on every refresh and the previous one stops working at once,
so two processes refreshing together would lock the host out. The refresh therefore happens
under a row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises write transactions),
re-reads the row after locking, and a caller that lost the race uses the winner's token.
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from integrations.models import Connection, Provider
from integrations.zoom import activity, client, limits
from integrations.zoom.connections import mark_needs_reconnect
from lib import crypto

# Refresh a little before Zoom's expiry so a token never dies in flight.
EXPIRY_MARGIN = timedelta(seconds=60)


class NotConnected(Exception):
    """The workspace has no usable Zoom connection."""

    NOT_CONNECTED = "not_connected"
    NEEDS_RECONNECT = "needs_reconnect"

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _connection(workspace_id, *, lock=False):
    connections = Connection.objects.filter(workspace_id=workspace_id, provider=Provider.ZOOM)
    if lock:
        connections = connections.select_for_update()
    connection = connections.first()
    if connection is None:
        raise NotConnected(NotConnected.NOT_CONNECTED)
    if connection.status != Connection.Status.CONNECTED:
        raise NotConnected(NotConnected.NEEDS_RECONNECT)
    return connection


def _fresh(connection):
    return connection.access_token_expires_at - EXPIRY_MARGIN > timezone.now()


@dataclass(frozen=True)
class AccessToken:
    value: str = field(repr=False)
    version: int
    # Whose limits the calls count against (see limits.py).
    account_id: str
    user_id: str
    # Whether the Integrations card already names the Zoom account (see _limited_call).
    account_labelled: bool

    @classmethod
    def of(cls, connection, value=None):
        return cls(
            value=value or crypto.decrypt(connection.access_token),
            version=connection.token_version,
            account_id=connection.external_account_id or connection.external_user_id,
            user_id=connection.external_user_id,
            account_labelled=bool(connection.account_label),
        )


@sensitive_variables()
def access_token(workspace_id, *, cause, stale_version=None):
    """
    A valid access token for the workspace's Zoom connection.

    Pass ``stale_version`` when Zoom rejected the token of that version before its expiry,
    to force a refresh unless another caller has already made one.
    """
    connection = _connection(workspace_id)
    if connection.token_version != stale_version and _fresh(connection):
        return AccessToken.of(connection)
    return _refresh(workspace_id, cause=cause, stale_version=stale_version)


@sensitive_variables()
def _refresh(workspace_id, *, cause, stale_version):
    started = time.monotonic()
    failure = None
    with transaction.atomic():
        connection = _connection(workspace_id, lock=True)
        if connection.token_version != stale_version and _fresh(connection):
            return AccessToken.of(connection)
        try:
            tokens = client.refresh_tokens(crypto.decrypt(connection.refresh_token))
        except client.InvalidGrant as error:
            failure = error
            mark_needs_reconnect(connection)
        except client.ZoomError as error:
            failure = error
        else:
            connection.access_token = crypto.encrypt(tokens.access_token)
            connection.refresh_token = crypto.encrypt(tokens.refresh_token)
            connection.access_token_expires_at = tokens.expires_at
            connection.scopes = tokens.scope or connection.scopes
            connection.token_version += 1
            connection.save(
                update_fields=[
                    "access_token",
                    "refresh_token",
                    "access_token_expires_at",
                    "scopes",
                    "token_version",
                ]
            )
    duration_ms = int((time.monotonic() - started) * 1000)
    activity.record(
        workspace_id,
        "oauth.refresh",
        cause,
        ok=failure is None,
        detail=failure.message if failure else "",
        duration_ms=duration_ms,
    )
    if isinstance(failure, client.InvalidGrant):
        raise NotConnected(NotConnected.NEEDS_RECONNECT) from failure
    if failure is not None:
        raise failure
    return AccessToken.of(connection, tokens.access_token)


def call(workspace_id, operation, cause, request, *, meeting_id="", rate_wait=None):
    """
    Run ``request(access_token)`` — one Zoom API call — and record it in the activity log.

    The call first takes its place within Zoom's rate limits, waiting up to ``rate_wait``
    seconds (default ZOOM_RATE_WAIT). If Zoom rejects a token before its expiry (tokens can be
    invalidated early), refresh once and try again; a revoked grant then surfaces as
    NotConnected(NEEDS_RECONNECT).
    """
    token = access_token(workspace_id, cause=cause)
    try:
        return _limited_call(workspace_id, operation, cause, request, token, meeting_id, rate_wait)
    except client.InvalidAccessToken:
        token = access_token(workspace_id, cause=cause, stale_version=token.version)
        return _limited_call(workspace_id, operation, cause, request, token, meeting_id, rate_wait)


@sensitive_variables("token")
def _limited_call(workspace_id, operation, cause, request, token, meeting_id, rate_wait):
    who = {"account": token.account_id, "user": token.user_id, "operation": operation}
    limits.reserve(**who, max_wait=settings.ZOOM_RATE_WAIT if rate_wait is None else rate_wait)
    try:
        with activity.recorded(workspace_id, operation, cause, meeting_id) as note:
            result = request(token.value)
            if isinstance(result, client.Meeting):
                note["meeting_id"] = result.id
    except client.RateLimited as error:
        limits.note_rate_limited(error, **who)
        raise
    except client.Unreachable:
        limits.give_back(**who)
        raise
    except client.TransientError as error:
        # Zoom answered that it failed (5xx): nothing was made, so the host's daily budget is
        # untouched. A timeout keeps its count, since Zoom may have made the meeting.
        if error.status:
            limits.give_back(**who)
        raise
    # Zoom names the host's email with each meeting (no extra scope needed): the Integrations
    # card shows it from the first meeting on.
    if isinstance(result, client.Meeting) and result.host_email and not token.account_labelled:
        Connection.objects.filter(
            workspace_id=workspace_id, provider=Provider.ZOOM, account_label=""
        ).update(account_label=result.host_email[:254])
    return result
