"""The API twins of the result, follow-up and verification pages (issue #22): each takes the
page's permission action and scope, validates through the page's form, calls the page's service,
and refuses bad input in the one error shape naming the field, with nothing written."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kotacerdas.accounts.services import create_token
from kotacerdas.assessment.models import Score
from kotacerdas.evaluation import services
from kotacerdas.evaluation.models import Finding, FollowUp, FollowUpStatus, Objection

from .helpers import BANJAR, BARITO_KUALA, TANAH_LAUT, make_round, region, scores, store
from .test_verification import verification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}


def _post(client, url, body, user):
    return client.post(url, json.dumps(body), content_type="application/json", **_auth(user))


def _fields(response):
    return [error["field"] for error in response.json()["errors"]]


@pytest.fixture
def draft(reference_data):
    evaluation = make_round(2031, 1, codes=(BANJAR, BARITO_KUALA, TANAH_LAUT))
    store(evaluation, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00"), BARITO_KUALA: scores("2.00", "2.00", "2.00", "2.00", "2.00")})
    return evaluation


# --- findings (the ministry) -------------------------------------------------------------------


def test_the_ministry_records_a_finding_and_a_recommendation_becomes_a_follow_up_item(client, draft, alice):
    following = make_round(2031, 2, codes=(BANJAR,))
    url = f"/api/v1/evaluation/rounds/{draft.pk}/results/{BANJAR}/findings"
    response = _post(client, url, {"kind": "recommendation", "text": "  Tetapkan Perbup masterplan "}, alice)
    assert response.status_code == 201, response.json()
    finding = Finding.objects.get(pk=response.json()["id"])
    assert (finding.region.code, finding.kind, finding.text, finding.created_by) == (BANJAR, "recommendation", "Tetapkan Perbup masterplan", alice)
    assert response.json()["follow_up_id"] == FollowUp.objects.get(recommendation=finding, answered_in=following).pk


def test_a_finding_of_an_unknown_kind_or_without_text_is_refused_naming_the_field(client, draft, alice):
    url = f"/api/v1/evaluation/rounds/{draft.pk}/results/{BANJAR}/findings"
    bad_kind = _post(client, url, {"kind": "praise", "text": "Bagus"}, alice)
    assert bad_kind.status_code == 400 and _fields(bad_kind) == ["kind"]
    no_text = _post(client, url, {"kind": "strength", "text": "   "}, alice)
    assert no_text.status_code == 400 and _fields(no_text) == ["text"]
    assert not Finding.objects.exists()


def test_a_finding_of_a_published_round_is_refused(client, draft, alice):
    services.publish_round(draft)
    response = _post(client, f"/api/v1/evaluation/rounds/{draft.pk}/results/{BANJAR}/findings", {"kind": "strength", "text": "Bagus"}, alice)
    assert response.status_code == 400 and "findings are final" in response.json()["detail"]
    assert not Finding.objects.exists()


def test_findings_are_the_ministrys_and_a_region_without_result_is_not_found(client, draft, alice, dave):
    body = {"kind": "strength", "text": "Bagus"}
    assert _post(client, f"/api/v1/evaluation/rounds/{draft.pk}/results/{BANJAR}/findings", body, dave).status_code == 403
    assert _post(client, f"/api/v1/evaluation/rounds/{draft.pk}/results/{TANAH_LAUT}/findings", body, alice).status_code == 404
    assert not Finding.objects.exists()


# --- objections (the region's operator) -----------------------------------------------------------


@pytest.fixture
def published(draft):
    return services.publish_round(draft, objections_close_at=timezone.now() + datetime.timedelta(days=14))


def test_the_regions_operator_files_an_objection_to_its_own_result(client, published, dave):
    response = _post(client, f"/api/v1/evaluation/rounds/{published.pk}/results/{BANJAR}/objections", {"text": " Skor output salah "}, dave)
    assert response.status_code == 201, response.json()
    objection = Objection.objects.get(pk=response.json()["id"])
    assert (objection.result.region.code, objection.text, objection.filed_by, objection.status) == (BANJAR, "Skor output salah", dave, "open")


def test_an_objection_without_text_is_refused_naming_the_field(client, published, dave):
    response = _post(client, f"/api/v1/evaluation/rounds/{published.pk}/results/{BANJAR}/objections", {"text": "  "}, dave)
    assert response.status_code == 400 and _fields(response) == ["text"]
    assert not Objection.objects.exists()


def test_an_objection_after_the_window_is_refused(client, draft, dave):
    services.publish_round(draft)  # no window opened
    response = _post(client, f"/api/v1/evaluation/rounds/{draft.pk}/results/{BANJAR}/objections", {"text": "Salah"}, dave)
    assert response.status_code == 400 and "not open" in response.json()["detail"]
    assert not Objection.objects.exists()


def test_an_objection_is_the_regions_own_operators(client, published, alice, erin):
    url = f"/api/v1/evaluation/rounds/{published.pk}/results/{BANJAR}/objections"
    assert _post(client, url, {"text": "Salah"}, alice).status_code == 403
    assert _post(client, url, {"text": "Salah"}, erin).status_code == 404  # Barito Kuala's operator
    assert not Objection.objects.exists()


# --- follow-up answers (the region's operator, multipart) ------------------------------------------


@pytest.fixture
def item(draft):
    services.add_finding(draft, region(BANJAR), "recommendation", "Tetapkan Perbup masterplan")
    make_round(2031, 2, codes=(BANJAR,))
    return FollowUp.objects.get(recommendation__region__code=BANJAR)


def test_the_regions_operator_answers_a_follow_up_item_with_evidence(client, item, dave):
    evidence = SimpleUploadedFile("perbup.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")
    response = client.post(f"/api/v1/evaluation/follow-ups/{item.pk}", {"status": "done", "note": "Perbup 12/2031", "evidence": evidence},
                           **_auth(dave))
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done" and response.json()["has_evidence"]
    item.refresh_from_db()
    assert item.status == FollowUpStatus.DONE and item.note == "Perbup 12/2031" and item.evidence and item.updated_by == dave


def test_a_bad_answer_is_refused_naming_the_field_and_the_item_kept(client, item, dave):
    url = f"/api/v1/evaluation/follow-ups/{item.pk}"
    unknown = client.post(url, {"status": "finished"}, **_auth(dave))
    assert unknown.status_code == 400 and _fields(unknown) == ["status"]
    without_evidence = client.post(url, {"status": "done", "note": "Sudah"}, **_auth(dave))
    assert without_evidence.status_code == 400 and _fields(without_evidence) == ["evidence"]
    fake = SimpleUploadedFile("perbup.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    disguised = client.post(url, {"status": "done", "evidence": fake}, **_auth(dave))
    assert disguised.status_code == 400 and _fields(disguised) == ["evidence"]
    item.refresh_from_db()
    assert item.status == FollowUpStatus.OPEN and item.note == "" and not item.evidence


def test_a_follow_up_item_is_its_regions_operators(client, item, alice, erin):
    url = f"/api/v1/evaluation/follow-ups/{item.pk}"
    assert client.post(url, {"status": "in_progress"}, **_auth(alice)).status_code == 403
    assert client.post(url, {"status": "in_progress"}, **_auth(erin)).status_code == 404
    item.refresh_from_db()
    assert item.status == FollowUpStatus.OPEN


# --- verification scores (the assigned assessor) ------------------------------------------------


def _put(client, url, body, user):
    return client.put(url, json.dumps(body), content_type="application/json", **_auth(user))


def test_the_assessor_enters_and_submits_the_verification_scores(client, bob, django_user_model):
    _evaluation, panel, first, _second, _grace = verification(bob, django_user_model)
    url = f"/api/v1/evaluation/verifications/{first.pk}/scores"
    codes = list(panel.aspects.order_by("order").values_list("code", flat=True))
    partial = _put(client, url, {"scores": [{"aspect": codes[0], "value": 3, "comment": "cukup"}]}, bob)
    assert partial.status_code == 200, partial.json()
    assert partial.json()["scores"] == [{"aspect": codes[0], "value": 3, "comment": "cukup"}] and not partial.json()["submitted"]
    done = _put(client, url, {"scores": [{"aspect": code, "value": 0 if code == "quick_win" else 4} for code in codes], "submit": True}, bob)
    assert done.status_code == 200 and done.json()["submitted"]
    assert Score.objects.filter(assignment=first).count() == len(codes)


def test_bad_verification_scores_are_refused_naming_the_field_and_nothing_written(client, bob, django_user_model):
    _evaluation, panel, first, _second, _grace = verification(bob, django_user_model)
    url = f"/api/v1/evaluation/verifications/{first.pk}/scores"
    code = panel.aspects.order_by("order").first().code
    unknown = _put(client, url, {"scores": [{"aspect": code, "value": 3}, {"aspect": "charm", "value": 5}]}, bob)
    assert unknown.status_code == 400 and _fields(unknown) == ["scores.1.aspect"]
    too_high = _put(client, url, {"scores": [{"aspect": code, "value": 6}]}, bob)
    assert too_high.status_code == 422 and _fields(too_high) == ["scores.0.value"]
    incomplete = _put(client, url, {"scores": [{"aspect": code, "value": 3}], "submit": True}, bob)
    assert incomplete.status_code == 400
    assert not Score.objects.filter(assignment=first).exists()
    first.refresh_from_db()
    assert first.submitted_at is None


def test_verification_scores_are_the_assigned_assessors(client, bob, alice, dave, django_user_model):
    _evaluation, panel, first, second, _grace = verification(bob, django_user_model)
    body = {"scores": [{"aspect": panel.aspects.first().code, "value": 3}]}
    assert _put(client, f"/api/v1/evaluation/verifications/{first.pk}/scores", body, alice).status_code == 403
    assert _put(client, f"/api/v1/evaluation/verifications/{first.pk}/scores", body, dave).status_code == 403
    assert _put(client, f"/api/v1/evaluation/verifications/{second.pk}/scores", body, bob).status_code == 404  # grace's
    assert not Score.objects.exists()
