import contextlib

from integrations.zoom import client, tokens
from integrations.zoom.testing import ZoomTestCase


class ActivityLogTestCase(ZoomTestCase):
    def test_the_zoom_page_lists_every_call_and_its_cause(self):
        self.connect()
        self.zoom.control.fault("meetings.list", "5xx", count=1, status=502)
        workspace_id = self.alice.workspace.pk
        for _ in range(2):
            with contextlib.suppress(client.TransientError):
                tokens.call(
                    workspace_id,
                    "meeting.find",
                    "Booking VR-TEST01 confirmed by Alice Adams",
                    lambda token: client.list_upcoming_meetings(token),
                )
        response = self.client.get("/integrations/zoom/")
        self.assertContains(response, "Zoom activity log")
        self.assertContains(response, "Connect Zoom account")
        self.assertContains(response, "Zoom connected by Alice Adams")
        self.assertContains(response, "Booking VR-TEST01 confirmed by Alice Adams", count=2)
        self.assertContains(response, "Succeeded", count=2)
        self.assertContains(response, "Failed")

    def test_a_host_sees_only_their_own_log(self):
        self.connect()
        self.client.force_login(self.bob)
        response = self.client.get("/integrations/zoom/")
        self.assertContains(response, "No Zoom calls yet")
        self.assertNotContains(response, "Alice")
