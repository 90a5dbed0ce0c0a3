"""The public dashboard and a region profile under load, and the dashboard's aggregates at village scale.

Run: ``python bench/dashboard.py [--database sqlite|postgres|both] [--seconds 20]
[--connections 50] [--workers 4] [--repeats 3]``.

For each database the platform is served as deployed (gunicorn, several sync workers, DEBUG off,
Django's cache in the database, shared by the workers) on a free port of 127.0.0.1, with a
temporary ``KOTACERDAS_VAR_DIR`` (SQLite: a file database in it) or a temporary PostgreSQL
database on 127.0.0.1:5432 (user postgres), dropped at the end.

A preparing step migrates and loads the reference data (the 514 kabupaten/kota, the real phases
2017-2019 and their selections), publishes two invented evaluation rounds over the 514
kabupaten/kota (2098 and 2099, marked demo, with the six smart city dimensions) and one over
83,763 synthetic desa (2097, demo). It then times the dashboard's aggregates built from scratch
(the cache emptied: each phase's funnel, the cohorts, the index map, the index per cohort, the
trend, the biggest improvements, the implementation ratio; and the national map), with the
83,763-unit round as the latest published round (median of ``--repeats``), before that round is
moved behind the kabupaten/kota rounds for the load.

The load client, a process of its own, keeps ``--connections`` requests in flight for
``--seconds``; each connection asks in turn for the dashboard (``/?demo=1``: every figure,
the demo rounds included), a region profile (``/regions/<code>/`` of a kabupaten/kota selected in
a real phase, evaluated in both rounds) and the trivial page (``/healthz``).

Targets, per database: no error, and the 95th percentile of the dashboard and of the profile each
at most 3 times that of the trivial page under the same load; PASS/MISS is printed for each.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _platform as bench  # noqa: E402
import deadline_rush as rush  # noqa: E402  (the HTTP client, the server's start and stop)

ROOT = Path(__file__).resolve().parents[1]
HOST = rush.HOST
RATIO_TARGET = 3.0
REQUEST_TIMEOUT = 30.0
PAGES = ("dashboard", "profile", "trivial")
SEED = 21
DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")


# --- the preparing step, with Django, in a subprocess per database ------------------------------


def _round(year, region_ids, rng, *, dimensions):
    from decimal import Decimal

    from kotacerdas.evaluation import services

    evaluation = services.create_round(year, 1, region_ids=region_ids, is_demo=True)
    cents = rng.integers(100, 501, size=(len(region_ids), 5 + len(DIMENSIONS))).tolist()
    rows = []
    for pk, row in zip(region_ids, cents):
        values = {name: Decimal(int(c)).scaleb(-2) for name, c in zip(("baseline", "output", "outcome", "impact", "quick_win"), row)}
        if dimensions:
            values["smart_city_scores"] = {name: f"{c / 100:.2f}" for name, c in zip(DIMENSIONS, row[5:])}
        rows.append({"region_id": pk, **values})
    services.store_results(evaluation, rows, origin="manual")
    services.publish_round(evaluation)
    return evaluation


def step_prepare(plan_path, repeats):
    """Prepare the database, time the aggregates; write {profile, aggregates...} to ``plan_path``."""
    bench.setup_django()
    import numpy as np

    from django.core.cache import cache

    from kotacerdas.evaluation.models import EvaluationRound
    from kotacerdas.program.models import Participation, ParticipationStatus, Round
    from kotacerdas.regions.models import Region
    from kotacerdas.reports import dashboard
    from kotacerdas.reports import map as national_map

    from kotacerdas.site.builders import load_reference

    started = time.perf_counter()
    load_reference()  # the real phases and their selected regions (idempotent for the regions)
    bench.log(f"  the real phases loaded in {time.perf_counter() - started:.1f} s")
    rng = np.random.default_rng(SEED)
    started = time.perf_counter()
    kabkota = list(Region.objects.kabkota().order_by("code").values_list("pk", flat=True))
    _round(2098, kabkota, rng, dimensions=True)
    _round(2099, kabkota, rng, dimensions=True)
    bench.log(f"  two rounds over {len(kabkota)} kabupaten/kota in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    units = bench.create_units()
    village_round = _round(2100, units, rng, dimensions=False)
    bench.vacuum_analyze()
    bench.log(f"  one round over {len(units):,} synthetic desa in {time.perf_counter() - started:.1f} s")

    timings = {"figures": [], "map": [], "fingerprint": []}
    for attempt in range(repeats):
        cache.clear()
        started = time.perf_counter()
        digest = national_map.fingerprint()
        timings["fingerprint"].append(time.perf_counter() - started)
        started = time.perf_counter()
        figures = dashboard.cached_figures(True, digest)
        timings["figures"].append(time.perf_counter() - started)
        started = time.perf_counter()
        national_map.home_map(True, digest)
        timings["map"].append(time.perf_counter() - started)
        assert figures["evaluation"]["round"].pk == village_round.pk
        bench.log(f"  aggregates run {attempt + 1}: fingerprint {timings['fingerprint'][-1]:.3f} s, "
                  f"figures {timings['figures'][-1]:.2f} s, map {timings['map'][-1]:.2f} s")
    # For the load, the village round goes first in time: the dashboard shows the 2099
    # kabupaten/kota round (its map, cohorts and improvements) with all three in the trend.
    Round.objects.filter(pk=village_round.round_id).update(year=2097)
    assert EvaluationRound.objects.filter(round__year=2097).count() == 1
    cache.clear()
    profile = (Participation.objects.filter(status=ParticipationStatus.SELECTED, phase__is_demo=False)
               .order_by("region__code").values_list("region__code", flat=True).first())
    assert profile, "no region selected in a real phase"
    Path(plan_path).write_text(json.dumps({
        "profile": profile, "units": len(units),
        "aggregates": {name: bench.median(values) for name, values in timings.items()}, "runs": timings,
    }))


# --- the load client ---------------------------------------------------------------------------


async def _connection(number, port, paths, deadline, state):
    for n in range(rush.MAX_REQUESTS_PER_CONNECTION):
        if time.monotonic() >= deadline:
            break
        page = PAGES[(number + n) % len(PAGES)]
        started = time.perf_counter()
        try:
            status, payload = await asyncio.wait_for(rush._request(port, "GET", paths[page]), REQUEST_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            state["errors"].append(f"{page}: {type(exc).__name__}: {exc}")
            continue
        state[page].append(time.perf_counter() - started)
        if status != 200:
            state["errors"].append(f"{page}: HTTP {status}: {payload[:200].decode('utf-8', 'replace')}")


async def _load(port, paths, seconds, connections):
    state = {page: [] for page in PAGES}
    state["errors"] = []
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(_connection(i, port, paths, deadline, state) for i in range(connections)))
    state["elapsed"] = time.monotonic() - started
    return state


def step_load(port, plan_path, out_path, seconds, connections):
    plan = json.loads(Path(plan_path).read_text())
    paths = _paths(plan)
    Path(out_path).write_text(json.dumps(asyncio.run(_load(port, paths, seconds, connections))))


def _paths(plan):
    return {"dashboard": "/?demo=1", "profile": f"/regions/{plan['profile']}/", "trivial": "/healthz"}


# --- the driver --------------------------------------------------------------------------------


def _run_step(env, *args, timeout=1800):
    process = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--step", *args], env=env,
                             stdout=subprocess.PIPE, text=True, timeout=timeout)
    if process.returncode:
        raise SystemExit(f"step {args[0]} failed (exit {process.returncode}):\n{process.stdout}")
    return process.stdout


def _warm_up(port, paths, workers):
    """Each worker's lazily imported code and the cache's first entries, not counted."""
    import urllib.error
    import urllib.request

    for _ in range(3 * workers):
        for path in paths.values():
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=120) as response:
                    response.read()
            except urllib.error.HTTPError as error:
                raise SystemExit(f"warming up: {path} answered {error.code}") from error


def run_database(database, args):
    with tempfile.TemporaryDirectory(prefix=f"kc-dashboard-{database}-") as var_dir:
        env = dict(os.environ, KOTACERDAS_VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="kotacerdas.settings",
                   PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   KOTACERDAS_ALLOWED_HOSTS="127.0.0.1")
        for name in ("DATABASE_URL", "KOTACERDAS_DEBUG", "KOTACERDAS_HTTPS"):
            env.pop(name, None)
        db_name, server = None, None
        if database == "postgres":
            db_name = f"kc_dashboard_{os.getpid()}"
            rush._pg_admin(f'CREATE DATABASE "{db_name}"')
            env["DATABASE_URL"] = f"postgres://{rush.PG_USER}@{rush.PG_HOST}:{rush.PG_PORT}/{db_name}"
        try:
            plan_path, out_path = Path(var_dir, "plan.json"), Path(var_dir, "load.json")
            bench.log(f"[{database}] preparing ...")
            _run_step(env, "prepare", "--plan", str(plan_path), "--repeats", str(args.repeats))
            plan = json.loads(plan_path.read_text())
            port = rush._free_port()
            gunicorn = Path(sys.executable).with_name("gunicorn")
            bench.log(f"[{database}] gunicorn on {HOST}:{port} with {args.workers} workers, {args.connections} connections for {args.seconds} s ...")
            server = subprocess.Popen(
                [str(gunicorn), "kotacerdas.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(args.workers),
                 "--backlog", "2048", "--timeout", "120", "--log-level", "warning"],
                env=env, cwd=var_dir, start_new_session=True, stderr=subprocess.DEVNULL,
            )
            rush._wait_healthy(port, server, limit=60.0)
            _warm_up(port, _paths(plan), args.workers)
            _run_step(env, "load", "--port", str(port), "--plan", str(plan_path), "--out", str(out_path),
                      "--seconds", str(args.seconds), "--connections", str(args.connections), timeout=args.seconds + 180)
            load = json.loads(out_path.read_text())
        finally:
            rush._stop(server)
            if db_name:
                rush._pg_admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    return {
        "database": database, "profile": plan["profile"], "units": plan["units"], "aggregates": plan["aggregates"],
        "elapsed": load["elapsed"], "errors": len(load["errors"]), "error_examples": load["errors"][:5],
        **{f"{page}_count": len(load[page]) for page in PAGES},
        **{f"{page}_ms": [1000 * rush.percentile(load[page], p) for p in (50, 95, 99)] for page in PAGES},
        **{f"{page}_mean_ms": 1000 * statistics.fmean(load[page]) if load[page] else float("nan") for page in PAGES},
    }


def print_result(r, args):
    requests = sum(r[f"{page}_count"] for page in PAGES) + r["errors"]
    print(f"\n== {r['database']}: {args.workers} gunicorn workers, {args.connections} connections, {r['elapsed']:.1f} s ==")
    aggregates = r["aggregates"]
    print(f"dashboard aggregates from scratch over {r['units']:,} synthetic units (median of {args.repeats}): "
          f"figures {aggregates['figures']:.2f} s, national map {aggregates['map']:.2f} s, "
          f"data fingerprint {1000 * aggregates['fingerprint']:.1f} ms")
    print(f"requests {requests} ({requests / r['elapsed']:.0f}/s): " + ", ".join(f"{page} {r[page + '_count']}" for page in PAGES))
    print(f"errors {r['errors']}" + (f"  e.g. {r['error_examples']}" if r["errors"] else ""))
    print("                                 p50 ms   p95 ms   p99 ms")
    labels = {"dashboard": "dashboard (/?demo=1)", "profile": f"profile (/regions/{r['profile']}/)", "trivial": "trivial (/healthz)"}
    for page in PAGES:
        print(f"{labels[page]:31s}" + "".join(f"{v:9.1f}" for v in r[page + "_ms"]))
    trivial = r["trivial_ms"][1]
    passed = r["errors"] == 0 and all(r[page + "_count"] for page in PAGES)
    print(f"{'PASS' if passed else 'MISS'}  no error with {args.connections} connections at once")
    for page in ("dashboard", "profile"):
        ratio = r[page + "_ms"][1] / trivial if trivial else float("inf")
        ok = ratio <= RATIO_TARGET
        passed = passed and ok
        print(f"{'PASS' if ok else 'MISS'}  p95 of the {page} <= {RATIO_TARGET:g} x p95 of the trivial page ({ratio:.2f})")
    return passed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the aggregates from scratch")
    parser.add_argument("--step", choices=("prepare", "load"), help=argparse.SUPPRESS)
    parser.add_argument("--plan", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "prepare":
        return step_prepare(args.plan, args.repeats)
    if args.step == "load":
        return step_load(args.port, args.plan, args.out, args.seconds, args.connections)
    if not 1 <= args.seconds <= 120 or not 1 <= args.connections <= 514 or not 1 <= args.repeats <= 10:
        parser.error("--seconds must be 1..120, --connections 1..514 and --repeats 1..10")
    started = time.monotonic()
    results = [run_database(database, args) for database in bench.databases(args.database)]
    passed = [print_result(r, args) for r in results]
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    return 0 if all(passed) else 1


if __name__ == "__main__":
    sys.exit(main())
