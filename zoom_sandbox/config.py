"""Configuration: OAuth apps, seeded users, lifetimes and rate-limit plans.

A ``Config`` can be built directly in Python (tests do) or from ``ZOOM_SANDBOX_*`` environment
variables plus an optional JSON file (``python -m zoom_sandbox`` does, see ``Config.from_env``).
"""

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SCOPES = ("meeting:read", "meeting:write")
RETRY_AFTER_FORMS = ("iso", "seconds", "http-date", "none")
# Requests per second per account, (Light, Medium), as observed for each Zoom plan.
PLANS = {"free": (4, 2), "pro": (30, 20), "business": (80, 60)}


class ConfigError(ValueError):
    """The environment or the config file describes an unusable sandbox."""


@dataclass(frozen=True)
class AppConfig:
    """One user-managed OAuth app registered with the sandbox."""

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    webhook_secret: str = ""
    webhook_url: str = ""
    name: str = "vrtual.ly"
    # Zoom accepts authorizations without PKCE; an app can be made stricter than Zoom.
    require_pkce: bool = False

    def __post_init__(self):
        if not self.client_id or not self.client_secret:
            raise ConfigError("an app needs both a client_id and a client_secret")
        if not self.redirect_uris:
            raise ConfigError(f"app {self.client_id!r} needs at least one redirect URI")
        object.__setattr__(self, "redirect_uris", tuple(self.redirect_uris))
        object.__setattr__(self, "scopes", tuple(self.scopes))


@dataclass(frozen=True)
class SandboxUser:
    """A Zoom user who can sign in on the consent page."""

    user_id: str
    account_id: str
    email: str
    first_name: str
    last_name: str
    timezone: str = "UTC"

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}".strip()


# Stable ids so that tests and a persisted product database agree across restarts. Dana and Sam
# share an account (a clinic with two hosts); Priya has an account of her own.
SEED_USERS = (
    SandboxUser(
        user_id="KDcuGIm1QgePTO8WbOqwIQ",
        account_id="aCcT7Rk2Q4yUeZ0bN1pLwA",
        email="dana.whitfield@example.com",
        first_name="Dana",
        last_name="Whitfield",
        timezone="America/New_York",
    ),
    SandboxUser(
        user_id="rB3xY9qTS0mZp6HvE2uJkg",
        account_id="aCcT7Rk2Q4yUeZ0bN1pLwA",
        email="sam.okafor@example.com",
        first_name="Sam",
        last_name="Okafor",
        timezone="Europe/London",
    ),
    SandboxUser(
        user_id="Wq8nL4cVRjG1sPz7dXoY5A",
        account_id="mH2fK9tQTbOcR5yW3vLe8g",
        email="priya.raman@example.org",
        first_name="Priya",
        last_name="Raman",
        timezone="Asia/Kolkata",
    ),
)

# Used when nothing is configured, so that `python -m zoom_sandbox` is usable on its own.
# Published demo credentials: they only ever open this local sandbox.
DEMO_APP = AppConfig(
    client_id="sandbox-client-id",
    client_secret="sandbox-client-secret",  # noqa: S106
    redirect_uris=(
        "http://127.0.0.1:8000/integrations/zoom/callback",
        "http://localhost:8000/integrations/zoom/callback",
    ),
    webhook_secret="sandbox-webhook-secret",  # noqa: S106
)


@dataclass
class RateLimitConfig:
    """Zoom's per-second limits per account and its daily per-user create/update limit."""

    enabled: bool = True
    light_per_second: int = PLANS["pro"][0]
    medium_per_second: int = PLANS["pro"][1]
    daily_create_update: int = 100
    updates_per_meeting: int = 100
    # Form of Retry-After on daily-limit 429s (Zoom: ISO date-time) and on per-second 429s
    # (Zoom: none). A client must cope with every form.
    retry_after: str = "iso"
    qps_retry_after: str = "none"

    def __post_init__(self):
        for name in ("retry_after", "qps_retry_after"):
            if getattr(self, name) not in RETRY_AFTER_FORMS:
                raise ConfigError(f"{name} must be one of {', '.join(RETRY_AFTER_FORMS)}")
        for name in (
            "light_per_second",
            "medium_per_second",
            "daily_create_update",
            "updates_per_meeting",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{name} must be a positive integer")

    @classmethod
    def for_plan(cls, plan, **overrides):
        if plan == "off":
            return cls(enabled=False, **overrides)
        if plan not in PLANS:
            raise ConfigError(f"unknown rate-limit plan {plan!r}; use {', '.join(PLANS)} or off")
        light, medium = PLANS[plan]
        return cls(**{"light_per_second": light, "medium_per_second": medium, **overrides})


@dataclass
class Config:
    apps: tuple[AppConfig, ...] = (DEMO_APP,)
    users: tuple[SandboxUser, ...] = SEED_USERS
    # Base of start/join links and of the token response's api_url; None = the Host the
    # client used to reach the sandbox.
    public_url: str | None = None
    state_file: str | None = None
    access_token_ttl: int = 3599
    refresh_token_ttl: int = 15 * 365 * 24 * 3600
    code_ttl: int = 300
    start_url_ttl: int = 2 * 3600
    page_token_ttl: int = 15 * 60
    webhook_retry_delays: tuple[float, ...] = (300.0, 1200.0, 3600.0)
    webhook_timeout: float = 3.0
    rate_limits: RateLimitConfig = field(default_factory=RateLimitConfig)
    control_enabled: bool = True
    # How long a timeout fault holds a request when the fault does not say.
    fault_timeout_seconds: float = 30.0
    # Persistence waits this long after a change so that bursts are written once.
    persist_delay: float = 0.25

    def __post_init__(self):
        self.apps = tuple(self.apps)
        self.users = tuple(self.users)
        self.webhook_retry_delays = tuple(float(d) for d in self.webhook_retry_delays)
        if not self.apps:
            raise ConfigError("at least one app must be configured")
        ids = [app.client_id for app in self.apps]
        if len(set(ids)) != len(ids):
            raise ConfigError("client ids must be unique")
        if self.public_url:
            self.public_url = self.public_url.rstrip("/")

    def app(self, client_id):
        return next((app for app in self.apps if app.client_id == client_id), None)

    @classmethod
    def from_env(cls, environ=None):
        """Build the configuration `make run` describes through ZOOM_SANDBOX_* variables."""
        env = os.environ if environ is None else environ
        apps, users = [], list(SEED_USERS)
        if env.get("ZOOM_SANDBOX_CONFIG"):
            file_apps, file_users = _read_config_file(Path(env["ZOOM_SANDBOX_CONFIG"]))
            apps.extend(file_apps)
            users.extend(file_users)
        if env.get("ZOOM_SANDBOX_CLIENT_ID"):
            apps.insert(0, _app_from_env(env))
        if not apps:
            apps.append(DEMO_APP)

        plan = env.get("ZOOM_SANDBOX_RATE_LIMIT_PLAN", "pro").strip().lower()
        overrides = {
            key: _int(env, var)
            for key, var in (
                ("light_per_second", "ZOOM_SANDBOX_RATE_LIMIT_LIGHT"),
                ("medium_per_second", "ZOOM_SANDBOX_RATE_LIMIT_MEDIUM"),
                ("daily_create_update", "ZOOM_SANDBOX_RATE_LIMIT_DAILY"),
            )
            if env.get(var)
        }
        if env.get("ZOOM_SANDBOX_RETRY_AFTER"):
            overrides["retry_after"] = env["ZOOM_SANDBOX_RETRY_AFTER"].strip()
        delays = env.get("ZOOM_SANDBOX_WEBHOOK_RETRY_DELAYS")
        return cls(
            apps=tuple(apps),
            users=tuple(users),
            public_url=env.get("ZOOM_SANDBOX_PUBLIC_URL") or None,
            state_file=env.get("ZOOM_SANDBOX_STATE_FILE") or None,
            access_token_ttl=_int(env, "ZOOM_SANDBOX_ACCESS_TOKEN_TTL", 3599),
            refresh_token_ttl=_int(env, "ZOOM_SANDBOX_REFRESH_TOKEN_TTL", 15 * 365 * 24 * 3600),
            webhook_retry_delays=(
                _delays(delays) if delays is not None else cls.webhook_retry_delays
            ),
            rate_limits=RateLimitConfig.for_plan(plan, **overrides),
            control_enabled=env.get("ZOOM_SANDBOX_CONTROL", "1").strip().lower()
            not in ("0", "false", "no", "off"),
        )


def _app_from_env(env):
    uris = tuple(
        u.strip() for u in env.get("ZOOM_SANDBOX_REDIRECT_URIS", "").split(",") if u.strip()
    )
    scopes = tuple(
        env.get("ZOOM_SANDBOX_SCOPES", " ".join(DEFAULT_SCOPES)).replace(",", " ").split()
    )
    return AppConfig(
        client_id=env["ZOOM_SANDBOX_CLIENT_ID"],
        client_secret=env.get("ZOOM_SANDBOX_CLIENT_SECRET", ""),
        redirect_uris=uris,
        scopes=scopes,
        webhook_secret=env.get("ZOOM_SANDBOX_WEBHOOK_SECRET", ""),
        webhook_url=env.get("ZOOM_SANDBOX_WEBHOOK_URL", ""),
        name=env.get("ZOOM_SANDBOX_APP_NAME", "vrtual.ly"),
    )


def _read_config_file(path):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read ZOOM_SANDBOX_CONFIG {path}: {exc.strerror}") from exc
    except ValueError as exc:
        raise ConfigError(f"ZOOM_SANDBOX_CONFIG {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"ZOOM_SANDBOX_CONFIG {path} must hold a JSON object")
    try:
        apps = [
            AppConfig(
                **{
                    **app,
                    "redirect_uris": tuple(app.get("redirect_uris", ())),
                    "scopes": tuple(app.get("scopes", DEFAULT_SCOPES)),
                }
            )
            for app in data.get("apps", [])
        ]
        users = [SandboxUser(**user) for user in data.get("users", [])]
    except TypeError as exc:
        raise ConfigError(f"ZOOM_SANDBOX_CONFIG {path}: {exc}") from exc
    return apps, users


def _int(env, name, default=None):
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None


def _delays(raw):
    try:
        return tuple(float(part) for part in raw.split(",") if part.strip())
    except ValueError:
        raise ConfigError(
            f"ZOOM_SANDBOX_WEBHOOK_RETRY_DELAYS must be comma-separated seconds, not {raw!r}"
        ) from None
