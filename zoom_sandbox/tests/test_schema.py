"""Meetings responses validate against Zoom's own OpenAPI export (see ../spec/SOURCE.md)."""

import json
import os
import re
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from .conftest import claims

SPEC = Path(
    os.environ.get(
        "ZOOM_OPENAPI_SPEC",
        Path(__file__).resolve().parents[1] / "spec" / "ZoomMeetingAPISpec.json",
    )
)
ZOOM_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# CONTRACT §3.1: what a real create response carries, beyond the OpenAPI 201 schema.
CREATE_FIELDS = [
    "id",
    "uuid",
    "host_id",
    "host_email",
    "topic",
    "type",
    "status",
    "start_time",
    "duration",
    "timezone",
    "agenda",
    "created_at",
    "start_url",
    "join_url",
    "password",
    "h323_password",
    "pstn_password",
    "encrypted_password",
    "settings",
    "pre_schedule",
]


@cache
def spec():
    if not SPEC.exists():
        pytest.fail(f"Zoom's OpenAPI export is missing at {SPEC} (set ZOOM_OPENAPI_SPEC)")
    return json.loads(SPEC.read_text(encoding="utf-8"))


def schema(path, method, status):
    operation = spec()["paths"][path][method]
    return operation["responses"][status]["content"]["application/json"]["schema"]


def validate(body, path, method, status):
    jsonschema.Draft7Validator(
        schema(path, method, status), format_checker=jsonschema.FormatChecker()
    ).validate(body)


def test_it_answers_create_with_a_body_valid_for_the_201_schema(connect):
    zoom = connect()
    response = zoom.create(topic="Intro call", start_time="2026-12-01T15:00:00Z", duration=45)
    assert response.status_code == 201
    validate(response.json(), "/users/{userId}/meetings", "post", "201")


def test_it_answers_create_with_every_field_the_contract_lists(connect):
    zoom = connect()
    body = zoom.create(topic="Intro call", start_time="2026-12-01T15:00:00Z").json()
    assert set(CREATE_FIELDS) <= set(body)
    assert isinstance(body["id"], int) and 10 <= len(str(body["id"])) <= 11
    assert re.fullmatch(r"[A-Za-z0-9+/]{22}==", body["uuid"])
    assert body["status"] == "waiting" and body["pre_schedule"] is False
    assert ZOOM_TIME.fullmatch(body["start_time"]) and ZOOM_TIME.fullmatch(body["created_at"])
    assert body["start_url"].startswith(f"{zoom.base_url}/s/{body['id']}?zak=")
    assert body["join_url"] == f"{zoom.base_url}/j/{body['id']}?pwd={body['encrypted_password']}"
    assert body["host_id"] == claims(zoom.tokens["access_token"])["userId"]
    assert body["host_email"] == "dana.whitfield@example.com"
    assert body["settings"]["approval_type"] == 2


def test_it_answers_get_with_a_body_valid_for_the_200_schema(connect):
    zoom = connect()
    meeting_id = zoom.create(topic="Intro call").json()["id"]
    response = zoom.get(meeting_id)
    assert response.status_code == 200
    validate(response.json(), "/meetings/{meetingId}", "get", "200")


@pytest.mark.parametrize(
    "body",
    [
        {"type": 1},
        {"type": 3, "recurrence": {"type": 1, "repeat_interval": 2}},
        {
            "type": 8,
            "start_time": "2026-12-01T09:00:00",
            "timezone": "America/Chicago",
            "recurrence": {"type": 2, "weekly_days": "4", "end_times": 6},
            "tracking_fields": [{"field": "source", "value": "booking"}],
            "settings": {"waiting_room": True, "jbh_time": 5, "audio": "both"},
        },
    ],
    ids=["instant", "recurring-no-fixed-time", "recurring-fixed-time"],
)
def test_it_keeps_every_meeting_type_valid_for_the_schemas(connect, body):
    zoom = connect()
    created = zoom.create(**body)
    assert created.status_code == 201, created.text
    validate(created.json(), "/users/{userId}/meetings", "post", "201")
    validate(zoom.get(created.json()["id"]).json(), "/meetings/{meetingId}", "get", "200")


def test_it_answers_list_with_a_body_valid_for_the_200_schema(connect):
    zoom = connect()
    for hour in range(3):
        zoom.create(
            topic=f"Call {hour}", start_time=f"2026-12-01T1{hour}:00:00Z", agenda="x" * 300
        )
    response = zoom.api.get("/users/me/meetings", params={"page_size": 2})
    assert response.status_code == 200
    validate(response.json(), "/users/{userId}/meetings", "get", "200")
    assert set(response.json()["meetings"][0]) == {
        "uuid",
        "id",
        "host_id",
        "topic",
        "type",
        "start_time",
        "duration",
        "timezone",
        "agenda",
        "created_at",
        "join_url",
    }
    assert len(response.json()["meetings"][0]["agenda"]) == 250


def test_it_would_notice_a_string_id(connect):
    """The check above can fail: Zoom's schema rejects what a careless sandbox might send."""
    body = connect().create(topic="Intro call").json()
    body["id"] = str(body["id"])
    with pytest.raises(jsonschema.ValidationError):
        validate(body, "/users/{userId}/meetings", "post", "201")
