"""Importing a million indicator values: the platform's import against the database's bulk load.

    .venv/bin/python bench/import.py [--database sqlite|postgres|both] [--repeats 3] [--profile]

Per database (a temporary SQLite file; a temporary PostgreSQL database on 127.0.0.1:5432, user
postgres, dropped at the end), in a subprocess with the platform's settings from the environment:
migrate, load the reference data, then generate

- 83,763 synthetic desa under the 514 real kabupaten/kota (codes like 63.03.01.2001),
- 4 synthetic indicators (3 numeric 0..100, 1 with ordered categories) and 3 years (2022-2024),
- a long-format CSV (region_code, indicator, year, value) of the first 1,000,000 of those
  unit x indicator x year values (ordered by year, indicator, unit), about 30 MB.

and time (median of ``--repeats`` runs, the tables emptied between runs):

- platform: ``kotacerdas.indicators.services.import_values(path)``, the service behind the import
  page and ``kotacerdas import_indicators``: read the file, check every row (region code, year,
  indicator, range or category, duplicates), write one batch in one transaction;
- bulk load: the same rows, already resolved to ids and typed in memory, loaded by the database's
  own bulk path into a table with the same columns, unique constraint and indexes as the values
  table but without its foreign keys (SQLite: ``executemany`` of a plain INSERT in one
  transaction; PostgreSQL: ``COPY ... FROM STDIN``, text format), in file order.

Targets: platform <= 3 x bulk load on SQLite, <= 5 x on PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _platform as bench  # noqa: E402

VALUES = 1_000_000
YEARS = (2022, 2023, 2024)
INDICATORS = 4
TARGETS = {"sqlite": 3.0, "postgres": 5.0}
LABELS = ["sangat rendah", "rendah", "sedang", "tinggi", "sangat tinggi"]


def generate(units, indicators, directory):
    """Write the CSV; return its path and the same rows typed as the values table stores them."""
    import numpy as np

    from kotacerdas.regions.models import Region

    codes = dict(Region.objects.filter(pk__in=units).values_list("pk", "code"))
    rng = np.random.default_rng(11)
    path = Path(directory) / "values-1m.csv"
    rows = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["region_code", "indicator", "year", "value"])
        for year in YEARS:
            for indicator in indicators:
                take = min(len(units), VALUES - len(rows))
                if take <= 0:
                    break
                if indicator.is_categorical:
                    picks = rng.integers(0, len(LABELS), size=take)
                    texts = [LABELS[p] for p in picks.tolist()]
                    typed = [(float(p + 1), LABELS[p]) for p in picks.tolist()]
                else:
                    numbers = np.round(rng.uniform(0.0, 100.0, size=take), 2)
                    texts = [f"{x:.2f}" for x in numbers.tolist()]
                    typed = [(float(t), "") for t in texts]
                for pk, text, (value, category) in zip(units[:take], texts, typed):
                    writer.writerow([codes[pk], indicator.code, year, text])
                    rows.append((pk, indicator.pk, year, value, category))
    return path, rows


def clone_values_table(connection, name):
    """An empty table with the values table's columns, constraints and indexes, but no foreign
    keys (an index is what a bulk load maintains; foreign-key checks are the platform's extra)."""
    from kotacerdas.indicators.models import IndicatorValue

    source = IndicatorValue._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE {name} (LIKE {source} INCLUDING ALL)")
            return
        cursor.execute("SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL ORDER BY type DESC",
                       [source])
        for _type, sql in cursor.fetchall():  # the table first, then its indexes
            sql = re.sub(r' REFERENCES "\w+" \("id"\) DEFERRABLE INITIALLY DEFERRED', "", sql.replace(f'"{source}"', f'"{name}"'))
            if sql.startswith("CREATE UNIQUE INDEX") or sql.startswith("CREATE INDEX"):
                head, _sep, rest = sql.partition(" ON ")
                index = head.split('"')[1]
                sql = head.replace(f'"{index}"', f'"{name}_{index}"') + " ON " + rest
            cursor.execute(sql)


def bulk_load(connection, name, rows, batch_id):
    """The database's own bulk load of ``rows`` into table ``name``; seconds."""
    from django.db import transaction

    columns = "region_id, indicator_id, year, value, category, batch_id, synthetic"
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for region, indicator, year, value, category in rows:
            buffer.write(f"{region}\t{indicator}\t{year}\t{value!r}\t{category}\t{batch_id}\tf\n")
        text = buffer.getvalue()
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                copy.write(text)
        return time.perf_counter() - started
    typed = [(r, i, y, v, c, batch_id, False) for r, i, y, v, c in rows]
    raw = connection.connection  # the sqlite3 connection itself
    started = time.perf_counter()
    with transaction.atomic():
        raw.executemany(f"INSERT INTO {name} ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?)", typed)
    return time.perf_counter() - started


def empty(connection, *tables):
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")


PROFILED = ("read_table", "parse_values", "_existing", "_store_postgresql", "_store_sqlite")
PROFILED_COLUMNS = ("region_kinds", "lock", "write")


def worker(database, repeats, profile=False):
    bench.setup_django()
    from django.db import connection

    from kotacerdas.indicators.models import ImportBatch, IndicatorValue
    from kotacerdas.indicators.services import import_values, seed_catalogue

    seed_catalogue()
    spent = None
    if profile:
        from kotacerdas.indicators import columns, services

        spent = bench.time_functions([(services, name) for name in PROFILED]
                                     + [(columns, name) for name in PROFILED_COLUMNS] + [(connection, "commit")])
    started = time.perf_counter()
    units = bench.create_units()
    indicators = bench.create_indicators(INDICATORS, prefix="imp", categorical={INDICATORS - 1})
    owner = ImportBatch.objects.create(file_name="bulk load baseline", layout="long")
    with tempfile.TemporaryDirectory() as directory:
        path, rows = generate(units, indicators, directory)
        bench.log(f"  {len(units):,} units, {len(indicators)} indicators, {len(rows):,} rows "
                  f"({path.stat().st_size / 2**20:.0f} MiB CSV) in {time.perf_counter() - started:.1f} s")
        baseline_table = "bench_bulk_values"
        values_table = IndicatorValue._meta.db_table
        bulk, platform = [], []
        for attempt in range(repeats):
            clone_values_table(connection, baseline_table)
            bulk.append(bulk_load(connection, baseline_table, rows, owner.pk))
            empty(connection, "indicators_replacedvalue", "indicators_valuecolumn", values_table)
            ImportBatch.objects.exclude(pk=owner.pk).delete()
            if spent is not None:
                spent.clear()
            started = time.perf_counter()
            batch = import_values(path)
            platform.append(time.perf_counter() - started)
            assert batch.value_count == len(rows) and batch.created_count == len(rows), batch.__dict__
            bench.log(f"  run {attempt + 1}: bulk load {bulk[-1]:.2f} s, platform import {platform[-1]:.2f} s")
            if spent is not None:
                bench.log("    " + ", ".join(f"{name} {seconds:.3f}" for name, seconds in spent.items())
                          + " (read_table and parse_values: reading and checking the file)")
        with connection.cursor() as cursor:
            checks = []
            for table in (baseline_table, values_table):
                cursor.execute(f"SELECT COUNT(*), SUM(value), SUM(region_id * year) FROM {table}")
                checks.append(tuple(cursor.fetchone()))
        assert checks[0][0] == checks[1][0] == len(rows) and abs(checks[0][1] - checks[1][1]) < 1e-3 * len(rows) \
            and checks[0][2] == checks[1][2], checks
    bench.report({"rows": len(rows), "units": len(units), "bulk": bench.median(bulk), "platform": bench.median(platform),
                  "bulk_runs": bulk, "platform_runs": platform})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bench.add_database_flag(parser)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the time of each step of every import")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.repeats, args.profile)
    results = bench.run_workers(Path(__file__).resolve(), args.database,
                                ["--repeats", str(args.repeats), *(["--profile"] if args.profile else [])])
    print(f"Importing {VALUES:,} long-format values (83,763 synthetic desa x 4 indicators x 3 years, "
          f"first {VALUES:,}); median of {args.repeats} runs")
    rows = []
    for database, result in results.items():
        rows += [(f"{database}: bulk load ({'COPY' if database == 'postgres' else 'executemany, one transaction'})",
                  result["bulk"]),
                 (f"{database}: platform import_values (read, check, upsert, one batch)", result["platform"])]
    print()
    bench.print_table(rows, ("measurement", "median s"))
    print("\ntarget                                     ratio     goal    result")
    for database, result in results.items():
        ratio = result["platform"] / result["bulk"]
        goal = TARGETS[database]
        print(f"{database + ': platform / bulk load':40s} {ratio:8.2f}  {'<= ' + format(goal, 'g'):>7s}    "
              f"{'PASS' if ratio <= goal else 'MISS'}")


if __name__ == "__main__":
    main()
