import io

import pytest

from kotacerdas.lib.tabular import TableError, read_table
from kotacerdas.lib.testing import xlsx_upload


def test_it_reads_a_csv_with_line_numbers_and_stripped_cells(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code, name\n 11 ,Aceh\n\n12,Sumatera Utara\n", encoding="utf-8")
    table = read_table(path, required_columns=("code", "name"))
    assert table.columns == ["code", "name"]
    assert table.rows == [(2, {"code": "11", "name": "Aceh"}), (4, {"code": "12", "name": "Sumatera Utara"})]


def test_it_reads_an_xlsx_the_same_way():
    upload = xlsx_upload([["code", "name"], ["63.03", "Kabupaten Banjar"]], "upload.xlsx")
    table = read_table(upload, required_columns=("code",))
    assert table.rows == [(2, {"code": "63.03", "name": "Kabupaten Banjar"})]


def test_it_names_each_missing_column(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("code\n11\n", encoding="utf-8")
    with pytest.raises(TableError) as caught:
        read_table(path, required_columns=("code", "name", "kind"))
    assert [(e.row, e.column) for e in caught.value.errors] == [(1, "name"), (1, "kind")]
    assert "name" in str(caught.value)


def test_it_says_a_damaged_xlsx_cannot_be_read():
    with pytest.raises(TableError) as caught:
        read_table(io.BytesIO(b"not a zip file"), name="broken.xlsx")
    assert "broken.xlsx" in str(caught.value)


def test_a_kabupaten_kota_code_that_a_spreadsheet_made_a_number_is_read_back_as_the_code():
    table = read_table(xlsx_upload([
        ["region_code", "value", "note"],
        [63.1, 63.1, 63.1],  # typed as 63.10
        [63.01, 1.5, "x"],
        ["63.03", 2, None],
        [11, 3, None],  # a province code stays whole
    ], "codes.xlsx"))
    assert [row["region_code"] for _line, row in table.rows] == ["63.10", "63.01", "63.03", "11"]
    # Only code columns: a value or a note keeps the number as it is.
    assert table.rows[0][1]["value"] == "63.1" and table.rows[0][1]["note"] == "63.1"
