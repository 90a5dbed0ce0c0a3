"""/healthz: 200 when the database answers, 503 when it does not."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_database_failure_is_503(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("database is gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    # And the connection works again afterwards.
    assert client.get("/healthz").status_code == 200


def test_it_reports_the_storage_and_the_age_of_the_oldest_queued_task(client):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from kotacerdas.reports.tasks import snapshot_open_data

    body = client.get("/healthz").json()
    assert body["storage"] == "FileSystemStorage"
    assert body["oldest_queued_task_seconds"] is None and body["tasks_queued"] == 0
    result = snapshot_open_data.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=10))
    body = client.get("/healthz").json()
    assert body["tasks_queued"] == 1 and 599 <= body["oldest_queued_task_seconds"] < 3600


def test_a_storage_that_refuses_files_is_503_with_the_reason(client):
    from django.core.files.storage import storages

    with mock.patch.object(type(storages["default"]), "save", side_effect=PermissionError("read-only file system")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == "PermissionError: read-only file system"
    assert response.json()["database"] == connection.vendor
