"""Zoom's OAuth 2.0 authorization-code flow for user-managed apps (CONTRACT §1).

``/oauth/authorize`` shows the consent page and redirects back with a code; ``/oauth/token``
exchanges codes and rotates refresh tokens; ``/oauth/revoke`` ends a grant. ``authenticate``
checks the bearer token of REST calls.
"""

import base64
import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.responses import JSONResponse, RedirectResponse

from .config import SandboxUser
from .crypto import b64url, fingerprint, sign_jwt, verify_jwt
from .errors import (
    NO_STORE,
    ApiError,
    OAuthError,
    PageError,
    invalid_client,
    invalid_grant,
    invalid_request,
)
from .pages import describe_scope, read_form, render, user_choice
from .state import AuthCode, Grant

PKCE_METHODS = ("S256", "plain")
_PKCE_VALUE = re.compile(r"[A-Za-z0-9\-._~]{43,128}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class AuthorizationRequest:
    client_id: str
    redirect_uri: str
    state: str
    scopes: tuple[str, ...]
    code_challenge: str
    code_challenge_method: str


@dataclass(frozen=True)
class Caller:
    """Who a valid access token speaks for."""

    user: SandboxUser
    client_id: str
    scopes: tuple[str, ...]
    jti: str


def _authorization_request(sandbox, params):
    """Validate authorize parameters; mistakes of the app are shown on a page, not sent back."""
    app = sandbox.config.app(params.get("client_id", ""))
    if app is None:
        raise PageError(400, "Invalid client_id", "No app with this client_id is registered.")
    redirect_uri = params.get("redirect_uri", "")
    if redirect_uri not in app.redirect_uris:
        raise PageError(
            400,
            "Invalid redirect URI",
            f"{redirect_uri or 'An empty redirect URI'} is not registered for {app.name}.",
        )
    if params.get("response_type", "code") != "code":
        raise PageError(400, "Unsupported response_type", "Only response_type=code is supported.")
    challenge = params.get("code_challenge", "")
    method = params.get("code_challenge_method", "")
    if challenge:
        method = method or "plain"
        if method not in PKCE_METHODS:
            raise PageError(
                400, "Invalid PKCE method", "code_challenge_method must be S256 or plain."
            )
        valid = (
            re.fullmatch(r"[A-Za-z0-9\-_]{43}", challenge)
            if method == "S256"
            else _PKCE_VALUE.fullmatch(challenge)
        )
        if not valid:
            raise PageError(400, "Invalid code_challenge", "The PKCE code_challenge is malformed.")
    elif method:
        raise PageError(
            400, "Missing code_challenge", "code_challenge_method needs a code_challenge."
        )
    elif app.require_pkce:
        raise PageError(400, "PKCE required", f"{app.name} must send a code_challenge.")
    requested = params.get("scope", "").replace(",", " ").split()
    scopes = tuple(s for s in app.scopes if s in requested) if requested else app.scopes
    if not scopes:
        raise PageError(400, "Invalid scope", f"{app.name} is not allowed any of these scopes.")
    return AuthorizationRequest(
        client_id=app.client_id,
        redirect_uri=redirect_uri,
        state=params.get("state", ""),
        scopes=scopes,
        code_challenge=challenge,
        code_challenge_method=method if challenge else "",
    )


def _redirect(redirect_uri, **params):
    parts = urlsplit(redirect_uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + [
        (k, v) for k, v in params.items() if v
    ]
    return RedirectResponse(urlunsplit(parts._replace(query=urlencode(query))), status_code=302)


def _consent(request, sandbox, req, selected=None, email="", error="", status=200):
    with sandbox.store.lock:
        seeded = [sandbox.store.users[u.user_id] for u in sandbox.config.users]
    if selected is None:
        selected = seeded[0].user_id
    app = sandbox.config.app(req.client_id)
    return render(
        request,
        "consent",
        f"Authorize {app.name}",
        status=status,
        app_name=app.name,
        error_html=f'<p class="error" role="alert">{escape(error)}</p>' if error else "",
        scopes_html="\n".join(describe_scope(s) for s in req.scopes),
        users_html="\n".join(user_choice(u, u.user_id == selected) for u in seeded),
        other_checked_html=" checked" if selected == "other" else "",
        email=email,
        client_id=req.client_id,
        redirect_uri=req.redirect_uri,
        state=req.state,
        scope=" ".join(req.scopes),
        code_challenge=req.code_challenge,
        code_challenge_method=req.code_challenge_method,
    )


async def authorize(request):
    """GET /oauth/authorize: the consent page."""
    sandbox = request.app.state.sandbox
    req = _authorization_request(sandbox, request.query_params)
    return _consent(request, sandbox, req)


async def decide(request):
    """POST /oauth/authorize: Allow or Decline, then back to the app."""
    sandbox = request.app.state.sandbox
    form = await read_form(request)
    req = _authorization_request(sandbox, form)
    decision = form.get("decision")
    if decision == "decline":
        return _redirect(req.redirect_uri, error="access_denied", state=req.state)
    if decision != "allow":
        raise PageError(400, "Choose Allow or Decline", "The form did not say Allow or Decline.")
    store, now = sandbox.store, sandbox.clock.now()
    choice, email = form.get("user", ""), form.get("email", "").strip()
    if choice == "other" and not _EMAIL.fullmatch(email):
        return _consent(
            request, sandbox, req, "other", email, "Enter a valid email address.", status=400
        )
    with store.lock:
        user = store.add_user(email) if choice == "other" else store.users.get(choice)
        code = _authorize_user(store, sandbox.config.code_ttl, req, user, now) if user else None
    if code is None:
        return _consent(request, sandbox, req, error="Choose who is signing in.", status=400)
    request.state.user_id = user.user_id
    store.changed()
    return _redirect(req.redirect_uri, code=code, state=req.state)


def _authorize_user(store, code_ttl, req, user, now):
    """Record consent (call with the lock held): earlier tokens and codes of this grant die."""
    key = (req.client_id, user.user_id)
    grant = store.grants.get(key)
    if grant is None:
        grant = store.grants[key] = Grant(req.client_id, user.user_id, req.scopes, now)
    store.forget_tokens(grant)
    grant.epoch += 1
    grant.scopes, grant.authorized_at = req.scopes, now
    grant.revoked_at = grant.revoked_by = None
    grant.authorizations += 1
    grant.pkce_method = req.code_challenge_method or None
    for stale in [c for c in store.codes.values() if c.used or c.expires_at <= now]:
        del store.codes[stale.code]
    code = secrets.token_urlsafe(24)
    store.codes[code] = AuthCode(
        code=code,
        client_id=req.client_id,
        user_id=user.user_id,
        redirect_uri=req.redirect_uri,
        scopes=req.scopes,
        challenge=req.code_challenge or None,
        challenge_method=req.code_challenge_method or None,
        expires_at=now + code_ttl,
        epoch=grant.epoch,
    )
    return code


def _client(sandbox, request):
    """The app authenticated by HTTP Basic, or invalid_client."""
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        raise invalid_client()
    try:
        client_id, _, secret = (
            base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        )
    except (ValueError, UnicodeError):
        raise invalid_client() from None
    app = sandbox.config.app(client_id)
    if app is None or not hmac.compare_digest(app.client_secret.encode(), secret.encode()):
        raise invalid_client()
    request.state.client_id = app.client_id
    return app


async def _form_body(request):
    body = await request.body()
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def _pkce_matches(code, verifier):
    if not verifier or not _PKCE_VALUE.fullmatch(verifier):
        return False
    if code.challenge_method == "S256":
        expected = b64url(hashlib.sha256(verifier.encode("ascii")).digest())
    else:
        expected = verifier
    return hmac.compare_digest(expected, code.challenge)


def _issue_tokens(sandbox, request, grant, now):
    """New access and refresh tokens for the grant (lock held); all earlier ones die."""
    config, store = sandbox.config, sandbox.store
    user = store.users[grant.user_id]
    tokens = {}
    for kind, ttl in (("access", config.access_token_ttl), ("refresh", config.refresh_token_ttl)):
        jti = str(uuid.uuid4())
        claims = {
            "ver": 9,
            "tokenType": f"{kind}_token",
            "userId": user.user_id,
            "accountId": user.account_id,
            "clientId": grant.client_id,
            "aud": "https://oauth.zoom.us",
            "iss": f"zm:cid:{grant.client_id}",
            "nbf": int(now),
            "iat": int(now),
            "exp": int(now + ttl),
            "jti": jti,
        }
        tokens[kind] = (sign_jwt(claims, store.signing_key), jti, now + ttl)
    store.set_tokens(grant, tokens["access"][1], tokens["access"][2], *tokens["refresh"][1:])
    request.state.user_id = user.user_id
    request.state.token = tokens["access"][1]
    return {
        "access_token": tokens["access"][0],
        "token_type": "bearer",
        "refresh_token": tokens["refresh"][0],
        "expires_in": config.access_token_ttl,
        "scope": " ".join(grant.scopes),
        "api_url": sandbox.public_url(request),
    }


def _exchange_code(sandbox, request, app, params, now):
    code_value, redirect_uri = params.get("code"), params.get("redirect_uri")
    if not code_value or not redirect_uri:
        raise invalid_request()
    store = sandbox.store
    with store.lock:
        code = store.codes.get(code_value)
        if code is None or code.client_id != app.client_id or code.used:
            raise invalid_grant()
        # A code is spent by any attempt to use it, right or wrong.
        code.used = True
        grant = store.grants.get((code.client_id, code.user_id))
        if (
            code.expires_at <= now
            or grant is None
            or not grant.active
            or grant.epoch != code.epoch
        ):
            raise invalid_grant()
        if redirect_uri != code.redirect_uri:
            raise OAuthError("invalid_grant", "Redirect URI mismatch")
        if code.challenge and not _pkce_matches(code, params.get("code_verifier")):
            raise invalid_grant()
        return _issue_tokens(sandbox, request, grant, now)


def _refresh(sandbox, request, app, params, now):
    raw = params.get("refresh_token")
    if not raw:
        raise invalid_request()
    store = sandbox.store
    claims = verify_jwt(raw, store.signing_key)
    if not claims or claims.get("tokenType") != "refresh_token":
        raise invalid_grant()
    with store.lock:
        grant = store.grant_for_refresh(claims.get("jti"))
        if grant is None or grant.client_id != app.client_id or grant.refresh_expires_at <= now:
            raise invalid_grant()
        grant.refreshes += 1
        return _issue_tokens(sandbox, request, grant, now)


async def token(request):
    """POST /oauth/token: authorization_code and refresh_token grants."""
    sandbox = request.app.state.sandbox
    app = _client(sandbox, request)
    # Zoom also reads parameters from the query string; the body wins when both are given.
    params = {**request.query_params, **(await _form_body(request))}
    grant_type = params.get("grant_type")
    now = sandbox.clock.now()
    try:
        if grant_type == "authorization_code":
            body = _exchange_code(sandbox, request, app, params, now)
        elif grant_type == "refresh_token":
            body = _refresh(sandbox, request, app, params, now)
        elif not grant_type:
            raise invalid_request()
        else:
            raise OAuthError("unsupported_grant_type", "Unsupported grant type")
    finally:
        sandbox.store.changed()
    return JSONResponse(body, headers=NO_STORE)


async def revoke(request):
    """POST /oauth/revoke: the app ends the grant; Zoom then sends app_deauthorized."""
    sandbox = request.app.state.sandbox
    app = _client(sandbox, request)
    raw = (await _form_body(request)).get("token")
    if not raw:
        raise invalid_request()
    store = sandbox.store
    claims = verify_jwt(raw, store.signing_key) or {}
    with store.lock:
        if claims.get("tokenType") == "access_token":
            grant = store.grant_for_access(claims.get("jti"))
        elif claims.get("tokenType") == "refresh_token":
            grant = store.grant_for_refresh(claims.get("jti"))
        else:
            grant = None
    if grant is None or grant.client_id != app.client_id:
        raise invalid_grant()
    request.state.user_id = grant.user_id
    sandbox.deauthorize(app.client_id, grant.user_id, by="app", notify=True)
    return JSONResponse({"status": "success"}, headers=NO_STORE)


def authenticate(request):
    """The caller of a REST request, from its bearer token; 401 code 124 otherwise."""
    sandbox = request.app.state.sandbox
    invalid = ApiError(401, 124, "Invalid access token.")
    if "access_token" in request.query_params:
        raise invalid
    scheme, _, raw = request.headers.get("authorization", "").partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise invalid
    store = sandbox.store
    claims = verify_jwt(raw, store.signing_key)
    if not claims or claims.get("tokenType") != "access_token":
        request.state.token = fingerprint(raw)
        raise invalid
    jti = request.state.token = claims.get("jti")
    with store.lock:
        grant = store.grant_for_access(jti)
        if grant is None:
            raise invalid
        caller = Caller(store.users[grant.user_id], grant.client_id, grant.scopes, jti)
        expired = grant.access_expires_at <= sandbox.clock.now()
    request.state.client_id = caller.client_id
    request.state.user_id = caller.user.user_id
    if expired:
        raise ApiError(401, 124, "Access token is expired.")
    return caller
