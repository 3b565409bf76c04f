"""What host and invitee see of the meeting: link, details read from Zoom, the start link."""

import base64
import json
import time
from urllib.parse import parse_qs, urlsplit

import httpx
from django.core import mail

from accounts.testing import run_tasks
from bookings.tests.meeting_base import MeetingTestCase
from integrations.models import Activity


class DisplayTestCase(MeetingTestCase):
    def setUp(self):
        super().setUp()
        self.booking = self.request()
        self.confirm(self.booking)
        self.meeting_row = self.meeting(self.booking)
        self.zoom.control.clear_requests()

    def test_start_meeting_fetches_a_fresh_host_link_every_time(self):
        url = f"/workspace/bookings/{self.booking.reference}/meeting/start/"
        first = self.client.post(url)
        second = self.client.post(url)
        for response in (first, second):
            self.assertEqual(response.status_code, 302)
            self.assertTrue(response["Location"].startswith(self.zoom.base_url + "/s/"))
        # Issued at the click, valid from now: not a link kept from the meeting's creation.
        zak = parse_qs(urlsplit(second["Location"]).query)["zak"][0]
        claims = json.loads(base64.urlsafe_b64decode(zak.split(".")[1] + "=="))
        self.assertLess(abs(claims["iat"] - time.time()), 5)
        self.assertEqual(
            [r["endpoint"] for r in self.api_requests()], ["meetings.get", "meetings.get"]
        )
        # The link works at Zoom: it starts the meeting as host.
        page = httpx.get(first["Location"])
        self.assertEqual(page.status_code, 200)
        self.assertIn("as host", page.text)
        self.assertIn("zak", parse_qs(urlsplit(first["Location"]).query))
        entry = Activity.objects.filter(operation="meeting.start_link").first()
        self.assertIn("clicked by Alice Adams", entry.cause)

    def test_the_start_link_is_never_stored_nor_shown(self):
        self.client.post(f"/workspace/bookings/{self.booking.reference}/meeting/start/")
        run_tasks()
        pages = [
            self.client.get(f"/workspace/bookings/{self.booking.reference}/"),
            self.client.get(f"/workspace/bookings/{self.booking.reference}/meeting/"),
            self.client.get(
                f"/workspace/bookings/{self.booking.reference}/meeting/details/",
                headers={"HX-Request": "true"},
            ),
        ]
        self.client.logout()
        pages += [
            self.client.get(f"/b/{self.booking.manage_token}/"),
            self.client.get(f"/b/{self.booking.manage_token}/meeting/"),
            self.client.get(f"/b/{self.booking.manage_token}/meeting/details/"),
        ]
        text = "".join(p.content.decode() for p in pages)
        text += "".join(m.message().as_string() for m in mail.outbox)
        self.assertNotIn("zak=", text)
        self.assertNotIn("/s/", text.replace("/static/", ""))

    def test_the_invitee_has_no_start_button(self):
        self.client.logout()
        response = self.client.get(f"/b/{self.booking.manage_token}/")
        self.assertContains(response, self.meeting_row.join_url)
        self.assertNotContains(response, "Start meeting")
        self.assertEqual(
            self.client.post(
                f"/workspace/bookings/{self.booking.reference}/meeting/start/"
            ).status_code,
            302,  # To the login page.
        )

    def test_details_are_read_from_zoom_for_display(self):
        response = self.client.get(
            f"/workspace/bookings/{self.booking.reference}/meeting/details/",
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "Intro call with Ivy Invitee")
        self.assertContains(response, "Passcode")
        self.assertEqual([r["endpoint"] for r in self.api_requests()], ["meetings.get"])
        # The same for the invitee, through their link.
        self.client.logout()
        response = self.client.get(f"/b/{self.booking.manage_token}/meeting/details/")
        self.assertContains(response, "Intro call with Ivy Invitee")
        self.assertContains(response, "Back to the booking")

    def test_details_degrade_gracefully_when_zoom_fails(self):
        self.zoom.control.fault("meetings.get", "5xx", count=1)
        response = self.client.get(
            f"/workspace/bookings/{self.booking.reference}/meeting/details/",
            headers={"HX-Request": "true"},
        )
        self.assertContains(response, "Zoom didn’t answer")

    def test_the_booking_page_itself_makes_no_zoom_call(self):
        self.client.get(f"/workspace/bookings/{self.booking.reference}/")
        self.client.get(f"/b/{self.booking.manage_token}/")
        self.assertEqual(self.api_requests(), [])

    def test_other_hosts_and_strangers_get_nothing(self):
        ref, token = self.booking.reference, self.booking.manage_token
        self.client.force_login(self.bob)
        for url in (
            f"/workspace/bookings/{ref}/meeting/",
            f"/workspace/bookings/{ref}/meeting/details/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404)
        for url in (
            f"/workspace/bookings/{ref}/meeting/start/",
            f"/workspace/bookings/{ref}/meeting/create/",
        ):
            self.assertEqual(self.client.post(url).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(f"/b/{token[:-2]}xx/meeting/").status_code, 404)
        self.assertEqual(self.api_requests(), [])

    def test_the_integrations_card_learns_the_zoom_account_email(self):
        response = self.client.get("/integrations/")
        self.assertContains(response, "dana.whitfield@example.com")
