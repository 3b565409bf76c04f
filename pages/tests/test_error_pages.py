from unittest import mock

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
