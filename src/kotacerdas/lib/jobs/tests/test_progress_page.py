"""The page of a background task: progress from the database, the result or the reason it
failed, asked again by htmx until the task ends; only for whoever asked and the ministry."""

import pytest
from django_tasks import TaskResultStatus

from kotacerdas.lib.jobs import services
from kotacerdas.lib.jobs.models import WorkerHeartbeat
from kotacerdas.lib.jobs.tests.helpers import finished_task_with_file, task_in_state

pytestmark = pytest.mark.django_db


def test_a_running_task_shows_its_progress_and_asks_again(client, dave, english):
    progress = task_in_state(dave, TaskResultStatus.RUNNING, done=40, total=160, message="Screening 40 of 160 villages")
    client.force_login(dave)
    page = client.get(f"/tasks/{progress.task_id}/").content.decode()
    assert 'max="160" value="40"' in page and "Screening 40 of 160 villages" in page
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(f"/tasks/{progress.task_id}/", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="task-progress"') and "<html" not in partial


def test_a_finished_task_offers_its_file_and_stops_asking(client, dave, english):
    progress = finished_task_with_file(dave)
    client.force_login(dave)
    page = client.get(f"/tasks/{progress.task_id}/").content.decode()
    assert "hx-trigger" not in page and f"/tasks/{progress.task_id}/file" in page
    response = client.get(f"/tasks/{progress.task_id}/file")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 result"
    assert client.get(f"/tasks/{progress.task_id}/", HTTP_ACCEPT="application/json").json()["status"] == "SUCCESSFUL"


def test_a_failed_task_says_why(client, dave, english):
    progress = task_in_state(dave, TaskResultStatus.FAILED, traceback="Worker w1 stopped sending heartbeats")
    client.force_login(dave)
    page = client.get(f"/tasks/{progress.task_id}/").content.decode()
    assert "The task failed: Worker w1 stopped sending heartbeats" in page


def test_another_users_task_is_not_found_but_the_ministry_sees_it(client, dave, erin, alice):
    progress = finished_task_with_file(dave)
    client.force_login(erin)
    assert client.get(f"/tasks/{progress.task_id}/").status_code == 404
    assert client.get(f"/tasks/{progress.task_id}/file").status_code == 404
    client.force_login(alice)
    assert client.get(f"/tasks/{progress.task_id}/").status_code == 200


def test_recovery_leaves_tasks_of_live_workers_and_young_tasks_alone(dave, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.KOTACERDAS_WORKER_TIMEOUT = 60
    old = timezone.now() - timedelta(minutes=5)
    alive = task_in_state(dave, TaskResultStatus.RUNNING)
    young = task_in_state(dave, TaskResultStatus.RUNNING)
    lost = task_in_state(dave, TaskResultStatus.RUNNING)
    DBTaskResult.objects.filter(pk__in=[alive.pk, lost.pk]).update(started_at=old)
    DBTaskResult.objects.filter(pk=alive.pk).update(worker_ids=["alive"])
    DBTaskResult.objects.filter(pk=lost.pk).update(worker_ids=["dead"])
    WorkerHeartbeat.objects.create(worker_id="alive", hostname="h", pid=1, started_at=old, last_seen=timezone.now())
    WorkerHeartbeat.objects.create(worker_id="dead", hostname="h2", pid=2, started_at=old, last_seen=old)
    requeued, failed = services.recover_lost_tasks()
    assert (requeued, failed) == ([lost.pk], [])
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {alive.pk: "RUNNING", young.pk: "RUNNING", lost.pk: "READY"}
    lost.refresh_from_db()
    assert "Worker dead (h2, process 2) stopped" in lost.message


def test_a_worker_restarted_under_its_id_takes_back_its_predecessors_task(dave, settings):
    """systemd restarts a killed worker with the same id at once: its heartbeat is fresh again,
    so only the worker itself can tell that the task still running under its id was lost."""
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.KOTACERDAS_WORKER_TIMEOUT = 60
    settings.KOTACERDAS_TASK_MAX_ATTEMPTS = 2
    now = timezone.now()
    mine = task_in_state(dave, TaskResultStatus.RUNNING)
    other = task_in_state(dave, TaskResultStatus.RUNNING)
    done = task_in_state(dave, TaskResultStatus.SUCCESSFUL)
    last_try = task_in_state(dave, TaskResultStatus.RUNNING)
    DBTaskResult.objects.filter(pk__in=[mine.pk, done.pk]).update(worker_ids=["host-1"])
    DBTaskResult.objects.filter(pk=other.pk).update(worker_ids=["host-2"])
    DBTaskResult.objects.filter(pk=last_try.pk).update(worker_ids=["host-2", "host-1"])
    WorkerHeartbeat.objects.create(worker_id="host-1", hostname="h", pid=1, started_at=now - timedelta(seconds=5), last_seen=now)
    # The ordinary recovery leaves them alone: host-1 looks alive and the tasks are young.
    assert services.recover_lost_tasks() == ([], [])
    requeued, failed = services.recover_own_tasks("host-1")
    assert (requeued, failed) == ([mine.pk], [last_try.pk])
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "READY", other.pk: "RUNNING", done.pk: "SUCCESSFUL", last_try.pk: "FAILED"}
    assert services.recover_own_tasks("host-1") == ([], [])
