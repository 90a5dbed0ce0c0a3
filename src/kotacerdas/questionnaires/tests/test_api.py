"""The API: a form's structure and answers as JSON with the page's validation and conflicts."""

import pytest

from kotacerdas.accounts.services import create_token


@pytest.fixture
def dave_api(client, dave):
    _token, secret = create_token(dave, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_gives_the_structure_and_saves_answers(client, assignment, dave_api):
    url = f"/api/v1/questionnaires/{assignment.pk}/regions/63.03"
    state = client.get(url, **dave_api).json()
    assert state["status"] == "not_started" and state["definition"]["form_id"] == "uji"
    response = client.post(url, {"answers": {"has_plan": {"value": "no", "revision": 0}}}, content_type="application/json", **dave_api)
    assert response.status_code == 200
    body = response.json()
    assert body["saved"] == {"has_plan": 1} and body["relevant"]["why_not"] is True and body["relevant"]["plan_year"] is False


def test_a_conflict_is_409_and_other_answers_merge(client, assignment, dave_api):
    url = f"/api/v1/questionnaires/{assignment.pk}/regions/63.03"
    client.post(url, {"answers": {"why_not": {"value": "a", "revision": 0}}}, content_type="application/json", **dave_api)
    client.post(url, {"answers": {"why_not": {"value": "b", "revision": 1}}}, content_type="application/json", **dave_api)
    response = client.post(url, {"answers": {"why_not": {"value": "c", "revision": 1}, "has_plan": {"value": "no", "revision": 0}}}, content_type="application/json", **dave_api)
    assert response.status_code == 409
    assert response.json()["conflicts"] == [{"key": "why_not", "mine": "c", "theirs": "b", "revision": 2}]
    assert response.json()["saved"] == {"has_plan": 1}


def test_submitting_an_incomplete_form_is_refused(client, assignment, dave_api):
    url = f"/api/v1/questionnaires/{assignment.pk}/regions/63.03"
    response = client.post(url, {"answers": {}, "submit": True}, content_type="application/json", **dave_api)
    assert response.status_code == 400 and "has_plan" in response.json()["detail"]


def test_another_region_is_not_found(client, assignment, erin):
    _token, secret = create_token(erin, "test")
    response = client.get(f"/api/v1/questionnaires/{assignment.pk}/regions/63.03", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 404
