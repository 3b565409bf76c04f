"""The store is thread-safe: concurrent calls never share an id or lose a write."""

from concurrent.futures import ThreadPoolExecutor

import httpx

from .conftest import refresh


def test_it_gives_concurrent_creates_unique_ids(connect, control):
    control.limits(enabled=False)
    zoom = connect()
    headers = {"Authorization": f"Bearer {zoom.tokens['access_token']}"}

    def create(n):
        with httpx.Client(base_url=f"{zoom.base_url}/v2", headers=headers) as client:
            return [
                client.post("/users/me/meetings", json={"topic": f"{n}-{i}"}) for i in range(10)
            ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = [r for batch in pool.map(create, range(8)) for r in batch]
    assert {r.status_code for r in responses} == {201}
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == len(ids) == 80
    assert len({r.json()["uuid"] for r in responses}) == 80
    assert sorted(m["id"] for m in control.meetings()) == sorted(ids)


def test_it_rotates_a_refresh_token_only_once_under_a_race(connect, base_url, app):
    zoom = connect()
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(
            pool.map(lambda _: refresh(base_url, app, zoom.tokens["refresh_token"]), range(6))
        )
    assert sorted(a.status_code for a in answers) == [200] + [400] * 5
