"""Packed columns of indicator values (:class:`~kotacerdas.indicators.models.ValueColumn`).

One row per (indicator, year, kind of region) holds those values of every region of the kind as
two arrays; a run over kabupaten/kota then reads none of the values of 83,763 desa. They are
written by ``write_values`` in the transaction of its rows, marked stale by every other writer
(signals on save and delete of a value or a region's change of kind, the bulk methods of the
values' query set), and rebuilt from the rows by the first read that finds them stale. A rebuild
is stored only if nobody marked the column again meanwhile (``version``).
"""

from collections import defaultdict

import numpy as np
from django.db import connection
from django.db.models import F

from kotacerdas.regions.models import Region

from .models import IndicatorValue, ValueColumn

REGION_TYPE, NUMBER_TYPE = np.dtype("<i8"), np.dtype("<f8")


def region_kinds(region_ids=None):
    """{region id: kind} of ``region_ids``, and maybe of others: every region when they are many
    (one query without tens of thousands of parameters) or not given."""
    region_ids = None if region_ids is None else set(region_ids)
    few = region_ids is not None and len(region_ids) < 500
    regions = Region.objects.filter(pk__in=region_ids) if few else Region.objects.all()
    return dict(regions.values_list("pk", "kind"))


def keys_of(values):
    """The columns (indicator id, year, kind) of ``values`` ((region id, indicator id, year));
    a value whose region is gone could be in any column of its indicator and year."""
    values = [(r, i, y) for r, i, y in values if r is not None and i is not None and y is not None]
    kinds = region_kinds(r for r, _i, _y in values)
    keys = {(int(i), int(y), kinds[r]) for r, i, y in values if r in kinds}
    for r, i, y in values:
        if r not in kinds:
            keys |= set(ValueColumn.objects.filter(indicator_id=i, year=y).values_list("indicator_id", "year", "kind"))
    return keys


def _grouped(keys):
    grouped = defaultdict(set)
    for indicator_id, year, kind in keys:
        grouped[(int(indicator_id), kind)].add(int(year))
    return grouped


def _create_missing(grouped):
    ValueColumn.objects.bulk_create(
        [ValueColumn(indicator_id=i, kind=kind, year=y) for (i, kind), years in grouped.items() for y in years],
        ignore_conflicts=True)


def mark_stale(keys):
    """Mark the columns ``keys`` ((indicator id, year, kind)) stale, creating those missing."""
    grouped = _grouped(keys)
    for (indicator_id, kind), years in grouped.items():
        ValueColumn.objects.filter(indicator_id=indicator_id, kind=kind, year__in=years).update(
            stale=True, version=F("version") + 1)
    _create_missing(grouped)


def lock(keys):
    """Create the missing columns of ``keys`` and lock them for this transaction (one writer of
    a column at a time; on SQLite the transaction already holds the database's write lock)."""
    grouped = _grouped(keys)
    _create_missing(grouped)
    for (indicator_id, kind), years in sorted(grouped.items()):
        list(ValueColumn.objects.select_for_update().filter(indicator_id=indicator_id, kind=kind, year__in=years)
             .order_by("year").values_list("pk", flat=True))


def write(columns, synthetic):
    """Store ``columns`` {(indicator id, year, kind): {region id: value}}, complete (every value
    of the column), with ``synthetic`` {key: whether any value is synthetic}, in the caller's
    transaction: the columns become fresh."""
    for (indicator_id, year, kind), cells in columns.items():
        regions = np.fromiter(cells.keys(), dtype=np.int64, count=len(cells))
        numbers = np.fromiter(cells.values(), dtype=np.float64, count=len(cells))
        order = np.argsort(regions, kind="stable")
        ValueColumn.objects.filter(indicator_id=indicator_id, year=year, kind=kind).update(
            region_ids=regions[order].astype(REGION_TYPE).tobytes(),
            numbers=numbers[order].astype(NUMBER_TYPE).tobytes(),
            synthetic=bool(synthetic.get((indicator_id, year, kind))), stale=False, version=F("version") + 1,
        )


def _select(sql, params):
    """Rows of ``sql``, with blobs as bytes; on PostgreSQL received as binary (Django's cursors
    bind on the client and receive bytea as hex text, to be decoded)."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, binary=True)
            rows = cursor.fetchall()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]


def _rebuild(pk, indicator_id, year, kind, version):
    """A stale column's arrays from its rows; stored unless marked again since ``version``."""
    table, region_table = IndicatorValue._meta.db_table, Region._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v.region_id, v.value, v.synthetic FROM {table} v INNER JOIN {region_table} r "
                       "ON r.id = v.region_id WHERE v.indicator_id = %s AND v.year = %s AND r.kind = %s "
                       "ORDER BY v.region_id", [indicator_id, year, kind])
        rows = cursor.fetchall()
    regions = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    numbers = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
    synthetic = any(row[2] for row in rows)
    ValueColumn.objects.filter(pk=pk, version=version, stale=True).update(
        region_ids=regions.astype(REGION_TYPE).tobytes(), numbers=numbers.astype(NUMBER_TYPE).tobytes(),
        synthetic=synthetic, stale=False)
    return regions, numbers


def read_columns(indicator_ids, year, kinds=None):
    """The columns of ``indicator_ids`` up to ``year`` (of regions of ``kinds``, or all), oldest
    year first: [(indicator id, year, region ids, values, key)], the arrays int64 and float64
    (views of the stored bytes), ``key`` equal for columns of the same regions. Stale columns
    are rebuilt."""
    indicator_ids = [int(pk) for pk in indicator_ids]
    if not indicator_ids:
        return []
    table = ValueColumn._meta.db_table
    where, params = f"indicator_id IN ({', '.join(['%s'] * len(indicator_ids))}) AND year <= %s", [*indicator_ids, int(year)]
    if kinds is not None:
        kinds = [str(kind) for kind in kinds]
        where += f" AND kind IN ({', '.join(['%s'] * len(kinds))})"
        params += kinds
    rows = _select(f"SELECT id, indicator_id, year, kind, stale, version, region_ids, numbers FROM {table} "
                   f"WHERE {where} ORDER BY year, indicator_id, kind", params)
    columns = []
    for pk, indicator_id, column_year, kind, stale, version, region_blob, number_blob in rows:
        if stale:
            regions, numbers = _rebuild(pk, indicator_id, column_year, kind, version)
            key = regions.astype(REGION_TYPE).tobytes()
        else:
            regions = np.frombuffer(region_blob, dtype=REGION_TYPE).astype(np.int64, copy=False)
            numbers = np.frombuffer(number_blob, dtype=NUMBER_TYPE).astype(np.float64, copy=False)
            key = region_blob
        columns.append((indicator_id, column_year, regions, numbers, key))
    return columns


def read(indicator_ids, year, kinds=None):
    """(region ids, indicator ids, years, values) of every stored value of ``indicator_ids`` up to
    ``year`` (of regions of ``kinds``, or all), as NumPy arrays (int64, int64, int64, float64),
    oldest year first, rebuilding stale columns."""
    columns = read_columns(indicator_ids, year, kinds)
    if not columns:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, np.zeros(0)
    sizes = [len(column[2]) for column in columns]
    return (np.concatenate([column[2] for column in columns]),
            np.repeat(np.array([column[0] for column in columns], dtype=np.int64), sizes),
            np.repeat(np.array([column[1] for column in columns], dtype=np.int64), sizes),
            np.concatenate([column[3] for column in columns]))


def any_synthetic(indicator_ids, year, kinds=None):
    """Whether any stored value of ``indicator_ids`` up to ``year`` (of regions of ``kinds``) is
    synthetic."""
    columns = ValueColumn.objects.filter(indicator_id__in=indicator_ids, year__lte=year)
    rows = IndicatorValue.objects.all()
    if kinds is not None:
        columns, rows = columns.filter(kind__in=list(kinds)), rows.filter(region__kind__in=list(kinds))
    if columns.filter(synthetic=True, stale=False).exists():
        return True
    return any(rows.filter(indicator_id=i, year=y, region__kind=kind, synthetic=True).exists()
               for i, y, kind in columns.filter(stale=True).values_list("indicator_id", "year", "kind"))


def check():
    """The columns that differ from the rows (for tests and audits): [(indicator id, year, kind, why)]."""
    problems = []
    table, region_table = IndicatorValue._meta.db_table, Region._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT v.indicator_id, v.year, r.kind FROM {table} v "
                       f"INNER JOIN {region_table} r ON r.id = v.region_id")
        keys = set(cursor.fetchall())
    columns = {(c.indicator_id, c.year, c.kind): c for c in ValueColumn.objects.all()}
    for key in sorted(keys - set(columns)):
        problems.append((*key, "no column"))
    for key, column in sorted(columns.items()):
        if column.stale:
            continue
        rows = list(IndicatorValue.objects.filter(indicator_id=key[0], year=key[1], region__kind=key[2])
                    .order_by("region_id").values_list("region_id", "value", "synthetic"))
        regions = np.frombuffer(bytes(column.region_ids), dtype=REGION_TYPE)
        numbers = np.frombuffer(bytes(column.numbers), dtype=NUMBER_TYPE)
        if regions.tolist() != [r[0] for r in rows] or numbers.tolist() != [r[1] for r in rows]:
            problems.append((*key, "values differ"))
        elif column.synthetic != any(r[2] for r in rows):
            problems.append((*key, "synthetic flag differs"))
    return problems
