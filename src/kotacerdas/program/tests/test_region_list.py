"""The region list: filters, search, sorting, pagination and exports."""

import csv
import io

import pytest
from openpyxl import load_workbook

from kotacerdas.program.models import Participation, Phase, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region


@pytest.fixture
def client(client):
    """A client that asks for English, so the tests can read the source strings."""
    return client

URL = "/regions/"


def codes(response):
    return [region.code for region, _phase in response.context["rows"]]


@pytest.fixture
def demo_selection(reference_data):
    """A demo phase that selected one region with no real participation."""
    phase = Phase.objects.create(year=2027, name="Demo 2027", quota=25, is_demo=True)
    region = Region.objects.kabkota().exclude(participations__isnull=False).order_by("code").first()
    set_status(region, phase, ParticipationStatus.SELECTED, reason="demo pick")
    return region


def test_the_list_shows_the_514_kabupaten_and_kota_by_default(client, reference_data):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["count"] == 514
    assert "514 regions match." in response.content.decode()
    assert len(codes(response)) == 50


def test_the_kind_filter_shows_the_38_provinces(client, reference_data):
    response = client.get(URL, {"kind": "provinsi"})
    assert response.context["count"] == 38
    assert all("." not in code for code in codes(response))


def test_the_kind_filter_separates_kabupaten_from_kota(client, reference_data):
    assert client.get(URL, {"kind": "kabupaten"}).context["count"] == 416
    assert client.get(URL, {"kind": "kota"}).context["count"] == 98


def test_the_province_filter_keeps_only_the_regions_of_that_province(client, reference_data):
    response = client.get(URL, {"province": "63"})
    assert response.context["count"] == 13
    assert all(code.startswith("63.") for code in codes(response))
    assert '<option value="63" selected>' in response.content.decode()


def test_the_province_select_offers_the_38_provinces_by_code(client, reference_data):
    response = client.get(URL)
    assert [province.code for province in response.context["provinces"]] == list(
        Region.objects.provinces().order_by("code").values_list("code", flat=True)
    )
    assert len(response.context["provinces"]) == 38


def test_search_finds_regions_by_name_whatever_the_case(client, reference_data):
    response = client.get(URL, {"q": "BANJAR"})
    names = [region.name for region, _phase in response.context["rows"]]
    assert {"Kabupaten Banjar", "Kota Banjarmasin", "Kota Banjarbaru"} <= set(names)
    assert all("banjar" in name.lower() for name in names)


def test_search_finds_a_region_by_its_code(client, reference_data):
    response = client.get(URL, {"q": "63.03"})
    assert codes(response) == ["63.03"]


def test_page_two_shows_the_next_fifty_and_its_links_keep_the_filters(client, reference_data):
    response = client.get(URL, {"kind": "kabupaten", "page": 2})
    expected = list(Region.objects.filter(kind="kabupaten").order_by("code").values_list("code", flat=True))
    assert codes(response) == expected[50:100]
    html = response.content.decode()
    assert 'href="?kind=kabupaten&amp;page=3"' in html
    assert 'href="?kind=kabupaten&amp;page=1"' in html


@pytest.mark.parametrize(
    ("sort", "field", "reverse"),
    [("name", "name", False), ("-population", "population", True), ("area", "area_km2", False), ("-code", "code", True)],
)
def test_sorting_orders_the_whole_list(client, reference_data, sort, field, reverse):
    response = client.get(URL, {"sort": sort})
    values = [getattr(region, field) for region, _phase in response.context["rows"]]
    assert values == sorted(values, reverse=reverse)
    everything = sorted(Region.objects.kabkota().values_list(field, flat=True), reverse=reverse)
    assert values == everything[:50]


def test_the_selected_in_column_names_the_phase_and_marks_demo_phases(client, demo_selection):
    response = client.get(URL, {"q": "Kota Banjarbaru"})
    html = response.content.decode()
    assert "Tahap II 2018" in html
    assert "demo-badge" not in html
    response = client.get(URL, {"q": demo_selection.code})
    html = response.content.decode()
    assert "Demo 2027" in html
    assert 'class="demo-badge"' in html


def test_csv_export_holds_the_filtered_rows_with_their_columns(client, reference_data):
    response = client.get(URL, {"province": "63", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 13
    assert list(rows[0]) == [
        "code", "name", "kind", "province_code", "province", "island_group", "time_zone", "population",
        "area_km2", "figures_as_of", "selected_in_phase", "selected_in_year", "selected_in_demo_phase",
    ]
    banjarbaru = next(row for row in rows if row["code"] == "63.72")
    assert banjarbaru["name"] == "Kota Banjarbaru"
    assert banjarbaru["kind"] == "kota"
    assert banjarbaru["province"] == "Kalimantan Selatan"
    assert banjarbaru["island_group"] == "kalimantan"
    assert banjarbaru["time_zone"] == "WITA"
    assert banjarbaru["figures_as_of"] == "2024-12-31"
    assert banjarbaru["selected_in_phase"] == "Tahap II 2018"
    assert banjarbaru["selected_in_demo_phase"] == "no"
    assert int(banjarbaru["population"]) == Region.objects.get(code="63.72").population


def test_xlsx_export_parses_and_holds_the_filtered_rows(client, reference_data):
    response = client.get(URL, {"kind": "provinsi", "q": "papua", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "code"
    body = rows[1:]
    assert len(body) == 6
    assert all("Papua" in row[1] for row in body)
    assert all(row[2] == "provinsi" for row in body)


def test_export_says_so_when_it_holds_demo_selections(client, demo_selection):
    response = client.get(URL, {"q": demo_selection.code, "format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("DEMO")
    assert lines[2].split(",")[-1] == "yes"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "desa-ish"}, "is not a kind of region"),
        ({"province": "99"}, "There is no province with code"),
        ({"sort": "height"}, "cannot be sorted by"),
        ({"page": "many"}, None),
    ],
)
def test_bad_filter_values_give_a_message_not_an_error(client, reference_data, params, message):
    response = client.get(URL, params)
    assert response.status_code == 200
    if message:
        assert message in response.content.decode()
    assert response.context["count"] == 514


def test_export_links_carry_only_the_valid_filters(client, reference_data):
    response = client.get(URL, {"kind": "nonsense", "province": "63"})
    html = response.content.decode()
    assert 'href="?province=63&amp;format=csv"' in html


@pytest.mark.parametrize("params", [{"format": "pdf"}, {"format": "csv", "kind": "nonsense"}, {"format": "xlsx", "sort": "x"}])
def test_a_bad_export_request_is_a_400_with_its_reason(client, reference_data, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.content


def test_the_list_page_costs_a_few_queries(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(URL, {"province": "63"})
    assert Participation.objects.exists()
