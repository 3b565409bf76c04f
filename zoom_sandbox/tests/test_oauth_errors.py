"""OAuth edge cases answer exactly as CONTRACT §1 says."""

import base64
import hashlib

import pytest

from zoom_sandbox.testing import authorize, pkce_pair

from .conftest import REDIRECT_URI, code_from, exchange, http, refresh

INVALID_GRANT = {"reason": "Invalid Token!", "error": "invalid_grant"}
INVALID_CLIENT = {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
INVALID_REQUEST = {"reason": "Bad request", "error": "invalid_request"}


def consent(base_url, **params):
    query = {"response_type": "code", "redirect_uri": REDIRECT_URI, "client_id": "test-client"}
    query.update(params)
    return http.get(f"{base_url}/oauth/authorize", params=query)


def answer(response):
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"client_id": "nobody"}, "Invalid client_id"),
        ({"redirect_uri": "http://evil.test/callback"}, "is not registered"),
        ({"redirect_uri": REDIRECT_URI + "extra"}, "is not registered"),
        ({"response_type": "token"}, "Only response_type=code"),
        ({"code_challenge": "x" * 43, "code_challenge_method": "S512"}, "S256 or plain"),
        ({"code_challenge": "short", "code_challenge_method": "S256"}, "malformed"),
        ({"code_challenge_method": "S256"}, "needs a code_challenge"),
        ({"scope": "user:read"}, "not allowed any of these scopes"),
    ],
    ids=[
        "unknown-client",
        "unregistered-redirect",
        "redirect-not-exact",
        "response-type",
        "pkce-method",
        "pkce-challenge",
        "method-without-challenge",
        "no-allowed-scope",
    ],
)
def test_it_shows_an_error_page_instead_of_redirecting(base_url, params, message):
    response = consent(base_url, **params)
    assert response.status_code == 400
    assert "location" not in response.headers
    assert message in response.text


def test_it_grants_the_intersection_of_requested_and_allowed_scopes(base_url, app):
    verifier, challenge = pkce_pair()
    location = authorize(
        base_url, app.client_id, REDIRECT_URI, "s", challenge, scope="meeting:read user:read"
    )
    tokens = exchange(base_url, app, code_from(location), verifier).json()
    assert tokens["scope"] == "meeting:read"


def test_it_redirects_with_access_denied_on_decline(base_url, app, control):
    location = authorize(base_url, app.client_id, REDIRECT_URI, "st8", decision="decline")
    assert location == f"{REDIRECT_URI}?error=access_denied&state=st8"
    assert control.grants() == []


def test_it_rejects_a_token_request_with_another_redirect_uri(base_url, app):
    verifier, challenge = pkce_pair()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    response = exchange(base_url, app, code, verifier, redirect_uri="http://app.test/other/")
    assert answer(response) == (400, {"reason": "Redirect URI mismatch", "error": "invalid_grant"})


def test_it_accepts_a_code_only_once(base_url, app):
    verifier, challenge = pkce_pair()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    assert exchange(base_url, app, code, verifier).status_code == 200
    assert answer(exchange(base_url, app, code, verifier)) == (400, INVALID_GRANT)


def test_it_spends_a_code_on_a_failed_attempt(base_url, app):
    verifier, challenge = pkce_pair()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    assert answer(exchange(base_url, app, code, "wrong" * 10)) == (400, INVALID_GRANT)
    assert answer(exchange(base_url, app, code, verifier)) == (400, INVALID_GRANT)


def test_it_expires_codes_after_five_minutes(base_url, app, control):
    verifier, challenge = pkce_pair()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    control.advance_clock(300)
    assert answer(exchange(base_url, app, code, verifier)) == (400, INVALID_GRANT)


def test_it_accepts_a_code_just_before_it_expires(base_url, app, control):
    verifier, challenge = pkce_pair()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    control.advance_clock(290)
    assert exchange(base_url, app, code, verifier).status_code == 200


def test_it_rejects_a_wrong_pkce_verifier(base_url, app):
    _, challenge = pkce_pair()
    other_verifier, _ = pkce_pair()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    assert answer(exchange(base_url, app, code, other_verifier)) == (400, INVALID_GRANT)


def test_it_rejects_a_missing_pkce_verifier(base_url, app):
    _, challenge = pkce_pair()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    assert answer(exchange(base_url, app, code)) == (400, INVALID_GRANT)


def test_it_checks_s256_against_an_independent_computation(base_url, app):
    verifier = "v" * 20 + "-._~" + "0123456789abcdefghij"
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    challenge = challenge.rstrip(b"=").decode()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    assert exchange(base_url, app, code, verifier).status_code == 200


@pytest.mark.parametrize("method", ["plain", None], ids=["plain", "method-missing-means-plain"])
def test_it_supports_the_plain_method(base_url, app, method):
    verifier, _ = pkce_pair()
    code = code_from(
        authorize(
            base_url, app.client_id, REDIRECT_URI, "s", verifier, code_challenge_method=method
        )
    )
    assert exchange(base_url, app, code, verifier).status_code == 200


def test_it_allows_authorization_without_pkce_as_zoom_does(base_url, app):
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s"))
    assert exchange(base_url, app, code).status_code == 200


@pytest.mark.parametrize(
    "auth",
    [("test-client", "wrong-secret"), ("nobody", "test-secret"), None],
    ids=["bad-secret", "unknown-client", "no-credentials"],
)
def test_it_rejects_bad_client_credentials(base_url, app, auth):
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s"))
    response = http.post(
        f"{base_url}/oauth/token",
        auth=auth,
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
    )
    assert answer(response) == (400, INVALID_CLIENT)


def test_it_does_not_take_client_credentials_from_the_body(base_url, app):
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s"))
    response = http.post(
        f"{base_url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
        },
    )
    assert answer(response) == (400, INVALID_CLIENT)


def test_it_rejects_an_unsupported_grant_type(base_url, app):
    response = http.post(
        f"{base_url}/oauth/token",
        auth=(app.client_id, app.client_secret),
        data={"grant_type": "client_credentials"},
    )
    assert answer(response) == (
        400,
        {"reason": "Unsupported grant type", "error": "unsupported_grant_type"},
    )


@pytest.mark.parametrize(
    "data",
    [{}, {"grant_type": "authorization_code"}, {"grant_type": "refresh_token"}],
    ids=["no-grant-type", "no-code", "no-refresh-token"],
)
def test_it_rejects_malformed_token_requests(base_url, app, data):
    response = http.post(
        f"{base_url}/oauth/token", auth=(app.client_id, app.client_secret), data=data
    )
    assert answer(response) == (400, INVALID_REQUEST)


def test_it_rejects_a_refresh_token_of_another_app(connect, server):
    zoom = connect()
    reader = server.config.app("read-only")
    assert answer(refresh(server.base_url, reader, zoom.tokens["refresh_token"])) == (
        400,
        INVALID_GRANT,
    )


@pytest.mark.parametrize("token", ["garbage", "a.b.c", ""], ids=["garbage", "forged", "empty"])
def test_it_rejects_a_malformed_refresh_token(base_url, app, token):
    response = refresh(base_url, app, token)
    assert answer(response) == (400, INVALID_REQUEST if not token else INVALID_GRANT)


def test_it_rejects_revocation_of_an_unknown_token(base_url, app):
    response = http.post(
        f"{base_url}/oauth/revoke", auth=(app.client_id, app.client_secret), data={"token": "x"}
    )
    assert answer(response) == (400, INVALID_GRANT)


def test_it_no_longer_reads_the_revoked_token_from_the_query_string(connect, base_url, app):
    zoom = connect()
    response = http.post(
        f"{base_url}/oauth/revoke",
        auth=(app.client_id, app.client_secret),
        params={"token": zoom.tokens["access_token"]},
    )
    assert answer(response) == (400, INVALID_REQUEST)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic abc"},
        {"Authorization": "Bearer x.y.z"},
    ],
    ids=["missing", "empty", "wrong-scheme", "forged"],
)
def test_it_answers_124_without_a_valid_bearer_token(base_url, headers):
    response = http.get(f"{base_url}/v2/users/me/meetings", headers=headers)
    assert answer(response) == (401, {"code": 124, "message": "Invalid access token."})


def test_it_refuses_an_access_token_in_the_query_string(connect, base_url):
    zoom = connect()
    response = http.get(
        f"{base_url}/v2/users/me/meetings", params={"access_token": zoom.tokens["access_token"]}
    )
    assert answer(response) == (401, {"code": 124, "message": "Invalid access token."})


def test_it_refuses_a_refresh_token_as_bearer(connect, base_url):
    zoom = connect()
    response = http.get(
        f"{base_url}/v2/users/me/meetings",
        headers={"Authorization": f"Bearer {zoom.tokens['refresh_token']}"},
    )
    assert response.status_code == 401


def test_it_rejects_a_consent_post_without_its_csrf_token(base_url, app):
    response = http.post(
        f"{base_url}/oauth/authorize",
        data={"client_id": app.client_id, "redirect_uri": REDIRECT_URI, "decision": "allow"},
    )
    assert response.status_code == 403
    assert "location" not in response.headers


def test_it_signs_in_as_another_email(base_url, app, control):
    verifier, challenge = pkce_pair()
    location = authorize(
        base_url, app.client_id, REDIRECT_URI, "s", challenge, user="new.host@example.net"
    )
    assert exchange(base_url, app, code_from(location), verifier).status_code == 200
    [grant] = control.grants()
    assert grant["email"] == "new.host@example.net"
    assert any(u["email"] == "new.host@example.net" for u in control.users())


def test_it_asks_again_for_an_invalid_email(base_url, app):
    with pytest.raises(RuntimeError, match="valid email"):
        authorize(base_url, app.client_id, REDIRECT_URI, "s", user="not-an-email")


def test_it_can_require_pkce_for_an_app(base_url):
    response = consent(base_url, client_id="strict")
    assert response.status_code == 400 and "must send a code_challenge" in response.text
    _, challenge = pkce_pair()
    with_pkce = consent(base_url, client_id="strict", code_challenge=challenge)
    assert with_pkce.status_code == 200
