"""Shared plumbing of the platform benchmarks (bench/import.py, bench/screening.py).

Each benchmark runs once per database in a subprocess of its own, with the settings the platform
reads from the environment: ``KOTACERDAS_VAR_DIR`` set to a fresh temporary directory (SQLite: a
file database in it) or ``DATABASE_URL`` set to a temporary PostgreSQL database created on
127.0.0.1:5432 (user postgres) and dropped at the end. The worker migrates, loads the shipped
reference data and prints its figures as one JSON line for the parent to tabulate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
RESULT_MARK = "BENCH-RESULT "

# The synthetic third level of the region tree: as many units as Indonesia has desa and kelurahan.
UNITS = 83_763


def add_database_flag(parser):
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--worker", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)


def databases(choice):
    return ["sqlite", "postgres"] if choice == "both" else [choice]


def run_workers(script, choice, extra_args=()):
    """Run ``script --worker DB`` once per database; {db: the worker's JSON result}."""
    results = {}
    for database in databases(choice):
        with tempfile.TemporaryDirectory(prefix=f"kc-bench-{database}-") as var_dir:
            env = dict(os.environ, KOTACERDAS_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="kotacerdas.settings",
                       PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
            env.pop("DATABASE_URL", None)
            name = None
            if database == "postgres":
                name = f"kc_bench_{os.getpid()}"
                _pg_admin(f'CREATE DATABASE "{name}"')
                env["DATABASE_URL"] = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
            try:
                print(f"[{database}] running {Path(script).name} ...", file=sys.stderr, flush=True)
                started = time.perf_counter()
                process = subprocess.run([sys.executable, str(script), "--worker", database, *extra_args],
                                         env=env, stdout=subprocess.PIPE, text=True)
                sys.stderr.write(f"[{database}] worker finished in {time.perf_counter() - started:.0f} s\n")
                lines = [line for line in process.stdout.splitlines() if line.startswith(RESULT_MARK)]
                if process.returncode or not lines:
                    sys.stdout.write(process.stdout)
                    raise SystemExit(f"{database}: the worker failed (exit {process.returncode})")
                results[database] = json.loads(lines[-1][len(RESULT_MARK):])
            finally:
                if name:
                    _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return results


def time_functions(targets):
    """Wrap functions to add up the time spent in each: ``targets`` [(module, name)]; returns
    {name: seconds}, to be cleared by the caller between runs (the benchmarks' ``--profile``)."""
    import functools

    spent = {}

    def timed(name, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    for module, name in targets:
        if hasattr(module, name):
            setattr(module, name, timed(name, getattr(module, name)))
    return spent


def _pg_admin(statement):
    import psycopg

    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True) as connection:
        connection.execute(statement)


def report(result):
    print(RESULT_MARK + json.dumps(result), flush=True)


def log(message):
    print(message, file=sys.stderr, flush=True)


def setup_django():
    """Configure Django from the environment, migrate and load the reference data."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kotacerdas.regions.reference import load_reference_data

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_reference_data()
    log(f"  migrated and loaded the reference data in {time.perf_counter() - started:.1f} s")


def vacuum_analyze():
    """After the bulk load, what PostgreSQL's autovacuum does in a deployment within a minute or
    so (this benchmark's server runs without it): refresh the planner's statistics (with those
    of the empty tables it joins 2.5 million values to pick 15,420) and vacuum the new rows (the
    first query to read them would otherwise also pay for checking and setting their commit
    hint bits)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"  VACUUM ANALYZE in {time.perf_counter() - started:.1f} s")


def median(values):
    return statistics.median(values)


def create_units(count=UNITS):
    """``count`` synthetic desa spread evenly under the 514 real kabupaten/kota, with codes like
    63.03.01.2001 (kabupaten/kota, kecamatan 01.., desa 2001..2020), in the one Region table.
    Returns their ids in code order."""
    from kotacerdas.regions.models import Kind, Region

    parents = list(Region.objects.kabkota().order_by("code"))
    units = []
    per_parent, extra = divmod(count, len(parents))
    for index, parent in enumerate(parents):
        for n in range(per_parent + (index < extra)):
            district, village = divmod(n, 20)
            units.append(Region(
                code=f"{parent.code}.{district + 1:02d}.{2001 + village}", name=f"Desa Sintetis {parent.code}.{n + 1}",
                kind=Kind.DESA, parent=parent, province_id=parent.province_id, island_group=parent.island_group,
                time_zone=parent.time_zone,
            ))
    Region.objects.bulk_create(units, batch_size=5000)
    return list(Region.objects.filter(kind=Kind.DESA).order_by("code").values_list("pk", flat=True))


def create_indicators(count, prefix="bench", categorical=()):
    """``count`` synthetic indicators for every kind of region, numeric 0..100 (every fourth a
    cost), or ordered categories for the positions in ``categorical``; returned in order."""
    from kotacerdas.indicators.models import Indicator

    indicators = []
    for j in range(count):
        spec = dict(
            code=f"{prefix}_{j + 1:02d}", name_id=f"Indikator sintetis {j + 1}", name_en=f"Synthetic indicator {j + 1}",
            direction="cost" if j % 4 == 3 else "benefit", source_agency="bench", region_kinds=[],
        )
        if j in categorical:
            spec.update(value_type="categorical", categories=[
                {"label": label, "score": score} for score, label in
                enumerate(["sangat rendah", "rendah", "sedang", "tinggi", "sangat tinggi"], start=1)])
        else:
            spec.update(value_type="numeric", min_value=0.0, max_value=100.0)
        indicators.append(Indicator(**spec))
    Indicator.objects.bulk_create(indicators)
    return list(Indicator.objects.filter(code__startswith=f"{prefix}_").order_by("code"))


def print_table(rows, header=("measurement", "seconds")):
    width = max(len(header[0]), *(len(name) for name, _ in rows))
    print(f"{header[0].ljust(width)}  {header[1]:>12s}")
    for name, seconds in rows:
        print(f"{name.ljust(width)}  {seconds:12.3f}")
