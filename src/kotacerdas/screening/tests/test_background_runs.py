"""A screening run over more units than KOTACERDAS_INLINE_SCREENING_UNITS (villages) goes to a
task worker; the form leads to the task's page, which leads to the run once it is done."""

import pytest
from django_tasks_db.models import DBTaskResult

from kotacerdas.lib.jobs.models import TaskProgress
from kotacerdas.lib.jobs.tests.helpers import run_queued_tasks
from kotacerdas.screening.models import ScreeningRun

from .helpers import demo_phase

FORM = {"criteria": ["ipm", "spbe_index"], "w_ipm": "2", "w_spbe_index": "1", "method": "saw", "data_year": "2026",
        "shortlist_size": "20", "seed": "3", "samples": "300", "weighting": "direct"}


@pytest.fixture
def phase(reference_data):
    return demo_phase()


def test_a_large_run_is_screened_by_a_worker_and_the_page_leads_to_it(admin_client, phase, settings):
    settings.KOTACERDAS_INLINE_SCREENING_UNITS = 100  # as if the 514 regions were 84,000 villages
    response = admin_client.post("/phases/2027/screening/new/", FORM)
    task_id = response["Location"].split("/")[2]
    assert response["Location"] == f"/tasks/{task_id}/" and not ScreeningRun.objects.exists()
    run_queued_tasks()
    run = ScreeningRun.objects.get()
    assert run.seed == 3 and run.created_by is not None
    assert admin_client.get(f"/tasks/{task_id}/", HTTP_ACCEPT="application/json").json()["result_url"] == f"/phases/2027/screening/{run.pk}/"


def test_a_refused_run_fails_the_task_with_the_reason(admin_client, phase, settings, english):
    settings.KOTACERDAS_INLINE_SCREENING_UNITS = 100
    response = admin_client.post("/phases/2027/screening/new/", {**FORM, "criteria": ["ipm", "nope"]})
    task_id = response["Location"].split("/")[2]
    run_queued_tasks()
    assert DBTaskResult.objects.get(pk=task_id).status == "FAILED" and not ScreeningRun.objects.exists()
    assert TaskProgress.objects.get(task_id=task_id).message == "Unknown indicators: nope."


def test_the_514_regions_are_still_screened_in_the_request(admin_client, phase):
    response = admin_client.post("/phases/2027/screening/new/", FORM)
    assert response["Location"] == f"/phases/2027/screening/{ScreeningRun.objects.get().pk}/"
