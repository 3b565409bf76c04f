from accounts.testing import BaseTestCase


class AccountSettingsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.client.force_login(self.alice)

    def test_it_saves_name_email_and_time_zone(self):
        response = self.client.post(
            "/account/",
            {"name": "Alice A.", "email": "ALICE.NEW@example.org", "time_zone": "Asia/Kolkata"},
        )
        self.assertRedirects(response, "/account/")
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice.new@example.org")
        self.assertEqual(self.alice.time_zone, "Asia/Kolkata")

    def test_it_refuses_another_accounts_email(self):
        response = self.client.post(
            "/account/", {"name": "Alice", "email": "bob@example.org", "time_zone": "UTC"}
        )
        self.assertContains(response, "Another account already uses this email")

    def test_it_renames_the_workspace_and_its_address(self):
        response = self.client.post(
            "/workspace/settings/", {"name": "Adams Coaching", "slug": "adams"}
        )
        self.assertRedirects(response, "/workspace/settings/")
        self.alice.workspace.refresh_from_db()
        self.assertEqual(self.alice.workspace.slug, "adams")

    def test_it_refuses_an_address_taken_or_reserved(self):
        for slug, message in (
            (self.bob.workspace.slug, "already exists"),
            ("workspace", "reserved"),
            ("docs", "reserved"),
            ("healthz", "reserved"),
            ("Not A Slug!", "Enter a valid"),
        ):
            with self.subTest(slug=slug):
                response = self.client.post(
                    "/workspace/settings/", {"name": "Alice", "slug": slug}
                )
                self.assertContains(response, message)
        self.alice.workspace.refresh_from_db()
        self.assertEqual(self.alice.workspace.slug, "alice-adams")
