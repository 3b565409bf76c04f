import time

from django.test import override_settings

from integrations.models import Connection, Revocation
from integrations.zoom.testing import ZoomTestCase
from integrations.zoom.webhooks import signature

# Every column that can hold Zoom account data or secrets.
ZOOM_DATA = {
    Connection: [
        "external_user_id",
        "external_account_id",
        "account_label",
        "scopes",
        "access_token",
        "refresh_token",
    ],
    Revocation: ["external_user_id", "access_token", "refresh_token"],
}


class DataAfterRemovalTestCase(ZoomTestCase):
    def assert_no_zoom_data(self):
        for model, columns in ZOOM_DATA.items():
            for column in columns:
                values = [v for v in model.objects.values_list(column, flat=True) if v]
                self.assertEqual(values, [], f"{model.__name__}.{column} still holds data")

    def test_nothing_is_left_after_delete(self):
        self.connect()
        self.client.post("/integrations/zoom/disconnect")
        self.assert_no_zoom_data()

    @override_settings(ZOOM_WEBHOOK_SECRET="s3cret")
    def test_nothing_is_left_after_removal_in_zoom(self):
        self.connect()
        body = (
            b'{"event":"app_deauthorized","event_ts":1,"payload":{"account_id":"",'
            b'"user_id":"KDcuGIm1QgePTO8WbOqwIQ","deauthorization_time":"2099-01-01T00:00:00Z",'
            b'"user_data_retention":"false"}}'
        )
        now = int(time.time())
        self.client.generic(
            "POST",
            "/integrations/zoom/webhook",
            body,
            content_type="application/json",
            headers={
                "x-zm-request-timestamp": str(now),
                "x-zm-signature": signature("s3cret", now, body),
            },
        )
        self.assert_no_zoom_data()
