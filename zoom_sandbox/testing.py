"""Helpers for tests that talk to the sandbox over real HTTP (the product's and the sandbox's own).

- ``SandboxServer(config)``: the sandbox in a background thread on an ephemeral port.
- ``SandboxProcess(env)``: ``python -m zoom_sandbox`` as a child process, for end-to-end runs.
- ``SandboxControl(base_url)``: one method per control call.
- ``authorize(...)``: the consent page driven by plain HTTP, returning the redirect Location.
- ``pkce_pair()``: a code verifier and its S256 challenge.

None of this imports Django or the product.
"""

import hashlib
import os
import secrets
import ssl
import subprocess
import sys
import threading
import time
from functools import cache
from html.parser import HTMLParser

import httpx
import uvicorn

from .__main__ import listening_socket
from .app import create_app
from .config import Config
from .crypto import b64url


@cache
def _tls():
    """One TLS context for every helper client: building one per client costs ~40 ms."""
    return ssl.create_default_context()


def pkce_pair():
    """A fresh (code_verifier, S256 code_challenge)."""
    verifier = secrets.token_urlsafe(48)
    return verifier, b64url(hashlib.sha256(verifier.encode("ascii")).digest())


class SandboxServer:
    """Serve a sandbox with uvicorn in a thread on 127.0.0.1 and an ephemeral port.

    Use as a context manager; ``base_url`` is where it listens, ``sandbox`` the live
    ``Sandbox`` object (for assertions on state), ``control`` a ``SandboxControl``.
    """

    def __init__(self, config=None, host="127.0.0.1", port=0):
        self.config = config or Config()
        self.host, self.port = host, port
        self.app = None
        self._server = self._thread = self._control = None

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def sandbox(self):
        return self.app.state.sandbox

    @property
    def control(self):
        if self._control is None:
            self._control = SandboxControl(self.base_url)
        return self._control

    def start(self):
        sock = listening_socket(self.host, self.port)
        self.port = sock.getsockname()[1]
        self.app = create_app(self.config)
        self._server = uvicorn.Server(
            uvicorn.Config(
                self.app,
                log_level="warning",
                access_log=False,
                lifespan="on",
                timeout_graceful_shutdown=1,
            )
        )
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="zoom-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the Zoom sandbox did not start")
            time.sleep(0.01)
        return self

    def stop(self):
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class SandboxProcess:
    """``python -m zoom_sandbox`` in a child process with the given environment variables.

    Port 0 (the default) lets the sandbox choose; ``base_url`` is read from its first line of
    output. Everything it prints is kept in ``output``.
    """

    def __init__(self, env=None, host="127.0.0.1", port=0, python=sys.executable):
        self.env = {**os.environ, **(env or {})}
        self.args = [python, "-m", "zoom_sandbox", "--host", host, "--port", str(port)]
        self.output = []
        self.base_url = None
        self._process = None
        self._ready = threading.Event()

    def start(self, timeout=15):
        self._process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            self.args,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, name="zoom-sandbox-output", daemon=True).start()
        if not self._ready.wait(timeout) or self.base_url is None:
            self.stop()
            raise RuntimeError("the Zoom sandbox did not start:\n" + "".join(self.output))
        return self

    def _read(self):
        for line in self._process.stdout:
            self.output.append(line)
            if self.base_url is None and line.startswith("Zoom sandbox listening on "):
                self.base_url = line.rsplit(" ", 1)[1].strip()
                self._ready.set()
        self._ready.set()

    def stop(self, timeout=10):
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


class SandboxControl:
    """A small client for the control API (``/_sandbox/…``); each method returns parsed JSON."""

    def __init__(self, base_url, timeout=15.0):
        self.client = httpx.Client(base_url=base_url, timeout=timeout, verify=_tls())

    def close(self):
        self.client.close()

    def _call(self, method, path, body=None, params=None):
        response = self.client.request(method, f"/_sandbox/{path}", json=body, params=params)
        if response.is_error:
            raise RuntimeError(
                f"{method} /_sandbox/{path} → {response.status_code}: {response.text}"
            )
        return response.json() if response.content else None

    def reset(self):
        return self._call("POST", "reset")

    def latency(self, ms=None, endpoint="*", min_ms=None, max_ms=None):
        body = {"endpoint": endpoint}
        body.update({"ms": ms} if ms is not None else {"min_ms": min_ms, "max_ms": max_ms})
        return self._call("POST", "latency", body)

    def fault(self, endpoint, kind, count=None, probability=None, **options):
        """Add a fault; options: status (5xx, html), seconds (timeout), limit_type (429)."""
        body = {"endpoint": endpoint, "kind": kind, **options}
        if count is not None:
            body["count"] = count
        if probability is not None:
            body["probability"] = probability
        return self._call("POST", "faults", body)["fault"]

    def faults(self):
        return self._call("GET", "faults")["faults"]

    def clear_faults(self, endpoint=None):
        self._call("DELETE", "faults", params={"endpoint": endpoint} if endpoint else None)

    def expire_tokens(self, user=None):
        return self._call("POST", "tokens/expire", {"user": user} if user else {})["expired"]

    def revoke_user(self, user, notify=False, client_id=None):
        body = {"notify": notify, **({"client_id": client_id} if client_id else {})}
        return self._call("POST", f"users/{user}/revoke", body)["revoked"]

    def deauthorize_user(self, user, client_id=None):
        body = {"client_id": client_id} if client_id else {}
        return self._call("POST", f"users/{user}/deauthorize", body)["revoked"]

    def users(self):
        return self._call("GET", "users")["users"]

    def add_user(self, email, **fields):
        return self._call("POST", "users", {"email": email, **fields})["user"]

    def requests(self, since=0):
        return self._call("GET", "requests", params={"since": since})["requests"]

    def clear_requests(self):
        self._call("DELETE", "requests")

    def meetings(self):
        return self._call("GET", "meetings")["meetings"]

    def set_meeting_status(self, meeting_id, status):
        return self._call("POST", f"meetings/{meeting_id}/status", {"status": status})

    def grants(self):
        return self._call("GET", "grants")["grants"]

    def webhooks(self):
        return self._call("GET", "webhooks")["deliveries"]

    def url_validation(self, client_id=None, url=None):
        body = {k: v for k, v in (("client_id", client_id), ("url", url)) if v}
        return self._call("POST", "webhooks/url_validation", body)

    def advance_clock(self, seconds):
        return self._call("POST", "clock", {"advance_seconds": seconds})

    def clock(self):
        return self._call("GET", "clock")

    def limits(self, **changes):
        """Read the rate-limit settings, or change them (plan, enabled, retry_after, …)."""
        if changes:
            return self._call("POST", "limits", changes)["limits"]
        return self._call("GET", "limits")["limits"]


class _FormReader(HTMLParser):
    """Collects the fields of the consent form as a browser would submit them."""

    def __init__(self):
        super().__init__()
        self.fields, self.users, self.errors = {}, [], []
        self._in_error = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "input" and attrs.get("type") == "radio" and attrs.get("value") != "other":
            self.users.append(attrs["value"])
        self._in_error = tag == "p" and "error" in (attrs.get("class") or "")

    def handle_data(self, data):
        if self._in_error and data.strip():
            self.errors.append(data.strip())


def authorize(
    base_url,
    client_id,
    redirect_uri,
    state="",
    code_challenge=None,
    code_challenge_method="S256",
    user=None,
    scope=None,
    decision="allow",
):
    """Go through the consent page by plain HTTP and return the redirect's Location.

    ``user`` is a sandbox user id or email; an unknown email signs in as a new user, None
    picks the first seeded user. ``decision`` is "allow" or "decline". Raises RuntimeError,
    with the page's message, when the sandbox shows an error page instead of redirecting.
    """
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri}
    if state:
        params["state"] = state
    if code_challenge:
        params.update(code_challenge=code_challenge, code_challenge_method=code_challenge_method)
    if scope:
        params["scope"] = scope
    with httpx.Client(base_url=base_url, timeout=15.0, verify=_tls()) as client:
        page = client.get("/oauth/authorize", params=params)
        form = _FormReader()
        form.feed(page.text)
        if page.status_code != 200:
            raise RuntimeError(f"consent page answered {page.status_code}: {form.errors}")
        fields = {**form.fields, "decision": decision}
        if user is None:
            fields["user"] = form.users[0]
        elif user in form.users:
            fields["user"] = user
        else:
            # "Sign in as another email" reaches a known user by email, or creates one.
            fields.update(user="other", email=user)
        answer = client.post("/oauth/authorize", data=fields)
    if answer.status_code != 302:
        reader = _FormReader()
        reader.feed(answer.text)
        raise RuntimeError(f"consent answered {answer.status_code}: {reader.errors}")
    return answer.headers["location"]
