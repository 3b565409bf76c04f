"""Background work for the Zoom connection. Thin: each task calls one service."""

from django.urls import reverse
from django_tasks import task

from lib.emails import send_templated_email


@task()
def revoke_zoom_grant(revocation_id):
    from integrations.zoom import connections

    connections.revoke(revocation_id)


def sweep():
    """Queue again the revocations whose attempt died with its worker."""
    from integrations.zoom import connections

    return connections.requeue_overdue_revocations()


@task()
def send_reconnect_email(workspace_id):
    from accounts.models import Workspace

    workspace = Workspace.objects.select_related("owner").filter(pk=workspace_id).first()
    if workspace is None:
        return
    send_templated_email(
        "zoom/emails/needs_reconnect",
        {"user": workspace.owner, "path": reverse("integrations")},
        [workspace.owner.email],
    )
