"""The API twin of the phase dossiers page (issue #22): the ministry starts the same task on a
worker and is answered 202 with the task; its file is the same ZIP archive."""

import io
import json
import zipfile

import pytest

from kotacerdas.accounts.services import create_token
from kotacerdas.lib.jobs.models import TaskProgress
from kotacerdas.lib.jobs.tests.helpers import run_queued_tasks

from .test_dossier import scored  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _post(client, year, body, user):
    return client.post(f"/api/v1/reports/phases/{year}/dossiers", json.dumps(body), content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {create_token(user, 'test')[1]}")


def test_the_ministry_starts_the_dossiers_of_a_phase_and_gets_the_task(client, alice, scored):  # noqa: F811
    phase, _region = scored
    response = _post(client, phase.year, {"version": "public"}, alice)
    assert response.status_code == 202, response.json()
    task_id = response.json()["task_id"]
    assert response.json()["progress_url"] == f"/tasks/{task_id}/"
    assert [str(ran) for ran in run_queued_tasks()] == [task_id]
    progress = TaskProgress.objects.get(task_id=task_id)
    assert progress.done == progress.total == 2 and "public" in progress.result_file
    client.force_login(alice)
    archive = client.get(f"/tasks/{task_id}/file")
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as zipped:
        assert zipped.namelist() == [f"dossier-{phase.year}-63.01.pdf", f"dossier-{phase.year}-63.04.pdf"]


def test_a_bad_version_or_an_unknown_phase_is_refused_and_no_task_started(client, alice, scored):  # noqa: F811
    phase, _region = scored
    bad = _post(client, phase.year, {"version": "secret"}, alice)
    assert bad.status_code == 422 and [error["field"] for error in bad.json()["errors"]] == ["version"]
    unknown = _post(client, 1999, {"version": "full"}, alice)
    assert unknown.status_code == 404 and "1999" in unknown.json()["detail"]
    assert not TaskProgress.objects.exists() and run_queued_tasks() == []


def test_the_dossiers_of_a_phase_are_the_ministrys(client, role_users, scored):  # noqa: F811
    phase, _region = scored
    for role in ("operator", "other operator", "assessor", "mentor"):
        assert _post(client, phase.year, {"version": "public"}, role_users[role]).status_code == 403, role
    assert client.post(f"/api/v1/reports/phases/{phase.year}/dossiers", "{}", content_type="application/json").status_code == 401
    assert not TaskProgress.objects.exists()
