from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.testing import run_tasks
from integrations.models import Revocation
from integrations.zoom.testing import DANA, ZoomTestCase
from worker.sweeps import run_sweeps


class SweepsTestCase(ZoomTestCase):
    def test_work_whose_worker_died_is_queued_again_once(self):
        self.connect()
        self.zoom.control.fault("oauth.revoke", "5xx", count=1)
        self.client.post("/integrations/zoom/disconnect")
        # The worker that took the retry died: its task is gone, its lease long expired.
        DBTaskResult.objects.all().delete()
        Revocation.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=10))

        self.assertEqual(run_sweeps(), 1)
        self.assertEqual(run_sweeps(), 0)  # Already queued: a second sweeper adds nothing.
        run_tasks()
        self.assertFalse(Revocation.objects.exists())
        grants = {g["email"]: g["revoked"] for g in self.zoom.control.grants()}
        self.assertTrue(grants[DANA])

    def test_work_in_progress_is_left_alone(self):
        self.connect()
        self.zoom.control.fault("oauth.revoke", "5xx", count=1)
        self.client.post("/integrations/zoom/disconnect")
        self.assertEqual(run_sweeps(), 0)

    def test_a_failing_sweep_does_not_stop_the_others(self):
        with self.settings(WORKER_SWEEPS=["worker.tests.test_sweeps.broken", *self.sweeps()]):
            self.assertEqual(run_sweeps(), 0)

    def sweeps(self):
        from django.conf import settings

        return settings.WORKER_SWEEPS


def broken():
    raise RuntimeError("this sweep is broken")
