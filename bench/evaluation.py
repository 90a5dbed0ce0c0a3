"""Computing and storing the results of one evaluation round against the database's bulk insert
of the same rows.

    .venv/bin/python bench/evaluation.py [--database sqlite|postgres|both] [--repeats 3]

Per database (a temporary SQLite file; a temporary PostgreSQL database on 127.0.0.1:5432), in a
subprocess with the platform's settings from the environment: migrate, load the reference data,
create 83,763 synthetic desa under the 514 real kabupaten/kota and one evaluation round over all
of them, with five scores (0-5, two decimals) per unit from a fixed seed. Then time (median of
``--repeats`` runs):
- compute and store: ``kotacerdas.evaluation.services.store_results`` (what the import, the API
  and the verification call): check every score, compute each index in Decimal rounded half up,
  look up the previous results, rank nationally and per province, replace the round's results;
- bulk insert: the database's bulk insert (``bulk_create``, same batch size) of exactly the rows
  that call stored, read back and rebuilt as objects beforehand, into the emptied round (the
  deletion is not timed here; in the first figure it is, as part of replacing a round's results).
Target: compute and store <= 3 x bulk insert.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _platform as bench  # noqa: E402

TARGET = 3.0
SEED = 20


def worker(database, repeats):
    bench.setup_django()
    from decimal import Decimal

    import numpy as np

    from django.db import transaction

    from kotacerdas.evaluation import services
    from kotacerdas.evaluation.models import DIMENSIONS, Result

    started = time.perf_counter()
    units = bench.create_units()
    evaluation = services.create_round(2099, 1, region_ids=units, is_demo=True)
    rng = np.random.default_rng(SEED)
    cents = rng.integers(0, 501, size=(len(units), len(DIMENSIONS)))
    rows = [{"region_id": pk, **{d: Decimal(int(c)).scaleb(-2) for d, c in zip(DIMENSIONS, row)}}
            for pk, row in zip(units, cents.tolist())]
    bench.vacuum_analyze()
    bench.log(f"  {len(units):,} units in one round, set up in {time.perf_counter() - started:.1f} s")
    full, bulk = [], []
    for attempt in range(repeats):
        started = time.perf_counter()
        services.store_results(evaluation, rows, origin="manual")
        full.append(time.perf_counter() - started)
        stored = [Result(**{k: v for k, v in values.items() if k != "id"})
                  for values in Result.objects.filter(round=evaluation).values()]
        assert len(stored) == len(units)
        services._delete_results(evaluation)
        started = time.perf_counter()
        with transaction.atomic():
            Result.objects.bulk_create(stored, batch_size=2000)
        bulk.append(time.perf_counter() - started)
        bench.log(f"  run {attempt + 1}: compute and store {full[-1]:.2f} s, bulk insert {bulk[-1]:.2f} s")
    bench.report({"units": len(units), "full": bench.median(full), "bulk": bench.median(bulk), "full_runs": full, "bulk_runs": bulk})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bench.add_database_flag(parser)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.repeats)
    results = bench.run_workers(Path(__file__).resolve(), args.database, ["--repeats", str(args.repeats)])
    print(f"One evaluation round over {bench.UNITS:,} synthetic units; median of {args.repeats} runs")
    rows = []
    for database, result in results.items():
        rows += [(f"{database}: compute and store (index, improvement, ranks)", result["full"]),
                 (f"{database}: bulk insert of the same rows", result["bulk"])]
    print()
    bench.print_table(rows, ("measurement", "median s"))
    print(f"\n{'target':40s}    ratio     goal    result")
    for database, result in results.items():
        ratio = result["full"] / result["bulk"]
        print(f"{database + ': compute and store / bulk insert':40s} {ratio:8.2f}  {'<= ' + format(TARGET, 'g'):>7s}"
              f"    {'PASS' if ratio <= TARGET else 'MISS'}")


if __name__ == "__main__":
    main()
