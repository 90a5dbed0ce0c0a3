import csv
import io

import pytest
from openpyxl import load_workbook

from kotacerdas.lib.export import table_response


def test_a_csv_export_keeps_the_notice_header_and_rows():
    response = table_response("regions", ["code", "name"], [["63.03", "Kabupaten Banjar"]], "csv", notice="DEMO")
    assert response["Content-Disposition"] == 'attachment; filename="regions.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [["DEMO"], ["code", "name"], ["63.03", "Kabupaten Banjar"]]


def test_an_xlsx_export_opens_in_openpyxl():
    response = table_response("regions", ["code", "population"], [["63.03", 600000]], "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [["code", "population"], ["63.03", 600000]]


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        table_response("regions", ["code"], [], "pdf")
