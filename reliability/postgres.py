"""
A PostgreSQL server of the test's own (initdb in a temporary directory, on a free port), for
scenarios that stop or restart the database: the machine's shared server is never touched.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class Unavailable(RuntimeError):
    """A private server cannot be made here (no PostgreSQL binaries, or no way to drop root)."""


def _binaries():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise Unavailable("no PostgreSQL server binaries under /usr/lib/postgresql")
    return Path(found[-1]).parent


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivatePostgres:
    """``with PrivatePostgres() as pg: pg.url`` — a throwaway server; ``pg.restart()``."""

    def __init__(self):
        self.bin = _binaries()
        self.port = _free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="vrtually-pg-"))
        self.data = self.directory / "data"
        # initdb refuses to run as root: run the server as the postgres user when we are root.
        self.as_user = []
        if os.geteuid() == 0:
            if not shutil.which("runuser"):
                raise Unavailable(
                    "running as root, and no runuser to start PostgreSQL as postgres"
                )
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.directory, "postgres", "postgres")

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args, check=True):
        return subprocess.run(  # noqa: S603 - our own fixed command lines
            [*self.as_user, *args], check=check, capture_output=True, text=True, timeout=120
        )

    def __enter__(self):
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.directory / "server.log"),
            "-w",
            "start",
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise Unavailable("the private PostgreSQL server did not start")

    def stop(self, mode="fast"):
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False
        )

    def restart(self, down_for=0.0):
        """Stop the server (dropping every connection), stay down a while, start it again."""
        self.stop(mode="immediate")
        time.sleep(down_for)
        self.start()
