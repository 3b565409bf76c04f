"""
Scenario 10: the product's HTTP hardening, with production settings (DEBUG off, https).

The settings module is read at start-up, so production mode runs in a child process that
requests pages through Django's test client and reports headers and cookies as JSON.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import json
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
client = Client(SERVER_NAME="vrtual.ly")
pages = {}
for path in ("/", "/login/", "/signup/", "/docs/zoom", "/healthz", "/no/such/page/"):
    response = client.get(path, secure=True)
    pages[path] = {"status": response.status_code, "headers": dict(response.headers),
                   "cookies": {name: dict(morsel) | {"value": ""} for name, morsel
                               in response.cookies.items()}}
plain = client.get("/login/", secure=False)
pages["http"] = {"status": plain.status_code, "location": plain.headers.get("Location", "")}
page = client.get("/login/", secure=True)
from axes.models import AccessAttempt
from accounts.services import user_signup
user_signup(name="Probe", email="probe@example.org", password="a-long-probe-pass")
before = client.cookies.get("sessionid")
logged_in = client.post("/login/", {"username": "probe@example.org",
                                     "password": "a-long-probe-pass"}, secure=True)
session = logged_in.cookies.get("sessionid")
pages["login"] = {"status": logged_in.status_code,
                  "session_cookie": dict(session) if session else {}}
print(json.dumps(pages))
"""


class WebHardeningTestCase(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with tempfile.TemporaryDirectory() as directory:
            env = {
                "PATH": os.environ.get("PATH", ""),
                "DEBUG": "0",
                "SECRET_KEY": "h" * 60,
                "BASE_URL": "https://vrtual.ly",
                "ALLOWED_HOSTS": "vrtual.ly",
                "DATABASE_URL": f"sqlite:///{directory}/probe.sqlite3",
                "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                "ZOOM_CLIENT_SECRET": "probe-client-secret",
                "ZOOM_WEBHOOK_SECRET": "probe-webhook-secret",
                "STATIC_ROOT": directory,
            }
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=120,
            )
            result = subprocess.run(  # noqa: S603
                [sys.executable, "manage.py", "shell", "--no-imports", "-c", PROBE],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
        assert result.returncode == 0, result.stderr
        cls.pages = json.loads(result.stdout.strip().splitlines()[-1])

    def test_every_response_carries_the_security_headers(self):
        for path in ("/", "/login/", "/signup/", "/docs/zoom", "/healthz", "/no/such/page/"):
            with self.subTest(path=path):
                headers = {k.lower(): v for k, v in self.pages[path]["headers"].items()}
                self.assertEqual(
                    headers["strict-transport-security"],
                    "max-age=63072000; includeSubDomains; preload",
                )
                self.assertEqual(headers["x-frame-options"], "DENY")
                self.assertEqual(headers["referrer-policy"], "same-origin")
                self.assertEqual(headers["x-content-type-options"], "nosniff")
                self.assertEqual(headers["cross-origin-opener-policy"], "same-origin")
                policy = dict(
                    part.strip().split(" ", 1)
                    for part in headers["content-security-policy"].split(";")
                )
                self.assertEqual(policy["script-src"], "'self'")
                self.assertNotIn("unsafe", headers["content-security-policy"])
                self.assertEqual(policy["frame-ancestors"], "'none'")
        self.assertEqual(self.pages["/no/such/page/"]["status"], 404)

    def test_plain_http_is_sent_to_https(self):
        self.assertEqual(self.pages["http"]["status"], 301)
        self.assertEqual(self.pages["http"]["location"], "https://vrtual.ly/login/")

    def test_cookies_are_secure_http_only_and_same_site_lax(self):
        csrf = self.pages["/login/"]["cookies"]["csrftoken"]
        self.assertTrue(csrf["secure"])
        self.assertTrue(csrf["httponly"])
        self.assertEqual(csrf["samesite"], "Lax")
        session = self.pages["login"]["session_cookie"]
        self.assertEqual(self.pages["login"]["status"], 302)
        self.assertTrue(session["secure"])
        self.assertTrue(session["httponly"])
        # Lax, not Strict: Zoom's redirect back to the OAuth callback must carry the session.
        self.assertEqual(session["samesite"], "Lax")
