"""Zoom's Meetings API under /v2 (CONTRACT §3): create, get, update, delete, list.

Every request is authenticated, scope-checked and counted against the per-second limit of its
category; creates and updates also count against the host's daily limit.
"""

import base64
import json
import math
import re
import secrets
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from starlette.responses import JSONResponse, Response

from .crypto import alnum, digits, sign_jwt
from .errors import ApiError, invalid_body, validation_failed
from .oauth import authenticate
from .state import Meeting, PageToken, is_number

# Classic and granular scopes that allow each call; ":admin" variants are accepted too.
SCOPES = {
    "meetings.create": ("meeting:write", "meeting:write:meeting"),
    "meetings.update": ("meeting:write", "meeting:update:meeting"),
    "meetings.delete": ("meeting:write", "meeting:delete:meeting"),
    "meetings.get": ("meeting:read", "meeting:read:meeting"),
    "meetings.list": ("meeting:read", "meeting:read:list_meetings"),
}
CATEGORIES = {
    "meetings.create": "Medium",
    "meetings.list": "Medium",
    "meetings.get": "Light",
    "meetings.update": "Light",
    "meetings.delete": "Light",
}
LIST_TYPES = ("scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")
MEETING_TYPES = (1, 2, 3, 8)
TOPIC_MAX, AGENDA_MAX, LIST_AGENDA_MAX, PAGE_SIZE_MAX = 200, 2000, 250, 300
MAX_DURATION = 2**31 - 1
PASSCODE_RULE = (
    "Password may only contain the following characters: [a-z A-Z 0-9 @ - _ *] and can have a "
    "maximum of 10 characters."
)
_PASSWORD = re.compile(r"[A-Za-z0-9@\-_*]{1,10}")
_START_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

BOOLEAN_SETTINGS = frozenset(
    {
        "allow_multiple_devices",
        "alternative_host_update_polls",
        "alternative_hosts_email_notification",
        "close_registration",
        "cn_meeting",
        "email_notification",
        "enforce_login",
        "focus_mode",
        "host_save_video_order",
        "host_video",
        "in_meeting",
        "internal_meeting",
        "join_before_host",
        "meeting_authentication",
        "mute_upon_entry",
        "participant_focused_meeting",
        "participant_video",
        "private_meeting",
        "push_change_to_calendar",
        "registrants_confirmation_email",
        "registrants_email_notification",
        "show_share_button",
        "use_pmi",
        "waiting_room",
        "watermark",
    }
)
CHOICE_SETTINGS = {
    "approval_type": (0, 1, 2),
    "audio": ("both", "telephony", "voip", "thirdParty"),
    "auto_recording": ("local", "cloud", "none"),
    "calendar_type": (1, 2),
    "encryption_type": ("enhanced_encryption", "e2ee"),
    "jbh_time": (0, 5, 10),
    "registration_type": (1, 2, 3),
}
TEXT_SETTINGS = {
    "alternative_hosts": 1024,
    "audio_conference_info": 2048,
    "authentication_domains": 1024,
    "authentication_option": 256,
    "contact_email": 256,
    "contact_name": 256,
    "enforce_login_domains": 1024,
}
# What Zoom answers for a meeting created without settings. Only the scalar settings above can
# be changed through the sandbox; nested ones (breakout rooms, interpreters…) keep these values.
DEFAULT_SETTINGS = {
    "host_video": False,
    "participant_video": False,
    "cn_meeting": False,
    "in_meeting": False,
    "join_before_host": False,
    "jbh_time": 0,
    "mute_upon_entry": False,
    "watermark": False,
    "use_pmi": False,
    "approval_type": 2,
    "audio": "voip",
    "auto_recording": "none",
    "enforce_login": False,
    "enforce_login_domains": "",
    "alternative_hosts": "",
    "alternative_host_update_polls": False,
    "close_registration": False,
    "show_share_button": False,
    "allow_multiple_devices": False,
    "registrants_confirmation_email": True,
    "waiting_room": False,
    "registrants_email_notification": True,
    "meeting_authentication": False,
    "encryption_type": "enhanced_encryption",
    "approved_or_denied_countries_or_regions": {"enable": False},
    "breakout_room": {"enable": False},
    "internal_meeting": False,
    "continuous_meeting_chat": {"enable": False, "auto_add_invited_external_users": False},
    "participant_focused_meeting": False,
    "push_change_to_calendar": False,
    "resources": [],
    "alternative_hosts_email_notification": True,
    "focus_mode": False,
    "private_meeting": False,
    "email_notification": True,
    "host_save_video_order": False,
    "sign_language_interpretation": {"enable": False, "interpreters": []},
    "global_dial_in_countries": ["US"],
    "global_dial_in_numbers": [
        {
            "country_name": "US",
            "number": "+1 555 010 0100",
            "type": "toll",
            "country": "US",
            "city": "Sandbox",
        }
    ],
}
RECURRENCE_CHOICES = {
    "type": (1, 2, 3),
    "monthly_week": (-1, 1, 2, 3, 4),
    "monthly_week_day": (1, 2, 3, 4, 5, 6, 7),
}
RECURRENCE_RANGES = {"repeat_interval": (1, 99), "monthly_day": (1, 31), "end_times": (1, 60)}


@cache
def timezones():
    return frozenset(available_timezones()) | {"UTC", "GMT"}


def zoom_time(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_start_time(text, timezone):
    """UTC start time from Zoom's formats: with Z (or an offset) it is absolute, else local."""
    if not isinstance(text, str) or not _START_TIME.fullmatch(text):
        raise ValueError
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return zoom_time(moment)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _check_settings(raw, errors):
    if not isinstance(raw, dict):
        errors.append({"field": "settings", "message": "Must be an object."})
        return {}
    changes = {}
    for name, value in raw.items():
        if name in BOOLEAN_SETTINGS:
            ok = isinstance(value, bool)
        elif name in CHOICE_SETTINGS:
            choices = CHOICE_SETTINGS[name]
            ok = (_is_int(value) if _is_int(choices[0]) else isinstance(value, str)) and (
                value in choices
            )
        elif name in TEXT_SETTINGS:
            ok = isinstance(value, str) and len(value) <= TEXT_SETTINGS[name]
        else:
            continue  # Zoom ignores what it does not know; so does the sandbox.
        if ok:
            changes[name] = value
        else:
            errors.append({"field": f"settings.{name}", "message": "Invalid field."})
    return changes


def _check_recurrence(raw, errors):
    if not isinstance(raw, dict) or raw.get("type") not in RECURRENCE_CHOICES["type"]:
        errors.append({"field": "recurrence.type", "message": "Must be 1, 2 or 3."})
        return None
    recurrence = {}
    for name, value in raw.items():
        if name in RECURRENCE_CHOICES:
            ok = _is_int(value) and value in RECURRENCE_CHOICES[name]
        elif name in RECURRENCE_RANGES:
            low, high = RECURRENCE_RANGES[name]
            ok = _is_int(value) and low <= value <= high
        elif name == "weekly_days":
            # Zoom's prose allows "2,4"; its schema enumerates single days. The schema wins.
            ok = isinstance(value, str) and re.fullmatch(r"[1-7]", value) is not None
        elif name == "end_date_time":
            try:
                value = parse_start_time(value, "UTC")
                ok = True
            except ValueError:
                ok = False
        else:
            continue
        if ok:
            recurrence[name] = value
        else:
            errors.append({"field": f"recurrence.{name}", "message": "Invalid field."})
    return recurrence


def _check_tracking_fields(raw, errors):
    valid = isinstance(raw, list) and all(
        isinstance(item, dict)
        and isinstance(item.get("field"), str)
        and isinstance(item.get("value", ""), str)
        for item in raw
    )
    if not valid:
        errors.append({"field": "tracking_fields", "message": "Each item needs a string field."})
        return []
    return [{"field": i["field"], "value": i.get("value", ""), "visible": True} for i in raw]


def new_passcode(password=None):
    password = password or alnum(6)
    return {
        "password": password,
        "h323_password": digits(6),
        "pstn_password": digits(6),
        "encrypted_password": alnum(32),
    }


def check_fields(body, host, meeting=None):
    """The meeting attributes a create or update body sets; 400 code 300 on invalid fields."""
    errors, changes = [], {}

    def field(name, valid, message):
        if name not in body:
            return False
        if valid(body[name]):
            changes[name] = body[name]
            return True
        errors.append({"field": name, "message": message})
        return False

    field("topic", lambda v: isinstance(v, str) and len(v) <= TOPIC_MAX, "At most 200 characters.")
    field(
        "agenda", lambda v: isinstance(v, str) and len(v) <= AGENDA_MAX, "At most 2000 characters."
    )
    field("type", lambda v: _is_int(v) and v in MEETING_TYPES, "Must be 1, 2, 3 or 8.")
    field(
        "duration",
        lambda v: _is_int(v) and 0 <= v <= MAX_DURATION,
        "Must be a whole number of minutes.",
    )
    field("timezone", lambda v: isinstance(v, str) and v in timezones(), "Invalid timezone.")
    field("pre_schedule", lambda v: isinstance(v, bool), "Must be true or false.")
    field("default_password", lambda v: isinstance(v, bool), "Must be true or false.")
    if field("password", lambda v: isinstance(v, str) and _PASSWORD.fullmatch(v), PASSCODE_RULE):
        changes.update(new_passcode(changes.pop("password")))
    if "schedule_for" in body and body["schedule_for"] not in (host.email, host.user_id, "me"):
        errors.append(
            {
                "field": "schedule_for",
                "message": "The value that you entered for the schedule_for field is invalid. "
                "Enter a valid value and try again.",
            }
        )
    if "start_time" in body:
        timezone = changes.get("timezone") or (meeting.timezone if meeting else host.timezone)
        try:
            changes["start_time"] = parse_start_time(body["start_time"], timezone)
        except ValueError:
            errors.append(
                {
                    "field": "start_time",
                    "message": "Use yyyy-MM-ddTHH:mm:ssZ (UTC) or yyyy-MM-ddTHH:mm:ss in "
                    "the meeting's timezone.",
                }
            )
    if "settings" in body:
        changes["settings"] = _check_settings(body["settings"], errors)
    if "recurrence" in body:
        changes["recurrence"] = _check_recurrence(body["recurrence"], errors)
    if "tracking_fields" in body:
        changes["tracking_fields"] = _check_tracking_fields(body["tracking_fields"], errors)
    if errors:
        raise validation_failed(errors)
    meeting_type = changes.get("type", meeting.type if meeting else 2)
    if meeting_type == 8 and not changes.get("recurrence", meeting and meeting.recurrence):
        raise validation_failed(
            [{"field": "recurrence", "message": "A recurring meeting with fixed time needs one."}]
        )
    if changes.get("pre_schedule") and meeting_type not in (2, 3):
        raise ApiError(
            400,
            3000,
            "Prescheduling is only available for scheduled meetings (type 2) and recurring "
            "meetings with no fixed time (type 3).",
        )
    changes.pop("default_password", None)
    return changes


def _apply(meeting, changes, now):
    settings = changes.pop("settings", None)
    for name, value in changes.items():
        setattr(meeting, name, value)
    if settings:
        meeting.settings = {**meeting.settings, **settings}
    if meeting.type == 3:
        meeting.start_time = None
    elif meeting.type == 1 or meeting.start_time is None:
        meeting.start_time = zoom_time(datetime.fromtimestamp(now, UTC))


def _new_meeting_id(store):
    while True:
        meeting_id = 10**9 + secrets.randbelow(10**11 - 10**9)
        if meeting_id not in store.meetings:
            return meeting_id


def create_meeting_record(store, host, changes, now):
    """Store a new meeting for host (lock held)."""
    meeting = Meeting(
        id=_new_meeting_id(store),
        uuid=base64.b64encode(secrets.token_bytes(16)).decode(),
        host_id=host.user_id,
        topic="Zoom Meeting",
        type=2,
        start_time=None,
        duration=60,
        timezone=host.timezone,
        agenda="",
        created_at=zoom_time(datetime.fromtimestamp(now, UTC)),
        settings=dict(DEFAULT_SETTINGS),
        **new_passcode(),
    )
    _apply(meeting, changes, now)
    store.meetings[meeting.id] = meeting
    return meeting


def start_url(sandbox, base, meeting, now):
    zak = sign_jwt(
        {
            "iss": "web",
            "aud": "clientsm",
            "uid": meeting.host_id,
            "mnum": str(meeting.id),
            "iat": int(now),
            "exp": int(now + sandbox.config.start_url_ttl),
        },
        sandbox.store.signing_key,
        algorithm="HS256",
    )
    return f"{base}/s/{meeting.id}?zak={zak}"


def meeting_body(sandbox, base, meeting, host, now):
    """The full meeting object of create and get responses, with a freshly signed start_url."""
    body = {
        "uuid": meeting.uuid,
        "id": meeting.id,
        "host_id": meeting.host_id,
        "host_email": host.email,
        "topic": meeting.topic,
        "type": meeting.type,
        "status": "started" if meeting.phase == "started" else "waiting",
    }
    if meeting.start_time is not None:
        body["start_time"] = meeting.start_time
    body.update(
        duration=meeting.duration,
        timezone=meeting.timezone,
        agenda=meeting.agenda,
        created_at=meeting.created_at,
        start_url=start_url(sandbox, base, meeting, now),
        join_url=f"{base}/j/{meeting.id}?pwd={meeting.encrypted_password}",
        password=meeting.password,
        h323_password=meeting.h323_password,
        pstn_password=meeting.pstn_password,
        encrypted_password=meeting.encrypted_password,
        settings=meeting.settings,
        pre_schedule=meeting.pre_schedule,
    )
    if meeting.recurrence:
        body["recurrence"] = meeting.recurrence
    if meeting.tracking_fields:
        body["tracking_fields"] = meeting.tracking_fields
    return body


def _list_item(base, meeting):
    item = {
        "uuid": meeting.uuid,
        "id": meeting.id,
        "host_id": meeting.host_id,
        "topic": meeting.topic,
        "type": meeting.type,
    }
    if meeting.start_time is not None:
        item["start_time"] = meeting.start_time
    item.update(
        duration=meeting.duration,
        timezone=meeting.timezone,
        agenda=meeting.agenda[:LIST_AGENDA_MAX],
        created_at=meeting.created_at,
        join_url=f"{base}/j/{meeting.id}?pwd={meeting.encrypted_password}",
    )
    return item


def _caller(request, endpoint):
    """Authenticate, check the endpoint's scopes, count the call against the per-second limit."""
    caller = authenticate(request)
    accepted = SCOPES[endpoint]
    if not any(s in caller.scopes or f"{s}:admin" in caller.scopes for s in accepted):
        raise ApiError(
            400, 4711, f"Invalid access token, does not contain scopes:[{', '.join(accepted)}]."
        )
    sandbox = request.app.state.sandbox
    sandbox.limiter.check_per_second(caller.user.account_id, CATEGORIES[endpoint])
    return caller


def _path_user(caller, ref):
    """The host a /users/{userId}/… path names: only the token's own user is reachable."""
    user = caller.user
    if ref in ("me", user.user_id) or ref.lower() == user.email.lower():
        return user
    raise ApiError(404, 1001, f"User does not exist: {ref}.")


def _meeting_of(store, caller, meeting_id, writing):
    """The caller's meeting (lock held); 3003 when a colleague in the account writes it."""
    meeting = store.find_meeting(meeting_id)
    if meeting is None or meeting.deleted_at is not None:
        raise ApiError(404, 3001, f"Meeting does not exist: {meeting_id}.")
    if meeting.host_id != caller.user.user_id:
        host = store.users.get(meeting.host_id)
        if writing and host is not None and host.account_id == caller.user.account_id:
            raise ApiError(400, 3003, "You are not the meeting host.")
        raise ApiError(404, 3001, f"Meeting does not exist: {meeting_id}.")
    return meeting


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


async def _json_object(request):
    try:
        body = json.loads(await request.body(), parse_constant=_reject_constant)
    except ValueError:
        raise invalid_body() from None
    if not isinstance(body, dict):
        raise invalid_body()
    return body


async def create(request):
    """POST /v2/users/{userId}/meetings → 201 with the meeting."""
    sandbox = request.app.state.sandbox
    caller = _caller(request, "meetings.create")
    host = _path_user(caller, request.path_params["user_id"])
    body = await _json_object(request)
    sandbox.limiter.check_daily(host.user_id, "Medium")
    changes = check_fields(body, host)
    store, now = sandbox.store, sandbox.clock.now()
    with store.lock:
        meeting = create_meeting_record(store, host, changes, now)
        response = meeting_body(sandbox, sandbox.public_url(request), meeting, host, now)
    store.changed()
    return JSONResponse(response, status_code=201)


async def get(request):
    """GET /v2/meetings/{meetingId} → 200 with a fresh start_url."""
    sandbox = request.app.state.sandbox
    caller = _caller(request, "meetings.get")
    store, now = sandbox.store, sandbox.clock.now()
    with store.lock:
        meeting = _meeting_of(store, caller, request.path_params["meeting_id"], writing=False)
        body = meeting_body(sandbox, sandbox.public_url(request), meeting, caller.user, now)
    return JSONResponse(body)


async def update(request):
    """PATCH /v2/meetings/{meetingId} → 204."""
    sandbox = request.app.state.sandbox
    caller = _caller(request, "meetings.update")
    store, limiter = sandbox.store, sandbox.limiter
    with store.lock:
        _meeting_of(store, caller, request.path_params["meeting_id"], writing=True)
    body = await _json_object(request)
    limiter.check_daily(caller.user.user_id, "Light")
    now = sandbox.clock.now()
    with store.lock:
        meeting = _meeting_of(store, caller, request.path_params["meeting_id"], writing=True)
        if meeting.phase == "started":
            raise ApiError(
                400,
                3000,
                "You cannot update or delete meetings that have started using this method.",
            )
        changes = check_fields(body, caller.user, meeting)
        recent = [t for t in meeting.update_times if t > now - 86400]
        if limiter.settings.enabled and len(recent) >= limiter.settings.updates_per_meeting:
            raise limiter.meeting_update_limit_error(meeting.id, recent[0])
        meeting.update_times = [*recent, now]
        _apply(meeting, changes, now)
    store.changed()
    return Response(status_code=204)


async def delete(request):
    """DELETE /v2/meetings/{meetingId} → 204."""
    sandbox = request.app.state.sandbox
    caller = _caller(request, "meetings.delete")
    store = sandbox.store
    with store.lock:
        meeting = _meeting_of(store, caller, request.path_params["meeting_id"], writing=True)
        if meeting.phase == "started":
            raise ApiError(
                400, 3002, "Sorry, you cannot delete this meeting since it is in progress."
            )
        if meeting.phase == "ended":
            raise ApiError(400, 3007, "Sorry, you cannot delete this meeting since it has ended.")
        meeting.deleted_at = sandbox.clock.now()
    store.changed()
    return Response(status_code=204)


def _query_int(query, name, default, low, high, errors):
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if is_number(raw) and low <= int(raw) <= high:
        return int(raw)
    errors.append({"field": name, "message": f"Must be a whole number from {low} to {high}."})
    return default


def _query_date(query, name, errors):
    raw = query.get(name)
    if not raw:
        return None
    try:
        if _DATE.fullmatch(raw):
            return date.fromisoformat(raw).isoformat()
    except ValueError:
        pass
    errors.append({"field": name, "message": "Use yyyy-mm-dd."})
    return None


def _listed(meeting, kind, date_from, date_to, now):
    """Whether a meeting belongs in a list of this type and date range."""
    if meeting.deleted_at is not None or meeting.type == 1:
        return False
    start = meeting.start_time
    if (date_from or date_to) and start is None:
        return False
    if (date_from and start[:10] < date_from) or (date_to and start[:10] > date_to):
        return False
    started = meeting.start_time and datetime.fromisoformat(start).timestamp() < now
    if kind == "live":
        return meeting.phase == "started"
    if kind in ("upcoming", "upcoming_meetings"):
        return meeting.phase == "started" or (meeting.phase == "waiting" and not started)
    if kind == "previous_meetings":
        return meeting.phase == "ended" or (meeting.phase == "waiting" and bool(started))
    return True


async def list_meetings(request):
    """GET /v2/users/{userId}/meetings → 200, one page of the host's scheduled meetings."""
    sandbox = request.app.state.sandbox
    caller = _caller(request, "meetings.list")
    host = _path_user(caller, request.path_params["user_id"])
    query, errors = request.query_params, []
    page_size = _query_int(query, "page_size", 30, 1, PAGE_SIZE_MAX, errors)
    page_number = _query_int(query, "page_number", 1, 1, 10**6, errors)
    kind = query.get("type") or "scheduled"
    if kind not in LIST_TYPES:
        errors.append({"field": "type", "message": f"Must be one of {', '.join(LIST_TYPES)}."})
    date_from, date_to = _query_date(query, "from", errors), _query_date(query, "to", errors)
    if errors:
        raise validation_failed(errors)
    offset = (page_number - 1) * page_size
    store, now = sandbox.store, sandbox.clock.now()
    base = sandbox.public_url(request)
    with store.lock:
        if query.get("next_page_token"):
            page = store.page_tokens.get(query["next_page_token"])
            if page is None or page.expires_at <= now or page.user_id != host.user_id:
                raise ApiError(400, 300, "The next page token is invalid or expired.")
            kind, date_from, date_to, offset = page.type, page.date_from, page.date_to, page.offset
        found = sorted(
            (m for m in store.meetings.values() if m.host_id == host.user_id),
            key=lambda m: (m.start_time or "~", m.id),
        )
        found = [m for m in found if _listed(m, kind, date_from, date_to, now)]
        next_token = ""
        if offset + page_size < len(found):
            for stale in [t for t, p in store.page_tokens.items() if p.expires_at <= now]:
                del store.page_tokens[stale]
            next_token = alnum(32)
            store.page_tokens[next_token] = PageToken(
                host.user_id,
                kind,
                date_from,
                date_to,
                offset + page_size,
                now + sandbox.config.page_token_ttl,
            )
        items = [_list_item(base, m) for m in found[offset : offset + page_size]]
    return JSONResponse(
        {
            "page_size": page_size,
            "total_records": len(found),
            "next_page_token": next_token,
            "page_count": math.ceil(len(found) / page_size),
            "page_number": offset // page_size + 1,
            "meetings": items,
        }
    )


async def not_found(request):
    """Any other /v2 path."""
    raise ApiError(404, 404, "The requested resource does not exist.")
