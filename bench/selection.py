"""Benchmark of the exact selection under spread rules (run: python bench/selection.py).

Times :func:`kotacerdas.decision.select` on a synthetic program: ``units`` candidates spread over
38 provinces in 7 island groups, a quota, at least one per island group, at least one per province
and at most ``cap`` per province. ``--before REV`` also times the module as it was at git revision
REV (read with ``git show``), each case in a subprocess with a time limit, so that a version that
does not finish is reported as such rather than waited for. Prints medians of repeated timings
(time.perf_counter) and whether both versions chose the same candidates.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PROVINCES, ISLAND_GROUPS = 38, 7
CASES = (  # (units, quota, cap per province, scores rounded to this many decimals or None)
    (514, 100, 6, None),
    (514, 100, 6, 2),
    (83_763, 1_000, 40, None),
    (83_763, 1_000, 40, 3),
)


def problem(units, quota, cap, decimals, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    scores = rng.beta(2.0, 5.0, size=units)
    if decimals is not None:
        scores = np.round(scores, decimals)  # many equal scores: the tie-break does the work
    province = rng.integers(0, PROVINCES, size=units)
    island = province % ISLAND_GROUPS
    rules = []
    for group in range(ISLAND_GROUPS):
        rules.append(("island", f"island {group}", np.flatnonzero(island == group), 1, None))
    for group in range(PROVINCES):
        members = np.flatnonzero(province == group)
        rules.append(("province-min", f"province {group} min", members, 1, None))
        rules.append(("province-max", f"province {group} max", members, 0, cap))
    return scores, quota, rules


def load(revision):
    """The selection module of ``revision`` (None: the working tree's)."""
    if revision is None:
        from kotacerdas.decision import selection

        return selection
    import importlib.util
    import tempfile

    source = subprocess.run(["git", "show", f"{revision}:src/kotacerdas/decision/selection.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "selection_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("selection_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def worker(revision, case, repeats):
    module = load(revision)
    scores, quota, raw = problem(*case)
    # Rules of a family are attributed together where the module knows families (as screening
    # calls it); an older module attributes each rule on its own.
    families = "family" in module.SpreadRule.__dataclass_fields__
    rules = [module.SpreadRule(name, tuple(members.tolist()), minimum, maximum, *([family] if families else []))
             for family, name, members, minimum, maximum in raw]
    timings, chosen = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = module.select(scores, quota, rules)
        timings.append(time.perf_counter() - start)
        chosen = result.selected
    print(json.dumps({"seconds": statistics.median(timings), "selected": sorted(chosen)}))


def measure(revision, case, repeats, limit):
    command = [sys.executable, __file__, "--worker", json.dumps([revision, list(case), repeats])]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also time the selection module of this git revision")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds allowed per case and version")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        revision, case, repeats = json.loads(args.worker)
        worker(revision, tuple(case), repeats)
        return
    print(f"{'units':>7} {'quota':>6} {'ties':>5} {'before (s)':>12} {'now (s)':>10}  same choice")
    for case in CASES:
        units, quota, _cap, decimals = case
        now = measure(None, case, args.repeats, args.limit)
        before = measure(args.before, case, 1, args.limit) if args.before else None
        show = lambda found: f"> {args.limit:.0f}" if found is None else f"{found['seconds']:.3f}"  # noqa: E731
        same = "-" if not args.before or before is None or now is None else (
            "yes" if before["selected"] == now["selected"] else "NO")
        print(f"{units:>7} {quota:>6} {'yes' if decimals else 'no':>5} "
              f"{show(before) if args.before else '-':>12} {show(now):>10}  {same}", flush=True)


if __name__ == "__main__":
    main()
