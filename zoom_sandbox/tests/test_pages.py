"""Pages a person sees: the consent page, start and join links."""

import re

import httpx

from .conftest import REDIRECT_URI, http


def consent_page(base_url):
    return http.get(
        f"{base_url}/oauth/authorize",
        params={"response_type": "code", "client_id": "test-client", "redirect_uri": REDIRECT_URI},
    )


def test_it_labels_every_field_of_the_consent_form(base_url):
    page = consent_page(base_url)
    html = page.text
    assert '<html lang="en">' in html
    assert "<legend>Signed in as</legend>" in html
    assert html.count('type="radio"') == 4  # three seeded users and "another email"
    assert '<label class="field" for="email">' in html and 'id="email"' in html
    for name in ("Dana Whitfield", "Sam Okafor", "Priya Raman"):
        assert name in html
    assert re.search(r'<button type="submit" name="decision" value="allow"[^>]*>Allow', html)
    assert re.search(r'<button type="submit" name="decision" value="decline"[^>]*>Decline', html)
    assert "https://" not in html.split("<body>")[0]  # no CDN


def test_it_uses_cookie_names_of_its_own(base_url):
    with httpx.Client() as browser:  # a browser without cookies yet
        cookies = browser.get(
            f"{base_url}/oauth/authorize",
            params={"client_id": "test-client", "redirect_uri": REDIRECT_URI},
        ).headers.get_list("set-cookie")
    assert cookies and all(c.startswith("zm_sandbox_") for c in cookies)


def test_it_escapes_what_the_app_sends(base_url):
    page = http.get(
        f"{base_url}/oauth/authorize",
        params={"client_id": "test-client", "redirect_uri": REDIRECT_URI, "state": '"><script>'},
    )
    assert "<script>" not in page.text and "&quot;&gt;&lt;script&gt;" in page.text


def test_it_starts_a_meeting_from_a_fresh_start_url(connect):
    zoom = connect()
    created = zoom.create(topic="Coaching session").json()
    page = http.get(created["start_url"])
    assert page.status_code == 200 and "You started meeting Coaching session as host" in page.text


def test_it_expires_start_urls_after_two_hours(connect, control):
    zoom = connect()
    created = zoom.create(topic="Coaching session").json()
    control.advance_clock(2 * 3600)
    assert http.get(created["start_url"]).status_code == 410
    fresh = connect().get(created["id"]).json()["start_url"]
    assert fresh != created["start_url"]
    assert http.get(fresh).status_code == 200


def test_it_refuses_an_altered_start_url(connect):
    created = connect().create().json()
    assert http.get(created["start_url"][:-2] + "xx").status_code == 403
    assert http.get(f"{created['start_url'].split('?')[0]}").status_code == 403


def test_it_joins_with_the_link_and_refuses_a_wrong_passcode(connect):
    created = connect().create(topic="Group class").json()
    page = http.get(created["join_url"])
    assert page.status_code == 200 and "Waiting for the host" in page.text
    wrong = http.get(created["join_url"].split("?")[0], params={"pwd": "nope"})
    assert wrong.status_code == 403 and "Wrong passcode" in wrong.text
    typed = http.get(created["join_url"].split("?")[0], params={"passcode": created["password"]})
    assert typed.status_code == 200


def test_it_shows_deleted_meetings_as_missing(connect):
    zoom = connect()
    created = zoom.create().json()
    zoom.api.delete(f"/meetings/{created['id']}")
    assert http.get(created["join_url"]).status_code == 404
    assert http.get(created["start_url"]).status_code == 404


def test_it_lists_installed_apps_per_user(connect, base_url):
    connect(user="sam.okafor@example.com")
    sam = http.get(
        f"{base_url}/marketplace/manage/installed-apps",
        params={"user_id": "sam.okafor@example.com"},
    )
    assert "vrtual.ly" in sam.text and "Remove" in sam.text
    dana = http.get(f"{base_url}/marketplace/manage/installed-apps")
    assert "No apps are installed" in dana.text
    assert http.get(f"{base_url}/").headers["location"] == "/marketplace/manage/installed-apps"


def test_it_refuses_non_ascii_secrets_without_failing(connect, base_url):
    created = connect().create().json()
    assert (
        http.get(created["join_url"].split("?")[0], params={"pwd": "pässwörd"}).status_code == 403
    )
    assert (
        http.get(created["start_url"].split("?")[0], params={"zak": "ünïcode"}).status_code == 403
    )
    response = http.post(f"{base_url}/oauth/authorize", data={"csrf": "çsrf"})
    assert response.status_code == 403
