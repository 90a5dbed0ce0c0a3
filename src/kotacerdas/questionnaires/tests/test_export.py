"""Exports in the Kobo/ODK style: XLSX, CSV and JSON."""

import io
import json

import pytest
from openpyxl import load_workbook

from kotacerdas.questionnaires import services

from .conftest import complete_answers


@pytest.fixture
def filled(submission, dave):
    services.save_answers(submission, {**complete_answers(), "apps": ("2", 0), "app_name#1": ("SIMDA", 0), "app_name#2": ("SIPD", 0)}, user=dave)
    return submission


def test_xlsx_has_one_row_per_region_and_a_sheet_per_repeat(client, filled, alice):
    client.force_login(alice)
    response = client.get(f"/questionnaires/{filled.assignment_id}/export/xlsx/")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["submissions", "apps"]
    rows = list(workbook["submissions"].values)
    header = rows[1]  # the first row says the phase is a demo
    assert "Demo" in rows[0][0]
    row = dict(zip(header, rows[3]))
    assert row["_region_code"] == "63.03" and row["areas"] == "gov eco"
    assert row["areas/gov"] == 1 and row["areas/env"] == 0
    assert row["plan_year"] == 2024 and row["why_not"] in ("", None)  # not relevant
    labels = dict(zip(header, rows[2]))
    assert labels["areas/gov"] == "Bidang / Pemerintahan" or labels["areas/gov"] == "Areas / Governance"
    apps = list(workbook["apps"].values)
    assert [r[:3] for r in apps[3:]] == [(filled.pk, 1, "SIMDA"), (filled.pk, 2, "SIPD")]


def test_csv_and_json(client, filled, alice):
    client.force_login(alice)
    csv_text = client.get(f"/questionnaires/{filled.assignment_id}/export/csv/").content.decode("utf-8-sig")
    assert "areas/gov" in csv_text.splitlines()[1]
    data = json.loads(client.get(f"/questionnaires/{filled.assignment_id}/export/json/").content)
    assert data["sheets"]["submissions"][0]["_region_code"] == "63.03"
    assert data["sheets"]["apps"][1]["app_name"] == "SIPD"
    assert client.get(f"/questionnaires/{filled.assignment_id}/export/pdf/").status_code == 400
