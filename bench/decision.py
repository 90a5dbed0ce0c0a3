"""Benchmark of kotacerdas.decision against pymcdm (run: python bench/decision.py).

Prints medians of repeated timings (time.perf_counter), peak memory of SMAA runs (tracemalloc,
which tracks NumPy allocations) and PASS/MISS for the targets. pymcdm is called fairly: vector
normalisation on both sides and validation=False.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kotacerdas.decision import sample_weights, smaa, topsis  # noqa: E402

from pymcdm.helpers import rankdata  # noqa: E402
from pymcdm.methods import TOPSIS  # noqa: E402
from pymcdm.normalizations import vector_normalization  # noqa: E402

CRITERIA = 30
SMALL, LARGE = 514, 83_763
SAMPLES = 10_000
LARGE_SAMPLES = 1_000
PEER_SAMPLES = 500
TOP_K = 100
REPEATS = 5


def median_time(function, repeats: int = REPEATS) -> float:
    function()  # warm-up (BLAS threads, page faults)
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def peak_memory(function) -> int:
    tracemalloc.start()
    tracemalloc.reset_peak()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def problem(rows: int, seed: int):
    rng = np.random.default_rng(seed)
    matrix = rng.uniform(1.0, 100.0, size=(rows, CRITERIA))
    benefit = np.ones(CRITERIA, dtype=bool)
    benefit[::4] = False
    weights = np.full(CRITERIA, 1.0 / CRITERIA)
    return matrix, benefit, weights


def peer_smaa_loop(matrix, benefit, samples: int, top_k: int | None):
    """What a pymcdm user writes: one TOPSIS call and one ranking per weight sample."""
    method = TOPSIS(vector_normalization)
    types = np.where(benefit, 1, -1)
    m = matrix.shape[0]
    acceptability = np.zeros((m, m))
    in_top = np.zeros(m)
    for weights in sample_weights(CRITERIA, samples, seed=7):
        preferences = method(matrix, weights, types, validation=False)
        ranks = rankdata(preferences, reverse=True).astype(int)
        if top_k is None:
            acceptability[np.arange(m), ranks - 1] += 1
        else:
            in_top[ranks <= top_k] += 1
    return acceptability, in_top


def main() -> None:
    print("kotacerdas.decision benchmark")
    print(f"numpy {np.__version__}; cores {os.cpu_count()}; OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')} "
          f"OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')}")
    small = problem(SMALL, 1)
    large = problem(LARGE, 2)
    rows = []

    ours_topsis_small = median_time(lambda: topsis(small[0], small[2], small[1]))
    ours_topsis_large = median_time(lambda: topsis(large[0], large[2], large[1]))
    peer = TOPSIS(vector_normalization)
    peer_topsis_small = median_time(lambda: peer(small[0], small[2], np.where(small[1], 1, -1), validation=False))
    peer_topsis_large = median_time(lambda: peer(large[0], large[2], np.where(large[1], 1, -1), validation=False))
    ours = topsis(large[0], large[2], large[1])
    theirs = peer(large[0], large[2], np.where(large[1], 1, -1), validation=False)
    agreement = float(np.max(np.abs(ours - theirs)))

    smaa_full = median_time(lambda: smaa(small[0], small[1], "topsis", SAMPLES, seed=3))
    smaa_top = median_time(lambda: smaa(small[0], small[1], "topsis", SAMPLES, seed=3, top_k=TOP_K, full_ranks=False))
    smaa_large = median_time(lambda: smaa(large[0], large[1], "topsis", LARGE_SAMPLES, seed=3, top_k=TOP_K), repeats=3)
    peak_large = peak_memory(lambda: smaa(large[0], large[1], "topsis", LARGE_SAMPLES, seed=3, top_k=TOP_K))
    peak_full = peak_memory(lambda: smaa(small[0], small[1], "topsis", SAMPLES, seed=3))

    scale = SAMPLES / PEER_SAMPLES
    peer_full = median_time(lambda: peer_smaa_loop(small[0], small[1], PEER_SAMPLES, None), repeats=3) * scale
    peer_top = median_time(lambda: peer_smaa_loop(small[0], small[1], PEER_SAMPLES, TOP_K), repeats=3) * scale

    rows += [
        ("TOPSIS 514 x 30 (ours)", ours_topsis_small),
        ("TOPSIS 514 x 30 (pymcdm)", peer_topsis_small),
        ("TOPSIS 83,763 x 30 (ours)", ours_topsis_large),
        ("TOPSIS 83,763 x 30 (pymcdm)", peer_topsis_large),
        (f"SMAA TOPSIS 514 x 30, {SAMPLES:,} samples, full ranks (ours)", smaa_full),
        (f"SMAA TOPSIS 514 x 30, {SAMPLES:,} samples, top-{TOP_K} only (ours)", smaa_top),
        (f"SMAA TOPSIS 83,763 x 30, {LARGE_SAMPLES:,} samples, top-{TOP_K} only (ours)", smaa_large),
        (f"pymcdm loop, full ranks, {PEER_SAMPLES} samples scaled to {SAMPLES:,}", peer_full),
        (f"pymcdm loop, top-{TOP_K}, {PEER_SAMPLES} samples scaled to {SAMPLES:,}", peer_top),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"\n{'measurement'.ljust(width)}  median seconds")
    for name, seconds in rows:
        print(f"{name.ljust(width)}  {seconds:12.4f}")
    print(f"\nmax |ours - pymcdm| TOPSIS closeness on 83,763 x 30: {agreement:.2e}")
    print(f"peak traced memory, SMAA top-{TOP_K} on 83,763 x 30: {peak_large / 2**20:.1f} MiB")
    print(f"peak traced memory, SMAA full ranks on 514 x 30: {peak_full / 2**20:.1f} MiB")

    targets = [
        ("top-k SMAA vs pymcdm loop", peer_top / smaa_top, 50.0, "x faster"),
        ("full rank acceptabilities vs pymcdm loop", peer_full / smaa_full, 25.0, "x faster"),
        ("TOPSIS 83,763 x 30 vs pymcdm call", peer_topsis_large / ours_topsis_large, 3.0, "x faster"),
        ("TOPSIS 514 x 30 vs pymcdm call (no target)", peer_topsis_small / ours_topsis_small, None, "x faster"),
    ]
    print("\ntarget                                        ratio     goal    result")
    for name, ratio, goal, unit in targets:
        verdict = "-" if goal is None else ("PASS" if ratio >= goal else "MISS")
        goal_text = "-" if goal is None else f">= {goal:g}"
        print(f"{name:44s} {ratio:8.1f}  {goal_text:>7s}    {verdict}")
    memory_ok = max(peak_large, peak_full) < 2**30
    print(f"{'peak SMAA memory < 1 GiB':44s} {max(peak_large, peak_full) / 2**20:7.1f}M  {'< 1024M':>7s}    "
          f"{'PASS' if memory_ok else 'MISS'}")


if __name__ == "__main__":
    main()
