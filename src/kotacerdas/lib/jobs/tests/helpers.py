"""Tasks in the states the page tests need, without running a worker."""

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kotacerdas.lib.jobs.models import TaskProgress


def task_in_state(user, status=TaskResultStatus.SUCCESSFUL, *, file_content=None, traceback="", **progress):
    task_id = uuid.uuid4()
    DBTaskResult.objects.create(
        id=task_id, status=status, args_kwargs={"args": [], "kwargs": {}}, task_path="kotacerdas.reports.tasks.snapshot_open_data",
        backend_name="default", run_after=timezone.now(), started_at=timezone.now(),
        finished_at=timezone.now() if status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED) else None,
        exception_class_path="kotacerdas.lib.jobs.WorkerLost" if traceback else "", traceback=traceback, worker_ids=["w1"],
    )
    if file_content is not None:
        progress["result_file"] = default_storage.save(f"tasks/{task_id}/result.pdf", ContentFile(file_content))
    return TaskProgress.objects.create(task_id=task_id, requested_by=user, label="Test task", **progress)


def finished_task_with_file(user):
    return task_in_state(user, file_content=b"%PDF-1.4 result", done=3, total=3, message="done")


def run_queued_tasks():
    """Run every queued task in this process the way ``db_worker`` runs it (claim, call, record
    success or failure), without the worker's loop and threads; returns the task ids run."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    ran = []
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran.append(result.pk)
    return ran
