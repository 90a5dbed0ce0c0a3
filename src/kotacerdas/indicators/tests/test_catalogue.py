"""The catalogue holds the program's screening criteria; everyone can read it."""

import pytest

from kotacerdas.indicators.models import Indicator
from kotacerdas.indicators.services import seed_catalogue


@pytest.fixture
def catalogue(reference_data):
    seed_catalogue()


def test_the_seeded_catalogue_has_the_programs_criteria(catalogue):
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {"fiscal_capacity_index", "fiscal_capacity_category", "ekppd_score", "ekppd_status", "green_city_index",
            "sustainable_city_index", "ipm", "spbe_index", "population", "area_km2"} <= codes
    fiscal = Indicator.objects.get(code="fiscal_capacity_category")
    assert [c["label"] for c in fiscal.categories] == ["sangat rendah", "rendah", "sedang", "tinggi", "sangat tinggi"]
    assert fiscal.source_agency.startswith("Kemenkeu")
    assert [c["label"] for c in Indicator.objects.get(code="ekppd_status").categories] == ["rendah", "sedang", "tinggi", "sangat tinggi"]
    assert Indicator.objects.get(code="sustainable_city_index").region_kinds == ["kota"]
    assert Indicator.objects.get(code="ipm").max_value == 100


def test_seeding_twice_keeps_the_ministrys_edits(catalogue):
    Indicator.objects.filter(code="ipm").update(name_en="IPM (edited)")
    assert seed_catalogue() == 0
    assert Indicator.objects.get(code="ipm").name_en == "IPM (edited)"


def test_the_catalogue_page_is_public_and_in_english_on_request(client, catalogue):
    response = client.get("/indicators/")
    assert response.status_code == 200
    assert "Human development index (IPM)" in response.content.decode()


def test_the_api_lists_the_catalogue(client, catalogue):
    data = client.get("/api/v1/indicators").json()
    fiscal = next(item for item in data if item["code"] == "fiscal_capacity_category")
    assert fiscal["value_type"] == "categorical" and fiscal["categories"][2] == {"label": "sedang", "score": 3.0}
