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
    response = client.post(url, {"answers": {"has_plan": {"value": "yes", "revision": 0}, "budget": {"value": "abc", "revision": 1}},
                                 "submit": True}, content_type="application/json", **dave_api)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("The questionnaire has 2 answers to fix before it can be submitted.")
    assert "plan_year: This answer is required." in body["detail"] and "budget: Enter a number." in body["detail"]
    assert body["errors"] == [
        {"field": "plan_year", "code": "required", "message": "This answer is required."},
        {"field": "budget", "code": "type", "message": "Enter a number."},
    ]
    assert client.get(url, **dave_api).json()["answers"]["has_plan"]["value"] == "yes"  # the answers stay saved


def test_a_refused_save_is_400_with_its_reason(client, assignment, dave_api):
    url = f"/api/v1/questionnaires/{assignment.pk}/regions/63.03"
    response = client.post(url, {"answers": {"budget_million": {"value": "1", "revision": 0}}}, content_type="application/json", **dave_api)
    assert response.status_code == 400
    message = "These are not questions of this form: budget_million"
    assert response.json() == {"detail": message, "code": "invalid", "errors": [{"field": None, "message": message, "code": "invalid"}]}


def test_the_openapi_document_describes_the_refusal(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/questionnaires/{assignment_id}/regions/{code}"]["post"]
    assert set(operation["responses"]) == {"200", "400", "409", "401", "403", "404", "405", "413", "422", "429"}
    schema = operation["responses"]["400"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/ErrorOut")
    components = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert set(components["ErrorOut"]["properties"]) == {"detail", "code", "errors"}
    assert set(components["ErrorItem"]["properties"]) == {"field", "code", "message"}


def test_another_region_is_not_found(client, assignment, erin):
    _token, secret = create_token(erin, "test")
    response = client.get(f"/api/v1/questionnaires/{assignment.pk}/regions/63.03", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 404
