"""Pages a person sees: consent, Installed Apps, start and join links, errors.

Templates are plain ``string.Template`` files; every value is escaped here before substitution.
Forms carry a CSRF token that must match the ``zm_sandbox_csrf`` cookie, a name of the sandbox's
own so that it never collides with the product's cookies on the same host.
"""

import hmac
import secrets
from datetime import UTC, datetime
from html import escape
from importlib.resources import files
from string import Template
from urllib.parse import parse_qsl, urlencode

from starlette.responses import HTMLResponse, RedirectResponse

from .crypto import verify_jwt
from .errors import PageError

CSRF_COOKIE = "zm_sandbox_csrf"
_TEMPLATES = {
    path.name.removesuffix(".html"): Template(path.read_text(encoding="utf-8"))
    for path in files(__package__).joinpath("templates").iterdir()
    if path.name.endswith(".html")
}
SCOPE_LABELS = {
    "meeting:read": "View your meetings",
    "meeting:write": "Create, update and delete your meetings",
    "meeting:read:meeting": "View a meeting's details",
    "meeting:read:list_meetings": "View your list of meetings",
    "meeting:write:meeting": "Create meetings",
    "meeting:update:meeting": "Update meetings",
    "meeting:delete:meeting": "Delete meetings",
    "user:read": "View your user information",
}


def csrf_token(request):
    """The token forms must echo: the cookie's, or a new one that ``render`` will set."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(24)
    return token


def same_secret(given, expected):
    """Constant-time comparison that also copes with non-ASCII input."""
    return hmac.compare_digest(given.encode(), expected.encode())


def render(request, template, title, status=200, wide=False, **values):
    """An HTML response; values are escaped unless their name ends in ``_html``."""
    token = csrf_token(request)
    safe = {
        name.removesuffix("_html"): value if name.endswith("_html") else escape(str(value))
        for name, value in values.items()
    }
    content = _TEMPLATES[template].substitute(csrf=token, **safe)
    page = _TEMPLATES["base"].substitute(
        title=escape(title), content=content, width="wide" if wide else ""
    )
    response = HTMLResponse(page, status_code=status)
    if CSRF_COOKIE not in request.cookies:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="lax", path="/")
    return response


def error_page(request, status, heading, message):
    return render(request, "error", heading, status=status, heading=heading, message=message)


async def render_page_error(request, exc):
    """Exception handler for PageError."""
    return error_page(request, exc.status, exc.title, exc.message)


async def read_form(request):
    """The urlencoded form of a POST, after checking its CSRF token."""
    body = await request.body()
    form = dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not same_secret(form.get("csrf", ""), cookie):
        raise PageError(
            403,
            "Your session has expired",
            "This form was not submitted from a page the sandbox served. Go back, reload the "
            "page and try again.",
        )
    return form


def describe_scope(scope):
    label = SCOPE_LABELS.get(scope, scope)
    return f"<li><strong>{escape(label)}</strong><br><code>{escape(scope)}</code></li>"


def user_choice(user, checked):
    return (
        f'    <label class="choice"><input type="radio" name="user" value="{escape(user.user_id)}"'
        f"{' checked' if checked else ''}><span>{escape(user.name)}"
        f"<small>{escape(user.email)}</small></span></label>"
    )


def spaced_meeting_id(meeting_id):
    text = str(meeting_id)
    return f"{text[:3]} {text[3:-4]} {text[-4:]}"


def _when(meeting):
    if meeting.start_time is None:
        return "Recurring, no fixed time"
    return f"{meeting.start_time.replace('T', ' ').removesuffix('Z')} UTC, {meeting.duration} min"


def _visible_meeting(store, meeting_id):
    meeting = store.find_meeting(meeting_id)
    return None if meeting is None or meeting.deleted_at is not None else meeting


def _meeting_page(request, meeting, host, heading, message_html, status=200, form_html=""):
    return render(
        request,
        "meeting",
        heading,
        status=status,
        heading=heading,
        message_html=message_html,
        topic=meeting.topic,
        meeting_id=spaced_meeting_id(meeting.id),
        host=f"{host.name} ({host.email})",
        when=_when(meeting),
        form_html=form_html,
    )


def _missing_meeting(meeting_id):
    return PageError(
        404, "This meeting does not exist", f"Meeting {meeting_id} was deleted or never existed."
    )


async def start_meeting(request):
    """``start_url``: proves the host link works while its zak is fresh."""
    sandbox = request.app.state.sandbox
    meeting_id = request.path_params["meeting_id"]
    with sandbox.store.lock:
        meeting = _visible_meeting(sandbox.store, meeting_id)
        host = sandbox.store.users.get(meeting.host_id) if meeting else None
    if meeting is None:
        raise _missing_meeting(meeting_id)
    claims = verify_jwt(request.query_params.get("zak", ""), sandbox.store.signing_key)
    if not claims or claims.get("mnum") != str(meeting.id) or claims.get("uid") != host.user_id:
        raise PageError(403, "This link is not valid", "The start link has been altered.")
    if claims["exp"] <= sandbox.clock.now():
        raise PageError(
            410,
            "This start link has expired",
            "Start links last two hours. Ask the app for a fresh link to start the meeting.",
        )
    message = (
        f'<p class="notice" role="status">You started meeting {escape(meeting.topic)} as host.</p>'
    )
    return _meeting_page(request, meeting, host, "You are the host", message)


async def join_meeting(request):
    """``join_url``: the participant page, reached with the meeting's encrypted passcode."""
    sandbox = request.app.state.sandbox
    meeting_id = request.path_params["meeting_id"]
    with sandbox.store.lock:
        meeting = _visible_meeting(sandbox.store, meeting_id)
        host = sandbox.store.users.get(meeting.host_id) if meeting else None
    if meeting is None:
        raise _missing_meeting(meeting_id)
    pwd = request.query_params.get("pwd")
    passcode = request.query_params.get("passcode")
    if (pwd is not None and same_secret(pwd, meeting.encrypted_password)) or (
        passcode is not None and same_secret(passcode, meeting.password)
    ):
        message = '<p class="notice" role="status">Waiting for the host to start this meeting.</p>'
        return _meeting_page(request, meeting, host, "Join meeting", message)
    tried = pwd is not None or passcode is not None
    message = (
        '<p class="error" role="alert">Wrong passcode. Check the link or type the passcode.</p>'
        if tried
        else "<p>Enter the meeting passcode to join.</p>"
    )
    form = (
        f'<form method="get" action="/j/{meeting.id}"><label class="field" for="passcode">'
        'Meeting passcode</label><input id="passcode" name="passcode" type="password" '
        'autocomplete="off"><div class="actions"><button type="submit" class="primary">Join'
        "</button></div></form>"
    )
    status = 403 if tried else 200
    return _meeting_page(request, meeting, host, "Join meeting", message, status, form)


def _date(timestamp):
    return datetime.fromtimestamp(timestamp, UTC).strftime("%d %b %Y")


async def installed_apps(request):
    """Zoom App Marketplace → Manage → Installed Apps, for one sandbox user."""
    sandbox = request.app.state.sandbox
    store = sandbox.store
    with store.lock:
        users = list(store.users.values())
        wanted = request.query_params.get("user_id")
        user = store.find_user(wanted) if wanted else users[0]
        if user is None:
            raise PageError(404, "Unknown user", "No sandbox user has this id or email.")
        grants = [g for g in store.grants.values() if g.user_id == user.user_id and g.active]
    options = "\n".join(
        f'    <option value="{escape(u.user_id)}"{" selected" if u is user else ""}>'
        f"{escape(u.name)} — {escape(u.email)}</option>"
        for u in users
    )
    rows = []
    for grant in grants:
        app = sandbox.config.app(grant.client_id)
        rows.append(
            f'<div class="app"><div><strong>{escape(app.name)}</strong><br>'
            f'<span class="muted">Added {_date(grant.authorized_at)} · '
            f"{escape(' '.join(grant.scopes))}</span></div>"
            '<form method="post" action="/marketplace/manage/installed-apps/remove">'
            f'<input type="hidden" name="csrf" value="{escape(csrf_token(request))}">'
            f'<input type="hidden" name="user_id" value="{escape(user.user_id)}">'
            f'<input type="hidden" name="client_id" value="{escape(grant.client_id)}">'
            f'<button type="submit" class="danger" aria-label="Remove {escape(app.name)}">'
            "Remove</button></form></div>"
        )
    removed = request.query_params.get("removed")
    removed_app = sandbox.config.app(removed) if removed else None
    notice = (
        f'<p class="notice" role="status">{escape(removed_app.name)} was removed; the app has '
        "been notified.</p>"
        if removed_app
        else ""
    )
    apps = "".join(rows) or '<p class="muted">No apps are installed for this user.</p>'
    return render(
        request,
        "installed_apps",
        "Installed Apps",
        wide=True,
        notice_html=notice,
        user_options_html=options,
        user_name=user.name,
        apps_html=apps,
    )


async def remove_app(request):
    """The Remove button: revoke the grant and tell the app, as Zoom does."""
    sandbox = request.app.state.sandbox
    form = await read_form(request)
    with sandbox.store.lock:
        user = sandbox.store.find_user(form.get("user_id", ""))
    if user is None or sandbox.config.app(form.get("client_id", "")) is None:
        raise PageError(400, "Nothing to remove", "This app is not installed for this user.")
    sandbox.deauthorize(form["client_id"], user.user_id, by="user", notify=True)
    query = urlencode({"user_id": user.user_id, "removed": form["client_id"]})
    return RedirectResponse(f"/marketplace/manage/installed-apps?{query}", status_code=303)
