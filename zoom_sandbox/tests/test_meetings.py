"""Meetings API behaviour beyond the schemas: validation, not-found, update, delete, list."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def error(response):
    return response.status_code, response.json()


def test_it_converts_a_local_start_time_to_utc(connect):
    body = connect().create(start_time="2026-07-01T09:30:00", timezone="America/New_York").json()
    assert body["start_time"] == "2026-07-01T13:30:00Z"
    assert body["timezone"] == "America/New_York"


def test_it_keeps_a_utc_start_time_as_given(connect):
    body = connect().create(start_time="2026-07-01T09:30:00Z", timezone="Asia/Tokyo").json()
    assert body["start_time"] == "2026-07-01T09:30:00Z"


def test_it_uses_the_hosts_timezone_and_zooms_defaults(connect):
    body = connect().create().json()
    assert body["timezone"] == "America/New_York"
    assert (body["type"], body["duration"], body["topic"]) == (2, 60, "Zoom Meeting")
    assert body["password"] and body["h323_password"].isdigit()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"topic": "x" * 201}, "topic"),
        ({"topic": 42}, "topic"),
        ({"agenda": "x" * 2001}, "agenda"),
        ({"password": "12345678901"}, "password"),
        ({"password": "has space"}, "password"),
        ({"type": 5}, "type"),
        ({"type": True}, "type"),
        ({"duration": -1}, "duration"),
        ({"duration": "60"}, "duration"),
        ({"start_time": "tomorrow"}, "start_time"),
        ({"start_time": "2026-13-01T10:00:00Z"}, "start_time"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"settings": {"jbh_time": 7}}, "settings.jbh_time"),
        ({"settings": {"waiting_room": "yes"}}, "settings.waiting_room"),
        ({"type": 8}, "recurrence"),
        ({"schedule_for": "someone.else@example.com"}, "schedule_for"),
    ],
)
def test_it_rejects_invalid_fields_with_code_300(connect, body, field):
    status, answer = error(connect().create(**body))
    assert status == 400
    assert answer["code"] == 300
    assert answer["message"] == "Validation Failed."
    assert [e["field"] for e in answer["errors"]] == [field]


def test_it_lists_every_invalid_field_at_once(connect):
    status, answer = error(connect().create(topic="x" * 201, duration=-5, timezone="Nowhere"))
    assert status == 400
    assert {e["field"] for e in answer["errors"]} == {"topic", "duration", "timezone"}


def test_it_accepts_zooms_password_characters(connect):
    assert connect().create(password="aB3@-_*").json()["password"] == "aB3@-_*"


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"", b'"text"', b'{"duration": NaN}'])
def test_it_rejects_a_body_that_is_not_a_json_object(connect, raw):
    response = connect().api.post(
        "/users/me/meetings", content=raw, headers={"content-type": "application/json"}
    )
    assert error(response) == (
        400,
        {"code": 300, "message": "Request Body should be a valid JSON object."},
    )


def test_it_rejects_preschedule_for_an_instant_meeting(connect):
    status, answer = error(connect().create(type=1, pre_schedule=True))
    assert (status, answer["code"]) == (400, 3000)


@pytest.mark.parametrize("meeting_id", ["12345678901", "abc"], ids=["unknown", "not-a-number"])
def test_it_answers_3001_for_an_unknown_meeting(connect, meeting_id):
    assert error(connect().get(meeting_id)) == (
        404,
        {"code": 3001, "message": f"Meeting does not exist: {meeting_id}."},
    )


def test_it_updates_with_204_and_shows_the_change(connect):
    zoom = connect()
    created = zoom.create(topic="Before", start_time="2026-08-01T10:00:00Z").json()
    response = zoom.api.patch(
        f"/meetings/{created['id']}",
        json={
            "topic": "After",
            "start_time": "2026-08-02T10:00:00",
            "timezone": "Europe/Paris",
            "settings": {"waiting_room": True},
        },
    )
    assert response.status_code == 204 and response.content == b""
    body = zoom.get(created["id"]).json()
    assert body["topic"] == "After"
    assert body["start_time"] == "2026-08-02T08:00:00Z"
    assert body["settings"]["waiting_room"] is True
    assert body["settings"]["approval_type"] == 2
    assert body["password"] == created["password"]


def test_it_changes_the_join_link_with_the_passcode(connect):
    zoom = connect()
    created = zoom.create().json()
    zoom.api.patch(f"/meetings/{created['id']}", json={"password": "n3wpass"})
    body = zoom.get(created["id"]).json()
    assert body["password"] == "n3wpass"
    assert body["encrypted_password"] != created["encrypted_password"]
    assert body["join_url"].endswith(f"pwd={body['encrypted_password']}")


def test_it_validates_updates_like_creates(connect):
    zoom = connect()
    meeting_id = zoom.create().json()["id"]
    status, answer = error(zoom.api.patch(f"/meetings/{meeting_id}", json={"duration": -1}))
    assert (status, answer["code"]) == (400, 300)


def test_it_deletes_with_204_then_answers_3001(connect):
    zoom = connect()
    meeting_id = zoom.create().json()["id"]
    assert zoom.api.delete(f"/meetings/{meeting_id}").status_code == 204
    assert error(zoom.get(meeting_id))[1]["code"] == 3001
    again = zoom.api.delete(f"/meetings/{meeting_id}")
    assert (again.status_code, again.json()["code"]) == (404, 3001)
    patched = zoom.api.patch(f"/meetings/{meeting_id}", json={"topic": "x"})
    assert (patched.status_code, patched.json()["code"]) == (404, 3001)


def test_it_refuses_to_delete_a_meeting_in_progress_or_ended(connect, control):
    zoom = connect()
    meeting_id = zoom.create().json()["id"]
    control.set_meeting_status(meeting_id, "started")
    assert zoom.get(meeting_id).json()["status"] == "started"
    assert error(zoom.api.delete(f"/meetings/{meeting_id}"))[1]["code"] == 3002
    assert error(zoom.api.patch(f"/meetings/{meeting_id}", json={"topic": "x"}))[1]["code"] == 3000
    control.set_meeting_status(meeting_id, "ended")
    assert error(zoom.api.delete(f"/meetings/{meeting_id}"))[1]["code"] == 3007


@pytest.mark.parametrize("user", ["me", "KDcuGIm1QgePTO8WbOqwIQ", "Dana.Whitfield@example.com"])
def test_it_creates_for_the_tokens_own_user(connect, user):
    response = connect().api.post(f"/users/{user}/meetings", json={})
    assert response.status_code == 201
    assert response.json()["host_id"] == "KDcuGIm1QgePTO8WbOqwIQ"


def test_it_answers_1001_for_another_user(connect):
    zoom = connect()
    for method in ("post", "get"):
        response = getattr(zoom.api, method)("/users/rB3xY9qTS0mZp6HvE2uJkg/meetings")
        assert error(response) == (
            404,
            {"code": 1001, "message": "User does not exist: rB3xY9qTS0mZp6HvE2uJkg."},
        )


def test_it_hides_other_hosts_meetings(connect):
    dana = connect(user="dana.whitfield@example.com")
    priya = connect(user="priya.raman@example.org")
    meeting_id = priya.create().json()["id"]
    assert dana.get(meeting_id).status_code == 404
    assert dana.api.delete(f"/meetings/{meeting_id}").json()["code"] == 3001
    assert priya.get(meeting_id).status_code == 200


def test_it_answers_3003_when_a_colleague_changes_a_meeting(connect):
    """Dana and Sam share an account: writing Sam's meeting is 'not the host', reading 3001."""
    sam = connect(user="sam.okafor@example.com")
    dana = connect(user="dana.whitfield@example.com")
    meeting_id = sam.create().json()["id"]
    assert error(dana.api.patch(f"/meetings/{meeting_id}", json={"topic": "x"})) == (
        400,
        {"code": 3003, "message": "You are not the meeting host."},
    )
    assert dana.get(meeting_id).status_code == 404


def test_it_pages_through_a_list(connect, control):
    zoom = connect()
    ids = [zoom.create(start_time=f"2026-09-0{day}T10:00:00Z").json()["id"] for day in range(1, 6)]
    seen, params = [], {"page_size": 2}
    while True:
        page = zoom.api.get("/users/me/meetings", params=params).json()
        assert (page["total_records"], page["page_count"], page["page_size"]) == (5, 3, 2)
        seen += [m["id"] for m in page["meetings"]]
        if not page["next_page_token"]:
            break
        params = {"page_size": 2, "next_page_token": page["next_page_token"]}
    assert seen == ids
    assert page["page_number"] == 3


def test_it_expires_next_page_tokens_after_15_minutes(connect, control):
    zoom = connect()
    for _ in range(3):
        zoom.create()
    token = zoom.api.get("/users/me/meetings", params={"page_size": 1}).json()["next_page_token"]
    control.advance_clock(15 * 60)
    response = zoom.api.get("/users/me/meetings", params={"next_page_token": token})
    assert (response.status_code, response.json()["code"]) == (400, 300)


@pytest.mark.parametrize(
    "params",
    [
        {"page_size": 301},
        {"page_size": 0},
        {"page_size": "ten"},
        {"type": "all"},
        {"from": "2026-02-30"},
    ],
)
def test_it_rejects_invalid_list_parameters(connect, params):
    response = connect().api.get("/users/me/meetings", params=params)
    assert (response.status_code, response.json()["code"]) == (400, 300)


def test_it_lists_by_type(connect, control):
    zoom = connect()
    past = zoom.create(topic="past", start_time="2020-01-01T10:00:00Z").json()["id"]
    future = zoom.create(topic="future", start_time="2099-01-01T10:00:00Z").json()["id"]
    live = zoom.create(topic="live", start_time="2020-01-02T10:00:00Z").json()["id"]
    zoom.create(topic="instant", type=1)
    deleted = zoom.create(topic="deleted", start_time="2099-01-02T10:00:00Z").json()["id"]
    zoom.api.delete(f"/meetings/{deleted}")
    control.set_meeting_status(live, "started")

    def listed(kind):
        page = zoom.api.get("/users/me/meetings", params={"type": kind}).json()
        return [m["id"] for m in page["meetings"]]

    assert listed("scheduled") == [past, live, future]
    assert listed("live") == [live]
    assert listed("upcoming") == listed("upcoming_meetings") == [live, future]
    assert listed("previous_meetings") == [past]


def test_it_filters_a_list_by_dates(connect):
    zoom = connect()
    for day in ("01", "15", "28"):
        zoom.create(topic=day, start_time=f"2026-02-{day}T10:00:00Z")
    page = zoom.api.get("/users/me/meetings", params={"from": "2026-02-10", "to": "2026-02-28"})
    assert [m["topic"] for m in page.json()["meetings"]] == ["15", "28"]


def test_it_answers_unknown_api_paths_with_json(connect):
    response = connect().api.get("/users/me/webinars")
    assert response.status_code == 404 and response.json()["code"] == 404


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=8,
)
meeting_bodies = st.fixed_dictionaries(
    {},
    optional={
        name: json_values
        for name in (
            "topic",
            "type",
            "start_time",
            "duration",
            "timezone",
            "agenda",
            "password",
            "settings",
            "recurrence",
            "tracking_fields",
            "pre_schedule",
        )
    },
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=meeting_bodies)
def test_it_never_fails_with_a_server_error(connect, control, body):
    """Whatever JSON a client sends, the answer is a meeting or a Zoom error, never a 500."""
    control.limits(enabled=False)
    response = connect().create(**body)
    assert response.status_code in (201, 400), response.text
    if response.status_code == 400:
        assert response.json()["code"] in (300, 3000)


@pytest.mark.parametrize("meeting_id", ["²", "١٢٣"], ids=["superscript", "arabic-digits"])
def test_it_treats_unusual_digits_as_unknown_meetings(connect, meeting_id):
    response = connect().get(meeting_id)
    assert (response.status_code, response.json()["code"]) == (404, 3001)
