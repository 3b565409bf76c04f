"""
Shared test fixtures, in the manner of healthchecks' hc/test.py: three hosts with a workspace
each. Alice is the main character; Bob and Charlie exist to prove Alice's things stay hers.
"""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.test import TestCase, TransactionTestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.services import user_signup

PASSWORD = "correct-horse-battery"  # noqa: S105 # nosec B105


def make_host(name, email, **kwargs):
    return user_signup(name=name, email=email, password=PASSWORD, **kwargs)


def run_tasks(*, include_deferred=False, limit=1000):
    """
    Run queued background tasks as the worker would, and return how many ran.

    ``include_deferred`` also runs tasks scheduled for later (retries with backoff), each at
    its time: the clock (``timezone.now``) is moved forward to the task's ``run_after`` while it
    runs. A task that fails makes the test fail, with its traceback.
    """
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while ran < limit:
        # What is due now first (as the worker would), then the earliest deferred task.
        task_result = DBTaskResult.objects.ready().order_by("enqueued_at").first()
        if task_result is None and include_deferred:
            task_result = (
                DBTaskResult.objects.filter(status="READY")
                .order_by("run_after", "enqueued_at")
                .first()
            )
        if task_result is None:
            break
        task_result.claim(worker.worker_id)
        with _clock_at_least(task_result.run_after):
            worker.run_task(task_result)
        task_result.refresh_from_db()
        if task_result.status == "FAILED":
            raise AssertionError(f"task {task_result.task_path} failed: {task_result.traceback}")
        ran += 1
    return ran


@contextmanager
def _clock_at_least(moment):
    """Let code see ``moment`` as the present if it lies in the future."""
    real_now = timezone.now
    offset = moment - real_now() if moment.year < 9999 else timedelta(0)
    if offset <= timedelta(0):
        yield
        return
    with mock.patch("django.utils.timezone.now", lambda: real_now() + offset):
        yield


class HostsMixin:
    def setUp(self):
        super().setUp()
        self.alice = make_host("Alice Adams", "alice@example.org", time_zone="Europe/Amsterdam")
        self.bob = make_host("Bob Brown", "bob@example.org", time_zone="America/New_York")
        self.charlie = make_host("Charlie Chen", "charlie@example.org")


class BaseTestCase(HostsMixin, TestCase):
    pass


class BaseTransactionTestCase(HostsMixin, TransactionTestCase):
    """For tests where several threads must see each other's commits."""
