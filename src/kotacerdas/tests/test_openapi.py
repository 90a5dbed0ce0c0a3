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
