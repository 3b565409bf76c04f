"""Fixtures: one live sandbox for the session (reset before every test), a webhook receiver,
and helpers that go through OAuth the way the product will."""

import base64
import hashlib
import hmac
import json
import ssl
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from zoom_sandbox import AppConfig, Config
from zoom_sandbox.testing import SandboxServer, authorize, pkce_pair

TLS = ssl.create_default_context()
REDIRECT_URI = "http://app.test/integrations/zoom/callback/"
WEBHOOK_SECRET = "test-webhook-secret"


class Receiver:
    """The app's notification endpoint: records what Zoom sends, answers as told."""

    def __init__(self):
        self.received = []
        self.statuses = deque()
        self.validation = "correct"
        self.delay = 0.0
        self._changed = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with receiver._changed:
                    receiver.received.append(
                        {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                    )
                    receiver._changed.notify_all()
                    status = receiver.statuses.popleft() if receiver.statuses else 200
                time.sleep(receiver.delay)
                answer = b""
                event = json.loads(body)
                if event.get("event") == "endpoint.url_validation":
                    plain = event["payload"]["plainToken"]
                    encrypted = hmac.new(
                        WEBHOOK_SECRET.encode(), plain.encode(), hashlib.sha256
                    ).hexdigest()
                    if receiver.validation == "wrong":
                        encrypted = encrypted[::-1]
                    answer = json.dumps(
                        {"plainToken": plain, "encryptedToken": encrypted}
                    ).encode()
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sandbox gave up waiting, as Zoom does after 3 s

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/zoom/webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def clear(self):
        with self._changed:
            self.received.clear()
            self.statuses.clear()
        self.validation, self.delay = "correct", 0.0

    def wait_for(self, count, timeout=5.0):
        with self._changed:
            self._changed.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)


def make_app(receiver_url, **changes):
    fields = {
        "client_id": "test-client",
        "client_secret": "test-secret",
        "redirect_uris": (REDIRECT_URI,),
        "webhook_secret": WEBHOOK_SECRET,
        "webhook_url": receiver_url,
        "name": "vrtual.ly",
    }
    fields.update(changes)
    return AppConfig(**fields)


def make_config(receiver_url, **changes):
    apps = (
        make_app(receiver_url),
        make_app(receiver_url, client_id="read-only", scopes=("meeting:read",), name="Reader"),
        make_app(
            receiver_url,
            client_id="granular",
            scopes=(
                "meeting:read:meeting",
                "meeting:read:list_meetings",
                "meeting:write:meeting",
                "meeting:update:meeting",
                "meeting:delete:meeting",
            ),
            name="Granular",
        ),
        make_app(receiver_url, client_id="strict", require_pkce=True, name="Strict"),
    )
    settings = {"apps": apps, "webhook_retry_delays": (0.2, 0.2, 0.2), "webhook_timeout": 1.0}
    settings.update(changes)
    return Config(**settings)


@pytest.fixture(scope="session")
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


_session = {}


@pytest.fixture(scope="session")
def server(receiver):
    with SandboxServer(make_config(receiver.url)) as server:
        _session["server"] = server
        yield server
        del _session["server"]


@pytest.fixture(autouse=True)
def fresh(receiver):
    """Every test starts from the seeded state, with no webhook of an earlier test in flight."""
    if "server" in _session:
        _session["server"].control.reset()
    receiver.clear()


@pytest.fixture
def control(server):
    return server.control


@pytest.fixture
def base_url(server):
    return server.base_url


@pytest.fixture
def app(server):
    return server.config.apps[0]


def claims(token, part=1):
    """The claims (or with part=0 the header) of a JWT-shaped token, read without verifying."""
    segment = token.split(".")[part]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def code_from(location):
    query = parse_qs(urlsplit(location).query)
    return query["code"][0]


# One client for token calls: building an httpx client per call costs ~40 ms.
http = httpx.Client(timeout=10, verify=TLS)


def exchange(base_url, app, code, verifier=None, redirect_uri=REDIRECT_URI, **extra):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    if verifier:
        data["code_verifier"] = verifier
    data.update(extra)
    return http.post(f"{base_url}/oauth/token", auth=(app.client_id, app.client_secret), data=data)


def refresh(base_url, app, refresh_token):
    return http.post(
        f"{base_url}/oauth/token",
        auth=(app.client_id, app.client_secret),
        data={"grant_type": "refresh_token", "refresh_token": refresh_token},
    )


class Zoom:
    """An app's connection to one Zoom user: its tokens and a REST client using them."""

    def __init__(self, base_url, tokens):
        self.base_url, self.tokens = base_url, tokens
        self.api = httpx.Client(
            base_url=f"{base_url}/v2",
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            timeout=10,
            verify=TLS,
        )

    def create(self, **body):
        return self.api.post("/users/me/meetings", json=body)

    def get(self, meeting_id):
        return self.api.get(f"/meetings/{meeting_id}")


@pytest.fixture
def connect(server):
    """connect(app=None, user=None) → Zoom: a full OAuth dance with PKCE S256."""
    opened = []

    def connect(app=None, user=None):
        app = app or server.config.apps[0]
        verifier, challenge = pkce_pair()
        location = authorize(
            server.base_url, app.client_id, REDIRECT_URI, "s", challenge, user=user
        )
        response = exchange(server.base_url, app, code_from(location), verifier)
        assert response.status_code == 200, response.text
        zoom = Zoom(server.base_url, response.json())
        opened.append(zoom)
        return zoom

    yield connect
    for zoom in opened:
        zoom.api.close()
