"""``kotacerdas db_worker``: django-tasks-db's worker with a heartbeat and recovery of lost tasks.

Same options as the library's command (this app comes first in ``INSTALLED_APPS``, so its
command wins). Besides running tasks, a thread renews the worker's heartbeat every
``KOTACERDAS_WORKER_HEARTBEAT`` seconds and recovers the tasks of workers that stopped sending
theirs (:func:`kotacerdas.lib.jobs.services.recover_lost_tasks`).
"""

import logging
import threading

from django.db import DatabaseError, connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from kotacerdas.lib.jobs import services

logger = logging.getLogger("kotacerdas.jobs")


class HeartbeatWorker(db_worker.Worker):
    def run(self):
        # Before this process claims anything, a task running under its id is its predecessor's.
        services.recover_own_tasks(self.worker_id)
        services.record_heartbeat(self.worker_id, started_at=timezone.now())
        services.recover_lost_tasks()
        stop = threading.Event()
        beat = threading.Thread(target=self._beat, args=(stop,), name="heartbeat", daemon=True)
        beat.start()
        try:
            return super().run()
        finally:
            stop.set()
            beat.join(timeout=services.heartbeat_interval() + 5)
            services.forget_worker(self.worker_id)

    def _beat(self, stop):
        try:
            while not stop.wait(services.heartbeat_interval()):
                try:
                    services.record_heartbeat(self.worker_id)
                    services.recover_lost_tasks()
                except DatabaseError:  # the database is away for a moment: try again next beat
                    logger.exception("heartbeat of worker %s failed", self.worker_id)
        finally:
            connections.close_all()


class Command(db_worker.Command):
    help = "Run tasks from the database, with a heartbeat; recovers the tasks of dead workers."

    def handle(self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks,
               worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        # No autoreload: a reloaded worker would leave its task behind (recovered, but late).
        worker = HeartbeatWorker(
            queue_names=queue_names, interval=interval, batch=batch, backend_name=backend_name,
            startup_delay=startup_delay, max_tasks=max_tasks, worker_id=worker_id, excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
