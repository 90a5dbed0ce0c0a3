"""The OpenAPI document at /api/v1/openapi.json."""

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_document_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in ("/api/v1/regions", "/api/v1/regions/{code}", "/api/v1/phases", "/api/v1/phases/{year}"):
        assert "get" in paths[path], path
    region_params = {param["name"] for param in paths["/api/v1/regions"]["get"]["parameters"]}
    assert {"kind", "province", "q", "limit", "offset"} <= region_params
    schemas = document["components"]["schemas"]
    assert {"RegionOut", "RegionDetailOut", "PhaseOut", "PhaseDetailOut"} <= set(schemas)


def test_no_two_schemas_share_a_name_and_a_runs_results_have_their_own_shape(client):
    """The tester found two schemas named ResultOut, RunDetailOut.results documented with the
    assessment's shape."""
    import kotacerdas.assessment.api as assessment_api
    import kotacerdas.screening.api as screening_api

    document = client.get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "ResultOut" not in schemas
    results = schemas["RunDetailOut"]["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(schemas[results]["properties"]) == set(screening_api.RunResultOut.model_fields)
    candidates = schemas["ResultsOut"]["properties"]["candidates"]["items"]["$ref"].rsplit("/", 1)[1]
    assert set(schemas[candidates]["properties"]) == set(assessment_api.CandidateResultOut.model_fields)
    names = [model.__name__ for module in (assessment_api, screening_api) for model in vars(module).values()
             if isinstance(model, type) and model.__name__.endswith("Out") and model.__module__ == module.__name__]
    assert len(names) == len(set(names))


def test_the_error_statuses_the_api_answers_are_documented(client, dave):
    from kotacerdas.accounts.services import create_token

    document = client.get("/api/v1/openapi.json").json()
    me = document["paths"]["/api/v1/accounts/me"]["get"]["responses"]
    assert {"200", "401", "403", "405"} <= set(me)
    region = document["paths"]["/api/v1/regions/{code}"]["get"]["responses"]
    assert {"200", "404", "405"} <= set(region)
    # ... and they are the statuses the API really answers.
    assert client.get("/api/v1/accounts/me").status_code == 401
    assert client.post("/api/v1/regions/63.03").status_code == 405
    assert client.get("/api/v1/regions/99.99").status_code == 404
    _token, secret = create_token(dave, "t")
    assert "403" in document["paths"]["/api/v1/assessment/{year}/scores"]["get"]["responses"]
    assert client.get("/api/v1/assessment/2017/scores", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 403


def test_the_api_docs_page_loads_swagger_ui_from_this_site_not_a_cdn(client):
    """Without internet the page must still work: every script and style it names is ours."""
    import re

    from django.contrib.staticfiles import finders

    page = client.get("/api/v1/docs").content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in addresses), addresses
    assert [a for a in addresses if a.startswith(("http:", "https:", "//"))] == []
    assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page
    for address in addresses:
        assert finders.find(address.removeprefix("/static/")), address


def test_every_page_names_a_favicon_that_exists(client):
    from django.contrib.staticfiles import finders

    page = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/kotacerdas/favicon.svg"' in page
    assert finders.find("kotacerdas/favicon.svg")
