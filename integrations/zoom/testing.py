"""
Test helpers for anything that talks to Zoom: a live Zoom sandbox (real HTTP on an ephemeral
port, one per test process) and a way to connect a host to it through the real OAuth flow.
"""

import atexit
import json
import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.test import override_settings

from accounts.testing import BaseTestCase, BaseTransactionTestCase
from integrations.models import Connection, Provider
from integrations.zoom.webhooks import signature
from zoom_sandbox.config import AppConfig, Config, RateLimitConfig
from zoom_sandbox.testing import SandboxServer, authorize

# Seeded sandbox users (see zoom_sandbox/config.py).
DANA = "dana.whitfield@example.com"
DANA_ID = "KDcuGIm1QgePTO8WbOqwIQ"
PRIYA = "priya.raman@example.org"

_servers = {}


def sandbox_config(webhook_url=""):
    return Config(
        apps=(
            AppConfig(
                client_id=settings.ZOOM_CLIENT_ID,
                client_secret=settings.ZOOM_CLIENT_SECRET,
                redirect_uris=(settings.BASE_URL + "/integrations/zoom/callback",),
                webhook_secret=settings.ZOOM_WEBHOOK_SECRET,
                webhook_url=webhook_url,
            ),
        ),
        # Generous limits, so only tests about rate limits meet them.
        rate_limits=RateLimitConfig.for_plan("business"),
        webhook_retry_delays=(0.2, 0.4, 0.8),
    )


def shared_sandbox():
    """The test process's Zoom sandbox, started on first use."""
    if "shared" not in _servers:
        server = SandboxServer(sandbox_config()).start()
        atexit.register(server.stop)
        _servers["shared"] = server
    return _servers["shared"]


def zoom_settings(base_url):
    return override_settings(ZOOM_OAUTH_BASE_URL=base_url, ZOOM_API_BASE_URL=base_url + "/v2")


class ZoomMixin:
    """The product talks to a freshly reset Zoom sandbox."""

    def setUp(self):
        super().setUp()
        self.zoom = shared_sandbox()
        self.zoom.control.reset()
        self.enterContext(zoom_settings(self.zoom.base_url))

    def start_connect(self, user=None):
        """Click Set Up; return the query Zoom's authorize page received."""
        self.client.force_login(user or self.alice)
        response = self.client.post("/integrations/zoom/connect")
        assert response.status_code == 302, response.status_code
        location = urlsplit(response["Location"])
        assert f"{location.scheme}://{location.netloc}" == self.zoom.base_url
        return {key: values[0] for key, values in parse_qs(location.query).items()}

    def consent(self, query, *, zoom_user=DANA, decision="allow"):
        """Answer Zoom's consent page; return the callback path (with query) Zoom redirects to."""
        back = authorize(
            self.zoom.base_url,
            query["client_id"],
            query["redirect_uri"],
            state=query.get("state", ""),
            code_challenge=query.get("code_challenge"),
            scope=query.get("scope"),
            user=zoom_user,
            decision=decision,
        )
        parts = urlsplit(back)
        return f"{parts.path}?{parts.query}"

    def connect(self, user=None, *, zoom_user=DANA, decision="allow"):
        """The whole Set Up flow; returns the Integrations page the host lands on."""
        query = self.start_connect(user)
        return self.client.get(
            self.consent(query, zoom_user=zoom_user, decision=decision), follow=True
        )

    def connection(self, user=None):
        user = user or self.alice
        return Connection.objects.filter(workspace=user.workspace, provider=Provider.ZOOM).first()

    def zoom_removes_the_app(self, user_id=DANA_ID, **payload):
        """Zoom's signed app_deauthorized notice: the user removed vrtual.ly in Zoom."""
        body = json.dumps(
            {
                "event": "app_deauthorized",
                "event_ts": int(time.time() * 1000),
                "payload": {
                    "account_id": "",
                    "user_id": user_id,
                    "deauthorization_time": "2099-01-01T00:00:00Z",
                    "user_data_retention": "false",
                    **payload,
                },
            }
        ).encode()
        now = int(time.time())
        return self.client.generic(
            "POST",
            "/integrations/zoom/webhook",
            body,
            content_type="application/json",
            headers={
                "x-zm-request-timestamp": str(now),
                "x-zm-signature": signature(settings.ZOOM_WEBHOOK_SECRET, now, body),
            },
        )

    def zoom_requests(self, prefix, since=0):
        """Requests the sandbox received whose endpoint starts with ``prefix``."""
        return [
            r
            for r in self.zoom.control.requests(since)
            if (r["endpoint"] or "").startswith(prefix)
        ]

    def api_requests(self, since=0):
        """Calls to the Meetings API (``meetings.create``, ``meetings.get`` …)."""
        return self.zoom_requests("meetings.", since)

    def token_requests(self, since=0):
        return self.zoom_requests("oauth.token", since)


class ZoomTestCase(ZoomMixin, BaseTestCase):
    pass


class ZoomTransactionTestCase(ZoomMixin, BaseTransactionTestCase):
    pass
