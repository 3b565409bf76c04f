"""`python -m zoom_sandbox` starts, reports its port and serves the consent page."""

import os
import subprocess
import sys
from pathlib import Path

import httpx

from zoom_sandbox.testing import SandboxProcess

ROOT = str(Path(__file__).resolve().parents[2])
ENV = {
    "PYTHONPATH": ROOT,
    "ZOOM_SANDBOX_CLIENT_ID": "cli-client",
    "ZOOM_SANDBOX_CLIENT_SECRET": "cli-secret",
    "ZOOM_SANDBOX_REDIRECT_URIS": "http://127.0.0.1:8000/integrations/zoom/callback",
    "ZOOM_SANDBOX_APP_NAME": "CLI app",
}


def test_it_runs_as_a_module_on_a_free_port():
    with SandboxProcess(ENV) as process:
        page = httpx.get(
            f"{process.base_url}/oauth/authorize",
            params={
                "response_type": "code",
                "client_id": "cli-client",
                "redirect_uri": "http://127.0.0.1:8000/integrations/zoom/callback",
            },
        )
        assert page.status_code == 200 and "CLI app" in page.text


def test_it_exits_with_a_message_on_bad_configuration():
    result = subprocess.run(
        [sys.executable, "-m", "zoom_sandbox", "--port", "0"],
        env={**os.environ, **ENV, "ZOOM_SANDBOX_ACCESS_TOKEN_TTL": "soon"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "ZOOM_SANDBOX_ACCESS_TOKEN_TTL" in result.stderr
