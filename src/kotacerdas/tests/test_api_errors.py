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
