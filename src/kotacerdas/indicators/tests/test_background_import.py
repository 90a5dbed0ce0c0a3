"""A file larger than KOTACERDAS_INLINE_IMPORT_BYTES is stored and imported by a task worker; the
page follows the task, which leads to the import's report, or names the wrong row and column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from kotacerdas.indicators.services import seed_catalogue
from kotacerdas.indicators.models import ImportBatch, IndicatorValue
from kotacerdas.lib.jobs.models import TaskProgress
from kotacerdas.lib.jobs.tests.helpers import run_queued_tasks


@pytest.fixture
def catalogue(reference_data, settings):
    seed_catalogue()
    settings.KOTACERDAS_INLINE_IMPORT_BYTES = 10  # every test file counts as large


def _post(client, text):
    response = client.post("/indicators/imports/", {"file": SimpleUploadedFile("values.csv", text.encode())})
    assert response.status_code == 302 and response["Location"].startswith("/tasks/")
    return response["Location"].split("/")[2]


def test_a_large_file_is_imported_by_a_worker(admin_client, catalogue):
    task_id = _post(admin_client, "region_code,indicator,year,value\n63.03,ipm,2023,71\n63.71,ipm,2023,75\n")
    assert not IndicatorValue.objects.exists()  # nothing in the request
    run_queued_tasks()
    batch = ImportBatch.objects.get()
    assert IndicatorValue.objects.count() == 2
    progress = admin_client.get(f"/tasks/{task_id}/", HTTP_ACCEPT="application/json").json()
    assert progress["status"] == "SUCCESSFUL" and progress["result_url"] == f"/indicators/imports/{batch.pk}/"


def test_a_wrong_row_fails_the_task_naming_row_and_column_and_imports_nothing(admin_client, catalogue):
    task_id = _post(admin_client, "region_code,indicator,year,value\n63.03,ipm,2023,71\n63.03,ipm,2023,abc\n")
    run_queued_tasks()
    assert DBTaskResult.objects.get(pk=task_id).status == "FAILED"
    assert "row 3, column value" in TaskProgress.objects.get(task_id=task_id).message
    assert not IndicatorValue.objects.exists() and not ImportBatch.objects.exists()
