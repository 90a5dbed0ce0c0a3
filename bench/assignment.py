"""Time to assign assessors with kotacerdas.decision.assign (exact, conflicts and even loads).

    .venv/bin/python bench/assignment.py            # every size below
    .venv/bin/python bench/assignment.py 500 10000  # one size: assessors candidates [float|int]

Prints, for 38 assessors and 120 candidates (the 2018 panel), 60 and 514, 100 and 1,000, and
500 assessors and 10,000 candidates, 3 assessors each, 5 % random conflicts, with integer
affinities (0-3, many ties) and with float affinities (uniform in [0, 1)): the time of
``assign`` and the peak resident memory of the process (each size runs in a fresh process,
so the peak is that size's own; it includes the interpreter, NumPy and SciPy, about 100 MB).
"""

import math
import resource
import subprocess
import sys
import time

import numpy as np

from kotacerdas.decision import assign

SIZES = [(38, 120), (60, 514), (100, 1_000), (500, 10_000)]


def run(assessors, candidates, kind="int", per_candidate=3, conflict_rate=0.05, seed=0):
    rng = np.random.default_rng(seed)
    if kind == "int":
        affinity = rng.integers(0, 4, size=(candidates, assessors)).astype(float)
    else:
        affinity = rng.random((candidates, assessors))
    conflicts = rng.random((candidates, assessors)) < conflict_rate
    max_load = math.ceil(per_candidate * candidates / assessors) + 1
    started = time.perf_counter()
    result = assign(affinity, conflicts, per_candidate, max_load)
    elapsed = time.perf_counter() - started
    loads = result.sum(axis=0)
    assert (result.sum(axis=1) == per_candidate).all() and not (result & conflicts).any()
    assert (loads <= max_load).all()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(
        f"{assessors:>5} assessors x {candidates:>6} candidates, {per_candidate} each, "
        f"{kind:>5} affinities: {elapsed:8.3f} s, peak {peak_mb:7.0f} MB "
        f"(total affinity {affinity[result].sum():.6f}, loads {loads.min()}-{loads.max()}, "
        f"sum of squared loads {int((loads.astype(np.int64) ** 2).sum())})",
        flush=True,
    )


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(int(sys.argv[1]), int(sys.argv[2]), *(sys.argv[3:4] or ["int"]))
    else:
        for assessors, candidates in SIZES:
            for kind in ("int", "float"):
                subprocess.run(
                    [sys.executable, __file__, str(assessors), str(candidates), kind], check=True
                )
