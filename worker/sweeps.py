"""
Recovery sweeps: find work whose worker died (a crash, a kill -9, a restart) and queue it again.

Work that must happen — a Zoom meeting to create, a grant to revoke — lives in its own table with
a ``next_attempt_at``; queued tasks only wake it up. An attempt claims its row by pushing
``next_attempt_at`` forward (a lease), so a row still overdue a while later has lost its worker.
Each app lists such rows in a function named in settings.WORKER_SWEEPS.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


def run_sweeps():
    """Run every configured sweep once; return how many pieces of work were queued again."""
    total = 0
    for path in settings.WORKER_SWEEPS:
        try:
            requeued = import_string(path)()
        except Exception:
            # One broken sweep must not stop the others, nor the worker.
            log.exception("sweep %s failed", path)
            continue
        if requeued:
            log.info("sweep %s queued %d overdue item(s) again", path, requeued)
        total += requeued
    return total
