"""The questionnaire pages' actions through the API: the ministry imports an XLSForm, attaches it
to a phase, reads the progress, extends a region's deadline and reviews submissions; a region's
operator attaches evidence. The same services, the same permissions, the one error shape naming
the field, nothing written on refusal."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kotacerdas.accounts.tests.helpers import bearer
from kotacerdas.questionnaires import services
from kotacerdas.questionnaires.models import DeadlineExtension, Evidence, Form, FormAssignment

from .conftest import CHOICES, SURVEY, complete_answers, xlsform

PDF = b"%PDF-1.4\n%%EOF\n"


def fields(response):
    return {item["field"] for item in response.json()["errors"]}


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


# --- forms --------------------------------------------------------------------------------------

def test_the_ministry_imports_a_form_and_attaches_it_to_a_phase(client, phase, alice):
    upload = SimpleUploadedFile("uji.xlsx", xlsform(SURVEY, CHOICES))
    response = client.post("/api/v1/questionnaires/forms", {"file": upload}, **bearer(alice))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["form_id"] == "uji" and body["version"] == 1 and body["question_count"] > 5
    attach = post(client, f"/api/v1/questionnaires/forms/{body['form']}/assignments",
                  {"phase": phase.year, "stage": "questionnaire", "opens_at": "2031-01-05T08:00:00",
                   "closes_at": "2031-02-05T17:00:00"}, alice)
    assert attach.status_code == 201, attach.content
    assignment = FormAssignment.objects.get(pk=attach.json()["id"])
    assert assignment.phase == phase
    # Without a time zone the times are WIB, as on the page.
    assert assignment.closes_at == datetime.datetime(2031, 2, 5, 10, 0, tzinfo=datetime.timezone.utc)


def test_a_broken_workbook_is_refused_with_its_sheet_row_and_column(client, phase, alice):
    bad = xlsform([["select_one nolist", "q1", "Q", "Q"]], CHOICES)
    response = client.post("/api/v1/questionnaires/forms", {"file": SimpleUploadedFile("bad.xlsx", bad)}, **bearer(alice))
    assert response.status_code == 400
    assert fields(response) == {"file"} and "row 2" in response.json()["detail"]
    assert not Form.objects.exists()


def test_attaching_names_the_field_at_fault(client, phase, alice, form_bytes):
    version = services.import_form(form_bytes, "uji.xlsx")
    url = f"/api/v1/questionnaires/forms/{version.form_id}/assignments"
    times = {"opens_at": "2031-01-05T08:00:00", "closes_at": "2031-02-05T17:00:00"}
    assert fields(post(client, url, {"phase": 1990, "stage": "questionnaire", **times}, alice)) == {"phase"}
    assert fields(post(client, url, {"phase": phase.year, "stage": "nope", **times}, alice)) == {"stage"}
    backwards = post(client, url, {"phase": phase.year, "stage": "questionnaire", "opens_at": times["closes_at"],
                                   "closes_at": times["opens_at"]}, alice)
    assert backwards.status_code == 400 and backwards.json()["errors"]
    assert not FormAssignment.objects.exists()


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_only_the_ministry_imports_and_attaches_forms(client, phase, form_bytes, role_users, role):
    user = role_users[role]
    response = client.post("/api/v1/questionnaires/forms", {"file": SimpleUploadedFile("uji.xlsx", form_bytes)}, **bearer(user))
    assert response.status_code == 403 and not Form.objects.exists()
    version = services.import_form(form_bytes, "uji.xlsx")
    response = post(client, f"/api/v1/questionnaires/forms/{version.form_id}/assignments",
                    {"phase": phase.year, "stage": "questionnaire", "opens_at": "2031-01-05T08:00:00",
                     "closes_at": "2031-02-05T17:00:00"}, user)
    assert response.status_code == 403 and not FormAssignment.objects.exists()


# --- progress and deadlines ---------------------------------------------------------------------

def test_the_ministry_reads_the_progress_and_extends_a_deadline_in_the_regions_time(client, assignment, submission, alice):
    rows = {row["region_code"]: row for row in client.get(f"/api/v1/questionnaires/{assignment.pk}/progress", **bearer(alice)).json()}
    assert rows["63.03"]["status"] == "draft" and rows["63.03"]["submission"] == submission.pk
    assert rows["63.04"]["status"] == "not_started"
    later = (timezone.now() + datetime.timedelta(days=30)).replace(tzinfo=None, microsecond=0)
    response = post(client, f"/api/v1/questionnaires/{assignment.pk}/extensions",
                    {"region_code": "91.03", "closes_at": later.isoformat(), "reason": "Jaringan putus"}, alice)
    assert response.status_code == 201, response.content
    extension = DeadlineExtension.objects.get(assignment=assignment)
    # 91.03 is in Papua: the time typed is WIT (UTC+9).
    assert extension.closes_at == later.replace(tzinfo=datetime.timezone(datetime.timedelta(hours=9)))


def test_an_extension_must_be_later_and_name_a_region(client, assignment, alice):
    url = f"/api/v1/questionnaires/{assignment.pk}/extensions"
    early = post(client, url, {"region_code": "63.03", "closes_at": "2020-01-01T00:00:00"}, alice)
    assert early.status_code == 400 and fields(early) == {"closes_at"}
    unknown = post(client, url, {"region_code": "99.99", "closes_at": "2099-01-01T00:00:00"}, alice)
    assert unknown.status_code == 400 and fields(unknown) == {"region_code"}
    assert not DeadlineExtension.objects.exists()


def test_an_operator_neither_reads_the_progress_nor_extends(client, assignment, dave):
    assert client.get(f"/api/v1/questionnaires/{assignment.pk}/progress", **bearer(dave)).status_code == 403
    response = post(client, f"/api/v1/questionnaires/{assignment.pk}/extensions",
                    {"region_code": "63.03", "closes_at": "2099-01-01T00:00:00"}, dave)
    assert response.status_code == 403 and not DeadlineExtension.objects.exists()


# --- review -------------------------------------------------------------------------------------

@pytest.fixture
def submitted(submission, dave):
    services.save_answers(submission, complete_answers(), user=dave)
    services.submit(submission, user=dave)
    return submission


def test_the_ministry_returns_then_accepts(client, submitted, dave, alice):
    base = f"/api/v1/questionnaires/submissions/{submitted.pk}"
    refused = post(client, f"{base}/return", {}, alice)
    assert refused.status_code == 400 and "comment" in refused.json()["detail"]
    response = post(client, f"{base}/return", {"comments": {"plan_year": "Lampirkan SK"}}, alice)
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert services.latest_comments(submitted)[0] == {"plan_year": "Lampirkan SK"}
    not_submitted = post(client, f"{base}/accept", {}, alice)
    assert not_submitted.status_code == 400 and "submitted" in not_submitted.json()["detail"]
    services.submit(submitted, user=dave)
    assert post(client, f"{base}/accept", {"comment": "Baik"}, alice).json()["status"] == "accepted"


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_no_other_role_reviews(client, submitted, role_users, role):
    response = post(client, f"/api/v1/questionnaires/submissions/{submitted.pk}/accept", {}, role_users[role])
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


# --- evidence -----------------------------------------------------------------------------------

def evidence_url(assignment, code="63.03"):
    return f"/api/v1/questionnaires/{assignment.pk}/regions/{code}/evidence"


def test_the_operator_attaches_evidence(client, submission, dave):
    response = client.post(evidence_url(submission.assignment), {"key": "has_plan", "file": SimpleUploadedFile("sk.pdf", PDF)},
                           **bearer(dave))
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(pk=response.json()["id"])
    assert evidence.submission == submission and evidence.original_name == "sk.pdf"


def test_a_file_that_is_not_what_its_name_says_or_a_wrong_question_is_named(client, submission, dave):
    fake = client.post(evidence_url(submission.assignment), {"key": "has_plan", "file": SimpleUploadedFile("sk.pdf", b"MZ...")},
                       **bearer(dave))
    assert fake.status_code == 400 and fields(fake) == {"file"}
    wrong = client.post(evidence_url(submission.assignment), {"key": "nope", "file": SimpleUploadedFile("sk.pdf", PDF)}, **bearer(dave))
    assert wrong.status_code == 400 and fields(wrong) == {"key"}
    assert not Evidence.objects.exists()


def test_another_regions_operator_and_the_ministry_may_not_attach(client, submission, erin, alice):
    other = client.post(evidence_url(submission.assignment), {"key": "has_plan", "file": SimpleUploadedFile("sk.pdf", PDF)},
                        **bearer(erin))
    assert other.status_code == 404
    ministry = client.post(evidence_url(submission.assignment), {"key": "has_plan", "file": SimpleUploadedFile("sk.pdf", PDF)},
                           **bearer(alice))
    assert ministry.status_code == 403
    assert not Evidence.objects.exists()
