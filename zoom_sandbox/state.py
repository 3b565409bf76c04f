"""What the sandbox remembers: users, authorization codes, grants and their tokens, meetings.

Everything lives in memory behind one lock (``Store.lock``); callers hold it while they read or
change the store's attributes and keep the critical section short. When a state file is
configured, a background thread writes a JSON snapshot shortly after each change, so that a
restart keeps connections and meetings without any file I/O on the request path.
"""

import base64
import json
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .config import SandboxUser
from .crypto import zoom_id

logger = logging.getLogger("zoom_sandbox")

STATE_VERSION = 1


def iso_millis(timestamp):
    """A timestamp as Zoom writes times with milliseconds: 2026-11-24T13:52:28.632Z."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def is_number(text):
    """Whether text is a plain decimal number (str.isdigit also accepts "²")."""
    return text.isascii() and text.isdigit()


class Clock:
    """Wall-clock time plus an offset that tests move forward to expire codes and tokens."""

    def __init__(self):
        self.offset = 0.0

    def now(self):
        return time.time() + self.offset

    def advance(self, seconds):
        self.offset += seconds


@dataclass
class AuthCode:
    code: str
    client_id: str
    user_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    challenge: str | None
    challenge_method: str | None
    expires_at: float
    epoch: int
    used: bool = False


@dataclass
class Grant:
    """One user's authorization of one app, with the only tokens currently valid for it."""

    client_id: str
    user_id: str
    scopes: tuple[str, ...]
    authorized_at: float
    # Bumped by every new authorization and by revocation: codes of older epochs are dead.
    epoch: int = 0
    revoked_at: float | None = None
    revoked_by: str | None = None
    access_jti: str | None = None
    access_expires_at: float = 0.0
    refresh_jti: str | None = None
    refresh_expires_at: float = 0.0
    pkce_method: str | None = None
    authorizations: int = 0
    refreshes: int = 0

    @property
    def active(self):
        return self.revoked_at is None


@dataclass
class Meeting:
    id: int
    uuid: str
    host_id: str
    topic: str
    type: int
    start_time: str | None
    duration: int
    timezone: str
    agenda: str
    created_at: str
    password: str
    h323_password: str
    pstn_password: str
    encrypted_password: str
    settings: dict
    pre_schedule: bool = False
    recurrence: dict | None = None
    tracking_fields: list = field(default_factory=list)
    # waiting / started / ended: set through the control API, shown as Zoom's status.
    phase: str = "waiting"
    deleted_at: float | None = None
    update_times: list = field(default_factory=list)


@dataclass
class PageToken:
    user_id: str
    type: str
    date_from: str | None
    date_to: str | None
    offset: int
    expires_at: float


class Store:
    """All mutable sandbox data. Hold ``lock`` while touching any attribute."""

    def __init__(self, config, on_change=None):
        self.config = config
        self.lock = threading.Lock()
        self.on_change = on_change
        self.signing_key = secrets.token_bytes(64)
        self._seed()

    def _seed(self):
        self.users = {user.user_id: user for user in self.config.users}
        self.emails = {user.email.lower(): user.user_id for user in self.config.users}
        self.codes = {}
        self.grants = {}
        self.access_index = {}
        self.refresh_index = {}
        self.meetings = {}
        self.page_tokens = {}

    def reset(self):
        with self.lock:
            self._seed()
        self.changed()

    def changed(self):
        if self.on_change is not None:
            self.on_change()

    def find_user(self, ref):
        """A user by id or by email (case-insensitive), or None."""
        if ref in self.users:
            return self.users[ref]
        user_id = self.emails.get(ref.lower())
        return self.users[user_id] if user_id else None

    def add_user(self, email, first_name="", last_name="", timezone="UTC", account_id=None):
        """The user with this email; a new one joins ``account_id``, or an account of its own."""
        existing = self.find_user(email)
        if existing is not None:
            return existing
        local = email.split("@", 1)[0]
        user = SandboxUser(
            user_id=_unique_id(self.users),
            account_id=account_id or _unique_id({u.account_id for u in self.users.values()}),
            email=email,
            first_name=first_name or local.replace(".", " ").title(),
            last_name=last_name,
            timezone=timezone,
        )
        self.users[user.user_id] = user
        self.emails[email.lower()] = user.user_id
        return user

    def find_meeting(self, ref):
        """The meeting a URL names, deleted or not, or None."""
        return self.meetings.get(int(ref)) if is_number(ref) else None

    def grant_for_access(self, jti):
        key = self.access_index.get(jti)
        return self.grants.get(key) if key else None

    def grant_for_refresh(self, jti):
        key = self.refresh_index.get(jti)
        return self.grants.get(key) if key else None

    def forget_tokens(self, grant):
        """Make the grant's current tokens invalid."""
        self.access_index.pop(grant.access_jti, None)
        self.refresh_index.pop(grant.refresh_jti, None)
        grant.access_jti = grant.refresh_jti = None

    def set_tokens(self, grant, access_jti, access_expires_at, refresh_jti, refresh_expires_at):
        self.forget_tokens(grant)
        key = (grant.client_id, grant.user_id)
        grant.access_jti, grant.access_expires_at = access_jti, access_expires_at
        grant.refresh_jti, grant.refresh_expires_at = refresh_jti, refresh_expires_at
        self.access_index[access_jti] = key
        self.refresh_index[refresh_jti] = key

    def snapshot(self):
        """The persistent part of the state, ready for json.dumps (call with the lock held).

        Shallow copies suffice and keep the lock short: handlers replace containers such as
        a meeting's settings instead of changing them in place.
        """
        seeded = {user.user_id for user in self.config.users}
        return {
            "version": STATE_VERSION,
            "signing_key": base64.b64encode(self.signing_key).decode(),
            "users": [vars(u) for u in self.users.values() if u.user_id not in seeded],
            "codes": [dict(vars(c)) for c in self.codes.values()],
            "grants": [dict(vars(g)) for g in self.grants.values()],
            "meetings": [dict(vars(m)) for m in self.meetings.values()],
        }

    def load(self, text):
        """Replace the state with JSON text of a ``snapshot``.

        Grants and codes of apps no longer configured, and anything of users no longer known,
        are left out: the configuration may have changed between two runs.
        """
        data = json.loads(text)
        if data.get("version") != STATE_VERSION:
            raise ValueError(f"unsupported state version {data.get('version')!r}")
        client_ids = {app.client_id for app in self.config.apps}
        with self.lock:
            self._seed()
            self.signing_key = base64.b64decode(data["signing_key"])
            for raw in data["users"]:
                user = SandboxUser(**raw)
                self.users[user.user_id] = user
                self.emails[user.email.lower()] = user.user_id

            def known(raw):
                return raw["user_id"] in self.users and raw["client_id"] in client_ids

            for raw in filter(known, data["codes"]):
                code = AuthCode(**{**raw, "scopes": tuple(raw["scopes"])})
                self.codes[code.code] = code
            for raw in filter(known, data["grants"]):
                grant = Grant(**{**raw, "scopes": tuple(raw["scopes"])})
                key = (grant.client_id, grant.user_id)
                self.grants[key] = grant
                if grant.access_jti:
                    self.access_index[grant.access_jti] = key
                if grant.refresh_jti:
                    self.refresh_index[grant.refresh_jti] = key
            for raw in data["meetings"]:
                if raw["host_id"] in self.users:
                    meeting = Meeting(**raw)
                    self.meetings[meeting.id] = meeting


def _unique_id(taken):
    while True:
        candidate = zoom_id()
        if candidate not in taken:
            return candidate


class Persister:
    """Writes the store to a JSON file off the request path, coalescing bursts of changes."""

    def __init__(self, store, path, delay):
        self.store, self.path, self.delay = store, Path(path), delay
        self._dirty = threading.Event()
        self._stopping = threading.Event()
        self._thread = None

    def load(self):
        """Read the state file if there is one; set a corrupt file aside rather than lose it."""
        if not self.path.exists():
            return False
        try:
            self.store.load(self.path.read_text(encoding="utf-8"))
        except (ValueError, KeyError, TypeError) as exc:
            aside = self.path.with_name(self.path.name + ".corrupt")
            os.replace(self.path, aside)
            logger.warning("State file %s is unreadable (%s); moved to %s", self.path, exc, aside)
            return False
        return True

    def notify(self):
        self._dirty.set()

    def start(self):
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="zoom-sandbox-persist", daemon=True)
        self._thread.start()

    def stop(self):
        self._stopping.set()
        self._dirty.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.save()

    def _run(self):
        while True:
            self._dirty.wait()
            if self._stopping.is_set():
                return
            # Let a burst of changes settle, then write them once.
            self._stopping.wait(self.delay)
            self._dirty.clear()
            self.save()

    def save(self):
        with self.store.lock:
            data = self.store.snapshot()
        text = json.dumps(data)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_name(self.path.name + ".tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, self.path)
