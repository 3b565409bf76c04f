"""Running many people against a stack at once, for a while: the load of the soak scenarios."""

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx

from reliability.actors import Invitee


class Load:
    """
    ``invitees`` people booking at random, and every host confirming requests, until stopped.

    Transport errors are counted (a process killed on purpose drops its connections) and the
    people carry on, as they would by reloading.
    """

    def __init__(self, stack, tally, hosts, *, invitees=10, seed=2026):
        self.stack, self.tally, self.hosts = stack, tally, hosts
        self.invitees = [
            Invitee(stack, tally, random.Random(seed + n))  # noqa: S311 - test data
            for n in range(invitees)
        ]
        self.outcomes = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._pool = None
        self._futures = []

    def _book(self, invitee):
        while not self._stop.is_set():
            host = invitee.rng.choice(self.hosts)
            service = invitee.rng.choice(("call", "session"))
            try:
                outcome = invitee.book(host, service)
            except httpx.TransportError:
                outcome = "dropped"
                time.sleep(0.2)
            with self._lock:
                self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def _confirm(self, host_actor):
        while not self._stop.is_set():
            try:
                if not host_actor.confirm_awaiting():
                    time.sleep(0.5)
            except httpx.TransportError:
                time.sleep(0.2)

    def start(self, host_actors):
        self._pool = ThreadPoolExecutor(len(self.invitees) + len(host_actors))
        self._futures = [self._pool.submit(self._book, i) for i in self.invitees]
        self._futures += [self._pool.submit(self._confirm, h) for h in host_actors]
        return self

    def run_for(self, seconds):
        self._stop.wait(seconds)
        return self

    def stop(self):
        self._stop.set()
        for future in self._futures:
            future.result()  # A bug in a person's loop fails the scenario.
        self._pool.shutdown()

    @property
    def booked_tokens(self):
        return [token for invitee in self.invitees for token in invitee.booked]


def wait_until(predicate, timeout, interval=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def settled(stack):
    """True once no meeting has work left (created, explained, or removed)."""
    from reliability.actors import shell

    return (
        shell(
            stack,
            "import json\nfrom bookings.models import Meeting\n"
            "print(json.dumps(Meeting.objects.exclude(action='').count()))",
        )
        == 0
    )


def query(stack, sql, params=()):
    """Rows of ``sql`` run directly against the stack's PostgreSQL database (fast polling)."""
    import psycopg

    with psycopg.connect(stack.database_url, autocommit=True, connect_timeout=5) as connection:
        return connection.execute(sql, params).fetchall()
