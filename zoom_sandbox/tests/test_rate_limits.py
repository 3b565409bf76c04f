"""Rate limits (CONTRACT §3.6): per-second by category and account, daily per host."""

import re
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

QPS = "You have reached the maximum per-second rate limit for this API. Try again later."
DAILY = (
    "You have exceeded the daily rate limit (3) of Meeting Create/Update API requests permitted "
    "for this particular user. You may resume these requests at GMT 00:00:00."
)


def next_midnight(control):
    now = datetime.fromisoformat(control.clock()["now"])
    return datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)


def test_it_limits_light_calls_per_second_per_account(connect, control):
    control.limits(light_per_second=3)
    dana = connect(user="dana.whitfield@example.com")
    sam = connect(user="sam.okafor@example.com")
    meeting_id = dana.create().json()["id"]
    answers = [
        dana.get(meeting_id),
        dana.get(meeting_id),
        sam.get(meeting_id),
        dana.get(meeting_id),
    ]
    assert [a.status_code for a in answers] == [200, 200, 404, 429]
    limited = answers[-1]
    assert limited.json() == {"code": 429, "message": QPS}
    assert limited.headers["X-RateLimit-Category"] == "Light"
    assert limited.headers["X-RateLimit-Type"] == "QPS"
    assert limited.headers["X-RateLimit-Limit"] == "3"
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert "Retry-After" not in limited.headers


def test_it_counts_other_accounts_separately(connect, control):
    control.limits(medium_per_second=2)
    dana = connect(user="dana.whitfield@example.com")
    priya = connect(user="priya.raman@example.org")
    assert [dana.create().status_code for _ in range(3)] == [201, 201, 429]
    assert priya.create().status_code == 201
    assert dana.create().headers["X-RateLimit-Category"] == "Medium"


def test_it_frees_the_per_second_budget_after_a_second(connect, control):
    control.limits(medium_per_second=1)
    zoom = connect()
    assert zoom.create().status_code == 201
    assert zoom.create().status_code == 429
    control.advance_clock(1.01)
    assert zoom.create().status_code == 201


def test_it_limits_creates_and_updates_per_host_per_day(connect, control):
    control.limits(daily_create_update=3)
    zoom = connect()
    meeting_id = zoom.create().json()["id"]
    zoom.create()
    assert zoom.api.patch(f"/meetings/{meeting_id}", json={"topic": "x"}).status_code == 204
    limited = zoom.create()
    assert (limited.status_code, limited.json()) == (429, {"code": 429, "message": DAILY})
    assert limited.headers["X-RateLimit-Type"] == "Daily-limit"
    assert limited.headers["X-RateLimit-Limit"] == "3"
    assert limited.headers["Retry-After"] == next_midnight(control).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert zoom.api.patch(f"/meetings/{meeting_id}", json={"topic": "y"}).status_code == 429
    assert zoom.get(meeting_id).status_code == 200


def test_it_resets_the_daily_limit_at_midnight_utc(connect, control):
    control.limits(daily_create_update=1)
    zoom = connect()
    assert zoom.create().status_code == 201
    assert zoom.create().status_code == 429
    now = datetime.fromisoformat(control.clock()["now"])
    control.advance_clock((next_midnight(control) - now).total_seconds() + 1)
    assert connect().create().status_code == 201  # a new token: the old one has expired


@pytest.mark.parametrize("form", ["iso", "seconds", "http-date", "none"])
def test_it_sends_retry_after_in_the_chosen_form(connect, control, form):
    control.limits(daily_create_update=1, retry_after=form)
    zoom = connect()
    zoom.create()
    limited = zoom.create()
    assert limited.status_code == 429
    midnight = next_midnight(control)
    value = limited.headers.get("Retry-After")
    if form == "iso":
        assert value == midnight.strftime("%Y-%m-%dT%H:%M:%SZ")
    elif form == "seconds":
        assert re.fullmatch(r"\d+", value)
        now = datetime.fromisoformat(control.clock()["now"])
        assert abs(int(value) - (midnight - now).total_seconds()) < 5
    elif form == "http-date":
        assert parsedate_to_datetime(value) == midnight
        assert value.endswith(" GMT")
    else:
        assert value is None


def test_it_can_send_retry_after_on_per_second_limits_too(connect, control):
    control.limits(light_per_second=1, qps_retry_after="seconds")
    zoom = connect()
    zoom.api.get("/meetings/1")
    assert zoom.api.get("/meetings/1").headers["Retry-After"] == "1"


def test_it_limits_updates_of_one_meeting_per_24_hours(connect, control):
    control.limits(updates_per_meeting=2)
    zoom = connect()
    meeting_id = zoom.create().json()["id"]
    patch = lambda: zoom.api.patch(f"/meetings/{meeting_id}", json={"topic": "x"})  # noqa: E731
    assert [patch().status_code for _ in range(3)] == [204, 204, 429]
    control.advance_clock(86400)
    zoom = connect()
    assert zoom.api.patch(f"/meetings/{meeting_id}", json={"topic": "y"}).status_code == 204


def test_it_can_switch_limits_off(connect, control):
    control.limits(plan="off")
    zoom = connect()
    assert all(zoom.api.get("/users/me/meetings").status_code == 200 for _ in range(40))
    assert control.limits(plan="free")["light_per_second"] == 4


def test_it_rejects_nonsense_limit_settings(control):
    for change in ({"plan": "gold"}, {"light_per_second": 0}, {"retry_after": "later"}, {"x": 1}):
        with pytest.raises(RuntimeError, match="400"):
            control.limits(**change)
