"""Reading the indicator values a run ranks: the latest value of each indicator per region, as a
matrix, and whether any of them is synthetic (invented for the demo)."""

import numpy as np

from kotacerdas.indicators import columns as packed
from kotacerdas.indicators.models import ImportBatch


# --- reading the data ---------------------------------------------------------------------------


def latest_values(indicator_ids, year, region_ids=None):
    """{indicator_id: {region_id: value}}: each region's latest value up to ``year``."""
    regions, indicators, _years, numbers = packed.read(indicator_ids, year)
    found = {pk: {} for pk in indicator_ids}
    # Oldest year first: a later year's value replaces an earlier one.
    for region_id, indicator_id, value in zip(regions.tolist(), indicators.tolist(), numbers.tolist()):
        found[indicator_id][region_id] = value
    if region_ids is not None:
        keep = set(region_ids)
        found = {pk: {r: v for r, v in values.items() if r in keep} for pk, values in found.items()}
    return found


def value_matrix(indicator_ids, year, region_ids, kinds=None):
    """(values, found): each region's latest value up to ``year`` of each indicator, as a
    len(region_ids) x len(indicator_ids) float64 array, and where one was found.

    ``region_ids`` are regions of ``kinds`` (None: any kind). Read from the packed columns of the
    values (one pair of arrays per indicator, year and kind of region,
    :mod:`kotacerdas.indicators.columns`): at 83,763 regions x 30 indicators reading the values as
    rows costs several times the maths (bench/screening.py)."""
    ids = np.asarray(region_ids, dtype=np.int64)
    indicator_ids = [int(pk) for pk in indicator_ids]
    values = np.zeros((len(ids), len(indicator_ids)), dtype=np.float64)
    found = np.zeros(values.shape, dtype=bool)
    if not len(ids) or not indicator_ids:
        return values, found
    position = {pk: j for j, pk in enumerate(indicator_ids)}
    rows_of = {}  # columns of the same regions (every indicator imported for them) share their rows
    # Oldest year first: a later year's value overwrites an earlier one in its cell.
    for indicator_id, _year, regions, numbers, key in packed.read_columns(indicator_ids, year, kinds):
        if key not in rows_of:
            rows = _positions(ids, regions)
            known = np.flatnonzero(rows >= 0)
            rows_of[key] = (rows[known], None if len(known) == len(rows) else known)
        rows, known = rows_of[key]
        j = position[indicator_id]
        values[rows, j] = numbers if known is None else numbers[known]
        found[rows, j] = True
    return values, found


def _positions(ids, wanted):
    """Index in ``ids`` (distinct int64) of each of ``wanted``, -1 where absent."""
    if not len(wanted):
        return np.zeros(0, dtype=np.int64)
    lowest, highest = int(ids.min()), int(ids.max())
    if highest - lowest < max(8 * len(ids), 1 << 16):
        table = np.full(highest - lowest + 1, -1, dtype=np.int64)
        table[ids - lowest] = np.arange(len(ids), dtype=np.int64)
        inside = (wanted >= lowest) & (wanted <= highest)
        if inside.all():
            return table[wanted - lowest]
        at = np.full(len(wanted), -1, dtype=np.int64)
        at[inside] = table[wanted[inside] - lowest]
        return at
    sorter = np.argsort(ids)
    at = sorter[np.minimum(np.searchsorted(ids, wanted, sorter=sorter), len(ids) - 1)]
    return np.where(ids[at] == wanted, at, -1)


def uses_synthetic(indicator_ids, year, kinds=None):
    """Whether any value of the indicators for ``year`` is synthetic (invented for the demo)."""
    return packed.any_synthetic(indicator_ids, year, kinds)




def batches_of_run(run):
    """The import batches the values of a run's criteria came from."""
    return ImportBatch.objects.filter(values__indicator__code__in=run.criteria, values__year__lte=run.data_year).distinct()
