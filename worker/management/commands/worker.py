import logging
import threading
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django_tasks_db.management.commands import db_worker

from worker.sweeps import run_sweeps

log = logging.getLogger(__name__)

# How long to wait before trying the database again after losing it.
RECONNECT_DELAYS = (1, 2, 4, 8, 15, 30)


class Command(db_worker.Command):
    help = (
        "Run queued background tasks (django-tasks' database worker) and, every "
        "WORKER_SWEEP_SECONDS, queue again the work of workers that died. Survives the "
        "database going away (a restart, a failover) by waiting and reconnecting."
    )

    def handle(self, *args, **options):
        stop = threading.Event()

        def sweep_forever():
            while not stop.wait(settings.WORKER_SWEEP_SECONDS):
                run_sweeps()
                close_old_connections()  # This thread has its own connection to keep healthy.

        threading.Thread(target=sweep_forever, name="sweeper", daemon=True).start()
        failures = 0
        try:
            while True:
                started = time.monotonic()
                try:
                    return super().handle(*args, **options)
                except (OperationalError, InterfaceError) as error:
                    # A task interrupted here stays marked as running; the work it carried
                    # lives in its own row, and the sweeper queues it again.
                    failures = 0 if time.monotonic() - started > 60 else failures + 1
                    delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                    log.warning("database unavailable (%s); retrying in %s s", error, delay)
                    connections.close_all()
                    time.sleep(delay)
        finally:
            stop.set()
