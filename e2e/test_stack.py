"""The harness itself: it runs the product as production does, and cleans up after itself."""

import os
import re
import secrets
import signal
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from e2e.stack import Stack, StackError
from zoom_sandbox.testing import authorize

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def post_form(client, path, data):
    """Submit a form as a browser would: with the CSRF token of the page that shows it."""
    token = CSRF.search(client.get(path).text).group(1)
    return client.post(path, data={"csrfmiddlewaretoken": token, **data})


def sign_up(client):
    email = f"host-{secrets.token_hex(4)}@example.com"
    answer = post_form(
        client,
        "/signup/",
        {
            "name": "Robin Park",
            "email": email,
            "password": "a-long-pass-phrase",
            "time_zone": "UTC",
        },
    )
    assert answer.status_code == 302, answer.text
    return email


def running(pid):
    """Whether ``pid`` is a live process (an exited one not yet reaped is a zombie: "Z")."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_it_serves_the_product_with_collected_static_files(stack):
    assert stack.url.startswith("http://localhost:")
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    assert stack.engine == ("postgresql" if on_postgres else "sqlite")
    assert stack.sandbox_url.startswith("http://127.0.0.1:")
    page = httpx.get(stack.url + "/")
    assert page.status_code == 200
    assert "vrtual.ly" in page.text
    # DEBUG=0: the page links the hashed name from collectstatic's manifest, served by WhiteNoise.
    css = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', page.text).group(1)
    assert httpx.get(stack.url + css).status_code == 200
    assert "Zoom sandbox listening" in stack.logs("zoom")
    assert "GET / HTTP/1.1" in stack.logs("web")


def test_product_and_sandbox_share_their_zoom_app(stack):
    """Set Up → the sandbox's consent page → back: the two sides were configured as one."""
    with httpx.Client(base_url=stack.url) as client:
        sign_up(client)
        token = CSRF.search(client.get("/integrations/").text).group(1)
        answer = client.post("/integrations/zoom/connect", data={"csrfmiddlewaretoken": token})
        consent = urlsplit(answer.headers["location"])
        assert f"{consent.scheme}://{consent.netloc}" == stack.sandbox_url
        query = {key: values[0] for key, values in parse_qs(consent.query).items()}
        assert query["client_id"] == stack.zoom_client_id
        assert query["redirect_uri"] == stack.url + "/integrations/zoom/callback"
        back = authorize(
            stack.sandbox_url,
            query["client_id"],
            query["redirect_uri"],
            state=query["state"],
            code_challenge=query["code_challenge"],
            scope=query["scope"],
            user="sam.okafor@example.com",
        )
        integrations = client.get(back, follow_redirects=True)
    assert "Zoom is connected" in integrations.text
    assert "sam.okafor@example.com" in [g["email"] for g in stack.control.grants()]


def test_workers_send_email_to_the_outbox_and_manage_sees_the_same_database(stack):
    with httpx.Client(base_url=stack.url) as client:
        email = sign_up(client)
        client.cookies.clear()
        answer = post_form(client, "/password-reset/", {"email": email})
    assert answer.status_code == 302
    [message] = wait_until(lambda: [m for m in stack.outbox() if m["To"] == email])
    assert "password" in message["Subject"].lower()
    assert stack.url in message.get_body(("plain",)).get_content()
    count = stack.manage(
        "shell",
        "-v",
        "0",
        "-c",
        f"from accounts.models import User; print(User.objects.filter(email={email!r}).count())",
    )
    assert count.stdout.strip() == "1"


@pytest.fixture
def revive(stack):
    """Whatever a test leaves dead is started again: later tests share this stack."""
    yield
    dead = [name for name in stack.names() if name not in stack.pids()]
    for name in dead:
        stack.restart(name)


def test_processes_can_be_killed_and_restarted(stack, revive):
    pids = stack.pids()
    assert set(pids) == {"web", "worker.1", "worker.2", "zoom"}
    assert set(stack.pids("worker")) == {"worker.1", "worker.2"}
    assert len(stack.web_worker_pids()) == 2

    # A web worker killed mid-flight is replaced by gunicorn's master.
    victim = stack.web_worker_pids()[0]
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: victim not in stack.web_worker_pids() and len(stack.web_worker_pids()) == 2)

    assert stack.kill("worker.1", signal.SIGKILL) == {"worker.1": -signal.SIGKILL}
    assert "worker.1" not in stack.pids()
    stack.restart("worker.1")
    assert stack.pids()["worker.1"] != pids["worker.1"]

    web_workers = stack.web_worker_pids()
    stack.kill("web", signal.SIGKILL)
    # The whole group went down, as on a crashed machine.
    assert not [pid for pid in web_workers if running(pid)]
    with pytest.raises(httpx.ConnectError):
        httpx.get(stack.url + "/healthz")  # refused, as by a crashed server
    stack.restart("web")
    assert httpx.get(stack.url + "/healthz").status_code == 200

    # The sandbox comes back on the same address with its state.
    grants = stack.control.grants()
    stack.restart("zoom")
    assert stack.control.grants() == grants
    assert "Zoom sandbox listening" in stack.processes["zoom"].log()

    with pytest.raises(StackError):
        stack.kill("scheduler")


def test_options_reach_the_processes_and_stop_leaves_nothing_behind():
    stack = Stack.from_env(
        web_workers=1,
        task_workers=1,
        sandbox={"rate_limit_plan": "free", "access_token_ttl": 120},
        env={"ZOOM_INLINE_TIMEOUT": "3"},
    ).start()
    pids = [*stack.pids().values(), *stack.web_worker_pids()]
    assert len(pids) == 4  # gunicorn's master and its one worker, the task worker, the sandbox
    assert stack.control.limits()["light_per_second"] == 4  # Zoom's free plan
    web = stack.pids()["web"]
    environ = Path(f"/proc/{web}/environ").read_bytes().split(b"\0")
    assert b"ZOOM_INLINE_TIMEOUT=3" in environ
    assert b"DEBUG=0" in environ
    # The Procfile's command, with the stack's sizes in place of its own.
    argv = Path(f"/proc/{web}/cmdline").read_bytes().split(b"\0")
    assert b"--forwarded-allow-ips" in argv
    assert argv[argv.index(b"--workers") + 1] == b"1"

    directory, database = stack.directory, stack._created_database
    started = time.monotonic()
    stack.stop()
    assert time.monotonic() - started < 10
    assert not [pid for pid in pids if running(pid)]
    assert not directory.exists()
    if database:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
            names = connection.execute("SELECT datname FROM pg_database").fetchall()
        assert (database,) not in names


def test_a_failed_start_says_why_and_cleans_up():
    stack = Stack(sandbox={"rate_limit_plan": "no-such-plan"})
    with pytest.raises(StackError, match="unknown rate-limit plan"):
        stack.start()
    assert not stack.directory.exists()
    assert stack.pids() == {}
