"""How Zoom appears on the Integrations page."""

from django.utils import formats, timezone

from integrations.models import Connection, Provider, Revocation
from integrations.registry import Integration, State


def zoom_state(workspace):
    connection = Connection.objects.filter(workspace=workspace, provider=Provider.ZOOM).first()
    if connection and connection.status == Connection.Status.CONNECTED:
        account = connection.account_label or f"Zoom user {connection.external_user_id}"
        since = formats.date_format(timezone.localtime(connection.connected_at), "DATETIME_FORMAT")
        return State(
            State.CONNECTED,
            "Connected",
            facts=[("Zoom account", account), ("Connected since", since)],
        )
    if connection:
        return State(State.NEEDS_RECONNECT, "Needs reconnect", detail=connection.problem)
    revocation = Revocation.objects.filter(workspace=workspace, provider=Provider.ZOOM).first()
    if revocation:
        return State(
            State.DISCONNECTING,
            "Disconnecting",
            detail=(
                "Zoom is disconnected: vrtual.ly makes no Zoom calls. We are still asking Zoom "
                "to revoke the access and will keep trying until it confirms."
            ),
            facts=[("Last problem", revocation.last_error)] if revocation.last_error else [],
        )
    return State(
        State.NOT_CONNECTED,
        "Not connected",
        detail="Connect Zoom so each confirmed booking gets its own Zoom meeting.",
    )


ZOOM = Integration(
    key=Provider.ZOOM,
    name="Zoom",
    summary="A unique Zoom meeting for every confirmed booking, with join links in every "
    "confirmation, email and calendar invite.",
    logo="img/zoom.svg",
    actions_template="zoom/_actions.html",
    docs_url_name="zoom_docs",
    state=zoom_state,
)
