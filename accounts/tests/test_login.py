from datetime import timedelta

from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone

from accounts.testing import PASSWORD, BaseTestCase


@override_settings(AXES_FAILURE_LIMIT=3)
class LoginTestCase(BaseTestCase):
    def login(self, email="alice@example.org", password=PASSWORD, ip="10.0.0.1"):
        return self.client.post(
            "/login/", {"username": email, "password": password}, REMOTE_ADDR=ip
        )

    def test_it_logs_in_with_any_letter_case(self):
        response = self.login(email="Alice@Example.org")
        self.assertRedirects(response, "/workspace/")

    def test_it_rotates_the_session_at_login(self):
        self.client.get("/login/")
        self.client.session.save()
        before = self.client.session.session_key
        self.login()
        self.assertNotEqual(self.client.session.session_key, before)

    def test_it_says_when_the_password_is_wrong(self):
        response = self.login(password="wrong")
        self.assertContains(response, "enter a correct email and password")

    def test_it_throttles_an_account_and_says_when_to_try_again(self):
        for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
            self.login(password="wrong", ip=ip)
        # From yet another address, even the right password is refused for now.
        response = self.login(ip="10.0.0.4")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "try again in 15 minutes", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # Other accounts are unaffected.
        self.assertRedirects(self.login(email="bob@example.org", ip="10.0.0.5"), "/workspace/")

    def test_it_throttles_an_address_trying_many_accounts(self):
        for email in ("alice@example.org", "bob@example.org", "charlie@example.org"):
            self.login(email=email, password="wrong", ip="10.9.9.9")
        response = self.login(email="alice@example.org", ip="10.9.9.9")
        self.assertEqual(response.status_code, 429)

    def test_it_releases_the_throttle_after_the_cool_off(self):
        for _ in range(3):
            self.login(password="wrong")
        self.assertEqual(self.login().status_code, 429)
        AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
        self.assertRedirects(self.login(), "/workspace/")

    def test_it_logs_out_with_a_post(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/logout/").status_code, 405)
        self.assertRedirects(self.client.post("/logout/"), "/")
        self.assertNotIn("_auth_user_id", self.client.session)
