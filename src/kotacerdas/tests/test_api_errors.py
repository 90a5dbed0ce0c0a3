"""An API error never carries Django's or Python's own English text: a missing object is named
in the user's language with what to check."""

import json

from django.test import RequestFactory
from django.utils import translation

from kotacerdas.api import _not_found
from kotacerdas.regions.models import Region


def detail(exc, language):
    with translation.override(language):
        return json.loads(_not_found(RequestFactory().get("/api/v1/x"), exc).content)["detail"]


def test_a_missing_object_is_named_in_the_users_language(db):
    exc = Region.DoesNotExist("Region matching query does not exist.")
    english, indonesian = detail(exc, "en"), detail(exc, "id")
    assert "does not exist" not in english and "does not exist" not in indonesian
    assert english.startswith("No region with this code or id") and "check the address" in english
    assert indonesian != english and "wilayah" in indonesian


def test_a_404_from_a_lookup_says_what_to_check_and_our_own_404_keeps_its_words(db):
    from django.http import Http404

    assert detail(Http404("No Panel matches the given query."), "en") == "Not found: check the code or id in the address."
    assert detail(Http404("There is no phase in 2040."), "en") == "There is no phase in 2040."


def _is_the_one_shape(response, status, code):
    body = response.json()
    assert response.status_code == status and response["Content-Type"].startswith("application/json")
    assert body["code"] == code and body["errors"] and body["errors"][0]["code"] == code
    assert body["detail"] == " ".join(error["message"] for error in body["errors"])
    return body


def test_a_multipart_body_without_a_boundary_answers_the_one_error_shape(client, alice):
    from kotacerdas.accounts.tests.helpers import bearer

    for content_type in ("multipart/form-data", "multipart/form-data; boundary="):
        response = client.generic("POST", "/api/v1/indicators/imports", b"--x\r\n", content_type=content_type, **bearer(alice))
        body = _is_the_one_shape(response, 400, "invalid")
        assert "boundary" in body["detail"]
    # A page keeps Django's own answer (an HTML 400).
    client.force_login(alice)
    page = client.generic("POST", "/indicators/imports/", b"--x\r\n", content_type="multipart/form-data")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_a_body_too_large_answers_the_one_error_shape(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    response = client.generic("POST", "/api/v1/accounts/tokens", b"{" + b" " * 200 + b"}", content_type="application/json")
    assert "too large" in _is_the_one_shape(response, 413, "too_large")["detail"]
