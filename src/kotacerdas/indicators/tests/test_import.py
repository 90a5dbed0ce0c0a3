"""Importing values: long and wide files, replacement kept, and every bad input named by row and
column with nothing written."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from kotacerdas.indicators.models import ImportBatch, IndicatorValue, ReplacedValue
from kotacerdas.indicators.services import import_values, seed_catalogue
from kotacerdas.lib.tabular import TableError
from kotacerdas.lib.testing import xlsx_upload


@pytest.fixture
def catalogue(reference_data):
    seed_catalogue()


def csv_file(text, name="values.csv"):
    return SimpleUploadedFile(name, text.encode())


LONG = "region_code,indicator,year,value\n63.03,ipm,2023,70.5\n63.03,fiscal_capacity_category,2023,Sedang\n63.71,sustainable_city_index,2023,61\n"


def test_it_imports_a_long_file(catalogue):
    batch = import_values(csv_file(LONG))
    assert (batch.value_count, batch.created_count, batch.replaced_count, batch.layout) == (3, 3, 0, "long")
    fiscal = IndicatorValue.objects.get(region__code="63.03", indicator__code="fiscal_capacity_category")
    assert (fiscal.value, fiscal.category, fiscal.synthetic) == (3.0, "sedang", False)


def test_it_imports_a_wide_file_and_skips_empty_cells(catalogue):
    batch = import_values(csv_file("region_code,region_name,year,ipm,spbe_index\n63.03,Banjar,2023,70.1,2.5\n63.04,Barito Kuala,2023,,3\n"))
    assert (batch.layout, batch.value_count) == ("wide", 3)
    assert IndicatorValue.objects.filter(region__code="63.04").count() == 1


def test_an_xlsx_file_is_read_too(catalogue):
    batch = import_values(xlsx_upload([["region_code", "indicator", "year", "value"], ["63.03", "ipm", 2023, 70.25]],
                                      "values.xlsx"))
    assert IndicatorValue.objects.get(batch=batch).value == 70.25


def test_a_wide_xlsx_file_is_imported(catalogue):
    batch = import_values(xlsx_upload([
        ["region_code", "region_name", "year", "ipm", "fiscal_capacity_category", "sustainable_city_index"],
        ["63.03", "Kabupaten Banjar", 2023, 70.1, "Sedang", None],
        ["63.71", "Kota Banjarmasin", 2023, 77.5, "tinggi", 64],
    ]))
    assert (batch.layout, batch.value_count, batch.created_count) == ("wide", 5, 5)
    stored = {(v.region.code, v.indicator.code): (v.year, v.value, v.category)
              for v in IndicatorValue.objects.filter(batch=batch).select_related("region", "indicator")}
    assert stored == {
        ("63.03", "ipm"): (2023, 70.1, ""), ("63.03", "fiscal_capacity_category"): (2023, 3.0, "sedang"),
        ("63.71", "ipm"): (2023, 77.5, ""), ("63.71", "fiscal_capacity_category"): (2023, 4.0, "tinggi"),
        ("63.71", "sustainable_city_index"): (2023, 64.0, ""),
    }


def test_a_bad_cell_of_a_wide_xlsx_file_is_named_by_row_and_column(catalogue):
    with pytest.raises(TableError) as caught:
        import_values(xlsx_upload([
            ["region_code", "year", "ipm", "spbe_index"],
            ["63.03", 2023, 70.1, 2.5],
            ["63.04", 2023, 69.0, "tiga"],
        ]))
    [error] = caught.value.errors
    assert (error.row, error.column) == (3, "spbe_index") and "not a number" in error.message
    assert "row 3, column spbe_index" in str(caught.value)
    assert not IndicatorValue.objects.exists() and not ImportBatch.objects.exists()


def test_a_value_replaces_the_stored_one_and_the_old_one_is_kept(catalogue):
    first = import_values(csv_file(LONG))
    second = import_values(csv_file("region_code,indicator,year,value\n63.03,ipm,2023,72\n63.03,ipm,2024,73\n"))
    assert (second.created_count, second.replaced_count) == (1, 1)
    assert IndicatorValue.objects.get(region__code="63.03", indicator__code="ipm", year=2023).value == 72
    replaced = ReplacedValue.objects.get(batch=second)
    assert (replaced.old_value, replaced.new_value, replaced.old_batch_id) == (70.5, 72, first.pk)


@pytest.mark.parametrize(
    "row, column, words",
    [
        ("99.99,ipm,2023,70", "region_code", "not a region code"),
        ("63.03,happiness,2023,70", "indicator", "not an indicator"),
        ("63.03,ipm,2023,seventy", "value", "not a number"),
        ("63.03,fiscal_capacity_category,2023,lumayan", "value", "not a category"),
        ("63.03,ipm,2023,170", "value", "outside the valid range"),
        ("63.03,ipm,20x3,70", "year", "not a year"),
        ("63.03,sustainable_city_index,2023,60", "value", "applies only to"),
        ("63.03,ipm,2023,", "value", "empty"),
    ],
)
def test_each_bad_cell_is_named_and_nothing_is_written(catalogue, row, column, words):
    text = "region_code,indicator,year,value\n63.04,ipm,2023,69\n" + row + "\n"
    with pytest.raises(TableError) as caught:
        import_values(csv_file(text))
    [error] = caught.value.errors
    assert (error.row, error.column) == (3, column)
    assert words in error.message
    assert not IndicatorValue.objects.exists() and not ImportBatch.objects.exists()


def test_a_duplicate_row_is_an_error(catalogue):
    with pytest.raises(TableError) as caught:
        import_values(csv_file("region_code,indicator,year,value\n63.03,ipm,2023,70\n63.03,ipm,2023,71\n"))
    [error] = caught.value.errors
    assert error.row == 3 and "duplicate" in error.message and "row 2" in error.message


def test_an_unknown_column_of_a_wide_file_is_an_error(catalogue):
    with pytest.raises(TableError) as caught:
        import_values(csv_file("region_code,year,happiness\n63.03,2023,1\n"))
    assert (caught.value.errors[0].row, caught.value.errors[0].column) == (1, "happiness")


def test_a_file_without_the_needed_columns_is_refused(catalogue):
    with pytest.raises(TableError):
        import_values(csv_file("code,value\n63.03,1\n"))


def test_the_ministry_imports_on_the_page_and_sees_what_was_replaced(admin_client, catalogue):
    import_values(csv_file(LONG))
    response = admin_client.post("/indicators/imports/", {"file": csv_file("region_code,indicator,year,value\n63.03,ipm,2023,71\n")})
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    assert "Values this import replaced" in page and "70.5" in page


def test_the_page_lists_the_errors_and_imports_nothing(admin_client, catalogue):
    response = admin_client.post("/indicators/imports/", {"file": csv_file("region_code,indicator,year,value\n63.03,ipm,2023,abc\n")})
    assert response.status_code == 400
    assert "row 2, column value" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_command_exits_non_zero_with_row_and_column(catalogue, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("region_code,indicator,year,value\n63.03,ipm,2023,70\n63.03,ipm,2023,900\n")
    with pytest.raises(CommandError) as caught:
        call_command("import_indicators", str(path))
    assert "row 3, column value" in str(caught.value)
    assert not IndicatorValue.objects.exists()


def test_the_command_imports_a_good_file(catalogue, tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(LONG)
    out = io.StringIO()
    call_command("import_indicators", str(path), stdout=out)
    assert "imported 3 values" in out.getvalue()
