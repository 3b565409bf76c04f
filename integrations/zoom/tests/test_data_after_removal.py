from integrations.models import Connection, Revocation
from integrations.zoom.testing import ZoomTestCase

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

    def test_nothing_is_left_after_removal_in_zoom(self):
        self.connect()
        self.assertEqual(self.zoom_removes_the_app().status_code, 200)
        self.assert_no_zoom_data()
