from django.core import mail

from accounts.models import User, Workspace
from accounts.testing import BaseTestCase


class SignupTestCase(BaseTestCase):
    def post(self, **overrides):
        data = {
            "name": "Dora Diaz",
            "email": "Dora@Example.org",
            "password": "a-long-and-unusual-password",
            "time_zone": "Asia/Tokyo",
        }
        data.update(overrides)
        return self.client.post("/signup/", data)

    def test_it_creates_the_user_and_their_workspace(self):
        response = self.post()
        self.assertRedirects(response, "/workspace/")
        user = User.objects.get(email="dora@example.org")
        self.assertEqual(user.name, "Dora Diaz")
        self.assertEqual(user.time_zone, "Asia/Tokyo")
        self.assertEqual(user.workspace.name, "Dora Diaz")
        self.assertEqual(user.workspace.slug, "dora-diaz")
        # Signed in straight away.
        self.assertContains(self.client.get("/workspace/"), "Dora Diaz")
        self.assertEqual(len(mail.outbox), 0)

    def test_it_gives_each_workspace_its_own_address(self):
        self.post()
        self.client.logout()
        self.post(email="other@example.org")
        slugs = list(Workspace.objects.filter(name="Dora Diaz").values_list("slug", flat=True))
        self.assertEqual(len(set(slugs)), 2)

    def test_it_refuses_an_email_already_used(self):
        response = self.post(email="ALICE@example.org")
        self.assertContains(response, "already exists")
        self.assertEqual(User.objects.filter(email="alice@example.org").count(), 1)

    def test_it_keeps_the_input_and_explains_a_weak_password(self):
        response = self.post(password="dora")
        self.assertContains(response, "too short")
        self.assertContains(response, 'value="Dora Diaz"')
        self.assertFalse(User.objects.filter(email="dora@example.org").exists())

    def test_it_refuses_an_unknown_time_zone(self):
        response = self.post(time_zone="Mars/Olympus_Mons")
        self.assertContains(response, "Select a valid choice")
        self.assertFalse(User.objects.filter(email="dora@example.org").exists())

    def test_it_refuses_an_address_that_is_not_an_email(self):
        response = self.post(email="not-an-email")
        self.assertContains(response, "Enter a valid email address")
