"""State survives a restart when a state file is configured."""

import json
import time

from zoom_sandbox.testing import SandboxServer, authorize, pkce_pair

from .conftest import REDIRECT_URI, Zoom, code_from, exchange, http, make_app, make_config, refresh


def connect_to(server, user=None):
    app = server.config.apps[0]
    verifier, challenge = pkce_pair()
    location = authorize(server.base_url, app.client_id, REDIRECT_URI, "s", challenge, user=user)
    return Zoom(
        server.base_url, exchange(server.base_url, app, code_from(location), verifier).json()
    )


def test_it_keeps_connections_and_meetings_across_a_restart(tmp_path, receiver):
    state_file = tmp_path / "zoom-state.json"
    config = make_config(receiver.url, state_file=str(state_file), persist_delay=0.05)
    with SandboxServer(config) as first:
        zoom = connect_to(first, user="someone.new@example.net")
        meeting = zoom.create(topic="Remember me").json()
        deleted = zoom.create(topic="Gone").json()["id"]
        zoom.api.delete(f"/meetings/{deleted}")
    saved = json.loads(state_file.read_text())
    assert saved["version"] == 1 and len(saved["meetings"]) == 2
    assert zoom.tokens["access_token"] not in state_file.read_text()

    with SandboxServer(config) as second:
        zoom = Zoom(second.base_url, zoom.tokens)
        again = zoom.get(meeting["id"])
        assert again.status_code == 200
        assert again.json()["topic"] == "Remember me"
        assert again.json()["join_url"].endswith(meeting["encrypted_password"])
        assert zoom.get(deleted).status_code == 404
        app = config.apps[0]
        assert refresh(second.base_url, app, zoom.tokens["refresh_token"]).status_code == 200
        assert any(u["email"] == "someone.new@example.net" for u in second.control.users())


def test_it_writes_changes_without_waiting_for_shutdown(tmp_path, receiver):
    state_file = tmp_path / "state.json"
    config = make_config(receiver.url, state_file=str(state_file), persist_delay=0.05)
    with SandboxServer(config) as server:
        connect_to(server).create(topic="Soon on disk")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if state_file.exists() and "Soon on disk" in state_file.read_text():
                break
            time.sleep(0.02)
        assert "Soon on disk" in state_file.read_text()


def test_it_sets_a_corrupt_state_file_aside(tmp_path, receiver):
    state_file = tmp_path / "state.json"
    state_file.write_text("{not json")
    config = make_config(receiver.url, state_file=str(state_file))
    with SandboxServer(config) as server:
        assert server.control.meetings() == []
    assert (tmp_path / "state.json.corrupt").read_text() == "{not json"


def test_it_starts_empty_after_reset_even_with_a_state_file(tmp_path, receiver):
    state_file = tmp_path / "state.json"
    config = make_config(receiver.url, state_file=str(state_file), persist_delay=0.05)
    with SandboxServer(config) as server:
        connect_to(server).create()
        server.control.reset()
    with SandboxServer(config) as server:
        assert server.control.meetings() == [] and server.control.grants() == []


def test_it_forgets_grants_of_apps_no_longer_configured(tmp_path, receiver):
    state_file = tmp_path / "state.json"
    config = make_config(receiver.url, state_file=str(state_file), persist_delay=0.05)
    with SandboxServer(config) as server:
        connect_to(server).create(topic="Kept")
    fewer_apps = make_config(
        receiver.url, state_file=str(state_file), apps=(make_app(receiver.url, client_id="other"),)
    )
    with SandboxServer(fewer_apps) as server:
        assert server.control.grants() == []
        assert [m["topic"] for m in server.control.meetings()] == ["Kept"]
        page = http.get(f"{server.base_url}/marketplace/manage/installed-apps")
        assert page.status_code == 200
