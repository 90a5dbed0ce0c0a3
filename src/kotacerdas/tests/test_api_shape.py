"""One error shape, declared statuses and unique schema names across the whole API (issue #22)."""

import importlib
import pkgutil

import pytest
from ninja import Schema

import kotacerdas

pytestmark = pytest.mark.django_db


def api_modules():
    for info in pkgutil.iter_modules(kotacerdas.__path__):
        try:
            yield importlib.import_module(f"kotacerdas.{info.name}.api")
        except ModuleNotFoundError:
            continue


def test_no_two_schemas_of_the_api_share_a_name():
    """django-ninja names a component after its class: two classes of one name in two apps would
    silently document one app's shape for the other's (questionnaires' ErrorOut once stood in for
    every error)."""
    seen = {}
    for module in api_modules():
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                assert value.__name__ not in seen, f"{value.__name__} in {module.__name__} and {seen[value.__name__]}"
                seen[value.__name__] = module.__name__
    assert len(seen) > 50


def assert_error_shape(body, status_code):
    assert set(body) == {"detail", "code", "errors"}, body
    assert body["errors"] and all(set(item) == {"field", "message", "code"} for item in body["errors"])
    assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.indonesian
def test_every_error_has_one_shape_in_indonesian_unless_english_is_asked(client):
    default = client.get("/api/v1/accounts/me")
    assert default.status_code == 401
    assert_error_shape(default.json(), 401)
    assert default.json()["code"] == "not_authenticated"
    assert default.json()["detail"].startswith("Masuk atau kirim token API")
    english = client.get("/api/v1/accounts/me", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["detail"].startswith("Sign in or send an API token")

    missing = client.get("/api/v1/regions/99.99", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert_error_shape(missing.json(), 404)

    invalid = client.get("/api/v1/regions?limit=0", HTTP_ACCEPT_LANGUAGE="en")
    assert invalid.status_code == 422 and invalid.json()["code"] == "invalid_request"
    assert_error_shape(invalid.json(), 422)
    assert invalid.json()["errors"][0]["field"] == "limit"
    in_indonesian = client.get("/api/v1/regions?limit=abc").json()
    assert in_indonesian["errors"][0]["field"] == "limit" and in_indonesian["errors"][0]["message"] == "Masukkan angka."


def test_every_operation_declares_its_error_statuses_with_the_error_schema(client):
    document = client.get("/api/v1/openapi.json").json()
    operations = 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            operations += 1
            responses = operation["responses"]
            assert {"405", "429"} <= set(responses), (method, path)
            if operation.get("security"):
                assert {"401", "403"} <= set(responses), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in responses, (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert {"400", "409", "413"} <= set(responses), (method, path)
            for status, response in responses.items():
                # The one exception: a questionnaire save whose answers collided with another
                # device's answers 409 with the saved state and the conflicts, to resolve them.
                if (status, path) == ("409", "/api/v1/questionnaires/{assignment_id}/regions/{code}"):
                    continue
                if status.startswith(("4", "5")) and status != "405":
                    assert response["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut"), (status, method, path)
    assert operations > 20
    assert set(document["components"]["schemas"]["ErrorOut"]["properties"]) == {"detail", "code", "errors"}
