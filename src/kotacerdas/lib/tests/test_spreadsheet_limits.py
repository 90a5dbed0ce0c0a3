"""Spreadsheets are bounded on their content before any library parses them: the file's size,
its unpacked size, rows and cells that hold a value, characters per cell. A declared dimension
means nothing (a real XLSForm declares 1,048,576 × 1,024 and uses 90 rows)."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.lib.tabular import Limits, TableError, check_xlsx, read_table
from kotacerdas.lib.testing import xlsx_upload, xlsx_with_sheet_xml


@pytest.fixture(autouse=True)
def _english(english):
    """The tests check the English source strings."""
    yield


def _rows(count, columns=1):
    for number in range(1, count + 1):
        cells = "".join(f'<c r="{chr(65 + c)}{number}"><v>{number}</v></c>' for c in range(columns))
        yield f'<row r="{number}">{cells}</row>'


def test_a_declared_dimension_of_a_million_rows_is_not_counted():
    content = xlsx_with_sheet_xml(_rows(90, 12), dimension="A1:AMJ1048576")
    check_xlsx(content, Limits(max_rows=100, max_cells=2000))


def test_a_million_rows_are_refused_at_the_limit_without_reading_them_all():
    content = xlsx_with_sheet_xml(_rows(1_000_000))
    with pytest.raises(TableError) as refused:
        check_xlsx(content, Limits(max_rows=50_000))
    assert (refused.value.errors[0].row, refused.value.errors[0].column) == (50_001, "survey!")
    assert "more than 50000 rows" in refused.value.errors[0].message


def test_a_workbook_that_unpacks_to_200_mb_is_refused_before_parsing():
    content = xlsx_with_sheet_xml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], shared_strings=["a" * 2**20] * 200)
    assert len(content) < 1_000_000  # a small upload...
    with pytest.raises(TableError, match="unpacks to 200"):  # ...of 200 MB
        check_xlsx(content, Limits(max_unpacked=50 * 2**20))


def test_a_cell_longer_than_excel_allows_is_named():
    content = xlsx_with_sheet_xml(['<row r="1"><c r="A1"><v>1</v></c></row>', '<row r="2"><c r="B2" t="s"><v>0</v></c></row>'],
                                  shared_strings=["x" * 40_000], sheet_name="data")
    with pytest.raises(TableError) as refused:
        check_xlsx(content)
    error = refused.value.errors[0]
    assert (error.row, error.column) == (2, "data!B") and "40000 characters" in error.message


def test_read_table_refuses_too_many_rows_in_csv_and_xlsx():
    csv_file = SimpleUploadedFile("values.csv", ("code,value\n" + "63.03,1\n" * 11).encode())
    with pytest.raises(TableError, match="more than 10 rows") as refused:
        read_table(csv_file, limits=Limits(max_rows=10))
    assert refused.value.source == "values.csv"
    upload = xlsx_upload([["code", "value"]] + [["63.03", 1]] * 11, name="values.xlsx")
    with pytest.raises(TableError, match="more than 11 rows"):
        read_table(upload, limits=Limits(max_rows=11))  # the header is a row with values too


def test_read_table_refuses_a_file_over_its_size_before_reading_it():
    upload = SimpleUploadedFile("values.csv", b"code,value\n" + b"63.03,1\n" * 1000)
    with pytest.raises(TableError, match="larger than"):
        read_table(upload, limits=Limits(max_bytes=1000))


def test_read_table_refuses_a_long_csv_cell_naming_row_and_column():
    upload = SimpleUploadedFile("values.csv", ("code,name\n63.03,ok\n63.04," + "x" * 40_000 + "\n").encode())
    with pytest.raises(TableError) as refused:
        read_table(upload)
    error = refused.value.errors[0]
    assert (error.row, error.column) == (3, "name")


def test_nul_and_lone_surrogates_never_leave_the_reader():
    upload = SimpleUploadedFile("names.csv", "code,name\n63.03,Ban\x00jar\n".encode())
    table = read_table(upload)
    assert table.rows[0][1]["name"] == "Banjar"
