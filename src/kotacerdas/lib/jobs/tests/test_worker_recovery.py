"""A worker killed with SIGKILL in the middle of a task: the task is taken up again by another
worker, or marked failed with the reason when no attempt is left; never left running.

Real ``kotacerdas db_worker`` processes on a real database (SQLite file or PostgreSQL, as the
suite runs), with a short heartbeat so the test does not wait a minute.
"""

import os
import signal

import pytest

from kotacerdas.lib.testing import Deployment, wait_until

FAST_HEARTBEAT = {"KOTACERDAS_WORKER_HEARTBEAT": "0.3", "KOTACERDAS_WORKER_TIMEOUT": "2"}


@pytest.fixture
def deployment(tmp_path):
    site = Deployment(tmp_path, **FAST_HEARTBEAT)
    site.run("migrate", "-v0")
    yield site
    site.drop()


def _enqueue(site, folder):
    return site.python(
        "from kotacerdas.lib.jobs.services import enqueue\n"
        "from kotacerdas.lib.jobs.tests.slow_tasks import wait_for_release\n"
        f"result = str(enqueue(wait_for_release, {str(folder)!r}, label='slow').task_id)"
    )


def _state(site, task_id):
    return site.python(
        "from django_tasks_db.models import DBTaskResult\n"
        "from kotacerdas.lib.jobs.models import TaskProgress\n"
        f"row = DBTaskResult.objects.get(pk={task_id!r}); progress = TaskProgress.objects.get(task_id={task_id!r})\n"
        "result = {'status': row.status, 'workers': row.worker_ids, 'return': row.return_value,\n"
        "          'error_class': row.exception_class_path, 'error': row.traceback,\n"
        "          'done': progress.done, 'total': progress.total, 'message': progress.message}"
    )


def _worker(site, name, env=None):
    return site.start("db_worker", "--worker-id", name, "--interval", "0.1", "--no-startup-delay", env=env,
                      log_name=f"{name}.log")


def _kill_in_the_middle(site, folder):
    task_id = _enqueue(site, folder)
    first = _worker(site, "worker-a")
    try:
        wait_until(lambda: (folder / "attempt-1").exists(), "the first worker to start the task")
        state = _state(site, task_id)
        assert state["status"] == "RUNNING" and state["workers"] == ["worker-a"]
        assert (state["done"], state["total"]) == (1, 2)  # progress is in the database
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
    finally:
        if first.poll() is None:
            first.kill()
    # Killed: nothing ran its clean-up, the library alone would leave it RUNNING forever.
    assert _state(site, task_id)["status"] == "RUNNING"
    return task_id


def test_a_killed_workers_task_is_taken_up_again_by_another_worker(deployment, tmp_path):
    folder = tmp_path / "markers"
    folder.mkdir()
    task_id = _kill_in_the_middle(deployment, folder)
    second = _worker(deployment, "worker-b")
    try:
        wait_until(lambda: (folder / "attempt-2").exists(), "the second worker to take the task up again")
        state = _state(deployment, task_id)
        assert state["status"] == "RUNNING" and state["workers"] == ["worker-a", "worker-b"]
        (folder / "release").write_text("go")
        state = wait_until(
            lambda: (s := _state(deployment, task_id))["status"] == "SUCCESSFUL" and s, "the task to finish"
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert state["return"] == {"attempt": 2}
    assert (state["done"], state["total"], state["message"]) == (2, 2, "attempt 2 done")
    # A worker that stops cleanly removes its heartbeat; the killed one's is still there (stale).
    assert deployment.python(
        "from kotacerdas.lib.jobs.models import WorkerHeartbeat\n"
        "result = sorted(WorkerHeartbeat.objects.values_list('worker_id', flat=True))"
    ) == ["worker-a"]


def test_with_no_attempt_left_the_task_fails_with_the_reason(deployment, tmp_path):
    folder = tmp_path / "markers"
    folder.mkdir()
    task_id = _kill_in_the_middle(deployment, folder)
    second = _worker(deployment, "worker-b", env={"KOTACERDAS_TASK_MAX_ATTEMPTS": "1"})
    try:
        state = wait_until(
            lambda: (s := _state(deployment, task_id))["status"] == "FAILED" and s, "the lost task to be marked failed"
        )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert not (folder / "attempt-2").exists()  # not run again
    assert state["error_class"] == "kotacerdas.lib.jobs.WorkerLost"
    assert "worker-a" in state["error"] and "stopped sending heartbeats" in state["error"]
    assert state["message"] == state["error"]  # the progress page says why
