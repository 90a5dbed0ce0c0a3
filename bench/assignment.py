"""Time to assign assessors with kotacerdas.decision.assign (exact, conflicts and even loads).

    .venv/bin/python bench/assignment.py

Prints the time for the 2018 panel (38 assessors, 120 candidates, 3 each) and for 500
assessors and 10,000 candidates, with random expertise affinities and 5 % conflicts.
"""

import math
import time

import numpy as np

from kotacerdas.decision import assign


def run(assessors, candidates, per_candidate=3, conflict_rate=0.05, seed=0):
    rng = np.random.default_rng(seed)
    affinity = rng.integers(0, 4, size=(candidates, assessors)).astype(float)
    conflicts = rng.random((candidates, assessors)) < conflict_rate
    max_load = math.ceil(per_candidate * candidates / assessors) + 1
    started = time.perf_counter()
    result = assign(affinity, conflicts, per_candidate, max_load)
    elapsed = time.perf_counter() - started
    loads = result.sum(axis=0)
    assert (result.sum(axis=1) == per_candidate).all() and not (result & conflicts).any()
    print(f"{assessors:>5} assessors x {candidates:>6} candidates, {per_candidate} each: {elapsed:8.3f} s (loads {loads.min()}-{loads.max()})")


if __name__ == "__main__":
    run(38, 120)
    run(500, 10_000)
