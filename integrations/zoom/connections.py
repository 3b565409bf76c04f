"""
The life of a workspace's Zoom connection: connect, needs reconnect, disconnect, and removal
from Zoom's side (deauthorization). Each is one function that views, tasks and tests call.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from integrations.models import Connection, Provider, Revocation
from integrations.signals import connection_removed
from integrations.zoom import activity, client
from lib import crypto

log = logging.getLogger(__name__)

RECONNECT_PROBLEM = (
    "Zoom no longer accepts vrtual.ly’s access to your Zoom account (it was revoked or "
    "expired). Reconnect Zoom to keep creating meetings for confirmed bookings."
)


class ScopesMissing(Exception):
    """Zoom granted fewer permissions than vrtual.ly asks for."""


def _connections():
    return Connection.objects.filter(provider=Provider.ZOOM)


@sensitive_variables()
def connect(workspace, *, code, code_verifier, redirect_uri, actor):
    """
    Finish Zoom's authorization: exchange the code and store the connection.

    Replaces any earlier Zoom connection of the workspace in one transaction. Makes no Zoom API
    call: authorizing creates no meeting and reads nothing.
    """
    cause = f"Zoom connected by {actor}"
    with activity.recorded(workspace.pk, "oauth.connect", cause):
        tokens = client.exchange_code(
            code=code, redirect_uri=redirect_uri, code_verifier=code_verifier
        )
    granted = set(tokens.scope.split())
    if granted and not set(settings.ZOOM_SCOPES) <= granted:
        _queue_revocation_of(workspace, tokens, cause="Unused authorization with missing scopes")
        raise ScopesMissing(sorted(set(settings.ZOOM_SCOPES) - granted))

    revocation = None
    with transaction.atomic():
        previous = _connections().select_for_update().filter(workspace=workspace).first()
        if (
            previous
            and previous.status == Connection.Status.CONNECTED
            and previous.external_user_id != tokens.user_id
        ):
            # Another Zoom account replaces this one; its grant would otherwise live on.
            revocation = _revocation_from(previous, cause=cause)
        # A new authorization of the same Zoom user makes Zoom invalidate all earlier tokens,
        # so nothing is left to revoke for them.
        Revocation.objects.filter(provider=Provider.ZOOM, external_user_id=tokens.user_id).exclude(
            pk=getattr(revocation, "pk", None)
        ).delete()
        same_account = previous is not None and previous.external_user_id == tokens.user_id
        connection, _ = Connection.objects.update_or_create(
            workspace=workspace,
            provider=Provider.ZOOM,
            defaults={
                "status": Connection.Status.CONNECTED,
                "problem": "",
                "external_user_id": tokens.user_id,
                "external_account_id": tokens.account_id,
                "account_label": previous.account_label if same_account else "",
                "scopes": tokens.scope,
                "access_token": crypto.encrypt(tokens.access_token),
                "refresh_token": crypto.encrypt(tokens.refresh_token),
                "access_token_expires_at": tokens.expires_at,
                "token_version": (previous.token_version + 1) if previous else 1,
                "connected_at": timezone.now(),
            },
        )
        if revocation:
            _schedule(revocation)
    return connection


def mark_needs_reconnect(connection, problem=RECONNECT_PROBLEM):
    """Stop using a connection Zoom has given up on, and tell the host once."""
    from integrations.zoom import tasks

    connection.status = Connection.Status.NEEDS_RECONNECT
    connection.problem = problem
    # The tokens are dead: keep no copy of them.
    connection.access_token = ""  # nosec B105
    connection.refresh_token = ""  # nosec B105
    connection.token_version += 1
    connection.save()
    # Enqueued inside the transaction: with the database task backend the task row commits
    # (or rolls back) together with the change, so the email goes exactly when this happened.
    tasks.send_reconnect_email.enqueue(connection.workspace_id)


def disconnect(workspace, *, actor):
    """
    Remove the workspace's Zoom connection (the Delete icon on Integrations).

    The connection row goes at once, so no Zoom call can use it; its tokens move to a
    Revocation that is only used to revoke the grant at Zoom. Returns that Revocation, or None
    when there was nothing to revoke.
    """
    with transaction.atomic():
        connection = _connections().select_for_update().filter(workspace=workspace).first()
        if connection is None:
            return None
        revocation = None
        if connection.status == Connection.Status.CONNECTED:
            revocation = _revocation_from(connection, cause=f"Zoom disconnected by {actor}")
        _remove(connection)
    return revocation


def deauthorize(*, user_id, account_id, deauthorized_at):
    """
    Zoom says the user removed vrtual.ly (Zoom App Marketplace → Manage → Installed Apps).

    Removes every connection to that Zoom user made before the removal. Zoom has already
    invalidated the grant, so nothing is revoked. Returns how many connections went.
    """
    with transaction.atomic():
        connections = (
            _connections()
            .select_for_update()
            .filter(external_user_id=user_id, connected_at__lte=deauthorized_at)
        )
        if account_id:
            connections = connections.filter(external_account_id__in=[account_id, ""])
        removed = 0
        for connection in connections:
            activity.record(
                connection.workspace_id,
                "webhook.deauthorized",
                "vrtual.ly was removed from the Zoom account in Zoom App Marketplace",
                ok=True,
            )
            _remove(connection)
            removed += 1
        Revocation.objects.filter(provider=Provider.ZOOM, external_user_id=user_id).delete()
    return removed


def _remove(connection):
    workspace_id = connection.workspace_id
    connection.delete()
    connection_removed.send(sender=Connection, workspace_id=workspace_id, provider=Provider.ZOOM)


def _revocation_from(connection, *, cause):
    return Revocation.objects.create(
        provider=Provider.ZOOM,
        workspace_id=connection.workspace_id,
        external_user_id=connection.external_user_id,
        access_token=connection.access_token,
        refresh_token=connection.refresh_token,
        cause=cause,
    )


@sensitive_variables()
def _queue_revocation_of(workspace, tokens, *, cause):
    with transaction.atomic():
        revocation = Revocation.objects.create(
            provider=Provider.ZOOM,
            workspace=workspace,
            external_user_id=tokens.user_id,
            access_token=crypto.encrypt(tokens.access_token),
            refresh_token=crypto.encrypt(tokens.refresh_token),
            cause=cause,
        )
        _schedule(revocation)


def _schedule(revocation, when=None):
    from integrations.zoom import tasks

    task = (
        tasks.revoke_zoom_grant if when is None else tasks.revoke_zoom_grant.using(run_after=when)
    )
    task.enqueue(revocation.pk)


REVOKE_BACKOFF_CAP = timedelta(hours=1)
# How long one attempt may hold a revocation before another worker may take it over.
REVOKE_LEASE = timedelta(minutes=2)


@sensitive_variables()
def revoke(revocation_id, *, timeout=None):
    """
    Ask Zoom to revoke a removed connection's grant. True when nothing is left to revoke.

    Zoom's revoke takes an access token; if Zoom no longer accepts it (it may have expired
    meanwhile) but the refresh token still works, the grant is still alive, so it is
    refreshed once and the new access token revoked. Safe to call twice: an attempt first
    claims the revocation, and a second caller finds it claimed or gone.
    """
    now = timezone.now()
    claimed = Revocation.objects.filter(pk=revocation_id, next_attempt_at__lte=now).update(
        next_attempt_at=now + REVOKE_LEASE
    )
    if not claimed:
        return not Revocation.objects.filter(pk=revocation_id).exists()
    revocation = Revocation.objects.get(pk=revocation_id)
    workspace_id, cause = revocation.workspace_id, revocation.cause
    try:
        try:
            with activity.recorded(workspace_id, "oauth.revoke", cause):
                client.revoke(crypto.decrypt(revocation.access_token), timeout=timeout)
        except client.PermanentError:
            try:
                with activity.recorded(workspace_id, "oauth.refresh", cause):
                    tokens = client.refresh_tokens(crypto.decrypt(revocation.refresh_token))
            except client.PermanentError:
                pass  # The grant is already dead: Zoom holds nothing to revoke.
            else:
                with activity.recorded(workspace_id, "oauth.revoke", cause):
                    client.revoke(tokens.access_token, timeout=timeout)
    except client.TransientError as error:
        _postpone(revocation, error)
        return False
    except crypto.DecryptionError:
        log.error("zoom revoke %s: tokens unreadable with the configured keys", revocation.pk)
    revocation.delete()
    return True


def _postpone(revocation, error):
    revocation.attempts += 1
    now = timezone.now()
    delay = min(timedelta(seconds=30 * 2 ** min(revocation.attempts, 12)), REVOKE_BACKOFF_CAP)
    delay *= random.uniform(0.8, 1.2)  # noqa: S311 - jitter, not security # nosec B311
    if error.retry_after and error.retry_after - now > delay:
        delay = error.retry_after - now
    revocation.next_attempt_at = now + delay
    revocation.last_error = error.message[:300]
    revocation.save(update_fields=["attempts", "next_attempt_at", "last_error"])
    _schedule(revocation, when=revocation.next_attempt_at)
    log.info("zoom revoke %s postponed: %s", revocation.pk, error.message)


def requeue_overdue_revocations(grace=timedelta(minutes=1)):
    """
    Queue again each revocation whose attempt should have finished by now (its worker died).

    Pushing ``next_attempt_at`` to now under SKIP LOCKED lets several sweepers run at once
    without queueing the same revocation twice.
    """
    now = timezone.now()
    requeued = 0
    with transaction.atomic():
        overdue = (
            Revocation.objects.select_for_update(skip_locked=True)
            .filter(provider=Provider.ZOOM, next_attempt_at__lt=now - grace)
            .order_by("next_attempt_at")[:500]
        )
        for revocation in overdue:
            revocation.next_attempt_at = now
            revocation.save(update_fields=["next_attempt_at"])
            _schedule(revocation)
            requeued += 1
    return requeued
