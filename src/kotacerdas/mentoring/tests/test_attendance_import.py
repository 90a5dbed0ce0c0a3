"""Attendance: entered on the page or imported from the sign-in sheet (XLSX); a bad row is named
by row and column and nothing of the sheet is saved."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.lib.tabular import TableError
from kotacerdas.lib.testing import xlsx_upload
from kotacerdas.mentoring import services
from kotacerdas.mentoring.models import Attendance

from .helpers import BANJAR, region, small_cohort

pytestmark = pytest.mark.django_db


def test_a_sign_in_sheet_is_imported_for_the_operators_region(reference_data):
    cohort, _m, _a = small_cohort()
    first = cohort.bimteks.get(number=1)
    sheet = xlsx_upload([("name", "body", "position"), ("Siti Aminah", "Bappeda", "Kepala"), ("Budi", "Diskominfo", "")])
    assert services.import_attendance(first, sheet, region=region(BANJAR)) == 2
    assert list(Attendance.objects.values_list("name", "body", "region__code")) == [
        ("Budi", "Diskominfo", BANJAR), ("Siti Aminah", "Bappeda", BANJAR),
    ]


def test_bad_rows_are_named_and_nothing_is_saved(reference_data):
    cohort, _m, _a = small_cohort()
    first = cohort.bimteks.get(number=1)
    sheet = xlsx_upload([
        ("name", "body", "position", "region_code"),
        ("Siti Aminah", "Bappeda", "Kepala", ""),
        ("", "Diskominfo", "Staf", ""),
        ("Budi", "", "", "63.04"),
    ])
    with pytest.raises(TableError) as refused:
        services.import_attendance(first, sheet, region=region(BANJAR))
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "name"), (4, "region_code"), (4, "body")]
    assert "this sheet is for 63.03 only" in str(refused.value)
    assert not Attendance.objects.exists()


def test_a_sheet_for_the_whole_cohort_names_unknown_regions(reference_data):
    cohort, _m, _a = small_cohort()
    first = cohort.bimteks.get(number=1)
    sheet = xlsx_upload([("name", "body", "position", "region_code"), ("A", "B", "", "63.01"), ("C", "D", "", "")])
    with pytest.raises(TableError) as refused:
        services.import_attendance(first, sheet)
    assert [(e.row, e.column, e.message) for e in refused.value.errors] == [
        (2, "region_code", "63.01 does not take part in this Bimtek"), (3, "region_code", "the region code is empty"),
    ]
    assert not Attendance.objects.exists()


def test_a_sheet_without_the_columns_is_refused(reference_data):
    cohort, _m, _a = small_cohort()
    with pytest.raises(TableError, match="column body: required column is missing"):
        services.import_attendance(cohort.bimteks.get(number=1), xlsx_upload([("name", "position"), ("A", "")]), region=region(BANJAR))


def test_one_attendance_on_the_page_needs_a_name_and_a_body(reference_data):
    cohort, _m, _a = small_cohort()
    with pytest.raises(ValidationError) as refused:
        services.record_attendance(cohort.bimteks.get(number=1), region(BANJAR), name="", body="")
    assert set(refused.value.message_dict) == {"name", "body"}


def test_the_import_page_shows_the_bad_rows(reference_data, client, dave, english):
    cohort, _m, _a = small_cohort()
    first = cohort.bimteks.get(number=1)
    client.force_login(dave)
    sheet = xlsx_upload([("name", "body", "position"), ("Siti", "", "")], name="hadir.xlsx")
    response = client.post(
        f"/mentoring/{cohort.phase.year}/regions/{BANJAR}/", {"action": "import", "bimtek": first.pk, "file": sheet}, follow=True,
    )
    assert "row 2, column body" in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_api_imports_a_sign_in_sheet_or_names_the_bad_row_and_writes_nothing(reference_data, client, dave):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from kotacerdas.accounts.services import create_token
    from kotacerdas.mentoring.models import Attendance
    from kotacerdas.mentoring.tests.helpers import BANJAR, small_cohort

    cohort, _mentors, _assignments = small_cohort()
    bimtek = cohort.bimteks.get(number=1)

    def sheet(rows):
        workbook = Workbook()
        for row in [["name", "body", "position"], *rows]:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return SimpleUploadedFile("hadir.xlsx", buffer.getvalue())

    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(dave, 't')[1]}"}
    url = f"/api/v1/mentoring/bimtek/{bimtek.pk}/regions/{BANJAR}/attendance/import"
    bad = client.post(url, {"file": sheet([["Rina", "Bappeda", "Kepala"], ["", "Diskominfo", "Staf"]])}, **headers)
    assert bad.status_code == 400 and "3" in str(bad.json()) and "name" in str(bad.json())
    assert not Attendance.objects.exists()
    good = client.post(url, {"file": sheet([["Rina", "Bappeda", "Kepala"], ["Budi", "Diskominfo", "Staf"]])}, **headers)
    assert good.status_code == 200 and good.json() == {"imported": 2}
    assert sorted(Attendance.objects.values_list("name", flat=True)) == ["Budi", "Rina"]
