from django.urls import URLPattern, URLResolver, get_resolver

from accounts.testing import BaseTestCase

# Pages anyone may see, and endpoints that authenticate by other means.
PUBLIC = {
    "landing",
    "zoom_docs",
    "support",
    "privacy",
    "terms",
    "healthz",
    "signup",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "zoom_webhook",  # Signed by Zoom.
}


def named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from named_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, prefix + str(entry.pattern)


class AccessTestCase(BaseTestCase):
    def test_every_private_page_sends_anonymous_visitors_to_login(self):
        checked = 0
        for name, route in named_patterns():
            if name in PUBLIC or name.startswith("public_") or "<" in route:
                continue
            with self.subTest(page=name):
                path = "/" + route
                response = self.client.get(path)
                if response.status_code == 405:  # POST-only actions.
                    response = self.client.post(path)
                self.assertEqual(response.status_code, 302, path)
                self.assertTrue(response["Location"].startswith("/login/?next="), path)
                checked += 1
        self.assertGreater(checked, 5)

    def test_the_workspace_shows_only_the_signed_in_hosts_things(self):
        self.client.force_login(self.bob)
        response = self.client.get("/workspace/")
        self.assertContains(response, self.bob.workspace.name)
        self.assertNotContains(response, self.alice.workspace.name)
