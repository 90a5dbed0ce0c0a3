"""A synthetic smart-village program end to end on PostgreSQL, at growing sizes.

    .venv/bin/python bench/scale.py [--sizes 5000,20000,83763] [--indicators 5] [--samples 1000]

For each size, in a subprocess of its own with a temporary PostgreSQL database ``kc_scale_*`` on
127.0.0.1:5432 (user postgres, dropped at the end) and a temporary ``KOTACERDAS_VAR_DIR``: migrate,
load the reference data, create that many synthetic desa spread evenly under the 514 real
kabupaten/kota (codes like 63.03.01.2001) and ``--indicators`` synthetic indicators, then time each
step of the program as the platform runs it:

- import: a long-format CSV (region_code, indicator, year, value; values from a fixed seed) of
  every unit x indicator for 2026 through ``indicators.services.import_values`` (the import page's
  and ``kotacerdas import_indicators``' service: read, check every row, write in one transaction);
- screening run: ``screening.services.runs.run_screening`` over the desa (TOPSIS, shortlist 100,
  SMAA with ``--samples`` samples), what the screening page starts;
- screening page: the run's page as a ministry user reads it (``GET .../screening/<run>/``, first
  page of the ranking, then a search by name), through Django's test client;
- evaluation round: ``evaluation.services.create_round`` over every unit, ``store_results`` with
  five scores per unit from a fixed seed (index, improvement, national and provincial ranks) and
  the ranking export (``ranking_rows``, every row);
- dashboard aggregates: the national dashboard's figures computed afresh (cache emptied):
  ``GET /`` and ``GET /?indicator=...`` (funnels, cohorts, the indicator menu, the indicator map);
- open data export: every open data resource as CSV (``reports.opendata.render``) and the daily
  snapshot tables (``reports.tasks.open_data_tables``, where every region is a row).

Prints the seconds of each step per size, the growth exponent between consecutive sizes
(log(t2/t1) / log(n2/n1); goal <= 1.1, close to linear) and the peak memory (VmHWM) of the
benchmark's Python process and of its PostgreSQL backend. The load of the machine (``uptime``)
is printed beside the figures: timings on a shared machine move with it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _platform as bench  # noqa: E402

SIZES = (5_000, 20_000, 83_763)
GOAL = 1.1
DATA_YEAR = 2026
SEED = 23
STEPS = ("import", "screening run", "screening page", "evaluation round", "dashboard", "open data")
# Steps whose time does not depend on the number of units by design (the dashboard reads the 514
# kabupaten/kota): their exponent is printed but a small time makes it noise.
NOISE_SECONDS = 0.05


def _peak_kb(pid="self"):
    """VmHWM (peak resident memory) of a process, in kB; None when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def write_csv(path, units, indicators, seed=SEED):
    """The long-format CSV of every unit x indicator for DATA_YEAR, values 1..100 from ``seed``."""
    import numpy as np

    from kotacerdas.regions.models import Region

    codes = list(Region.objects.filter(kind="desa").order_by("code").values_list("code", flat=True))
    assert len(codes) == len(units)
    rng = np.random.default_rng(seed)
    matrix = np.round(rng.uniform(1.0, 100.0, size=(len(codes), len(indicators))), 2)
    with open(path, "w", encoding="utf-8") as out:
        out.write("region_code,indicator,year,value\n")
        for code, row in zip(codes, matrix.tolist()):
            for indicator, value in zip(indicators, row):
                out.write(f"{code},{indicator.code},{DATA_YEAR},{value}\n")
    return len(codes) * len(indicators)


def run_program(units_count, indicator_count=5, samples=1000, log=bench.log, analyze=True):
    """Build the program of ``units_count`` synthetic desa in the configured database (migrated,
    reference data loaded) and time each step; {step: seconds} plus facts to check."""
    import numpy as np

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from kotacerdas.evaluation import services as evaluation_services
    from kotacerdas.evaluation.models import DIMENSIONS
    from kotacerdas.indicators.services import import_values
    from kotacerdas.program.models import Phase
    from kotacerdas.reports import opendata
    from kotacerdas.reports.tasks import open_data_tables
    from kotacerdas.screening.services.runs import run_screening

    from decimal import Decimal

    times, facts = {}, {}
    started = time.perf_counter()
    units = bench.create_units(units_count)
    indicators = bench.create_indicators(indicator_count, prefix="village")
    facts["setup"] = time.perf_counter() - started
    log(f"  {len(units):,} desa and {indicator_count} indicators created in {facts['setup']:.1f} s")

    with tempfile.TemporaryDirectory(prefix="kc-scale-csv-") as folder:
        path = Path(folder, "values.csv")
        rows = write_csv(path, units, indicators)
        started = time.perf_counter()
        batch = import_values(str(path), name="village-values.csv", synthetic=True)
        times["import"] = time.perf_counter() - started
    facts["values"] = rows
    facts["imported"] = getattr(batch, "row_count", None)
    if analyze:  # not inside a test's transaction: VACUUM cannot run there
        bench.vacuum_analyze()

    phase = Phase.objects.create(year=2099, name="Program desa cerdas (sintetis)", quota=100, invited_target=100,
                                 is_demo=True)
    started = time.perf_counter()
    run = run_screening(phase, criteria=[i.code for i in indicators], weights=[1.0] * indicator_count,
                        data_year=DATA_YEAR, method="topsis", shortlist_size=100, seed=3, samples=samples,
                        weight_uncertainty=None, region_kinds=["desa"])
    times["screening run"] = time.perf_counter() - started
    facts["eligible"] = run.eligible_count

    user = get_user_model().objects.create_superuser("scale-admin", "scale-admin@bench.invalid", "!")
    client = Client()
    client.force_login(user)
    url = reverse("screening:run", kwargs={"year": phase.year, "run_id": run.pk})
    client.get(url)  # the templates' first compilation is not what grows with the units
    started = time.perf_counter()
    first = client.get(url)
    search = client.get(url, {"q": "Sintetis 63.03.1", "page": "2"})
    times["screening page"] = time.perf_counter() - started
    assert first.status_code == 200 and search.status_code == 200, (first.status_code, search.status_code)

    rng = np.random.default_rng(SEED)
    cents = rng.integers(0, 501, size=(len(units), len(DIMENSIONS)))
    scores = [{"region_id": pk, **{d: Decimal(int(c)).scaleb(-2) for d, c in zip(DIMENSIONS, row)}}
              for pk, row in zip(units, cents.tolist())]
    started = time.perf_counter()
    evaluation = evaluation_services.create_round(2099, 1, region_ids=units, is_demo=True)
    evaluation_services.store_results(evaluation, scores, origin="manual")
    ranked = sum(1 for _row in evaluation_services.ranking_rows(evaluation))
    times["evaluation round"] = time.perf_counter() - started
    facts["ranked"] = ranked

    client.get("/")  # templates compiled, as above
    cache.clear()
    started = time.perf_counter()
    home = client.get("/")
    indicator_page = client.get("/", {"indicator": indicators[0].code})
    times["dashboard"] = time.perf_counter() - started
    assert home.status_code == 200 and indicator_page.status_code == 200

    started = time.perf_counter()
    size = 0
    for item in opendata.RESOURCES:
        body, _type = opendata.render(item, "csv")
        size += len(body)
    for _name, content in open_data_tables():
        size += len(content)
    times["open data"] = time.perf_counter() - started
    facts["open_data_bytes"] = size

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()" if connection.vendor == "postgresql" else "SELECT NULL")
        backend = cursor.fetchone()[0]
    facts["peak_python_kb"] = _peak_kb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    facts["peak_database_kb"] = _peak_kb(backend) if backend else None
    return {"units": len(units), "times": times, "facts": facts}


def worker(units, indicators, samples):
    bench.setup_django()
    bench.report(run_program(units, indicators, samples))


def run_size(units, args):
    name = f"kc_scale_{units}_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="kc-scale-") as var_dir:
        env = dict(os.environ, KOTACERDAS_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="kotacerdas.settings",
                   PYTHONPATH=str(bench.ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   DATABASE_URL=f"postgres://{bench.PG_USER}@{bench.PG_HOST}:{bench.PG_PORT}/{name}")
        bench._pg_admin(f'CREATE DATABASE "{name}"')
        try:
            bench.log(f"[{units:,} units] running ... (load: {load_average()})")
            process = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", str(units),
                                      "--indicators", str(args.indicators), "--samples", str(args.samples)],
                                     env=env, stdout=subprocess.PIPE, text=True)
            lines = [line for line in process.stdout.splitlines() if line.startswith(bench.RESULT_MARK)]
            if process.returncode or not lines:
                sys.stdout.write(process.stdout)
                raise SystemExit(f"{units} units: the worker failed (exit {process.returncode})")
            result = json.loads(lines[-1][len(bench.RESULT_MARK):])
        finally:
            bench._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result["load"] = load_average()
    bench.log(f"[{units:,} units] " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in result["times"].items()))
    return result


def load_average():
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def exponent(n1, t1, n2, t2):
    if t1 <= 0 or t2 <= 0 or n1 == n2:
        return float("nan")
    return math.log(t2 / t1) / math.log(n2 / n1)


def print_results(results, out=sys.stdout):
    """The table of seconds per step and size, the exponents between consecutive sizes and the
    memory; returns the steps whose exponent misses the goal."""
    sizes = [r["units"] for r in results]
    width = max(len(s) for s in STEPS) + 2
    print(f"{'step':{width}s}" + "".join(f"{n:>12,}" for n in sizes)
          + "".join(f"   exp {a // 1000}k→{b // 1000}k" for a, b in zip(sizes, sizes[1:])), file=out)
    misses = []
    for step in STEPS:
        seconds = [r["times"][step] for r in results]
        exps = [exponent(a, ta, b, tb) for a, ta, b, tb in zip(sizes, seconds, sizes[1:], seconds[1:])]
        noisy = all(t < NOISE_SECONDS for t in seconds)
        marks = "".join(f"{e:14.2f}" for e in exps)
        verdict = "" if not exps else (" (too fast to tell)" if noisy else
                                      ("  PASS" if all(e <= GOAL for e in exps) else "  MISS"))
        if verdict == "  MISS":
            misses.append(step)
        print(f"{step:{width}s}" + "".join(f"{t:12.3f}" for t in seconds) + marks + verdict, file=out)
    print(f"{'peak memory, Python (MB)':{width}s}" + "".join(f"{r['facts']['peak_python_kb'] / 1024:12.0f}" for r in results), file=out)
    print(f"{'peak memory, PostgreSQL backend (MB)':{width}s}" + "".join(
        f"{(r['facts']['peak_database_kb'] or 0) / 1024:12.0f}" for r in results), file=out)
    print(f"{'load average after':{width}s}" + "".join(f"{r['load'].split()[0]:>12s}" for r in results), file=out)
    return misses


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES), help="comma-separated numbers of units")
    parser.add_argument("--indicators", type=int, default=5)
    parser.add_argument("--samples", type=int, default=1000, help="SMAA samples of the screening run")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.indicators, args.samples)
    sizes = sorted(int(n) for n in args.sizes.split(","))
    started = time.monotonic()
    results = [run_size(n, args) for n in sizes]
    print(f"\nSmart-village program on PostgreSQL: {args.indicators} indicators, SMAA {args.samples} samples; "
          f"seconds per step, growth exponent between sizes (goal <= {GOAL:g})")
    misses = print_results(results)
    print(f"\nload average (1, 5, 15 min) at the end: {load_average()}; total {time.monotonic() - started:.0f} s")
    print("PASS  every step grows at most as n^%g" % GOAL if not misses else f"MISS  {', '.join(misses)}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
