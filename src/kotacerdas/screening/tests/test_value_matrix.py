"""The decision matrix read from the database (screening.services.data.value_matrix, a hand-written
bulk read per database) against the same question asked through the ORM one value at a time:
each region's latest value up to the data year, several years per cell, gaps, other kinds of
region in the table; and the packed columns it reads against the rows."""

import numpy as np
import pytest

from kotacerdas.indicators import columns
from kotacerdas.indicators.models import ImportBatch, Indicator, IndicatorValue, ValueColumn
from kotacerdas.regions.models import Region
from kotacerdas.screening.services import data as screening_data

from .helpers import demo_phase


def _expected(indicator_ids, year, region_ids):
    values = np.zeros((len(region_ids), len(indicator_ids)))
    found = np.zeros(values.shape, dtype=bool)
    for i, region_id in enumerate(region_ids):
        for j, indicator_id in enumerate(indicator_ids):
            latest = (IndicatorValue.objects.filter(region_id=region_id, indicator_id=indicator_id, year__lte=year)
                      .order_by("-year").first())
            if latest is not None:
                values[i, j], found[i, j] = latest.value, True
    return values, found


@pytest.fixture
def table(reference_data):
    """The demo's values, plus older and newer years for a few regions, a gap, and values of
    provinces (another kind) that a kabupaten/kota matrix must not pick up."""
    demo_phase()
    indicators = list(Indicator.objects.filter(code__in=["ipm", "spbe_index", "population"]).order_by("code"))
    kabkota = list(Region.objects.kabkota().order_by("code").values_list("pk", flat=True))
    years = sorted(set(IndicatorValue.objects.filter(indicator__in=indicators).values_list("year", flat=True)))
    batch = ImportBatch.objects.create(file_name="test-years", layout="long", value_count=0)
    ipm, spbe = indicators[0], indicators[2]
    extra = [
        IndicatorValue(region_id=kabkota[0], indicator=ipm, year=years[-1] + 1, value=99.5, batch=batch),
        IndicatorValue(region_id=kabkota[0], indicator=ipm, year=years[0] - 3, value=11.0, batch=batch),
        IndicatorValue(region_id=kabkota[1], indicator=spbe, year=years[0] - 1, value=2.25, batch=batch),
    ]
    extra += [IndicatorValue(region=province, indicator=ipm, year=years[-1], value=50.0, batch=batch)
              for province in Region.objects.filter(kind="province")[:5]]
    IndicatorValue.objects.bulk_create(extra)
    IndicatorValue.objects.filter(region_id=kabkota[2], indicator=spbe).delete()
    return [i.pk for i in indicators], kabkota, years


@pytest.mark.parametrize("year_offset", [-2, 0, 1])
def test_the_matrix_holds_each_regions_latest_value_up_to_the_data_year(table, year_offset):
    indicator_ids, kabkota, years = table
    year = years[-1] + year_offset
    # Every kabupaten/kota, and a reversed subset (rows follow the order asked for).
    for region_ids in (kabkota, kabkota[40:0:-3]):
        values, found = screening_data.value_matrix(indicator_ids, year, region_ids)
        expected_values, expected_found = _expected(indicator_ids, year, region_ids)
        assert (found == expected_found).all()
        assert (values[found] == expected_values[found]).all()
    values, found = screening_data.value_matrix(indicator_ids, year, kabkota[:3])
    assert not found[2, 2]  # the gap


def test_the_packed_columns_equal_the_rows_and_a_rebuild_reads_the_same(table):
    """The writes of the fixture (imports, bulk_create, a queryset delete) left every column
    either fresh and equal to its rows or stale; after a read none is stale, and a matrix read
    from columns rebuilt from the rows equals the one read before."""
    indicator_ids, kabkota, years = table
    assert columns.check() == []
    fast = screening_data.value_matrix(indicator_ids, years[-1], kabkota)
    assert not ValueColumn.objects.filter(indicator_id__in=indicator_ids, year__lte=years[-1], stale=True).exists()
    assert columns.check() == []
    ValueColumn.objects.update(stale=True, region_ids=b"", numbers=b"")
    rebuilt = screening_data.value_matrix(indicator_ids, years[-1], kabkota)
    assert fast[1].sum() > 0 and (fast[1] == rebuilt[1]).all() and (fast[0] == rebuilt[0]).all()
    assert columns.check() == []
