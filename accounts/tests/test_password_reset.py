import re

from django.core import mail

from accounts.testing import BaseTestCase, run_tasks


class PasswordResetTestCase(BaseTestCase):
    def test_it_emails_a_working_link_from_the_worker(self):
        response = self.client.post("/password-reset/", {"email": "alice@example.org"})
        self.assertRedirects(response, "/password-reset/sent/")
        # Sent by the background worker, not inside the request.
        self.assertEqual(len(mail.outbox), 0)
        run_tasks()
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["alice@example.org"])
        link = re.search(r"http://localhost:8000(/password-reset/\S+/)", message.body).group(1)

        # The link leads to a form (via Django's token-hiding redirect).
        response = self.client.get(link, follow=True)
        self.assertContains(response, "Choose a new password")
        response = self.client.post(
            response.redirect_chain[-1][0],
            {"new_password1": "brand-new-passphrase", "new_password2": "brand-new-passphrase"},
        )
        self.assertRedirects(response, "/password-reset/done/")
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("brand-new-passphrase"))

    def test_it_does_not_reveal_whether_an_account_exists(self):
        response = self.client.post("/password-reset/", {"email": "nobody@example.org"})
        self.assertRedirects(response, "/password-reset/sent/")
        run_tasks()
        self.assertEqual(len(mail.outbox), 0)

    def test_a_bad_link_says_so(self):
        response = self.client.get("/password-reset/MQ/bad-token/")
        self.assertContains(response, "This link no longer works")
