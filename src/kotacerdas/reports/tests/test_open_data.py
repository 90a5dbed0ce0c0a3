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
    """Writes the package and every CSV as a client would download them, then validates (with
    rows in every table of the later stages, so their types are checked too)."""
    from kotacerdas.masterplans.tests.helpers import adopted_plan
    from kotacerdas.mentoring.services import ensure_institution

    _evaluation_round(2030, is_demo=False)
    adopted_plan("63.03")
    ensure_institution("Universitas Indonesia", short_name="UI")
    descriptor = client.get("/data/datapackage.json").json()
    names = [resource["name"] for resource in descriptor["resources"]]
    assert names == ["regions", "provinces", "phases", "selections", "screening-runs", "evaluation-results", "programs", "institutions"]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor))
    for resource in descriptor["resources"]:
        assert not resource["path"].startswith(("/", "http"))
        body = client.get(f"/data/{resource['path']}").content
        if resource["name"] in ("evaluation-results", "programs", "institutions"):
            assert body.count(b"\n") > 1, resource["name"]  # a header and at least one row
        (tmp_path / resource["path"]).write_bytes(body)
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
    for name in ("regions", "provinces", "phases", "selections", "screening-runs", "evaluation-results", "programs", "institutions"):
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


def _evaluation_round(year, *, is_demo, publish=True):
    from kotacerdas.evaluation import services
    from kotacerdas.evaluation.tests.helpers import BANJAR, BALIKPAPAN, region, scores, store

    evaluation = services.create_round(year, 1, region_ids=[region(BANJAR).pk, region(BALIKPAPAN).pk], is_demo=is_demo)
    store(evaluation, {BANJAR: scores("3.5", "3", "2.5", "2", "4"), BALIKPAPAN: scores("2", "2", "2", "2", "2")})
    if publish:
        services.close_round(evaluation)
        services.publish_round(evaluation)
    return evaluation


def test_evaluation_results_are_the_published_real_rounds_only(client):
    _evaluation_round(2030, is_demo=False)
    _evaluation_round(2031, is_demo=True)
    _evaluation_round(2032, is_demo=False, publish=False)
    rows = _csv(client.get("/data/evaluation-results.csv"))
    assert {row["year"] for row in rows} == {"2030"}
    banjar = next(row for row in rows if row["region_code"] == "63.03")
    assert banjar["national_rank"] == "1" and banjar["baseline"] == "3.5" and float(banjar["index"]) > 2
    assert client.get("/data/evaluation-results.json").json()["count"] == 2


def test_programs_are_those_of_adopted_real_plans_only(client):
    from kotacerdas.masterplans.tests.helpers import add_program, adopted_plan, make_plan

    adopted_plan("63.03")
    draft = make_plan("63.04")
    add_program(draft, name="Draft program")
    demo = adopted_plan("64.71")
    demo.is_demo = True
    demo.save()
    rows = _csv(client.get("/data/programs.csv"))
    assert {row["region_code"] for row in rows} == {"63.03"}
    assert sorted(row["name"] for row in rows) == ["Bank sampah digital", "Mal pelayanan publik digital"]
    quick = next(row for row in rows if row["quick_win"] == "true")
    assert quick["dimension"] and quick["budget"] == "100000000" and quick["horizon"] == "short"


def test_institutions_leave_out_the_demo_ones(client):
    from kotacerdas.mentoring.services import ensure_institution

    ensure_institution("Universitas Indonesia", short_name="UI")
    ensure_institution("Invented Institute", short_name="II", is_demo=True)
    rows = _csv(client.get("/data/institutions.csv"))
    assert [(row["name"], row["mentors"], row["regions_mentored"]) for row in rows] == [("Universitas Indonesia", "0", "0")]


def test_a_cell_that_looks_like_a_formula_is_neutralised(client):
    from kotacerdas.mentoring.services import ensure_institution

    ensure_institution("=HYPERLINK(\"http://x\")", short_name="X")
    rows = _csv(client.get("/data/institutions.csv"))
    assert rows[0]["name"].startswith("'=")
