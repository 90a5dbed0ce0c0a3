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


TYPED = ["=HYPERLINK(\"http://evil\",\"x\")", "+62 812 3456", "-1+1", "@SUM(A1)", "ok\x07bell", "normal"]


def test_an_xlsx_export_never_writes_a_typed_text_as_a_live_formula():
    response = table_response("answers", ["answer", "number"], [[text, -5] for text in TYPED], "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)][1:]
    assert [row[0] for row in rows] == ["'=HYPERLINK(\"http://evil\",\"x\")", "'+62 812 3456", "'-1+1", "'@SUM(A1)", "okbell", "normal"]
    assert all(cell.data_type == "s" for cell in list(sheet.columns)[0][1:])
    assert all(row[1] == -5 for row in rows)  # numbers stay numbers


def test_a_csv_export_neutralises_formulas_too():
    response = table_response("answers", ["answer"], [[text] for text in TYPED[:2]], "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1:] == [["'=HYPERLINK(\"http://evil\",\"x\")"], ["'+62 812 3456"]]
