"""The Zoom activity log: every call vrtual.ly makes to Zoom, and why."""

import time
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from integrations.models import Activity, Provider
from integrations.zoom.client import ZoomError

RETENTION = timedelta(days=90)

LABELS = {
    "oauth.connect": "Connect Zoom account",
    "oauth.refresh": "Refresh access token",
    "oauth.revoke": "Revoke access",
    "meeting.create": "Create meeting",
    "meeting.get": "Read meeting details",
    "meeting.start_link": "Get host start link",
    "meeting.update": "Update meeting",
    "meeting.delete": "Delete meeting",
    "meeting.find": "Look for an existing meeting",
    "webhook.deauthorized": "Zoom app removed in Zoom",
}


def record(workspace_id, operation, cause, *, ok, detail="", meeting_id="", duration_ms=None):
    entry = Activity.objects.create(
        workspace_id=workspace_id,
        provider=Provider.ZOOM,
        operation=operation,
        cause=cause[:300],
        outcome=Activity.Outcome.OK if ok else Activity.Outcome.FAILED,
        detail=detail[:300],
        meeting_id=str(meeting_id or ""),
        duration_ms=duration_ms,
    )
    if entry.pk % 100 == 0:  # Cheap, occasional clean-up instead of a scheduled job.
        Activity.objects.filter(
            workspace_id=workspace_id, at__lt=timezone.now() - RETENTION
        ).delete()
    return entry


@contextmanager
def recorded(workspace_id, operation, cause, meeting_id=""):
    """
    Record the Zoom call made inside the block, with its outcome and duration.

    The block may set ``note["meeting_id"]`` once it learns the id (e.g. after a create).
    """
    note = {"meeting_id": meeting_id}
    started = time.monotonic()
    try:
        yield note
    except ZoomError as error:
        record(
            workspace_id,
            operation,
            cause,
            ok=False,
            detail=error.message,
            meeting_id=note["meeting_id"],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        raise
    record(
        workspace_id,
        operation,
        cause,
        ok=True,
        meeting_id=note["meeting_id"],
        duration_ms=int((time.monotonic() - started) * 1000),
    )


def recent(workspace, limit=50):
    return Activity.objects.filter(workspace=workspace, provider=Provider.ZOOM)[:limit]
