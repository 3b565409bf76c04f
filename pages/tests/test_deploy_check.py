import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]


class DeployCheckTestCase(SimpleTestCase):
    def test_production_settings_pass_the_deploy_check_without_warnings(self):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "DEBUG": "0",
            "SECRET_KEY": "p" * 20 + "roduction-secret-" + "k" * 30,
            "BASE_URL": "https://vrtual.ly",
            "ALLOWED_HOSTS": "vrtual.ly",
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "ZOOM_CLIENT_SECRET": "a-real-client-secret",
            "ZOOM_WEBHOOK_SECRET": "a-real-webhook-secret",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_production_refuses_to_start_without_its_secrets(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", ""), "DEBUG": "0"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Set SECRET_KEY when DEBUG is off", result.stderr)
