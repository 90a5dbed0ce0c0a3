"""Enqueue with progress, report progress from inside a task, and recover the tasks of dead workers."""

import logging
import os
import socket

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import TaskProgress, WorkerHeartbeat

logger = logging.getLogger("kotacerdas.jobs")

WORKER_LOST = "kotacerdas.lib.jobs.WorkerLost"


def heartbeat_interval():
    """Seconds between two heartbeats of a worker."""
    return float(getattr(settings, "KOTACERDAS_WORKER_HEARTBEAT", 5))


def worker_timeout():
    """Seconds without a heartbeat after which a worker counts as dead."""
    return float(getattr(settings, "KOTACERDAS_WORKER_TIMEOUT", 60))


def max_attempts():
    return int(getattr(settings, "KOTACERDAS_TASK_MAX_ATTEMPTS", 2))


def a_worker_is_alive(now=None):
    """Whether some ``db_worker`` has sent a heartbeat within the worker timeout."""
    now = now or timezone.now()
    return WorkerHeartbeat.objects.filter(last_seen__gte=now - timezone.timedelta(seconds=worker_timeout())).exists()


def uses_the_database_queue():
    """Whether tasks wait in the database for a worker (not run at once by another backend)."""
    return settings.TASKS.get("default", {}).get("BACKEND", "").startswith("django_tasks_db.")


def enqueue(task, *args, user=None, label="", **kwargs):
    """Enqueue ``task`` and create its progress row (so the page exists before a worker starts)."""
    result = task.enqueue(*args, **kwargs)
    progress = TaskProgress.objects.create(
        task_id=result.id, label=label or task.name, requested_by=user if user and user.is_authenticated else None
    )
    return progress


def report_progress(task_id, done, total=None, message=None, **fields):
    """Record how far a task has come; a task with ``takes_context`` passes ``context.task_result.id``."""
    values = {"done": done, "updated_at": timezone.now(), **fields}
    if total is not None:
        values["total"] = total
    if message is not None:
        values["message"] = message
    updated = TaskProgress.objects.filter(task_id=task_id).update(**values)
    if not updated:  # a task enqueued without :func:`enqueue` (a command, the timer)
        TaskProgress.objects.update_or_create(task_id=task_id, defaults=values)


def record_heartbeat(worker_id, started_at=None):
    now = timezone.now()
    defaults = {"hostname": socket.gethostname()[:255], "pid": os.getpid(), "last_seen": now}
    if started_at is not None:
        defaults["started_at"] = started_at
    heartbeat, created = WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults=defaults, create_defaults={**defaults, "started_at": started_at or now}
    )
    return heartbeat


def forget_worker(worker_id):
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recover_lost_tasks(now=None):
    """Put back in the queue, or fail with the reason, each running task whose worker is dead.

    A task counts as lost when the worker that claimed it last has sent no heartbeat for
    :func:`worker_timeout` seconds (or never registered one) and the task started longer ago
    than that. Returns ``(requeued, failed)`` task ids.
    """
    now = now or timezone.now()
    limit = now - timezone.timedelta(seconds=worker_timeout())
    alive = set(WorkerHeartbeat.objects.filter(last_seen__gte=limit).values_list("worker_id", flat=True))
    lost = [result for result in DBTaskResult.objects.running().filter(started_at__lt=limit)
            if (result.worker_ids[-1] if result.worker_ids else "") not in alive]
    requeued, failed = _take_back(lost, now)
    # Heartbeats of workers gone for a day are only noise on the status page.
    WorkerHeartbeat.objects.filter(last_seen__lt=now - timezone.timedelta(days=1)).delete()
    return requeued, failed


def recover_own_tasks(worker_id, now=None):
    """At a worker's start, put back in the queue (or fail) the tasks still marked running under
    its own id: a worker restarted with the same id (systemd's ``%H-%i``) after it was killed
    finds the task its previous process was running, which :func:`recover_lost_tasks` would
    never take back, since that id now sends heartbeats again. Returns ``(requeued, failed)``."""
    now = now or timezone.now()
    mine = [result for result in DBTaskResult.objects.running() if result.worker_ids and result.worker_ids[-1] == worker_id]
    return _take_back(mine, now)


def _take_back(results, now):
    heartbeats = {h.worker_id: h for h in WorkerHeartbeat.objects.all()}
    requeued, failed = [], []
    for result in results:
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        last = heartbeats.get(worker_id)
        seen = last.last_seen.isoformat() if last else "never"
        where = f"{last.hostname}, process {last.pid}" if last else "unknown host"
        attempt = len(result.worker_ids)
        # The update only lands if nobody touched the task since we read it (another worker
        # recovering it at the same moment, or the worker finishing after all).
        claimed = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at)
        if attempt < max_attempts():
            with transaction.atomic():
                if claimed.update(status=TaskResultStatus.READY, started_at=None):
                    requeued.append(result.pk)
                    report_progress(result.pk, 0, message=f"Worker {worker_id} ({where}) stopped (last heartbeat {seen}); taken up again, attempt {attempt + 1} of {max_attempts()}.")
                    logger.warning("task %s of dead worker %s queued again (attempt %s)", result.pk, worker_id, attempt + 1)
        else:
            reason = (
                f"Worker {worker_id} ({where}) stopped sending heartbeats (last {seen}) while running this task; "
                f"attempt {attempt} of {max_attempts()}, no attempt left."
            )
            with transaction.atomic():
                if claimed.update(status=TaskResultStatus.FAILED, finished_at=now, exception_class_path=WORKER_LOST,
                                  traceback=reason, return_value=None):
                    failed.append(result.pk)
                    report_progress(result.pk, 0, message=reason)
                    logger.error("task %s failed: %s", result.pk, reason)
    return requeued, failed


def oldest_queued_age(now=None):
    """Seconds the oldest ready task has waited (``None`` when the queue is empty)."""
    now = now or timezone.now()
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    return None if oldest is None else max(0.0, (now - oldest).total_seconds())


def queued_count():
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()


def task_status(task_id):
    """The library's row of a task (status, errors, return value), or ``None``."""
    return DBTaskResult.objects.filter(pk=task_id).first()
