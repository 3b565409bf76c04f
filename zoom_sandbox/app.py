"""The Starlette application and the ``Sandbox`` object its handlers share."""

from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.responses import RedirectResponse
from starlette.routing import Route

from . import control, meetings, oauth, pages
from .config import Config
from .errors import ApiError, OAuthError, PageError, render_error
from .gate import Faults, Gate, Latency, RequestLog
from .limits import RateLimiter
from .state import Clock, Persister, Store
from .webhooks import Webhooks

MAX_BODY_BYTES = 1024 * 1024


class Sandbox:
    """Configuration, state and services of one running sandbox."""

    def __init__(self, config):
        self.config = config
        self.clock = Clock()
        self.store = Store(config)
        self.persister = None
        if config.state_file:
            self.persister = Persister(self.store, config.state_file, config.persist_delay)
            self.persister.load()
            self.store.on_change = self.persister.notify
        self.limiter = RateLimiter(config.rate_limits, self.clock)
        self.faults = Faults(config.fault_timeout_seconds)
        self.latency = Latency()
        self.requests = RequestLog()
        self.webhooks = Webhooks(config, self.clock)

    def start(self):
        self.webhooks.start()
        if self.persister:
            self.persister.start()

    def stop(self):
        self.webhooks.stop()
        if self.persister:
            self.persister.stop()

    def public_url(self, request):
        return self.config.public_url or str(request.base_url).rstrip("/")

    def reset(self):
        """Back to the seeded state: no grants or meetings, no faults, latency or clock offset."""
        self.store.reset()
        self.limiter.reset()
        self.faults.clear()
        self.latency.clear()
        self.requests.clear()
        self.webhooks.reset()
        self.clock.offset = 0.0

    def advance_clock(self, seconds):
        self.clock.advance(seconds)
        self.webhooks.wake()

    def expire_tokens(self, user_id=None):
        """Make current access tokens (of one user, or everyone's) expired now."""
        now, count = self.clock.now(), 0
        with self.store.lock:
            for grant in self.store.grants.values():
                if grant.access_jti and user_id in (None, grant.user_id):
                    grant.access_expires_at = min(grant.access_expires_at, now)
                    count += 1
        self.store.changed()
        return count

    def deauthorize(self, client_id, user_id, by, notify):
        """End a grant; with notify, send app_deauthorized as Zoom does. False if not active."""
        store, now = self.store, self.clock.now()
        with store.lock:
            grant = store.grants.get((client_id, user_id))
            if grant is None or not grant.active:
                return False
            store.forget_tokens(grant)
            grant.epoch += 1
            grant.revoked_at, grant.revoked_by = now, by
            user = store.users[user_id]
        store.changed()
        if notify:
            self.webhooks.app_deauthorized(self.config.app(client_id), user, now)
        return True

    def revoke_user(self, user_id, client_id=None, notify=False, by="sandbox"):
        """End the user's grants (of one app, or all); the client ids whose grant ended."""
        with self.store.lock:
            client_ids = [
                g.client_id
                for g in self.store.grants.values()
                if g.user_id == user_id and g.active and client_id in (None, g.client_id)
            ]
        return [c for c in client_ids if self.deauthorize(c, user_id, by=by, notify=notify)]


class SandboxApp(Starlette):
    """Starlette behind the gate, which can delay, fail or drop a request before anything runs."""

    gate: Gate

    async def __call__(self, scope, receive, send):
        await self.gate(scope, receive, send, super().__call__)


async def home(request):
    return RedirectResponse("/marketplace/manage/installed-apps", status_code=302)


def create_app(config=None):
    """The sandbox as an ASGI application; ``config`` defaults to ``Config.from_env()``."""
    config = config or Config.from_env()
    sandbox = Sandbox(config)
    api_methods = ["GET", "POST", "PATCH", "PUT", "DELETE"]
    routes = [
        Route("/", home, name="pages.home"),
        Route("/oauth/authorize", oauth.authorize, methods=["GET"], name="oauth.authorize"),
        Route("/oauth/authorize", oauth.decide, methods=["POST"], name="oauth.authorize"),
        Route("/oauth/token", oauth.token, methods=["POST"], name="oauth.token"),
        Route("/oauth/revoke", oauth.revoke, methods=["POST"], name="oauth.revoke"),
        Route(
            "/v2/users/{user_id}/meetings",
            meetings.create,
            methods=["POST"],
            name="meetings.create",
        ),
        Route(
            "/v2/users/{user_id}/meetings",
            meetings.list_meetings,
            methods=["GET"],
            name="meetings.list",
        ),
        Route("/v2/meetings/{meeting_id}", meetings.get, methods=["GET"], name="meetings.get"),
        Route(
            "/v2/meetings/{meeting_id}", meetings.update, methods=["PATCH"], name="meetings.update"
        ),
        Route(
            "/v2/meetings/{meeting_id}",
            meetings.delete,
            methods=["DELETE"],
            name="meetings.delete",
        ),
        Route("/v2/{path:path}", meetings.not_found, methods=api_methods, name="api.unknown"),
        Route("/s/{meeting_id}", pages.start_meeting, name="pages.start"),
        Route("/j/{meeting_id}", pages.join_meeting, name="pages.join"),
        Route(
            "/marketplace/manage/installed-apps",
            pages.installed_apps,
            name="marketplace.installed_apps",
        ),
        Route(
            "/marketplace/manage/installed-apps/remove",
            pages.remove_app,
            methods=["POST"],
            name="marketplace.remove",
        ),
    ]
    if config.control_enabled:
        routes += control.routes

    @asynccontextmanager
    async def lifespan(app):
        sandbox.start()
        try:
            yield
        finally:
            sandbox.stop()

    app = SandboxApp(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={
            ApiError: render_error,
            OAuthError: render_error,
            PageError: pages.render_page_error,
            control.ControlError: control.render_control_error,
        },
        max_body_size=MAX_BODY_BYTES,
    )
    app.state.sandbox = sandbox
    app.gate = Gate(sandbox, app.router.routes)
    return app
