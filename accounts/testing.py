"""
Shared test fixtures, in the manner of healthchecks' hc/test.py: three hosts with a workspace
each. Alice is the main character; Bob and Charlie exist to prove Alice's things stay hers.
"""

from django.test import TestCase
from django_tasks_db.models import DBTaskResult

from accounts.services import user_signup

PASSWORD = "correct-horse-battery"  # noqa: S105 # nosec B105


def make_host(name, email, **kwargs):
    return user_signup(name=name, email=email, password=PASSWORD, **kwargs)


def run_tasks(*, include_deferred=False, limit=1000):
    """
    Run queued background tasks as the worker would, and return how many ran.

    ``include_deferred`` also runs tasks scheduled for later (retries with backoff), as if
    their time had come. A task that fails makes the test fail, with its traceback.
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
        queue = DBTaskResult.objects.filter(status="READY")
        if not include_deferred:
            queue = queue.ready()
        task_result = queue.order_by("run_after", "enqueued_at").first()
        if task_result is None:
            break
        task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        task_result.refresh_from_db()
        if task_result.status == "FAILED":
            raise AssertionError(f"task {task_result.task_path} failed: {task_result.traceback}")
        ran += 1
    return ran


class BaseTestCase(TestCase):
    def setUp(self):
        super().setUp()
        self.alice = make_host("Alice Adams", "alice@example.org", time_zone="Europe/Amsterdam")
        self.bob = make_host("Bob Brown", "bob@example.org", time_zone="America/New_York")
        self.charlie = make_host("Charlie Chen", "charlie@example.org")
