"""
The integrations a workspace can connect, in the order the Integrations page shows them.

Each provider package describes itself with an ``Integration`` and reports a workspace's
state through ``state(workspace)``; the page and the workspace dashboard only read these.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class State:
    """What the Integrations card says about one workspace's connection."""

    NOT_CONNECTED = "not_connected"
    CONNECTED = "connected"
    NEEDS_RECONNECT = "needs_reconnect"
    DISCONNECTING = "disconnecting"

    code: str
    label: str
    detail: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_connected(self):
        return self.code == self.CONNECTED


@dataclass(frozen=True)
class Integration:
    key: str
    name: str
    summary: str
    logo: str
    # Template rendering the card's buttons (Set Up, Delete, …) for this provider.
    actions_template: str
    docs_url_name: str
    state: Callable[[object], State]


def integrations():
    from integrations.zoom.provider import ZOOM

    return [ZOOM]


def get_integration(key):
    for integration in integrations():
        if integration.key == key:
            return integration
    raise LookupError(key)
