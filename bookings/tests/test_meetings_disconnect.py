"""After Zoom is disconnected: no new meetings, existing links kept, pending work stopped."""

from accounts.testing import run_tasks
from bookings.models import Meeting
from bookings.tests.meeting_base import MeetingTestCase


class DisconnectTestCase(MeetingTestCase):
    def test_existing_links_stay_and_the_page_says_zoom_is_disconnected(self):
        booking = self.request()
        self.confirm(booking)
        join_url = self.meeting(booking).join_url
        self.client.post("/integrations/zoom/disconnect")
        response = self.client.get(f"/workspace/bookings/{booking.reference}/")
        self.assertContains(response, join_url)
        self.assertContains(response, "Zoom is disconnected")
        self.client.logout()
        self.assertContains(self.client.get(f"/b/{booking.manage_token}/"), join_url)

    def test_no_zoom_call_happens_after_disconnect(self):
        confirmed = self.request()
        self.confirm(confirmed)
        self.client.post("/integrations/zoom/disconnect")
        mark = self.zoom.control.requests()[-1]["seq"]

        # A new confirmation, a reschedule and a cancel: none reaches Zoom.
        fresh = self.request(start=self.slot(days=2))
        self.confirm(fresh)
        self.client.post(f"/workspace/bookings/{confirmed.reference}/cancel/", {"reason": ""})
        run_tasks(include_deferred=True)
        self.assertEqual(self.zoom.control.requests(mark), [])
        self.assertEqual(self.meeting(fresh).problem, "not_connected")

    def test_pending_retries_stop(self):
        booking = self.request()
        self.zoom.control.fault("meetings.create", "5xx", count=1)
        self.confirm(booking)
        self.assertEqual(self.meeting(booking).state, Meeting.State.PENDING)
        self.client.post("/integrations/zoom/disconnect")
        meeting = self.meeting(booking)
        self.assertEqual((meeting.state, meeting.action), ("failed", ""))
        mark = self.zoom.control.requests()[-1]["seq"]
        run_tasks(include_deferred=True)
        self.assertEqual(self.zoom.control.requests(mark), [])
        response = self.client.get(f"/workspace/bookings/{booking.reference}/")
        self.assertContains(response, "No Zoom meeting: Zoom isn’t connected")

    def test_removal_in_zoom_stops_pending_work_too(self):
        booking = self.request()
        self.zoom.control.fault("meetings.create", "5xx", count=1)
        self.confirm(booking)
        self.assertEqual(self.zoom_removes_the_app().status_code, 200)
        self.assertEqual(self.meeting(booking).problem, "not_connected")
        mark = self.zoom.control.requests()[-1]["seq"]
        run_tasks(include_deferred=True)
        self.assertEqual(self.zoom.control.requests(mark), [])
