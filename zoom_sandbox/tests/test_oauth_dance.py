"""The whole OAuth life of a connection, by plain HTTP, as CONTRACT §1 describes it."""

from zoom_sandbox.testing import authorize, pkce_pair

from .conftest import REDIRECT_URI, claims, code_from, exchange, http, refresh

INVALID_GRANT = {"reason": "Invalid Token!", "error": "invalid_grant"}
INVALID_TOKEN = {"code": 124, "message": "Invalid access token."}


def api_get(base_url, token, path="/v2/users/me/meetings"):
    return http.get(f"{base_url}{path}", headers={"Authorization": f"Bearer {token}"})


def test_it_completes_the_dance_from_consent_to_revocation(base_url, app, control):
    verifier, challenge = pkce_pair()
    page = http.get(
        f"{base_url}/oauth/authorize",
        params={
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT_URI,
            "state": "xyz",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    assert page.status_code == 200
    for text in ("vrtual.ly", "meeting:read", "meeting:write", "Signed in as", "Allow", "Decline"):
        assert text in page.text

    location = authorize(base_url, app.client_id, REDIRECT_URI, "xyz", challenge)
    assert location.startswith(f"{REDIRECT_URI}?code=") and location.endswith("&state=xyz")
    first = exchange(base_url, app, code_from(location), verifier)
    assert first.status_code == 200
    assert first.headers["cache-control"] == "no-store"
    tokens = first.json()
    assert set(tokens) == {
        "access_token",
        "token_type",
        "refresh_token",
        "expires_in",
        "scope",
        "api_url",
    }
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 3599
    assert tokens["scope"] == "meeting:read meeting:write"
    assert tokens["api_url"] == base_url
    assert api_get(base_url, tokens["access_token"]).status_code == 200

    second = refresh(base_url, app, tokens["refresh_token"])
    assert second.status_code == 200
    rotated = second.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    assert rotated["access_token"] != tokens["access_token"]

    stale = refresh(base_url, app, tokens["refresh_token"])
    assert (stale.status_code, stale.json()) == (400, INVALID_GRANT)
    old = api_get(base_url, tokens["access_token"])
    assert (old.status_code, old.json()) == (401, INVALID_TOKEN)
    assert api_get(base_url, rotated["access_token"]).status_code == 200

    revoked = http.post(
        f"{base_url}/oauth/revoke",
        auth=(app.client_id, app.client_secret),
        data={"token": rotated["access_token"]},
    )
    assert (revoked.status_code, revoked.json()) == (200, {"status": "success"})
    after = api_get(base_url, rotated["access_token"])
    assert (after.status_code, after.json()) == (401, INVALID_TOKEN)
    dead = refresh(base_url, app, rotated["refresh_token"])
    assert (dead.status_code, dead.json()) == (400, INVALID_GRANT)
    [grant] = control.grants()
    assert grant["revoked"] and grant["revoked_by"] == "app" and grant["pkce_method"] == "S256"


def test_it_issues_jwt_shaped_tokens_with_zooms_claims(connect):
    zoom = connect()
    assert claims(zoom.tokens["access_token"], part=0) == {"alg": "HS512", "typ": "JWT"}
    access = claims(zoom.tokens["access_token"])
    assert {"userId", "accountId", "clientId", "exp", "iat", "jti"} <= set(access)
    assert access["clientId"] == "test-client"
    assert access["userId"] == "KDcuGIm1QgePTO8WbOqwIQ"
    assert access["exp"] - access["iat"] == 3599
    assert claims(zoom.tokens["refresh_token"])["jti"] != access["jti"]


def test_it_revokes_earlier_tokens_when_the_user_authorizes_again(connect, base_url, app):
    first = connect()
    second = connect()
    assert api_get(base_url, first.tokens["access_token"]).json() == INVALID_TOKEN
    assert refresh(base_url, app, first.tokens["refresh_token"]).json() == INVALID_GRANT
    assert api_get(base_url, second.tokens["access_token"]).status_code == 200


def test_it_keeps_grants_of_different_users_apart(connect, base_url):
    dana = connect(user="dana.whitfield@example.com")
    priya = connect(user="Wq8nL4cVRjG1sPz7dXoY5A")
    assert api_get(base_url, dana.tokens["access_token"]).status_code == 200
    assert claims(priya.tokens["access_token"])["userId"] == "Wq8nL4cVRjG1sPz7dXoY5A"
    assert api_get(base_url, priya.tokens["access_token"]).status_code == 200


def test_it_expires_access_tokens_after_their_lifetime(connect, base_url, app, control):
    zoom = connect()
    control.advance_clock(3599)
    expired = api_get(base_url, zoom.tokens["access_token"])
    assert (expired.status_code, expired.json()) == (
        401,
        {"code": 124, "message": "Access token is expired."},
    )
    renewed = refresh(base_url, app, zoom.tokens["refresh_token"])
    assert api_get(base_url, renewed.json()["access_token"]).status_code == 200


def test_it_expires_access_tokens_on_demand(connect, base_url, control):
    dana = connect(user="dana.whitfield@example.com")
    priya = connect(user="priya.raman@example.org")
    assert control.expire_tokens(user="priya.raman@example.org") == 1
    assert api_get(base_url, dana.tokens["access_token"]).status_code == 200
    assert api_get(base_url, priya.tokens["access_token"]).json()["message"] == (
        "Access token is expired."
    )
    assert control.expire_tokens() == 2
    assert api_get(base_url, dana.tokens["access_token"]).status_code == 401


def test_it_accepts_token_parameters_in_the_query_string(base_url, app):
    verifier, challenge = pkce_pair()
    code = code_from(authorize(base_url, app.client_id, REDIRECT_URI, "s", challenge))
    response = http.post(
        f"{base_url}/oauth/token",
        auth=(app.client_id, app.client_secret),
        params={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.text


def test_it_revokes_with_the_refresh_token_too(connect, base_url, app, receiver):
    zoom = connect()
    response = http.post(
        f"{base_url}/oauth/revoke",
        auth=(app.client_id, app.client_secret),
        data={"token": zoom.tokens["refresh_token"]},
    )
    assert response.json() == {"status": "success"}
    assert api_get(base_url, zoom.tokens["access_token"]).status_code == 401
