import threading

from django.conf import settings
from django.db import close_old_connections
from django_tasks_db.management.commands import db_worker

from worker.sweeps import run_sweeps


class Command(db_worker.Command):
    help = (
        "Run queued background tasks (django-tasks' database worker) and, every "
        "WORKER_SWEEP_SECONDS, queue again the work of workers that died."
    )

    def handle(self, *args, **options):
        stop = threading.Event()

        def sweep_forever():
            while not stop.wait(settings.WORKER_SWEEP_SECONDS):
                run_sweeps()
                close_old_connections()  # This thread has its own connection to keep healthy.

        threading.Thread(target=sweep_forever, name="sweeper", daemon=True).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
