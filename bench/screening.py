"""A full screening run against the decision engine alone on the same maths.

    .venv/bin/python bench/screening.py [--database sqlite|postgres|both] [--repeats 3] [--profile]

Per database (a temporary SQLite file; a temporary PostgreSQL database on 127.0.0.1:5432, user
postgres, dropped at the end), in a subprocess with the platform's settings from the environment:
migrate, load the reference data, create 30 synthetic indicators (numeric 0..100, every fourth a
cost) and 83,763 synthetic desa under the 514 real kabupaten/kota (a third level of the region
tree, codes like 63.03.01.2001), and store one value of every indicator for 2026 for the 514
kabupaten/kota and for the 83,763 desa (2,528,310 values, through the platform's write_values);
on PostgreSQL then VACUUM ANALYZE, as autovacuum would soon after such a load in a deployment
(the benchmark server runs without autovacuum). Then time (median of ``--repeats`` runs):

- full run: ``kotacerdas.screening.services.runs.run_screening`` (what the screening page and
  ``kotacerdas screen`` call): read the values from the database (their packed columns per
  indicator, year and kind of region, kept by the imports: indicators/columns.py), eligibility,
  rank with TOPSIS, shortlist of 100, SMAA (top-100 probability; weights anywhere on the
  simplex), store the run with its inputs and outputs as arrays and result rows for the
  shortlist; 514 kabupaten/kota with 10,000 samples, 83,763 desa with 1,000 samples;
- engine alone: ``decision.rank`` and ``decision.smaa`` on the same matrix (read back from the
  stored run), same method, normalisation, seed, samples and top-k.

Target: full run <= 2 x engine alone (the database never dominates). ``--profile`` prints the
time of each step of every full run (read, eligibility, maths, store).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _platform as bench  # noqa: E402

CRITERIA = 30
DATA_YEAR = 2026
SHORTLIST = 100
CASES = (  # (label, region kinds, SMAA samples)
    ("514 kabupaten/kota, 10,000 samples", ["kabupaten", "kota"], 10_000),
    ("83,763 desa, 1,000 samples", ["desa"], 1_000),
)
TARGET = 2.0


def load_values(indicators, region_ids, seed):
    import numpy as np

    from kotacerdas.indicators.services import write_values

    rng = np.random.default_rng(seed)
    matrix = np.round(rng.uniform(1.0, 100.0, size=(len(region_ids), len(indicators))), 4)
    values = [(pk, indicator.pk, DATA_YEAR, value, "")
              for pk, row in zip(region_ids, matrix.tolist()) for indicator, value in zip(indicators, row)]
    write_values(values, file_name=f"bench-synthetic-{seed}", synthetic=True)
    return len(values)


def engine_alone(run):
    """decision.rank + decision.smaa exactly as the run's compute() calls them; seconds."""
    import numpy as np

    from kotacerdas import decision

    region_ids, matrix = run.input_arrays()
    benefit = np.asarray(run.benefit)
    started = time.perf_counter()
    decision.rank(matrix, run.weights, run.benefit, method=run.method, normalization=run.normalization)
    top = decision.smaa(matrix, benefit, method=run.method, normalization=run.normalization, samples=run.smaa_samples,
                        seed=run.seed, weight_bounds=None, top_k=min(run.shortlist_size, len(region_ids)),
                        full_ranks=False)
    seconds = time.perf_counter() - started
    return seconds, region_ids, top.top_k_probability


TOP_STEPS = ("evaluate_eligibility", "value_matrix", "compute", "uses_synthetic", "store_run")
STEPS = (*TOP_STEPS, "_store_inputs_postgresql", "_insert_results")  # the last two inside store_run


def profile_steps():
    """Time the steps of run_screening (``--profile``): {step: seconds}, reset by the caller."""
    from kotacerdas.screening.services import runs

    return bench.time_functions([(runs, name) for name in STEPS])


def worker(database, repeats, profile=False):
    bench.setup_django()
    from kotacerdas.program.models import Phase
    from kotacerdas.regions.models import Region
    from kotacerdas.screening.services.runs import run_results, run_screening

    started = time.perf_counter()
    indicators = bench.create_indicators(CRITERIA, prefix="scr")
    units = bench.create_units()
    kabkota = list(Region.objects.kabkota().order_by("code").values_list("pk", flat=True))
    count = load_values(indicators, kabkota, 1) + load_values(indicators, units, 2)
    phase = Phase.objects.create(year=2099, name="Benchmark phase", quota=SHORTLIST, invited_target=SHORTLIST,
                                 is_demo=True)
    bench.vacuum_analyze()
    bench.log(f"  {len(units):,} desa, {CRITERIA} indicators, {count:,} values stored in "
              f"{time.perf_counter() - started:.1f} s")
    criteria = [indicator.code for indicator in indicators]
    spent = profile_steps() if profile else None
    results = []
    for label, kinds, samples in CASES:
        full, engine = [], []
        for attempt in range(repeats):
            if spent is not None:
                spent.clear()
            started = time.perf_counter()
            run = run_screening(phase, criteria=criteria, weights=[1.0] * CRITERIA, data_year=DATA_YEAR,
                                method="topsis", shortlist_size=SHORTLIST, seed=3, samples=samples,
                                weight_uncertainty=None, region_kinds=kinds)
            full.append(time.perf_counter() - started)
            seconds, region_ids, probability = engine_alone(run)
            engine.append(seconds)
            bench.log(f"  {label}, run {attempt + 1}: full run {full[-1]:.2f} s, engine alone {engine[-1]:.2f} s")
            if spent is not None:
                top = sum(spent.get(name, 0.0) for name in TOP_STEPS)
                bench.log("    " + ", ".join(f"{name} {seconds:.3f}" for name, seconds in spent.items())
                          + f"; rest of run_screening {full[-1] - top:.3f}")
        stored = {r.region_id: r.probability for r in run_results(run, ranked=True)}
        assert len(stored) == len(region_ids) == run.eligible_count, (len(stored), len(region_ids))
        assert all(abs(stored[pk] - p) < 1e-12 for pk, p in zip(region_ids.tolist(), probability.tolist()))
        results.append({"label": label, "regions": len(region_ids), "samples": samples,
                        "full": bench.median(full), "engine": bench.median(engine), "full_runs": full,
                        "engine_runs": engine})
    bench.report({"cases": results})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    bench.add_database_flag(parser)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the time of each step of every full run")
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.repeats, args.profile)
    results = bench.run_workers(Path(__file__).resolve(), args.database,
                                ["--repeats", str(args.repeats), *(["--profile"] if args.profile else [])])
    print(f"Screening runs: TOPSIS on {CRITERIA} criteria, shortlist {SHORTLIST}, top-{SHORTLIST} SMAA; "
          f"median of {args.repeats} runs")
    rows = []
    for database, result in results.items():
        for case in result["cases"]:
            rows += [(f"{database}: {case['label']}: full run (read, rank, SMAA, store)", case["full"]),
                     (f"{database}: {case['label']}: engine alone (rank + SMAA)", case["engine"])]
    print()
    bench.print_table(rows, ("measurement", "median s"))
    print(f"\n{'target':58s}    ratio     goal    result")
    for database, result in results.items():
        for case in result["cases"]:
            ratio = case["full"] / case["engine"]
            print(f"{database + ': ' + case['label'] + ': full / engine':58s} {ratio:8.2f}  {'<= ' + format(TARGET, 'g'):>7s}"
                  f"    {'PASS' if ratio <= TARGET else 'MISS'}")


if __name__ == "__main__":
    main()
