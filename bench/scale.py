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
import contextlib
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


def _cpu_seconds(pid):
    """User + system CPU seconds a process has used (``/proc/<pid>/stat``); None when unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Each step's wall seconds, CPU seconds (this Python process plus its PostgreSQL backend)
    and number of SQL statements. On a shared machine the wall time moves with the load (other
    processes take the cores); the CPU time and the statements barely do, so their growth tells
    whether a step's work is linear when the wall time cannot. The backend runs without parallel
    query workers (``max_parallel_workers_per_gather = 0``) so that all its work is counted."""

    def __init__(self):
        from django.db import connection

        self.connection = connection
        self.backend = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET max_parallel_workers_per_gather = 0")
                cursor.execute("SELECT pg_backend_pid()")
                self.backend = cursor.fetchone()[0]
        self.times, self.cpu, self.queries = {}, {}, {}
        self.profile = None  # a step's name: run it under cProfile and print the hot functions

    def _cpu(self):
        return time.process_time() + ((_cpu_seconds(self.backend) or 0.0) if self.backend else 0.0)

    @contextlib.contextmanager
    def step(self, name):
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        profiler = None
        if self.profile == name:
            import cProfile

            profiler = cProfile.Profile()
        with self.connection.execute_wrapper(counting):
            cpu, started = self._cpu(), time.perf_counter()
            if profiler:
                profiler.enable()
            try:
                yield
            finally:
                if profiler:
                    profiler.disable()
                self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - started
                self.cpu[name] = self.cpu.get(name, 0.0) + self._cpu() - cpu
                self.queries[name] = self.queries.get(name, 0) + count[0]
        if profiler:
            import pstats

            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)


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


def run_program(units_count, indicator_count=5, samples=1000, log=bench.log, analyze=True, profile=None):
    """Build the program of ``units_count`` synthetic desa in the configured database (migrated,
    reference data loaded) and measure each step (:class:`Meter`): {"times": {step: seconds},
    "cpu": {step: CPU seconds}, "queries": {step: statements}} plus facts to check. ``profile``
    names a step to run under cProfile (its hot functions go to stderr)."""
    import numpy as np

    from django.contrib.auth import get_user_model
    from django.core.cache import cache
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

    facts = {}
    meter = Meter()
    meter.profile = profile
    started = time.perf_counter()
    units = bench.create_units(units_count)
    indicators = bench.create_indicators(indicator_count, prefix="village")
    facts["setup"] = time.perf_counter() - started
    log(f"  {len(units):,} desa and {indicator_count} indicators created in {facts['setup']:.1f} s")

    with tempfile.TemporaryDirectory(prefix="kc-scale-csv-") as folder:
        path = Path(folder, "values.csv")
        rows = write_csv(path, units, indicators)
        with meter.step("import"):
            batch = import_values(str(path), name="village-values.csv", synthetic=True)
    facts["values"] = rows
    facts["imported"] = getattr(batch, "row_count", None)
    if analyze:  # not inside a test's transaction: VACUUM cannot run there
        bench.vacuum_analyze()

    phase = Phase.objects.create(year=2099, name="Program desa cerdas (sintetis)", quota=100, invited_target=100,
                                 is_demo=True)
    with meter.step("screening run"):
        run = run_screening(phase, criteria=[i.code for i in indicators], weights=[1.0] * indicator_count,
                            data_year=DATA_YEAR, method="topsis", shortlist_size=100, seed=3, samples=samples,
                            weight_uncertainty=None, region_kinds=["desa"])
    facts["eligible"] = run.eligible_count

    user = get_user_model().objects.create_superuser("scale-admin", "scale-admin@bench.invalid", "!")
    client = Client()
    client.force_login(user)
    url = reverse("screening:run", kwargs={"year": phase.year, "run_id": run.pk})
    client.get(url)  # the templates' first compilation is not what grows with the units
    with meter.step("screening page"):
        first = client.get(url)
        search = client.get(url, {"q": "Sintetis 63.03.1", "page": "2"})
    assert first.status_code == 200 and search.status_code == 200, (first.status_code, search.status_code)

    rng = np.random.default_rng(SEED)
    cents = rng.integers(0, 501, size=(len(units), len(DIMENSIONS)))
    scores = [{"region_id": pk, **{d: Decimal(int(c)).scaleb(-2) for d, c in zip(DIMENSIONS, row)}}
              for pk, row in zip(units, cents.tolist())]
    with meter.step("evaluation round"):
        evaluation = evaluation_services.create_round(2099, 1, region_ids=units, is_demo=True)
        evaluation_services.store_results(evaluation, scores, origin="manual")
        ranked = sum(1 for _row in evaluation_services.ranking_rows(evaluation))
    facts["ranked"] = ranked

    client.get("/")  # templates compiled, as above
    cache.clear()
    with meter.step("dashboard"):
        home = client.get("/")
        indicator_page = client.get("/", {"indicator": indicators[0].code})
    assert home.status_code == 200 and indicator_page.status_code == 200

    size = 0
    with meter.step("open data"):
        for item in opendata.RESOURCES:
            body, _type = opendata.render(item, "csv")
            size += len(body)
        for _name, content in open_data_tables():
            size += len(content)
    facts["open_data_bytes"] = size

    facts["peak_python_kb"] = _peak_kb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    facts["peak_database_kb"] = _peak_kb(meter.backend) if meter.backend else None
    return {"units": len(units), "times": meter.times, "cpu": meter.cpu, "queries": meter.queries, "facts": facts}


def worker(units, indicators, samples, profile=None):
    bench.setup_django()
    bench.report(run_program(units, indicators, samples, profile=profile))


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
                                      "--indicators", str(args.indicators), "--samples", str(args.samples),
                                      *(["--profile", args.profile] if args.profile else [])],
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


MEASURES = (
    ("times", "wall seconds", "{:12.3f}"),
    ("cpu", "CPU seconds (Python process + its PostgreSQL backend)", "{:12.3f}"),
    ("queries", "SQL statements", "{:12,d}"),
)


def _table(results, key, title, cell, out):
    """One measure's table; returns {step: verdict} (PASS, MISS or '' when it cannot tell)."""
    sizes = [r["units"] for r in results]
    width = max(len(s) for s in STEPS) + 2
    print(f"\n{title}", file=out)
    print(f"{'step':{width}s}" + "".join(f"{n:>12,}" for n in sizes)
          + "".join(f"   exp {a // 1000}k→{b // 1000}k" for a, b in zip(sizes, sizes[1:])), file=out)
    verdicts = {}
    for step in STEPS:
        values = [r[key][step] for r in results]
        exps = [exponent(a, ta, b, tb) for a, ta, b, tb in zip(sizes, values, sizes[1:], values[1:])]
        noisy = key != "queries" and all(v < NOISE_SECONDS for v in values)
        verdict = "" if not exps or key == "queries" else (
            "too fast to tell" if noisy else ("PASS" if all(e <= GOAL for e in exps) else "MISS"))
        verdicts[step] = verdict
        print(f"{step:{width}s}" + "".join(cell.format(v) for v in values)
              + "".join(f"{e:14.2f}" for e in exps) + (f"  {verdict}" if verdict else ""), file=out)
    return verdicts


def print_results(results, out=sys.stdout):
    """The tables of wall seconds, CPU seconds and SQL statements per step and size, with the
    growth exponents between consecutive sizes, and the memory. Returns the steps that miss the
    goal: judged on the CPU seconds when measured (the wall time of a loaded machine grows with
    the load, not only with the units), else on the wall seconds."""
    width = max(len(s) for s in STEPS) + 2
    verdicts = {}
    for key, title, cell in MEASURES:
        if all(key in r for r in results):
            verdicts[key] = _table(results, key, title, cell, out)
    judged = verdicts.get("cpu") or verdicts["times"]
    print(f"\n{'peak memory, Python (MB)':{width}s}" + "".join(f"{r['facts']['peak_python_kb'] / 1024:12.0f}" for r in results), file=out)
    print(f"{'peak memory, PostgreSQL backend (MB)':{width}s}" + "".join(
        f"{(r['facts']['peak_database_kb'] or 0) / 1024:12.0f}" for r in results), file=out)
    print(f"{'load average after':{width}s}" + "".join(f"{r['load'].split()[0]:>12s}" for r in results), file=out)
    return [step for step in STEPS if judged[step] == "MISS"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(str(n) for n in SIZES), help="comma-separated numbers of units")
    parser.add_argument("--indicators", type=int, default=5)
    parser.add_argument("--samples", type=int, default=1000, help="SMAA samples of the screening run")
    parser.add_argument("--profile", choices=STEPS, help="run this step under cProfile; its hot functions go to stderr")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.indicators, args.samples, args.profile)
    sizes = sorted(int(n) for n in args.sizes.split(","))
    started = time.monotonic()
    results = [run_size(n, args) for n in sizes]
    print(f"\nSmart-village program on PostgreSQL: {args.indicators} indicators, SMAA {args.samples} samples; "
          f"per step: wall seconds, CPU seconds and SQL statements, growth exponent between sizes "
          f"(goal <= {GOAL:g}, judged on the CPU seconds)")
    misses = print_results(results)
    print(f"\nload average (1, 5, 15 min) at the end: {load_average()}; total {time.monotonic() - started:.0f} s")
    print("PASS  every step grows at most as n^%g" % GOAL if not misses else f"MISS  {', '.join(misses)}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
