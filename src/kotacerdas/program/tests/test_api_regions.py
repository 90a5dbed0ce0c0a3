"""GET /api/v1/regions and /api/v1/regions/{code}."""

import pytest

from kotacerdas.program.models import Phase, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db

ITEM_KEYS = {
    "code",
    "name",
    "kind",
    "province_code",
    "province_name",
    "island_group",
    "time_zone",
    "population",
    "area_km2",
    "selected_in",
    "selected_in_demo",
}


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def test_default_lists_the_514_kabupaten_and_kota_paginated(client, reference_data):
    response = get(client, "/api/v1/regions")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 514
    assert len(body["items"]) == 50
    assert {item["kind"] for item in body["items"]} <= {"kabupaten", "kota"}
    assert set(body["items"][0]) == ITEM_KEYS
    codes = [item["code"] for item in body["items"]]
    assert codes == sorted(codes)


def test_limit_and_offset_page_through_all_regions(client, reference_data):
    first = get(client, "/api/v1/regions", limit=1000).json()
    assert len(first["items"]) == 514
    page = get(client, "/api/v1/regions", limit=10, offset=500).json()
    assert page["count"] == 514
    assert [item["code"] for item in page["items"]] == [
        item["code"] for item in first["items"][500:510]
    ]
    past_the_end = get(client, "/api/v1/regions", offset=600).json()
    assert past_the_end == {"items": [], "count": 514}


def test_item_fields(client, reference_data):
    body = get(client, "/api/v1/regions", q="Kota Jambi").json()
    assert body["count"] == 1
    item = body["items"][0]
    region = Region.objects.get(name="Kota Jambi")
    assert item["code"] == region.code
    assert item["kind"] == "kota"
    assert item["province_code"] == region.province.code
    assert item["province_name"] == region.province.name
    assert item["island_group"] == "sumatra"
    assert item["time_zone"] == "WIB"
    assert item["population"] == region.population
    assert isinstance(item["area_km2"], float)
    assert item["area_km2"] == pytest.approx(float(region.area_km2))
    assert item["selected_in"] == 2017
    assert item["selected_in_demo"] is False


def test_a_region_never_selected_has_no_year(client, reference_data):
    items = get(client, "/api/v1/regions", limit=1000).json()["items"]
    never = [item for item in items if item["selected_in"] is None]
    assert len(never) == 514 - 25 - 50 - 6
    assert all(item["selected_in_demo"] is False for item in never)


def test_selection_in_a_demo_phase_is_flagged(client, reference_data):
    demo = Phase.objects.create(year=2027, name="Demo 2027", quota=5, is_demo=True)
    region = Region.objects.kabkota().exclude(participations__status=ParticipationStatus.SELECTED).order_by("code").first()
    set_status(region, demo, ParticipationStatus.SELECTED, reason="demo test")
    item = get(client, "/api/v1/regions", q=region.code).json()["items"][0]
    assert item["code"] == region.code
    assert item["selected_in"] == 2027
    assert item["selected_in_demo"] is True


def test_kind_provinsi_lists_the_38_provinces(client, reference_data):
    body = get(client, "/api/v1/regions", kind="provinsi").json()
    assert body["count"] == 38
    assert {item["kind"] for item in body["items"]} == {"provinsi"}
    kota = get(client, "/api/v1/regions", kind="kota").json()
    kabupaten = get(client, "/api/v1/regions", kind="kabupaten").json()
    assert kota["count"] + kabupaten["count"] == 514
    assert {item["kind"] for item in kota["items"]} == {"kota"}


def test_filter_by_province(client, reference_data):
    body = get(client, "/api/v1/regions", province="63", limit=1000).json()
    expected = Region.objects.kabkota().filter(province__code="63").count()
    assert expected > 0
    assert body["count"] == expected
    assert {item["province_code"] for item in body["items"]} == {"63"}
    assert all(item["code"].startswith("63.") for item in body["items"])


def test_q_matches_name_or_code_case_insensitively(client, reference_data):
    by_name = get(client, "/api/v1/regions", q="jambi", limit=1000).json()
    names = {item["name"] for item in by_name["items"]}
    assert "Kota Jambi" in names
    assert all("jambi" in name.lower() for name in names)
    by_code = get(client, "/api/v1/regions", q="63.0", limit=1000).json()
    assert by_code["count"] > 0
    assert all("63.0" in item["code"] for item in by_code["items"])
    nothing = get(client, "/api/v1/regions", q="no such place").json()
    assert nothing == {"items": [], "count": 0}


@pytest.mark.parametrize(
    "params",
    [{"limit": -1}, {"limit": 0}, {"limit": 1001}, {"limit": "many"}, {"offset": -5}, {"kind": "xyz"}],
)
def test_bad_parameters_are_json_errors(client, reference_data, params):
    response = get(client, "/api/v1/regions", **params)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_detail(client, reference_data):
    region = Region.objects.get(name="Kota Jambi")
    response = get(client, f"/api/v1/regions/{region.code}")
    assert response.status_code == 200
    body = response.json()
    assert ITEM_KEYS | {"figures_as_of", "parent", "participations"} == set(body)
    assert body["code"] == region.code
    assert body["parent"] == region.parent.code
    assert body["figures_as_of"] == (region.figures_as_of.isoformat() if region.figures_as_of else None)
    assert body["selected_in"] == 2017
    assert body["participations"] == [
        {
            "year": 2017,
            "phase": "Tahap I 2017",
            "is_demo": False,
            "status": "selected",
            "source": region.participations.get().source,
        }
    ]


def test_detail_of_a_province(client, reference_data):
    body = get(client, "/api/v1/regions/63").json()
    assert body["kind"] == "provinsi"
    assert body["parent"] is None
    assert body["province_code"] == "63"
    assert body["participations"] == []


def test_unknown_code_is_a_json_404(client, reference_data):
    response = get(client, "/api/v1/regions/99.99")
    assert response.status_code == 404
    assert "99.99" in response.json()["detail"]
