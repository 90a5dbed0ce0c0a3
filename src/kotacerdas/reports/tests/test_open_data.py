"""Open data under /data/: the tables, their formats, the Frictionless package and polling."""

import csv
import io
import json

import pytest
from frictionless import Package
from openpyxl import load_workbook

from kotacerdas.program.models import Participation, Phase, ParticipationStatus
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db


def _csv(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode() if response.streaming else response.content.decode())))


def test_the_regions_table_lists_the_514_kabupaten_and_kota(client):
    rows = _csv(client.get("/data/regions.csv"))
    assert len(rows) == 514
    first = rows[0]
    assert first["code"] == "11.01" and first["province_code"] == "11"
    assert set(first) >= {"code", "name", "kind", "population", "area_km2"}


def test_the_provinces_table_lists_the_38_provinces(client):
    assert len(_csv(client.get("/data/provinces.csv"))) == 38


def test_selections_hold_the_real_phases_and_never_demo_ones(client):
    demo = Phase.objects.create(year=2031, name="Demo", quota=2, is_demo=True)
    region = Region.objects.get(code="63.03")
    Participation.objects.create(phase=demo, region=region, status=ParticipationStatus.SELECTED)

    rows = _csv(client.get("/data/selections.csv"))
    years = {row["phase_year"] for row in rows}
    assert {"2017", "2018"} <= years
    assert "2031" not in years
    by_year = {year: sum(1 for row in rows if row["phase_year"] == year) for year in years}
    assert by_year["2017"] == 25 and by_year["2018"] == 50
    phases = _csv(client.get("/data/phases.csv"))
    assert [row["year"] for row in phases] == ["2017", "2018", "2019"]
    assert phases[0]["selected"] == "25"


def test_each_table_comes_as_csv_xlsx_and_json_with_the_same_rows(client):
    rows = _csv(client.get("/data/provinces.csv"))
    data = client.get("/data/provinces.json").json()
    assert data["count"] == len(rows) == len(data["items"])
    assert data["items"][0]["code"] == rows[0]["code"]
    response = client.get("/data/provinces.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="provinces.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert list(values[0]) == list(rows[0].keys())
    assert len(values) == len(rows) + 1


def test_an_unknown_table_or_format_is_404(client):
    assert client.get("/data/nothing.csv").status_code == 404
    assert client.get("/data/regions.parquet").status_code == 404


def test_the_data_package_validates_with_frictionless(client, tmp_path):
    """Writes the package and every CSV as a client would download them, then validates."""
    descriptor = client.get("/data/datapackage.json").json()
    names = [resource["name"] for resource in descriptor["resources"]]
    assert names == ["regions", "provinces", "phases", "selections", "screening-runs"]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    for resource in descriptor["resources"]:
        assert not resource["path"].startswith(("/", "http"))
        (tmp_path / resource["path"]).write_bytes(client.get(f"/data/{resource['path']}").content)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_frictionless_finds_a_row_that_breaks_the_schema(client, tmp_path):
    """The validation above can fail: a population that is not a number is reported."""
    descriptor = client.get("/data/datapackage.json").json()
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] == "provinces"]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    text = client.get("/data/provinces.csv").content.decode()
    lines = text.splitlines()
    cells = lines[1].split(",")
    cells[4] = "many"
    lines[1] = ",".join(cells)
    (tmp_path / "provinces.csv").write_text("\n".join(lines) + "\n")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid
    assert ["population"] in report.flatten(["fieldName"])


def test_clients_poll_with_etag_and_last_modified(client):
    first = client.get("/data/selections.csv")
    assert first["ETag"] and first["Last-Modified"]
    again = client.get("/data/selections.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get("/data/selections.csv", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304

    participation = Participation.objects.filter(phase__year=2018, status=ParticipationStatus.SELECTED).first()
    participation.status = ParticipationStatus.WITHDRAWN
    participation.save()
    changed = client.get("/data/selections.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert len(_csv(changed)) == len(_csv(first)) - 1


def test_the_open_data_page_links_every_table_and_is_linked_from_every_page(client):
    page = client.get("/data/").content.decode()
    for name in ("regions", "provinces", "phases", "selections", "screening-runs"):
        for file_format in ("csv", "xlsx", "json"):
            assert f'href="/data/{name}.{file_format}"' in page
    assert 'href="/data/datapackage.json"' in page
    assert 'href="/data/"' in client.get("/").content.decode()


def test_a_formula_looking_name_is_written_as_text_in_csv_and_kept_as_is_in_json(client):
    phase = Phase.objects.get(year=2017)
    phase.name = '=HYPERLINK("http://evil.example","klik")'
    phase.save()
    rows = _csv(client.get("/data/phases.csv"))
    assert rows[0]["name"] == "'" + phase.name
    items = client.get("/data/phases.json").json()["items"]
    assert items[0]["name"] == phase.name
