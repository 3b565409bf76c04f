"""The control API under /_sandbox/: JSON calls for tests, benchmarks and demos.

The product never calls these. Bad input answers ``400 {"error": "…"}``; an unknown user or
meeting ``404 {"error": "…"}``.
"""

import json
from dataclasses import asdict

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .config import ConfigError
from .meetings import timezones
from .state import is_number, iso_millis


class ControlError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message


async def render_control_error(request, exc):
    return JSONResponse({"error": exc.message}, status_code=exc.status)


def _sandbox(request):
    return request.app.state.sandbox


async def _body(request):
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ControlError(400, "The body must be a JSON object.") from None
    if not isinstance(body, dict):
        raise ControlError(400, "The body must be a JSON object.")
    return body


def _user(sandbox, ref):
    with sandbox.store.lock:
        user = sandbox.store.find_user(ref)
    if user is None:
        raise ControlError(404, f"No sandbox user has the id or email {ref!r}.")
    return user


def _client_id(sandbox, body, required=False):
    client_id = body.get("client_id")
    if client_id is None and not required:
        return None
    if sandbox.config.app(client_id or "") is None:
        raise ControlError(400, f"Unknown client_id {client_id!r}.")
    return client_id


async def reset(request):
    # Off the event loop: reset waits for webhook deliveries under way.
    await run_in_threadpool(_sandbox(request).reset)
    return JSONResponse({"status": "reset"})


async def latency(request):
    body = await _body(request)
    try:
        return JSONResponse({"latency": _sandbox(request).latency.set(body)})
    except ValueError as exc:
        raise ControlError(400, str(exc)) from None


async def add_fault(request):
    body = await _body(request)
    try:
        fault = _sandbox(request).faults.add(body)
    except ValueError as exc:
        raise ControlError(400, str(exc)) from None
    return JSONResponse({"fault": asdict(fault)}, status_code=201)


async def list_faults(request):
    return JSONResponse({"faults": _sandbox(request).faults.describe()})


async def clear_faults(request):
    _sandbox(request).faults.clear(request.query_params.get("endpoint"))
    return Response(status_code=204)


async def expire_tokens(request):
    sandbox = _sandbox(request)
    body = await _body(request)
    user = _user(sandbox, body["user"]) if body.get("user") else None
    count = sandbox.expire_tokens(user.user_id if user else None)
    return JSONResponse({"expired": count})


async def revoke_user(request):
    sandbox = _sandbox(request)
    body = await _body(request)
    user = _user(sandbox, request.path_params["user"])
    notify = body.get("notify", False)
    if not isinstance(notify, bool):
        raise ControlError(400, "notify must be true or false.")
    revoked = sandbox.revoke_user(user.user_id, _client_id(sandbox, body), notify=notify)
    return JSONResponse({"revoked": revoked})


async def deauthorize_user(request):
    sandbox = _sandbox(request)
    body = await _body(request)
    user = _user(sandbox, request.path_params["user"])
    revoked = sandbox.revoke_user(user.user_id, _client_id(sandbox, body), notify=True, by="user")
    return JSONResponse({"revoked": revoked})


async def requests_log(request):
    raw = request.query_params.get("since", "0")
    if not is_number(raw):
        raise ControlError(400, "since must be a request sequence number.")
    entries, last = _sandbox(request).requests.since(int(raw))
    return JSONResponse({"requests": entries, "last_seq": last})


async def clear_requests(request):
    _sandbox(request).requests.clear()
    return Response(status_code=204)


async def users(request):
    sandbox = _sandbox(request)
    with sandbox.store.lock:
        listed = [asdict(u) for u in sandbox.store.users.values()]
    return JSONResponse({"users": listed})


async def add_user(request):
    sandbox = _sandbox(request)
    body = await _body(request)
    email = body.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise ControlError(400, "email is required.")
    timezone = body.get("timezone", "UTC")
    if timezone not in timezones():
        raise ControlError(400, f"Unknown timezone {timezone!r}.")
    account_id = body.get("account_id")
    if account_id is not None and (not isinstance(account_id, str) or not account_id.strip()):
        raise ControlError(400, "account_id must be a non-empty string.")
    with sandbox.store.lock:
        user = sandbox.store.add_user(
            email, body.get("first_name", ""), body.get("last_name", ""), timezone, account_id
        )
    sandbox.store.changed()
    return JSONResponse({"user": asdict(user)}, status_code=201)


async def meetings(request):
    sandbox = _sandbox(request)
    with sandbox.store.lock:
        listed = [
            {
                "id": m.id,
                "uuid": m.uuid,
                "host_id": m.host_id,
                "topic": m.topic,
                "type": m.type,
                "start_time": m.start_time,
                "duration": m.duration,
                "timezone": m.timezone,
                "agenda": m.agenda,
                "created_at": m.created_at,
                "status": m.phase,
                "deleted": m.deleted_at is not None,
                "deleted_at": iso_millis(m.deleted_at) if m.deleted_at is not None else None,
                "updates": len(m.update_times),
                "settings": m.settings,
            }
            for m in sandbox.store.meetings.values()
        ]
    return JSONResponse({"meetings": listed})


async def meeting_status(request):
    sandbox = _sandbox(request)
    body = await _body(request)
    status = body.get("status")
    if status not in ("waiting", "started", "ended"):
        raise ControlError(400, "status must be waiting, started or ended.")
    raw_id = request.path_params["meeting_id"]
    with sandbox.store.lock:
        meeting = sandbox.store.find_meeting(raw_id)
        if meeting is not None:
            meeting.phase = status
    if meeting is None:
        raise ControlError(404, f"No meeting {raw_id}.")
    sandbox.store.changed()
    return JSONResponse({"id": meeting.id, "status": status})


async def grants(request):
    sandbox = _sandbox(request)
    now = sandbox.clock.now()
    with sandbox.store.lock:
        listed = [
            {
                "client_id": g.client_id,
                "user_id": g.user_id,
                "email": sandbox.store.users[g.user_id].email,
                "scopes": list(g.scopes),
                "authorized_at": iso_millis(g.authorized_at),
                "revoked": not g.active,
                "revoked_at": iso_millis(g.revoked_at) if g.revoked_at is not None else None,
                "revoked_by": g.revoked_by,
                "pkce_method": g.pkce_method,
                "authorizations": g.authorizations,
                "refreshes": g.refreshes,
                "access_token": _token_state(g.access_jti, g.access_expires_at, now),
                "refresh_token": _token_state(g.refresh_jti, g.refresh_expires_at, now),
            }
            for g in sandbox.store.grants.values()
        ]
    return JSONResponse({"grants": listed})


def _token_state(jti, expires_at, now):
    if jti is None:
        return None
    return {"jti": jti, "expires_at": iso_millis(expires_at), "expired": expires_at <= now}


async def webhooks(request):
    return JSONResponse({"deliveries": _sandbox(request).webhooks.deliveries()})


async def url_validation(request):
    sandbox = _sandbox(request)
    body = await _body(request)
    client_id = _client_id(sandbox, body) or sandbox.config.apps[0].client_id
    url = body.get("url")
    if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
        raise ControlError(400, "url must be an http(s) URL.")
    app = sandbox.config.app(client_id)
    result = await run_in_threadpool(sandbox.webhooks.url_validation, app, url)
    return JSONResponse(result)


async def clock(request):
    sandbox = _sandbox(request)
    if request.method == "POST":
        seconds = (await _body(request)).get("advance_seconds")
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds < 0:
            raise ControlError(400, "advance_seconds must be a number of seconds, 0 or more.")
        sandbox.advance_clock(seconds)
    now = sandbox.clock.now()
    return JSONResponse({"now": iso_millis(now), "offset_seconds": sandbox.clock.offset})


async def limits(request):
    sandbox = _sandbox(request)
    if request.method == "POST":
        try:
            sandbox.limiter.update(await _body(request))
        except (ConfigError, TypeError) as exc:
            raise ControlError(400, str(exc)) from None
    return JSONResponse({"limits": sandbox.limiter.describe()})


routes = [
    Route("/_sandbox/reset", reset, methods=["POST"], name="control.reset"),
    Route("/_sandbox/latency", latency, methods=["POST"], name="control.latency"),
    Route("/_sandbox/faults", add_fault, methods=["POST"], name="control.faults.add"),
    Route("/_sandbox/faults", list_faults, methods=["GET"], name="control.faults.list"),
    Route("/_sandbox/faults", clear_faults, methods=["DELETE"], name="control.faults.clear"),
    Route(
        "/_sandbox/tokens/expire", expire_tokens, methods=["POST"], name="control.tokens.expire"
    ),
    Route("/_sandbox/users", users, methods=["GET"], name="control.users.list"),
    Route("/_sandbox/users", add_user, methods=["POST"], name="control.users.add"),
    Route("/_sandbox/users/{user}/revoke", revoke_user, methods=["POST"], name="control.revoke"),
    Route(
        "/_sandbox/users/{user}/deauthorize",
        deauthorize_user,
        methods=["POST"],
        name="control.deauthorize",
    ),
    Route("/_sandbox/requests", requests_log, methods=["GET"], name="control.requests"),
    Route("/_sandbox/requests", clear_requests, methods=["DELETE"], name="control.requests.clear"),
    Route("/_sandbox/meetings", meetings, methods=["GET"], name="control.meetings"),
    Route(
        "/_sandbox/meetings/{meeting_id}/status",
        meeting_status,
        methods=["POST"],
        name="control.meetings.status",
    ),
    Route("/_sandbox/grants", grants, methods=["GET"], name="control.grants"),
    Route("/_sandbox/webhooks", webhooks, methods=["GET"], name="control.webhooks"),
    Route(
        "/_sandbox/webhooks/url_validation",
        url_validation,
        methods=["POST"],
        name="control.webhooks.url_validation",
    ),
    Route("/_sandbox/clock", clock, methods=["GET", "POST"], name="control.clock"),
    Route("/_sandbox/limits", limits, methods=["GET", "POST"], name="control.limits"),
]
