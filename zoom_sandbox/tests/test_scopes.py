"""Scope enforcement (CONTRACT §2): classic and granular scopes, 400 code 4711 otherwise."""

import pytest

from zoom_sandbox.testing import authorize

from .conftest import REDIRECT_URI, Zoom, code_from, exchange


def test_it_refuses_to_create_with_a_read_only_token(connect, server):
    zoom = connect(app=server.config.app("read-only"))
    assert zoom.tokens["scope"] == "meeting:read"
    response = zoom.create(topic="Nope")
    assert (response.status_code, response.json()) == (
        400,
        {
            "code": 4711,
            "message": "Invalid access token, does not contain scopes:"
            "[meeting:write, meeting:write:meeting].",
        },
    )
    assert zoom.api.get("/users/me/meetings").status_code == 200


def test_it_refuses_update_and_delete_with_a_read_only_token(connect, server):
    meeting_id = connect().create().json()["id"]
    reader = connect(app=server.config.app("read-only"))
    assert reader.get(meeting_id).status_code == 200
    for response in (
        reader.api.patch(f"/meetings/{meeting_id}", json={"topic": "x"}),
        reader.api.delete(f"/meetings/{meeting_id}"),
    ):
        assert (response.status_code, response.json()["code"]) == (400, 4711)


def test_it_refuses_reads_with_a_write_only_grant(connect, server):
    app = server.config.apps[0]
    location = authorize(server.base_url, app.client_id, REDIRECT_URI, scope="meeting:write")
    zoom = Zoom(server.base_url, exchange(server.base_url, app, code_from(location)).json())
    meeting_id = zoom.create().json()["id"]
    response = zoom.get(meeting_id)
    assert (response.status_code, response.json()["message"]) == (
        400,
        "Invalid access token, does not contain scopes:[meeting:read, meeting:read:meeting].",
    )


@pytest.mark.parametrize("call", ["create", "get", "update", "list", "delete"])
def test_it_accepts_granular_scopes(connect, server, call):
    zoom = connect(app=server.config.app("granular"))
    meeting_id = zoom.create().json()["id"]
    response = {
        "create": lambda: zoom.create(),
        "get": lambda: zoom.get(meeting_id),
        "update": lambda: zoom.api.patch(f"/meetings/{meeting_id}", json={"topic": "x"}),
        "list": lambda: zoom.api.get("/users/me/meetings"),
        "delete": lambda: zoom.api.delete(f"/meetings/{meeting_id}"),
    }[call]()
    assert response.status_code in (200, 201, 204)
