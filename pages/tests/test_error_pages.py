from unittest import mock

from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import Client, TestCase

from pages import views


class ErrorPagesTestCase(TestCase):
    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def test_a_lost_database_gets_a_503_that_says_to_try_again(self):
        self.client.cookies["sessionid"] = "x" * 32
        with mock.patch(
            "django.contrib.sessions.backends.db.SessionStore.load",
            side_effect=OperationalError("server closed the connection unexpectedly"),
        ):
            response = self.client.get("/workspace/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "5")
        self.assertContains(response, "back in a moment", status_code=503)
        self.assertNotContains(response, "server closed", status_code=503)

    def test_a_bug_gets_the_products_500_page_without_details(self):
        real_render = views.render

        def render(request, template, *args, **kwargs):
            if template == "pages/terms.html":
                raise RuntimeError("secret detail of a bug")
            return real_render(request, template, *args, **kwargs)

        with mock.patch.object(views, "render", render):
            response = self.client.get("/terms")
        self.assertContains(response, "Something went wrong on our side", status_code=500)
        self.assertNotContains(response, "secret detail", status_code=500)

    def test_a_form_sent_without_its_csrf_token_gets_a_page_that_says_what_to_do(self):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/login/", {"username": "a@example.com", "password": "x"})
        self.assertContains(response, "Please try that again", status_code=403)
        self.assertContains(response, "nothing was saved", status_code=403)
        self.assertNotContains(response, "CSRF verification failed", status_code=403)

    def test_a_request_for_an_unknown_host_gets_the_products_400(self):
        response = self.client.get("/", HTTP_HOST="attacker.example")
        self.assertContains(response, "We couldn’t make sense of that request", status_code=400)

    def test_a_refused_page_gets_the_products_403(self):
        def render(request, template, *args, **kwargs):
            raise PermissionDenied

        with mock.patch.object(views, "render", render):
            response = self.client.get("/terms")
        self.assertContains(response, "This page isn’t yours to open", status_code=403)
        self.assertContains(response, 'href="/login/"', status_code=403)
