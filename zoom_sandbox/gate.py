"""What every request passes through before the handlers: latency, injected faults, the log.

The gate wraps the whole Starlette application (outside its error middleware) because a dropped
connection has to be dropped at the transport, before anything answers.
"""

import asyncio
import itertools
import random
import threading
import time
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import parse_qsl, urlencode

from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Match

from .meetings import CATEGORIES
from .state import iso_millis

FAULT_ENDPOINTS = (
    "oauth.authorize",
    "oauth.token",
    "oauth.revoke",
    "meetings.create",
    "meetings.get",
    "meetings.update",
    "meetings.delete",
    "meetings.list",
)
FAULT_KINDS = ("5xx", "timeout", "drop", "html", "commit_then_drop", "429")
LIMIT_TYPES = ("QPS", "Daily-limit")
# Query parameters whose values never reach the request log.
SECRET_PARAMS = frozenset(
    [
        "access_token",
        "token",
        "refresh_token",
        "code",
        "code_verifier",
        "client_secret",
        "zak",
        "pwd",
        "passcode",
    ]
)


def _target(spec):
    endpoint = spec.get("endpoint", "*")
    if endpoint != "*" and endpoint not in FAULT_ENDPOINTS:
        raise ValueError(f"endpoint must be '*' or one of {', '.join(FAULT_ENDPOINTS)}")
    return endpoint


def _number(spec, key, default, low, high, integer=False):
    value = spec.get(key, default)
    kinds = int if integer else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
        raise ValueError(f"{key} must be a number from {low} to {high}")
    return value


@dataclass
class Fault:
    id: int
    endpoint: str
    kind: str
    count: int | None
    probability: float | None
    status: int | None
    seconds: float | None
    limit_type: str
    fired: int = 0


class Faults:
    """Faults waiting to fire, in the order they were added."""

    def __init__(self, default_timeout):
        self.default_timeout = default_timeout
        self._lock = threading.Lock()
        self._items = []
        self._ids = itertools.count(1)
        self._random = random.Random()  # noqa: S311 - chance, not secrecy

    def add(self, spec):
        """Register a fault described by a control-API body; raise ValueError if it is unusable."""
        endpoint = _target(spec)
        kind = spec.get("kind")
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(FAULT_KINDS)}")
        if "count" in spec and "probability" in spec:
            raise ValueError("give either count or probability, not both")
        probability = None
        count = None
        if "probability" in spec:
            probability = _number(spec, "probability", None, 0.0, 1.0)
        else:
            count = _number(spec, "count", 1, 1, 1_000_000, integer=True)
        status = seconds = None
        if kind == "5xx":
            status = _number(spec, "status", 500, 500, 599, integer=True)
        elif kind == "html":
            status = _number(spec, "status", 502, 200, 599, integer=True)
        elif kind == "timeout":
            seconds = _number(spec, "seconds", self.default_timeout, 0, 3600)
        limit_type = spec.get("limit_type", "QPS")
        if limit_type not in LIMIT_TYPES:
            raise ValueError(f"limit_type must be one of {', '.join(LIMIT_TYPES)}")
        fault = Fault(
            next(self._ids), endpoint, kind, count, probability, status, seconds, limit_type
        )
        with self._lock:
            self._items.append(fault)
        return fault

    def take(self, endpoint):
        """The fault this request meets, if any; a counted fault is used up as it fires."""
        if not self._items:
            return None
        with self._lock:
            for fault in self._items:
                if fault.endpoint not in ("*", endpoint):
                    continue
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count == 0:
                        self._items.remove(fault)
                elif self._random.random() >= fault.probability:
                    continue
                fault.fired += 1
                return fault
        return None

    def clear(self, endpoint=None):
        with self._lock:
            self._items = [f for f in self._items if endpoint not in (None, f.endpoint)]

    def describe(self):
        with self._lock:
            return [dict(vars(fault)) for fault in self._items]


class Latency:
    """Extra delay per endpoint, fixed or drawn uniformly from a range."""

    def __init__(self):
        self._delays = {}
        self._random = random.Random()  # noqa: S311 - jitter, not secrecy

    def set(self, spec):
        endpoint = _target(spec)
        if "ms" in spec:
            low = high = _number(spec, "ms", 0, 0, 600_000)
        else:
            low = _number(spec, "min_ms", None, 0, 600_000)
            high = _number(spec, "max_ms", None, low, 600_000)
        if high == 0:
            self._delays.pop(endpoint, None)
        else:
            self._delays[endpoint] = (low, high)
        return self.describe()

    def seconds(self, endpoint):
        low_high = self._delays.get(endpoint) or self._delays.get("*")
        if low_high is None:
            return 0.0
        return self._random.uniform(*low_high) / 1000

    def clear(self):
        self._delays.clear()

    def describe(self):
        return {
            name: {"min_ms": low, "max_ms": high} for name, (low, high) in self._delays.items()
        }


class RequestLog:
    """The latest requests, numbered so that a reader can ask for what came since."""

    def __init__(self, size=10_000):
        self._lock = threading.Lock()
        self._entries = deque(maxlen=size)
        self._seq = 0

    def add(self, entry):
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)

    def since(self, seq):
        with self._lock:
            return [entry for entry in self._entries if entry["seq"] > seq], self._seq

    def clear(self):
        with self._lock:
            self._entries.clear()


def _redacted_query(raw):
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return urlencode([(k, "[redacted]" if k in SECRET_PARAMS else v) for k, v in pairs])


async def _until_disconnect(receive):
    while (await receive())["type"] != "http.disconnect":
        pass


def _fault_response(endpoint, fault):
    phrase = HTTPStatus(fault.status).phrase
    if fault.kind == "html" or endpoint == "oauth.authorize":
        title = f"{fault.status} {phrase}"
        page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
        return HTMLResponse(page, status_code=fault.status)
    if endpoint.startswith("oauth."):
        return JSONResponse({"reason": phrase, "error": "server_error"}, status_code=fault.status)
    return JSONResponse({"code": fault.status, "message": phrase}, status_code=fault.status)


class Gate:
    def __init__(self, sandbox, routes):
        self.sandbox = sandbox
        self.routes = routes

    def endpoint(self, scope):
        for route in self.routes:
            match, _ = route.matches(scope)
            if match is Match.FULL:
                return route.name
        return None

    async def __call__(self, scope, receive, send, app):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        endpoint = self.endpoint(scope)
        if endpoint is not None and endpoint.startswith("control."):
            await app(scope, receive, send)
            return

        sandbox = self.sandbox
        started, at = time.perf_counter(), sandbox.clock.now()
        notes = scope.setdefault("state", {})
        seen = {"status": None}

        async def observed_send(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            await send(message)

        fault = sandbox.faults.take(endpoint) if endpoint in FAULT_ENDPOINTS else None
        try:
            delay = sandbox.latency.seconds(endpoint) if endpoint in FAULT_ENDPOINTS else 0
            if delay:
                await asyncio.sleep(delay)
            if fault is None:
                await app(scope, receive, observed_send)
            else:
                await self.inject(fault, endpoint, scope, receive, send, observed_send, app)
        finally:
            sandbox.requests.add(
                {
                    "time": iso_millis(at),
                    "method": scope["method"],
                    "path": scope["path"],
                    "query": _redacted_query(scope.get("query_string", b"")),
                    "endpoint": endpoint,
                    "client_id": notes.get("client_id"),
                    "user_id": notes.get("user_id"),
                    "token": notes.get("token"),
                    "status": seen["status"],
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "fault": fault.kind if fault else None,
                }
            )

    async def inject(self, fault, endpoint, scope, receive, raw_send, send, app):
        kind = fault.kind
        if kind in ("5xx", "html"):
            await _fault_response(endpoint, fault)(scope, receive, send)
        elif kind == "429":
            category = CATEGORIES.get(endpoint, "Light")
            error = self.sandbox.limiter.fault(category, fault.limit_type)
            await error.response()(scope, receive, send)
        elif kind == "drop":
            await self.drop(receive, raw_send)
        elif kind == "timeout":
            await self.hold(fault.seconds, scope, receive, send, app)
        else:  # commit_then_drop: let the handler do its work, then lose its answer.

            async def lose_answer(message):
                if message["type"] == "http.response.start":
                    await self.drop(receive, raw_send)

            await app(scope, receive, lose_answer)

    @staticmethod
    async def drop(receive, raw_send):
        """Close the connection without a response: the client sees a transport error.

        Under uvicorn the transport is reachable through its ``send``; elsewhere the request is
        held until the client gives up, which a client also sees as a transport error.
        """
        transport = getattr(getattr(raw_send, "__self__", None), "transport", None)
        if transport is not None:
            transport.abort()
        await _until_disconnect(receive)

    @staticmethod
    async def hold(seconds, scope, receive, send, app):
        """Answer only after ``seconds``; the request is processed even if the client left."""
        body, more, gone = bytearray(), True, False
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                gone = True
                break
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if not gone:
            try:
                await asyncio.wait_for(_until_disconnect(receive), seconds)
                gone = True
            except TimeoutError:
                pass
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            if gone:
                return {"type": "http.disconnect"}
            return await receive()

        await app(scope, replay, send)
