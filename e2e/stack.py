"""
vrtual.ly running as production runs it, for end-to-end tests, benchmarks and soak tests.

A ``Stack`` starts the processes of the ``Procfile`` — gunicorn serving ``vrtually.wsgi``,
``manage.py worker`` (as many as asked) and ``python -m zoom_sandbox`` — on free ports, with a
database, secrets, static files and an email outbox of their own, so that any number of stacks
(and the developer's ``make run``) can run side by side::

    from e2e.stack import Stack

    with Stack.from_env(web_workers=4, task_workers=2) as stack:   # PostgreSQL if DATABASE_URL
        httpx.get(stack.url + "/healthz")
        stack.control.latency(150)             # the sandbox's control API
        stack.kill("worker.1", signal.SIGKILL)
        stack.restart("worker")
        stack.outbox()                          # emails sent so far
        stack.logs("web")                       # everything gunicorn printed

The product is served at ``http://localhost:PORT`` and the sandbox at ``http://127.0.0.1:PORT``:
two hosts, so a browser keeps their cookies apart, as it does for vrtual.ly and zoom.us.

Process names are ``web`` (the gunicorn master; its workers are ``web_worker_pids()``),
``worker.1`` … ``worker.N`` and ``zoom``. A *role* (``web``, ``worker``, ``zoom``) stands for all
the processes of that kind. Each process runs in a process group of its own and writes its output
to ``<directory>/logs/<name>.log``; ``stop()`` (or leaving the ``with`` block, or the interpreter
exiting) ends every group, and on Linux the processes also die with the Python process that
started them.
"""

import atexit
import contextlib
import ctypes
import email
import email.policy
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from cryptography.fernet import Fernet

from zoom_sandbox.testing import SandboxControl

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
ROLES = ("web", "worker", "zoom")

# What the processes inherit from the caller's environment. The product's settings are not
# among them: a developer's shell or CI must not change what a stack runs (pass ``env=``).
_INHERITED = {"PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "PYTHONPATH"}
_INHERITED_PREFIXES = ("LC_", "PG", "SSL_CERT_")  # locale; libpq's own settings; CA bundles

# What every stack's sandbox looks like unless told otherwise: Zoom's limits and lifetimes,
# but quick webhook retries, so a delivery that meets a restarting web process is not stuck
# for five minutes.
SANDBOX_DEFAULTS = {"webhook_retry_delays": (1, 5, 15)}

# Django's file email backend ends each message with a line of 79 dashes.
_MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class StackError(RuntimeError):
    """A process of the stack did not start, or a command against it failed."""


def _parent_death_signal():
    """A callable for ``preexec_fn`` that makes the child receive SIGTERM when we die (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    pr_set_pdeathsig = 1

    def arm():
        prctl(pr_set_pdeathsig, signal.SIGTERM)

    return arm


# The kernel sends the parent-death signal when the *thread* that forked the child ends, so
# every child is started from this one long-lived thread: a stack restarted from a short-lived
# thread (a soak test's chaos thread) keeps its processes.
_spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stack-spawner")
_arm_parent_death = _parent_death_signal()


def _listen(port=0):
    """A listening TCP socket on 127.0.0.1, inheritable so gunicorn can serve from it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(1024)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


@dataclass
class Process:
    """One process of the stack: how to start it, and the running instance if any."""

    name: str
    role: str
    argv: list
    log_path: Path
    popen: subprocess.Popen | None = None
    starts: int = 0
    log_offset: int = 0  # where the output of the current start begins

    @property
    def pid(self):
        return self.popen.pid if self.popen else None

    @property
    def alive(self):
        return self.popen is not None and self.popen.poll() is None

    @property
    def returncode(self):
        return self.popen.poll() if self.popen else None

    def log(self, offset=0):
        """What the process printed (over all its starts), from byte ``offset`` on."""
        try:
            with open(self.log_path, "rb") as log:
                log.seek(offset)
                return log.read().decode(errors="replace")
        except FileNotFoundError:
            return ""


class Stack:
    """
    The product's processes on free ports with a database of their own (see the module docs).

    Options:

    - ``database_url``: None or a ``sqlite:`` URL → a fresh SQLite file in the stack's
      directory; a ``postgres://`` URL → a freshly created database with a random name on that
      server (the URL's own database is only used to connect), dropped by ``stop()``.
    - ``web_workers``, ``web_threads``: gunicorn's ``--workers`` and ``--threads``.
    - ``task_workers``: how many ``manage.py worker`` processes.
    - ``sandbox``: sandbox settings by the name of their ``ZOOM_SANDBOX_*`` variable, lowercase
      and without the prefix, e.g. ``{"rate_limit_plan": "business", "access_token_ttl": 60,
      "webhook_retry_delays": (1, 2)}`` (sequences are joined with commas).
    - ``env``: extra environment variables for the product's processes (``LOG_LEVEL``,
      ``ZOOM_INLINE_TIMEOUT`` …); they win over the stack's own.
    - ``directory``: where the database, logs, static files and outbox go. By default a new
      temporary directory, removed by ``stop()`` unless ``keep=True``; a given one is kept.
    """

    def __init__(
        self,
        *,
        database_url=None,
        web_workers=2,
        web_threads=4,
        task_workers=1,
        sandbox=None,
        env=None,
        directory=None,
        keep=False,
        start_timeout=30.0,
    ):
        self.web_workers, self.web_threads, self.task_workers = (
            web_workers,
            web_threads,
            task_workers,
        )
        self.sandbox_settings = {**SANDBOX_DEFAULTS, **(sandbox or {})}
        self.extra_env = dict(env or {})
        self.server_url = database_url
        self.keep = keep or directory is not None
        self.directory = Path(directory) if directory else None
        self.start_timeout = start_timeout
        # Shared by the product and the sandbox, like scripts/dev_env.py does for `make run`.
        self.secret_key = secrets.token_urlsafe(50)
        self.field_encryption_key = Fernet.generate_key().decode()
        self.zoom_client_id = "vrtually-stack-" + secrets.token_hex(4)
        self.zoom_client_secret = secrets.token_urlsafe(24)
        self.zoom_webhook_secret = secrets.token_urlsafe(24)
        self.processes = {}
        self._commands = []  # migrate and collectstatic while they run
        self.database_url = None
        self.web_port = self.sandbox_port = None
        self._created_database = None
        self._control = None
        self._lock = threading.RLock()
        self._started = False

    @classmethod
    def from_env(cls, **options):
        """A stack on the database server that ``DATABASE_URL`` names (SQLite when unset)."""
        return cls(database_url=os.environ.get("DATABASE_URL") or None, **options)

    # Addresses and clients.

    @property
    def url(self):
        """The product's address, e.g. ``http://localhost:41234``."""
        return f"http://localhost:{self.web_port}"

    @property
    def sandbox_url(self):
        """The Zoom sandbox's address, e.g. ``http://127.0.0.1:41235``."""
        return f"http://127.0.0.1:{self.sandbox_port}"

    @property
    def control(self):
        """A ``SandboxControl`` for the sandbox's control API."""
        if self._control is None:
            self._control = SandboxControl(self.sandbox_url)
        return self._control

    @property
    def engine(self):
        return "postgresql" if self.database_url.startswith("postgres") else "sqlite"

    # Life cycle.

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def start(self):
        """Create the database, migrate, collect static files, start every process, wait."""
        if self._started:
            raise StackError("this stack is already started")
        self._started = True
        atexit.register(self.stop)
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        if self.directory is None:
            self.directory = Path(tempfile.mkdtemp(prefix="vrtually-stack-"))
        for sub in ("logs", "mail", "static"):
            (self.directory / sub).mkdir(parents=True, exist_ok=True)
        web_socket = _listen()
        self.web_port = web_socket.getsockname()[1]
        try:
            self.database_url = self._create_database()
            self._define_processes()
            # Everything that can overlap does: the sandbox starts while the database is
            # migrated and static files are collected; gunicorn (which needs the sandbox's
            # address and the static files, not the tables) boots during the migration, and
            # the task workers start once the tables exist. Nobody is told the stack is ready
            # before all of it is.
            zoom = self.processes["zoom"]
            self._spawn(zoom)
            migrate = self._spawn_command(["migrate", "--no-input"], "migrate")
            collectstatic = self._spawn_command(["collectstatic", "--no-input"], "collectstatic")
            self._wait_for_command(*collectstatic)
            self.sandbox_port = self._wait_for_sandbox(zoom)
            self._spawn(self.processes["web"], web_socket=web_socket)
            self._wait_for_command(*migrate)
            for name in self._names("worker"):
                self._spawn(self.processes[name])
            self._wait_ready(["web", *self._names("worker")])
        finally:
            web_socket.close()  # gunicorn holds its own copy; a dead web refuses connections.

    def stop(self, timeout=10.0):
        """End every process (TERM, then KILL), drop the database, remove the directory."""
        with self._lock:
            atexit.unregister(self.stop)
            for popen in self._commands:
                _signal_group(popen, signal.SIGKILL)
                popen.wait()
            for process in reversed(list(self.processes.values())):
                self._end(process, signal.SIGTERM, timeout)
            if self._control is not None:
                self._control.close()
                self._control = None
            if self._created_database:
                self._drop_database()
            if self.directory and not self.keep:
                shutil.rmtree(self.directory, ignore_errors=True)

    # Processes.

    def names(self, role=None):
        """Names of the processes of ``role`` (or all), e.g. ``["worker.1", "worker.2"]``."""
        return list(self.processes) if role is None else self._names(role)

    def pids(self, role=None):
        """Process ids of the running processes of ``role`` (or all), by name."""
        return {
            name: self.processes[name].pid
            for name in self.names(role)
            if self.processes[name].alive
        }

    def web_worker_pids(self):
        """Process ids of gunicorn's workers (the master's children)."""
        master = self.processes["web"]
        return _children(master.pid) if master.alive else []

    def kill(self, name, sig=signal.SIGTERM, *, wait=True, timeout=10.0):
        """
        Send ``sig`` to the process group of each process that ``name`` (a name or a role)
        stands for — for ``web`` that is the gunicorn master and its workers. With ``wait``,
        return once they exited (their exit codes, by name).
        """
        processes = [p for p in self._select(name) if p.alive]
        for process in processes:
            _signal_group(process.popen, sig)
        if not wait:
            return {}
        codes = {}
        deadline = time.monotonic() + timeout
        for process in processes:
            try:
                codes[process.name] = process.popen.wait(max(0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired as exc:
                raise StackError(f"{process.name} did not exit {timeout} s after {sig!r}") from exc
            # gunicorn's workers too: until they are gone they hold the listening socket.
            if not _wait_group_gone(process.popen.pid, deadline):
                raise StackError(f"{process.name}'s children outlived it by {timeout} s")
        return codes

    def restart(self, name, *, timeout=10.0):
        """Stop (gracefully, if still running) and start again, on the same port; wait ready."""
        processes = self._select(name)
        with self._lock:
            for process in processes:
                self._end(process, signal.SIGTERM, timeout)
            for process in processes:
                if process.role == "web":
                    web_socket = _listen(self.web_port)
                    try:
                        self._spawn(process, web_socket=web_socket)
                    finally:
                        web_socket.close()
                else:
                    self._spawn(process)
            if any(p.role == "zoom" for p in processes):
                self._wait_for_sandbox(self.processes["zoom"])
            self._wait_ready([p.name for p in processes if p.role != "zoom"])

    def logs(self, name=None):
        """Everything the processes of ``name`` (a name, a role, or all) printed, as text."""
        processes = self._select(name) if name else self.processes.values()
        setup = [] if name else sorted((self.directory / "logs").glob("setup-*.log"))
        parts = [p.log() for p in processes] + [path.read_text(errors="replace") for path in setup]
        return "".join(parts)

    def log_paths(self):
        """Every log file the stack wrote, by name."""
        return {path.stem: path for path in sorted((self.directory / "logs").glob("*.log"))}

    # Commands, email.

    def manage(self, *args, check=True, timeout=120.0, input=None):
        """Run ``manage.py *args`` against the stack's database and settings."""
        result = subprocess.run(  # noqa: S603 - our interpreter, our manage.py
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            input=input,
            check=False,
        )
        if check and result.returncode != 0:
            raise StackError(
                f"manage.py {' '.join(args)} exited with {result.returncode}:\n"
                f"{result.stdout}{result.stderr}"
            )
        return result

    def outbox(self):
        """The emails the product sent, oldest first, as ``email.message.EmailMessage``."""
        messages = []
        paths = sorted(
            (self.directory / "mail").glob("*.log"), key=lambda p: (p.stat().st_mtime_ns, p.name)
        )
        for path in paths:
            chunks = path.read_bytes().split(_MAIL_SEPARATOR)
            # The last chunk is what follows the last separator: empty, or a message being
            # written right now.
            for chunk in chunks[:-1]:
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages

    # Internals.

    @property
    def env(self):
        """The environment of the product's processes."""
        env = _inherited_env()
        env.update(
            DJANGO_SETTINGS_MODULE="vrtually.settings",
            PYTHONUNBUFFERED="1",  # so a process killed with SIGKILL has said everything.
            DEBUG="0",
            SECRET_KEY=self.secret_key,
            FIELD_ENCRYPTION_KEYS=self.field_encryption_key,
            DATABASE_URL=self.database_url or "",
            BASE_URL=self.url,
            STATIC_ROOT=str(self.directory / "static"),
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.directory / "mail"),
            WORKER_SWEEP_SECONDS="2",
            ZOOM_CLIENT_ID=self.zoom_client_id,
            ZOOM_CLIENT_SECRET=self.zoom_client_secret,
            ZOOM_WEBHOOK_SECRET=self.zoom_webhook_secret,
        )
        if self.sandbox_port:
            env.update(
                ZOOM_OAUTH_BASE_URL=self.sandbox_url,
                ZOOM_API_BASE_URL=self.sandbox_url + "/v2",
            )
        env.update(self.extra_env)
        return env

    def _sandbox_env(self):
        env = _inherited_env()
        env.update(
            PYTHONUNBUFFERED="1",
            ZOOM_SANDBOX_CLIENT_ID=self.zoom_client_id,
            ZOOM_SANDBOX_CLIENT_SECRET=self.zoom_client_secret,
            ZOOM_SANDBOX_WEBHOOK_SECRET=self.zoom_webhook_secret,
            ZOOM_SANDBOX_REDIRECT_URIS=f"{self.url}/integrations/zoom/callback",
            ZOOM_SANDBOX_WEBHOOK_URL=f"{self.url}/integrations/zoom/webhook",
            # Grants and meetings survive restart("zoom"), as Zoom's do an outage.
            ZOOM_SANDBOX_STATE_FILE=str(self.directory / "zoom-sandbox.json"),
        )
        for key, value in self.sandbox_settings.items():
            if isinstance(value, list | tuple):
                value = ",".join(str(item) for item in value)
            env["ZOOM_SANDBOX_" + key.upper()] = str(value)
        return env

    def _define_processes(self):
        """The Procfile's commands, with the stack's port, sizes and worker ids."""
        logs = self.directory / "logs"
        self.processes["zoom"] = Process(
            "zoom", "zoom", _procfile_command("zoom", drop=("--port",)), logs / "zoom.log"
        )
        web = _procfile_command("web", drop=("--bind", "--workers", "--threads"))
        web += ["--workers", str(self.web_workers), "--threads", str(self.web_threads)]
        self.processes["web"] = Process("web", "web", web, logs / "web.log")
        for number in range(1, self.task_workers + 1):
            name = f"worker.{number}"
            worker = [*_procfile_command("worker", drop=("--worker-id",)), "--worker-id", name]
            self.processes[name] = Process(name, "worker", worker, logs / f"{name}.log")

    def _names(self, role):
        return [name for name, process in self.processes.items() if process.role == role]

    def _select(self, name):
        if name in self.processes:
            return [self.processes[name]]
        if name in ROLES:
            return [self.processes[n] for n in self._names(name)]
        raise StackError(f"no process or role named {name!r}; these exist: {list(self.processes)}")

    def _spawn(self, process, web_socket=None):
        argv = list(process.argv)
        pass_fds = ()
        if process.role == "web":
            argv += ["--bind", f"fd://{web_socket.fileno()}"]
            pass_fds = (web_socket.fileno(),)
        if process.role == "zoom":
            # The first start picks a free port; a restart takes the same one again.
            argv += ["--port", str(self.sandbox_port or 0)]
        env = self._sandbox_env() if process.role == "zoom" else self.env
        process.starts += 1
        process.log_offset = process.log_path.stat().st_size if process.log_path.exists() else 0
        with open(process.log_path, "ab") as log:
            log.write(f"=== stack: start #{process.starts} of {process.name}\n".encode())
            log.flush()
            process.popen = self._popen(argv, env, log, pass_fds)
        return process.popen

    def _spawn_command(self, args, label):
        log_path = self.directory / "logs" / f"setup-{label}.log"
        with open(log_path, "ab") as log:
            popen = self._popen([PYTHON, "manage.py", *args], self.env, log, ())
        self._commands.append(popen)
        return label, popen

    def _popen(self, argv, env, log, pass_fds):
        def spawn():
            return subprocess.Popen(  # noqa: S603 - our interpreter and our own modules
                argv,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                pass_fds=pass_fds,
                start_new_session=True,  # its own process group, ended as a whole.
                preexec_fn=_arm_parent_death,  # only calls prctl: safe between fork and exec
            )

        return _spawner.submit(spawn).result()

    def _wait_for_command(self, label, popen):
        try:
            code = popen.wait(self.start_timeout * 4)
        except subprocess.TimeoutExpired:
            _signal_group(popen, signal.SIGKILL)
            popen.wait()
            code = "a timeout"
        if code != 0:
            path = self.directory / "logs" / f"setup-{label}.log"
            raise StackError(f"manage.py {label} failed with {code}:\n{_tail(path)}")

    def _wait_for_sandbox(self, zoom):
        prefix = "Zoom sandbox listening on http://127.0.0.1:"
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            text = zoom.log(zoom.log_offset)
            for line in text.splitlines():
                if line.startswith(prefix):
                    return int(line[len(prefix) :].strip())
            if not zoom.alive:
                break
            time.sleep(0.02)
        raise StackError(f"the Zoom sandbox did not start:\n{_tail(zoom.log_path)}")

    def _wait_ready(self, names):
        """Wait until gunicorn answers /healthz and each task worker has started its loop."""
        deadline = time.monotonic() + self.start_timeout
        pending = list(names)
        with httpx.Client(timeout=2.0) as client:
            while pending:
                for name in list(pending):
                    process = self.processes[name]
                    if not process.alive:
                        raise StackError(
                            f"{name} exited with {process.returncode} while starting:\n"
                            f"{_tail(process.log_path)}"
                        )
                    if self._is_ready(process, client):
                        pending.remove(name)
                if pending and time.monotonic() > deadline:
                    tails = "\n".join(
                        f"--- {n}\n{_tail(self.processes[n].log_path)}" for n in pending
                    )
                    raise StackError(f"not ready after {self.start_timeout} s: {pending}\n{tails}")
                if pending:
                    time.sleep(0.03)

    def _is_ready(self, process, client):
        if process.role == "web":
            try:
                return client.get(self.url + "/healthz").status_code == 200
            except httpx.TransportError:
                return False
        # django-tasks' worker logs this line when it enters its loop.
        return f"Starting worker worker_id={process.name}" in process.log(process.log_offset)

    def _end(self, process, sig, timeout):
        if not process.alive:
            if process.popen is not None:
                process.popen.wait()
            return
        _signal_group(process.popen, sig)
        try:
            process.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            _signal_group(process.popen, signal.SIGKILL)
            process.popen.wait()
        # Whatever the group leader left behind (a gunicorn worker mid-request) goes too.
        if not _wait_group_gone(process.popen.pid, time.monotonic() + 2):
            _signal_group(process.popen, signal.SIGKILL)
            _wait_group_gone(process.popen.pid, time.monotonic() + timeout)

    # PostgreSQL.

    def _create_database(self):
        url = self.server_url
        if not url or url.startswith("sqlite"):
            return f"sqlite:///{self.directory / 'db.sqlite3'}"
        if not url.startswith(("postgres://", "postgresql://")):
            raise StackError(f"unsupported database URL {urlsplit(url).scheme!r}")
        import psycopg
        from psycopg import sql

        name = "vrtually_stack_" + secrets.token_hex(6)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self._created_database = name
        return urlsplit(url)._replace(path="/" + name).geturl()

    def _drop_database(self):
        import psycopg
        from psycopg import sql

        name, self._created_database = self._created_database, None
        with psycopg.connect(self.server_url, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _procfile_command(role, drop=()):
    """The Procfile's command for ``role`` as an argv, run by our interpreter, without the
    options in ``drop`` (the stack sets those itself)."""
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == role:
            break
    else:
        raise StackError(f"the Procfile has no {role!r} process")
    program, *args = shlex.split(command)
    # `python …` is this interpreter; a console script (`gunicorn …`) is run as its module.
    argv = [PYTHON] if program == "python" else [PYTHON, "-m", program]
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in drop:
            skip = True  # and its value, the next argument
        elif arg.partition("=")[0] not in drop:
            argv.append(arg)
    return argv


def _inherited_env():
    return {
        key: value
        for key, value in os.environ.items()
        if key in _INHERITED or key.startswith(_INHERITED_PREFIXES)
    }


def _signal_group(popen, sig):
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(popen.pid, sig)


def _processes():
    """(pid, state, parent pid, process group) of every process, from /proc."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it ended while we looked
        # The command name (field 2) is in parentheses and may contain spaces.
        state, ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        yield int(entry.name), state, int(ppid), int(pgrp)


def _children(pid):
    """Ids of the running processes whose parent is ``pid``."""
    return sorted(p for p, state, ppid, _ in _processes() if ppid == pid and state != "Z")


def _wait_group_gone(pgid, deadline):
    """Wait until no live process is left in process group ``pgid``; False at the deadline."""
    while any(group == pgid and state != "Z" for _, state, _, group in _processes()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def _tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"
