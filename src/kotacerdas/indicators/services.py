"""Seeding the catalogue and importing indicator values (CSV or XLSX, long or wide layout).

An import is read and checked completely through :func:`kotacerdas.lib.tabular.read_table`; a
file with any error raises :class:`TableError` (every cell at fault, with row and column) and
writes nothing. A clean file is written in one transaction: each value replaces the one stored for
the same region, indicator and year, and the replaced values are kept.
"""

import gc
import math
from collections import defaultdict
from contextlib import contextmanager

import numpy as np
from django.db import connection, transaction
from django.utils.translation import gettext as _

from kotacerdas.lib.tabular import CellError, TableError, read_table
from kotacerdas.regions.models import KABKOTA_KINDS, Region

from . import columns as packed
from .catalogue import FISCAL_CATEGORIES, SEEDED_INDICATORS
from .models import ImportBatch, Indicator, IndicatorValue, ReplacedValue

LONG_COLUMNS = ("region_code", "indicator", "year", "value")
WIDE_KEY_COLUMNS = ("region_code", "year")
# Columns a wide file may carry for people to read; they are not indicators.
WIDE_IGNORED_COLUMNS = {"region_name", "name"}


def seed_catalogue():
    """Create the program's indicators; an indicator edited by the ministry is left as it is."""
    created = 0
    for spec in SEEDED_INDICATORS:
        _indicator, was_created = Indicator.objects.get_or_create(code=spec["code"], defaults=spec)
        created += was_created
    return created


def _number(text):
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


class _Checker:
    """Turns one cell into (score, category) or an error message, for one indicator."""

    def __init__(self, indicator):
        self.indicator = indicator
        self.scores = indicator.category_scores() if indicator.is_categorical else None
        self.labels = {label.lower(): label for label in (c["label"] for c in indicator.categories)}
        self.known = {}  # category text -> its (score, label), for a categorical indicator

    def __call__(self, text):
        indicator = self.indicator
        if self.scores is not None:
            known = self.known.get(text)
            if known is not None:
                return known, None
            key = text.strip().lower()
            if key not in self.scores:
                return None, _("%(value)r is not a category of %(indicator)s (use one of: %(choices)s)") % {
                    "value": text, "indicator": indicator.code,
                    "choices": ", ".join(c["label"] for c in indicator.categories),
                }
            result = self.known[text] = (self.scores[key], self.labels[key])
            return result, None
        number = _number(text)
        if number is None:
            return None, _("%(value)r is not a number") % {"value": text}
        low, high = indicator.min_value, indicator.max_value
        if (low is not None and number < low) or (high is not None and number > high):
            return None, _("%(value)s is outside the valid range of %(indicator)s (%(low)s to %(high)s)") % {
                "value": text, "indicator": indicator.code,
                "low": "-∞" if low is None else f"{low:g}", "high": "∞" if high is None else f"{high:g}",
            }
        return (number, ""), None


_UNSEEN = object()


def _year(text):
    try:
        year = int(text)
    except ValueError:
        return None
    return year if 1900 <= year <= 2100 else None


def parse_values(table):
    """Check every row of ``table``; return [(region_id, indicator_id, year, value, category)] or
    raise :class:`TableError` naming the row and column of every error."""
    regions = {code: (pk, kind) for code, pk, kind in Region.objects.values_list("code", "pk", "kind")}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    checkers = {code: _Checker(indicator) for code, indicator in indicators.items()}
    indicator_ids = {code: indicator.pk for code, indicator in indicators.items()}
    errors, values, seen = [], [], {}
    columns = table.columns

    if all(column in columns for column in LONG_COLUMNS):
        layout = "long"
        cells = ((line, row["region_code"], row["year"], "indicator", row["indicator"], row["value"])
                 for line, row in table.rows)
    elif all(column in columns for column in WIDE_KEY_COLUMNS):
        layout = "wide"
        indicator_columns = [c for c in columns if c not in WIDE_KEY_COLUMNS and c not in WIDE_IGNORED_COLUMNS]
        for column in indicator_columns:
            if column not in indicators:
                errors.append(CellError(1, column, _("%(code)r is not an indicator of the catalogue") % {"code": column}))
        if not indicator_columns:
            errors.append(CellError(1, "", _("a wide file needs one column per indicator")))
        if errors:
            raise TableError(table.source, errors)
        cells = ((line, row["region_code"], row["year"], column, column, row[column])
                 for line, row in table.rows for column in indicator_columns if row[column] != "")
    else:
        raise TableError(table.source, [CellError(1, "", _(
            "use the long layout (columns region_code, indicator, year, value) or the wide layout "
            "(columns region_code, year and one column per indicator code)"))])

    # The checks of a year, of an indicator for a kind of region and of a category are made once
    # per distinct text (a million-row file holds a handful of each); the rest is per row.
    years, applies = {}, {}
    append = values.append
    for line, region_code, year_text, column, code, text in cells:
        region = regions.get(region_code)
        if region is None:
            errors.append(CellError(line, "region_code", _("%(code)r is not a region code") % {"code": region_code}))
            continue
        year = years.get(year_text, _UNSEEN)
        if year is _UNSEEN:
            year = years[year_text] = _year(year_text)
        if year is None:
            errors.append(CellError(line, "year", _("%(value)r is not a year") % {"value": year_text}))
            continue
        indicator = indicators.get(code)
        if indicator is None:
            errors.append(CellError(line, column, _("%(code)r is not an indicator of the catalogue") % {"code": code}))
            continue
        value_column = "value" if layout == "long" else column
        if text == "":
            errors.append(CellError(line, value_column, _("the value is empty")))
            continue
        applicable = applies.get((code, region[1]))
        if applicable is None:
            applicable = applies[(code, region[1])] = indicator.applies_to(region[1])
        if not applicable:
            errors.append(CellError(line, value_column, _("%(indicator)s applies only to %(kinds)s, not to %(code)s") % {
                "indicator": indicator.code, "kinds": indicator.kinds_display(), "code": region_code}))
            continue
        result, message = checkers[code](text)
        if message:
            errors.append(CellError(line, value_column, message))
            continue
        key = (region[0], indicator_ids[code], year)
        if key in seen:
            errors.append(CellError(line, value_column if layout == "wide" else "region_code", _(
                "duplicate: %(region)s, %(indicator)s, %(year)s is already on row %(row)s") % {
                "region": region_code, "indicator": code, "year": year, "row": seen[key]}))
            continue
        seen[key] = line
        append((region[0], key[1], year, result[0], result[1]))
    if errors:
        raise TableError(table.source, errors)
    return layout, values


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector: reading, checking and writing a file makes an
    object or more per cell and no reference cycle, and the collector's passes over a million
    live rows cost about a third of the time (bench/import.py). Memory is still freed by
    reference counts."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_values(path_or_file, *, user=None, name=None, synthetic=False, note=""):
    """Import a CSV or XLSX file of indicator values; return the :class:`ImportBatch`.

    Raises :class:`TableError` (nothing written) when any row is wrong.
    """
    with _collector_paused():
        table = read_table(path_or_file, name=name)
        layout, values = parse_values(table)
        if not values:
            raise TableError(table.source, [CellError(1, "", _("the file holds no values"))])
        return write_values(values, file_name=table.source, layout=layout, user=user, synthetic=synthetic,
                            note=note)


def _existing(value_table, keys):
    """Stored values for the (indicator, year) pairs of ``keys``: {(region, indicator, year): row}."""
    pairs = sorted({(indicator_id, year) for _region, indicator_id, year in keys})
    found = {}
    with connection.cursor() as cursor:
        for indicator_id, year in pairs:
            cursor.execute(
                f"SELECT region_id, value, category, batch_id, id, synthetic FROM {value_table} "
                "WHERE indicator_id = %s AND year = %s",
                [indicator_id, year],
            )
            for region_id, value, category, batch_id, pk, synthetic in cursor.fetchall():
                found[(region_id, indicator_id, year)] = (value, category, batch_id, pk, bool(synthetic))
    return found


VALUE_COLUMNS = ("region_id", "indicator_id", "year", "value", "category", "batch_id", "synthetic")
UPSERT = (
    "ON CONFLICT (region_id, indicator_id, year) DO UPDATE SET value = excluded.value, category = excluded.category, "
    "batch_id = excluded.batch_id, synthetic = excluded.synthetic"
)


def _store_postgresql(table, rows):
    """Upsert ``rows`` (tuples of VALUE_COLUMNS) on PostgreSQL: one binary COPY into a temporary
    table, then one ``INSERT ... SELECT ... ON CONFLICT``. The upsert keeps a concurrent import of
    the same keys from failing half-way; a statement per row costs far more (bench/import.py)."""
    columns = ", ".join(VALUE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE kotacerdas_value_stage (region_id bigint, indicator_id bigint, year smallint, "
            "value double precision, category varchar(60), batch_id bigint, synthetic boolean)"
        )
        try:
            with cursor.cursor.copy(f"COPY kotacerdas_value_stage ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "int2", "float8", "text", "int8", "bool"])
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM kotacerdas_value_stage {UPSERT}")
        finally:
            cursor.execute("DROP TABLE kotacerdas_value_stage")


def _store_sqlite(table, rows, existing):
    """Insert the new keys and update the stored ones. A SQLite transaction holds the write lock
    from its start (``transaction_mode`` IMMEDIATE), so ``existing``, read in it, is exact; a plain
    INSERT is several times faster than ``INSERT ... ON CONFLICT`` with foreign keys enforced."""
    new, updates = [], []
    for row in rows:
        old = existing.get(row[:3])
        if old is None:
            new.append(row)
        else:
            updates.append((row[3], row[4], row[5], row[6], old[3]))
    with connection.cursor() as cursor:
        if new:
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(VALUE_COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s, %s)", new
            )
        if updates:
            cursor.executemany(
                f"UPDATE {table} SET value = %s, category = %s, batch_id = %s, synthetic = %s WHERE id = %s", updates
            )


def _store_other(table, rows):
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(VALUE_COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s, %s) {UPSERT}", rows
        )


def write_values(values, *, file_name, layout="long", user=None, synthetic=False, note=""):
    """Store checked ``values`` [(region_id, indicator_id, year, value, category)] as one batch.

    ``values`` holds one value per (region, indicator, year), as :func:`parse_values` makes
    sure. Each replaces the one stored for its key, which is kept in :class:`ReplacedValue`. The
    rows are written in key order (the unique index and the region index are then appended to
    rather than split), with each database's bulk path: the ORM's one object per row, or one
    upsert statement per row, costs several times the database's bulk load at a million values
    (bench/import.py).
    """
    table = IndicatorValue._meta.db_table
    # The packed columns of the (indicator, year) pairs written: the new values, then (below)
    # the stored ones they leave in place.
    kinds = packed.region_kinds()  # every region: the stored values merged below are of others too
    cells = defaultdict(dict)
    for region_id, indicator_id, year, value, _category in values:
        cells[(indicator_id, year, kinds[region_id])][region_id] = value
    synthetic_cells = dict.fromkeys(cells, synthetic)
    with transaction.atomic():
        packed.lock(cells)
        batch = ImportBatch.objects.create(
            created_by=user if user is not None and user.is_authenticated else None,
            file_name=str(file_name)[:255], layout=layout, value_count=len(values), synthetic=synthetic, note=note,
        )
        existing = _existing(table, [v[:3] for v in values])
        replaced = []
        if existing:
            for region_id, indicator_id, year, value, category in values:
                old = existing.get((region_id, indicator_id, year))
                if old is not None:
                    replaced.append(ReplacedValue(
                        batch=batch, region_id=region_id, indicator_id=indicator_id, year=year, old_value=old[0],
                        old_category=old[1], old_batch_id=old[2], new_value=value, new_category=category,
                    ))
        rows = sorted((r, i, y, v, c, batch.pk, synthetic) for r, i, y, v, c in values)
        if connection.vendor == "postgresql":
            _store_postgresql(table, rows)
        elif connection.vendor == "sqlite":
            _store_sqlite(table, rows, existing)
        else:
            _store_other(table, rows)
        for (region_id, indicator_id, year), old in existing.items():
            key = (indicator_id, year, kinds[region_id])
            column = cells.get(key)  # (the columns of other kinds are not written)
            if column is not None and region_id not in column:
                column[region_id] = old[0]
                synthetic_cells[key] = synthetic_cells.get(key, False) or old[4]
        packed.write(cells, synthetic_cells)
        ReplacedValue.objects.bulk_create(replaced, batch_size=2000)
        batch.replaced_count = len(replaced)
        batch.created_count = len(values) - len(replaced)
        batch.save(update_fields=["replaced_count", "created_count"])
    return batch


# --- the demo's values ------------------------------------------------------------------------

POPULATION_YEAR = 2024
DEMO_VALUES_SEED = 2027


def load_population_and_area():
    """Store the real population and area (end of 2024, loaded onto the regions from
    indicators_2024.csv) as indicator values; once only."""
    seed_catalogue()
    population = Indicator.objects.get(code="population")
    area = Indicator.objects.get(code="area_km2")
    if IndicatorValue.objects.filter(indicator=population, year=POPULATION_YEAR).exists():
        return None
    values = []
    for pk, people, area_km2 in Region.objects.filter(kind__in=["provinsi", *KABKOTA_KINDS]).values_list(
        "pk", "population", "area_km2"
    ):
        if people is not None:
            values.append((pk, population.pk, POPULATION_YEAR, float(people), ""))
        if area_km2 is not None:
            values.append((pk, area.pk, POPULATION_YEAR, float(area_km2), ""))
    return write_values(values, file_name="indicators_2024.csv", note="Dukcapil and BIG, end of 2024 (SOURCES.md)")


# Province cut-offs of Kemenkeu's fiscal capacity ratio in PMK 120/PMK.07/2020 (as reported with
# that regulation: 0.277, 0.564, 0.934, 1.92); the synthetic demo uses them to turn its invented
# ratios into categories.
FISCAL_CUTOFFS = (0.277, 0.564, 0.934, 1.92)
EKPPD_CUTOFFS = (1.0, 2.0, 3.0)  # rendah < 1 <= sedang < 2 <= tinggi < 3 <= sangat tinggi (0-4 scale)


def synthetic_values(year, seed=DEMO_VALUES_SEED, regions=None):
    """Invented values of every screening indicator for the kabupaten/kota, from a fixed seed with
    realistic spreads (lognormal fiscal ratios, IPM around 70, ...); never a published figure."""
    regions = list(regions if regions is not None else Region.objects.kabkota().order_by("code").values_list("pk", "kind"))
    rng = np.random.default_rng(seed)
    m = len(regions)
    codes = {i.code: i for i in Indicator.objects.all()}
    fiscal = np.round(np.clip(rng.lognormal(mean=-0.5, sigma=0.75, size=m), 0.02, 20.0), 4)
    ekppd = np.round(np.clip(rng.normal(2.9, 0.45, size=m), 0.5, 4.0), 4)
    green = np.clip(rng.normal(55, 15, size=m), 5, 98)
    sustainable = np.clip(rng.normal(60, 12, size=m), 10, 98)
    ipm = np.clip(rng.normal(70.5, 5.5, size=m), 45, 85)
    spbe = np.clip(rng.normal(2.4, 0.7, size=m), 0.3, 4.8)
    fiscal_category = np.searchsorted(FISCAL_CUTOFFS, fiscal, side="right")
    ekppd_status = np.searchsorted(EKPPD_CUTOFFS, ekppd, side="right")
    ekppd_labels = [c["label"] for c in codes["ekppd_status"].categories]
    values = []
    for index, (pk, kind) in enumerate(regions):
        values += [
            (pk, codes["fiscal_capacity_index"].pk, year, round(float(fiscal[index]), 4), ""),
            (pk, codes["fiscal_capacity_category"].pk, year, float(fiscal_category[index] + 1),
             FISCAL_CATEGORIES[fiscal_category[index]]),
            (pk, codes["ekppd_score"].pk, year, round(float(ekppd[index]), 4), ""),
            (pk, codes["ekppd_status"].pk, year, float(ekppd_status[index] + 1), ekppd_labels[ekppd_status[index]]),
            (pk, codes["green_city_index"].pk, year, round(float(green[index]), 2), ""),
            (pk, codes["ipm"].pk, year, round(float(ipm[index]), 2), ""),
            (pk, codes["spbe_index"].pk, year, round(float(spbe[index]), 2), ""),
        ]
        if kind == "kota":
            values.append((pk, codes["sustainable_city_index"].pk, year, round(float(sustainable[index]), 2), ""))
    return values


def load_synthetic_values(year, seed=DEMO_VALUES_SEED):
    """Store :func:`synthetic_values` for ``year`` as one synthetic batch, once."""
    seed_catalogue()
    if ImportBatch.objects.filter(synthetic=True, values__year=year).exists():
        return None
    return write_values(synthetic_values(year, seed), file_name=f"demo-synthetic-{year}", synthetic=True,
                        note=f"Invented by `kotacerdas demo` from seed {seed}; not published figures.")
