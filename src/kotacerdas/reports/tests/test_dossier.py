"""Audit dossiers: a region's path through a phase as HTML and PDF, full for the ministry and
public (no personal data) for everyone else; a whole phase's dossiers made on a worker into one
archive, with progress recorded."""

import datetime
import hashlib
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from kotacerdas.assessment.models import Score
from kotacerdas.assessment.tests.helpers import small_panel
from kotacerdas.lib.jobs.models import TaskProgress
from kotacerdas.lib.jobs.tests.helpers import run_queued_tasks
from kotacerdas.program.models import ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.questionnaires.tests.conftest import assignment, form_bytes, phase  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def scored(bob, alice):
    """The small demo panel with Tanah Laut (63.01) scored by bob and grace, then selected, with an MoU."""
    from kotacerdas.assessment.selection import record_mou

    panel, assignments = small_panel(bob)
    aspect = panel.aspects.order_by("order").first()
    for key, value in (("bob", 4), ("grace_first", 3)):
        score = Score(assignment=assignments[key], aspect=aspect, value=value)
        score._history_user = bob if key == "bob" else None
        score.save()
    region = assignments["bob"].region
    set_status(region, panel.phase, ParticipationStatus.ASSESSED, reason="scored", user=alice)
    set_status(region, panel.phase, ParticipationStatus.SELECTED, reason="decided", user=alice)
    record_mou(panel.phase, region, signed_on=datetime.date(2027, 5, 15), place="Jakarta", number="MOU/01/2027",
               signatories="Budi Santoso, Bupati", user=alice)
    return panel.phase, region


def _text(response):
    return response.content.decode()


def test_the_ministry_reads_the_full_dossier_with_names(client, alice, scored):
    phase, region = scored
    client.force_login(alice)
    html = _text(client.get(f"/regions/{region.code}/dossier/{phase.year}/"))
    assert "Full version (ministry)" in html
    assert "Bob Uji" in html  # the assessor by name
    assert "Budi Santoso, Bupati" in html  # the MoU's signatories
    assert "MoU number MOU/01/2027 signed in Jakarta" in html
    assert "Krippendorff" in html
    assert ">alice<" in html  # who changed the participation, in the change log
    # The status change by its labels, not the stored codes.
    assert re.search(r"<td>status</td><td>\w[^<]*</td><td>Selected</td>", html)


def test_the_public_dossier_leaves_out_personal_data(client, scored, role_users):
    phase, region = scored
    for user in (None, role_users["assessor"], role_users["operator"]):
        client.logout()
        client.cookies["django_language"] = "en"
        if user is not None:
            client.force_login(user)
        html = _text(client.get(f"/regions/{region.code}/dossier/{phase.year}/"))
        assert "Public version: personal data left out" in html
        assert "Assessor 1" in html and "Assessor 2" in html
        assert "Bob Uji" not in html and "Grace" not in html
        assert "Budi Santoso" not in html
        assert ">alice<" not in html and ">bob<" not in html
        assert "MoU number MOU/01/2027 signed in Jakarta" in html


def test_the_pdf_reads_back_with_the_same_facts(client, alice, scored):
    phase, region = scored
    response = client.get(f"/regions/{region.code}/dossier/{phase.year}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(f'dossier-{phase.year}-{region.code}-public.pdf"')
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert region.name in text and "MOU/01/2027" in text and "Assessor 1" in text
    assert "Budi Santoso" not in text
    client.force_login(alice)
    full = client.get(f"/regions/{region.code}/dossier/{phase.year}.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(full.content)).pages)
    assert "Budi Santoso" in text and "Change log" in text


def test_evidence_files_are_listed_with_their_sha256(client, alice, assignment, dave):  # noqa: F811
    from kotacerdas.questionnaires import services
    from kotacerdas.regions.models import Region

    banjar = Region.objects.get(code="63.03")
    submission = services.start_submission(assignment, banjar, user=dave)
    services.add_evidence(submission, "has_plan", SimpleUploadedFile("sk-walikota.pdf", PDF), user=dave)
    digest = hashlib.sha256(PDF).hexdigest()
    public = _text(client.get(f"/regions/63.03/dossier/{assignment.phase.year}/"))
    assert digest in public and "has_plan" in public and "sk-walikota.pdf" not in public
    client.force_login(alice)
    full = _text(client.get(f"/regions/63.03/dossier/{assignment.phase.year}/"))
    assert digest in full and "sk-walikota.pdf" in full


def test_a_whole_phase_is_made_on_a_worker_into_one_archive(client, alice, scored, role_users):
    phase, region = scored
    client.force_login(role_users["operator"])
    assert client.post(f"/dossiers/{phase.year}/", {"version": "full"}).status_code == 403
    client.force_login(alice)
    assert client.get(f"/dossiers/{phase.year}/").status_code == 200
    response = client.post(f"/dossiers/{phase.year}/", {"version": "public"})
    assert response.status_code == 302 and response["Location"].startswith("/tasks/")
    [task_id] = run_queued_tasks()
    progress = TaskProgress.objects.get(task_id=task_id)
    assert progress.done == progress.total == 2  # the panel's two candidates
    archive = client.get(f"/tasks/{task_id}/file")
    with zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))) as zipped:
        names = zipped.namelist()
        assert names == [f"dossier-{phase.year}-63.01.pdf", f"dossier-{phase.year}-63.04.pdf"]
        text = PdfReader(io.BytesIO(zipped.read(names[0]))).pages[0].extract_text()
    assert "Tanah Laut" in text and "Public version" in text
