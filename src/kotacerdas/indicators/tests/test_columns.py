"""The packed columns of indicator values (indicators/columns.py) against the rows, after every
way of writing values: imports (new and replacing), an import that fails, saves and deletes
through the ORM (as the admin does), a value moved to another year, the query set's bulk
methods, a region deleted with its values; and a stale column's rebuild that is not stored when
another writer marked it meanwhile."""

import numpy as np
import pytest

from kotacerdas.indicators import columns
from kotacerdas.indicators.models import ImportBatch, Indicator, IndicatorValue, ReplacedValue, ValueColumn
from kotacerdas.indicators.services import seed_catalogue, write_values
from kotacerdas.regions.models import Region


@pytest.fixture
def setting(reference_data):
    seed_catalogue()
    ipm, spbe = Indicator.objects.get(code="ipm"), Indicator.objects.get(code="spbe_index")
    regions = list(Region.objects.filter(kind="kabupaten").order_by("code").values_list("pk", flat=True)[:6])
    return ipm, spbe, regions


def read(indicator, year, kinds=None):
    """{region id: value} of one indicator and year as read (rebuilding stale columns)."""
    found, _indicators, years, numbers = columns.read([indicator.pk], year, kinds)
    return {r: v for r, y, v in zip(found.tolist(), years.tolist(), numbers.tolist()) if y == year}


def rows(indicator, year):
    return dict(IndicatorValue.objects.filter(indicator=indicator, year=year).values_list("region_id", "value"))


def column(indicator, year, kind="kabupaten"):
    return ValueColumn.objects.get(indicator=indicator, year=year, kind=kind)


def test_an_import_writes_fresh_columns_and_a_second_one_merges_into_them(setting):
    ipm, spbe, regions = setting
    write_values([(regions[0], ipm.pk, 2023, 70.5, ""), (regions[1], ipm.pk, 2023, 71.0, ""),
                  (regions[0], spbe.pk, 2023, 2.5, "")], file_name="first")
    assert not column(ipm, 2023).stale and not column(spbe, 2023).stale
    assert columns.check() == []
    write_values([(regions[1], ipm.pk, 2023, 80.0, ""), (regions[2], ipm.pk, 2023, 60.0, "")], file_name="second",
                 synthetic=True)
    fresh = column(ipm, 2023)
    assert not fresh.stale and fresh.synthetic
    assert np.frombuffer(bytes(fresh.region_ids), "<i8").tolist() == sorted(regions[:3])
    assert read(ipm, 2023) == rows(ipm, 2023) == {regions[0]: 70.5, regions[1]: 80.0, regions[2]: 60.0}
    assert not column(spbe, 2023).synthetic
    assert columns.check() == []


def test_an_import_that_fails_leaves_the_columns_as_they_were(setting, monkeypatch):
    ipm, _spbe, regions = setting
    write_values([(regions[0], ipm.pk, 2023, 70.5, "")], file_name="first")
    before = (bytes(column(ipm, 2023).region_ids), bytes(column(ipm, 2023).numbers))

    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # A failure after the rows and columns are written, inside the import's transaction.
    monkeypatch.setattr(ReplacedValue.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        write_values([(regions[0], ipm.pk, 2023, 1.0, ""), (regions[1], ipm.pk, 2023, 2.0, ""),
                      (regions[1], ipm.pk, 2024, 2.0, "")], file_name="bad")
    monkeypatch.undo()
    after = column(ipm, 2023)
    assert (bytes(after.region_ids), bytes(after.numbers)) == before and not after.stale
    assert not ValueColumn.objects.filter(indicator=ipm, year=2024).exists()
    assert columns.check() == []


def test_saves_and_deletes_through_the_orm_mark_the_column_stale_and_the_next_read_rebuilds_it(setting):
    ipm, _spbe, regions = setting
    write_values([(regions[0], ipm.pk, 2023, 70.5, ""), (regions[1], ipm.pk, 2023, 71.0, "")], file_name="first")
    value = IndicatorValue.objects.get(region_id=regions[0], indicator=ipm, year=2023)
    value.value = 99.0
    value.save()  # as the admin's change form does
    assert column(ipm, 2023).stale
    assert read(ipm, 2023) == {regions[0]: 99.0, regions[1]: 71.0}
    assert not column(ipm, 2023).stale and columns.check() == []
    value.year = 2020  # moved to another year: both columns change
    value.save()
    assert column(ipm, 2023).stale and column(ipm, 2020).stale
    assert read(ipm, 2023) == {regions[1]: 71.0} and read(ipm, 2020) == {regions[0]: 99.0}
    value.delete()
    assert read(ipm, 2020) == {} and columns.check() == []
    batch = ImportBatch.objects.create(file_name="by hand", layout="long")
    IndicatorValue.objects.create(region_id=regions[3], indicator=ipm, year=2023, value=55.0, batch=batch)
    assert read(ipm, 2023) == {regions[1]: 71.0, regions[3]: 55.0}
    assert columns.check() == []


def test_the_bulk_methods_of_the_query_set_mark_their_columns_stale(setting):
    ipm, spbe, regions = setting
    write_values([(r, ipm.pk, 2023, 50.0 + i, "") for i, r in enumerate(regions)], file_name="first")
    IndicatorValue.objects.filter(region_id__in=regions[:2], indicator=ipm).update(value=1.0)
    assert read(ipm, 2023) == rows(ipm, 2023) and read(ipm, 2023)[regions[0]] == 1.0
    IndicatorValue.objects.filter(region_id=regions[2], indicator=ipm).update(indicator=spbe)
    assert column(ipm, 2023).stale and column(spbe, 2023).stale
    assert regions[2] not in read(ipm, 2023) and read(spbe, 2023) == {regions[2]: 52.0}
    batch = ImportBatch.objects.create(file_name="bulk", layout="long")
    IndicatorValue.objects.bulk_create([IndicatorValue(region_id=regions[0], indicator=spbe, year=2021, value=3.0,
                                                       batch=batch)])
    assert read(spbe, 2021) == {regions[0]: 3.0}
    changed = list(IndicatorValue.objects.filter(indicator=ipm, year=2023))
    for value in changed:
        value.value = 7.0
    IndicatorValue.objects.bulk_update(changed, ["value"])
    assert set(read(ipm, 2023).values()) == {7.0}
    IndicatorValue.objects.filter(indicator=spbe).delete()
    assert read(spbe, 2023) == {} and read(spbe, 2021) == {}
    assert columns.check() == []


def test_a_deleted_region_leaves_the_columns(setting):
    ipm, _spbe, _regions = setting
    region = Region.objects.create(code="99.99.99", name="Test region", kind="kabupaten")
    other = Region.objects.kabkota().order_by("code").first()
    write_values([(region.pk, ipm.pk, 2023, 1.0, ""), (other.pk, ipm.pk, 2023, 2.0, "")], file_name="first")
    region.delete()
    assert read(ipm, 2023) == {other.pk: 2.0} and columns.check() == []


def test_each_kind_of_region_has_its_own_columns_and_a_region_changing_kind_moves(setting):
    ipm, _spbe, regions = setting
    city = Region.objects.filter(kind="kota").order_by("code").first()
    write_values([(regions[0], ipm.pk, 2023, 70.5, ""), (city.pk, ipm.pk, 2023, 75.0, "")], file_name="first")
    assert set(ValueColumn.objects.filter(indicator=ipm).values_list("kind", flat=True)) == {"kabupaten", "kota"}
    assert read(ipm, 2023, ["kota"]) == {city.pk: 75.0}
    assert read(ipm, 2023, ["kabupaten", "kota"]) == read(ipm, 2023) == {regions[0]: 70.5, city.pk: 75.0}
    city.kind = "kabupaten"
    city.save()
    assert read(ipm, 2023, ["kota"]) == {} and read(ipm, 2023, ["kabupaten"]) == {regions[0]: 70.5, city.pk: 75.0}
    assert columns.check() == []


def test_a_rebuild_is_not_stored_over_a_newer_mark(setting, monkeypatch):
    ipm, _spbe, regions = setting
    write_values([(regions[0], ipm.pk, 2023, 70.5, "")], file_name="first")
    IndicatorValue.objects.filter(indicator=ipm).update(value=10.0)
    original = columns._rebuild

    def rebuild_while_another_writes(pk, indicator_id, year, kind, version):
        # Another writer marks the column after this read took its version.
        IndicatorValue.objects.filter(indicator=ipm).update(value=20.0)
        return original(pk, indicator_id, year, kind, version)

    monkeypatch.setattr(columns, "_rebuild", rebuild_while_another_writes)
    read(ipm, 2023)
    assert column(ipm, 2023).stale  # the rebuild did not claim to be fresh
    monkeypatch.setattr(columns, "_rebuild", original)
    assert read(ipm, 2023) == {regions[0]: 20.0} and not column(ipm, 2023).stale


def test_check_finds_a_column_that_differs_from_its_rows(setting):
    """The audit the other tests rely on can fail."""
    ipm, _spbe, regions = setting
    write_values([(regions[0], ipm.pk, 2023, 70.5, "")], file_name="first")
    ValueColumn.objects.filter(indicator=ipm, year=2023).update(numbers=np.array([1.0], "<f8").tobytes())
    assert columns.check() == [(ipm.pk, 2023, "kabupaten", "values differ")]
    ValueColumn.objects.filter(indicator=ipm).delete()
    assert columns.check() == [(ipm.pk, 2023, "kabupaten", "no column")]


def test_the_migration_gives_values_stored_before_it_a_stale_column_each(setting):
    import importlib

    from django.apps import apps

    ipm, spbe, regions = setting
    city = Region.objects.filter(kind="kota").order_by("code").first()
    write_values([(regions[0], ipm.pk, 2023, 70.5, ""), (city.pk, ipm.pk, 2023, 75.0, ""),
                  (regions[1], spbe.pk, 2022, 2.5, "")], file_name="before the columns")
    ValueColumn.objects.all().delete()  # as a database migrated before 0002 holds them
    migration = importlib.import_module("kotacerdas.indicators.migrations.0002_value_columns")
    migration.columns_of_stored_values(apps, None)
    assert set(ValueColumn.objects.values_list("indicator_id", "year", "kind", "stale")) == {
        (ipm.pk, 2023, "kabupaten", True), (ipm.pk, 2023, "kota", True), (spbe.pk, 2022, "kabupaten", True)}
    assert read(ipm, 2023) == {regions[0]: 70.5, city.pk: 75.0} and read(spbe, 2022) == {regions[1]: 2.5}
    assert columns.check() == [] and not ValueColumn.objects.filter(stale=True).exists()
