"""SMAA-2 robustness analysis of a ranking under weight uncertainty.

Lahdelma & Salminen (2001), "SMAA-2: Stochastic multicriteria acceptability analysis for group
decision making", Operations Research 49(3), 444-454: sample weight vectors from the admissible
set, rank the alternatives for every sample and report

- rank acceptability b_i^r: share of samples that put alternative i at rank r,
- central weights: mean weight vector of the samples where i ranks first,
- (here also) the probability that i is among the best k.

Everything is vectorised over samples with matrix products and processed in chunks to bound
memory; the top-k-only mode never builds the alternatives x ranks matrix, so it scales to
~10^5 alternatives.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ._validation import as_benefit_flags, as_decision_matrix
from .methods import VERSION, checked_normalization, topsis_deviations
from .normalize import normalize_columns

SMAA_METHODS = ("saw", "topsis")
DEFAULT_NORMALIZATION = {"saw": "minmax", "topsis": "vector"}
# Weight vectors are drawn in blocks of this size, so the stream of samples for a seed does not
# depend on the evaluation chunk size or the mode.
SAMPLING_BLOCK = 4096
# Budget for one chunk of scores (bytes); several temporaries of this size exist at once.
SCORE_CHUNK_BYTES = 32 * 1024 * 1024
# Above this many alternatives the full alternatives x ranks matrix is refused (m^2 float64).
MAX_ALTERNATIVES_FOR_FULL_RANKS = 20_000
# Largest alternatives^2 for which one chunk's rank counts are made with a dense np.bincount.
BINCOUNT_LIMIT = 1 << 22
# Candidate weight vectors tried by rejection sampling before giving up.
MAX_REJECTION_CANDIDATES = 50_000_000


@dataclass(frozen=True)
class SmaaResult:
    """Outcome of :func:`smaa`.

    rank_acceptability: alternatives x ranks (float64), row i column r = share of samples with i at
        rank r + 1; None in top-k-only mode.
    first_rank_probability: share of samples where each alternative ranks first (both modes).
    central_weights: alternatives x criteria; mean weights of the samples where the alternative ranks
        first; a NaN row when it never ranks first.
    top_k_probability: probability of being among the best ``top_k`` (None when top_k is None).
    """

    rank_acceptability: np.ndarray | None
    first_rank_probability: np.ndarray
    central_weights: np.ndarray
    top_k_probability: np.ndarray | None
    top_k: int | None
    samples: int
    seed: int
    method: str
    normalization: str
    weight_bounds: np.ndarray | None
    version: str = VERSION


def _validated_bounds(weight_bounds, n: int) -> np.ndarray:
    bounds = np.asarray(weight_bounds, dtype=np.float64)
    if bounds.shape != (n, 2):
        raise ValueError(f"weight_bounds must have one (low, high) pair per criterion, shape ({n}, 2); got {bounds.shape}.")
    if not np.isfinite(bounds).all():
        raise ValueError("weight_bounds must be finite.")
    low, high = bounds[:, 0], np.minimum(bounds[:, 1], 1.0)
    if (low < 0).any():
        raise ValueError(f"weight_bounds: lower bounds must be non-negative (criteria {np.flatnonzero(low < 0).tolist()}).")
    if (low > high).any():
        raise ValueError(f"weight_bounds: low > high for criteria {np.flatnonzero(low > high).tolist()}.")
    if low.sum() > 1.0 + 1e-12 or high.sum() < 1.0 - 1e-12:
        raise ValueError(
            "weight_bounds do not intersect the weight simplex: the lower bounds sum to "
            f"{low.sum():.4g} and the upper bounds to {high.sum():.4g}, but weights must sum to 1 "
            "(need sum(low) <= 1 <= sum(high))."
        )
    return np.column_stack([low, high])


def sample_weights(n_criteria: int, samples: int, seed=None, weight_bounds=None, dtype=np.float64):
    """Draw ``samples`` weight vectors uniformly from the simplex (optionally intersected with a box).

    Uniform on the simplex = normalised i.i.d. exponentials (a flat Dirichlet; Rubinstein & Kroese,
    *Simulation and the Monte Carlo Method*). With bounds [lo, hi] the lower bounds are taken out
    exactly (w = lo + (1 - sum lo) u, an affine map that keeps uniformity) and the upper bounds are
    met by rejection sampling of u. Returns an array (samples x n_criteria).
    """
    blocks = list(_weight_blocks(n_criteria, samples, np.random.default_rng(seed),
                                 None if weight_bounds is None else _validated_bounds(weight_bounds, n_criteria),
                                 dtype))
    return np.concatenate(blocks, axis=0) if blocks else np.zeros((0, n_criteria), dtype=dtype)


def _simplex_block(rng: np.random.Generator, size: int, n: int, dtype) -> np.ndarray:
    draws = rng.standard_exponential((size, n), dtype=np.float32 if dtype == np.float32 else np.float64)
    draws /= draws.sum(axis=1, keepdims=True)
    return draws


def _weight_blocks(n: int, samples: int, rng: np.random.Generator, bounds: np.ndarray | None, dtype):
    produced = 0
    if bounds is None:
        while produced < samples:
            size = min(SAMPLING_BLOCK, samples - produced)
            yield _simplex_block(rng, size, n, dtype)
            produced += size
        return
    low, high = bounds[:, 0], bounds[:, 1]
    free_mass = 1.0 - low.sum()
    if free_mass <= 1e-12:
        # The box touches the simplex in a single point: every sample is that point.
        while produced < samples:
            size = min(SAMPLING_BLOCK, samples - produced)
            yield np.tile(low.astype(dtype), (size, 1))
            produced += size
        return
    capacity = (high - low) / free_mass  # upper bounds for u on the simplex
    tried = 0
    pending: list[np.ndarray] = []
    pending_count = 0
    while produced < samples:
        need = min(SAMPLING_BLOCK, samples - produced)
        while pending_count < need:
            if tried >= MAX_REJECTION_CANDIDATES:
                raise ValueError(
                    "weight_bounds leave too small a part of the weight simplex for rejection sampling "
                    f"({pending_count + produced} accepted out of {tried} candidates); widen the bounds."
                )
            candidates = _simplex_block(rng, SAMPLING_BLOCK, n, dtype)
            tried += SAMPLING_BLOCK
            accepted = candidates[(candidates <= capacity).all(axis=1)]
            if accepted.shape[0]:
                pending.append(accepted)
                pending_count += accepted.shape[0]
        stacked = np.concatenate(pending, axis=0)
        block, rest = stacked[:need], stacked[need:]
        pending, pending_count = ([rest], rest.shape[0]) if rest.shape[0] else ([], 0)
        yield (low + free_mass * block).astype(dtype, copy=False)
        produced += need


class _Scorer:
    """Ranking keys of all alternatives for a chunk of weight vectors (chunk x alternatives).

    SAW: the scores themselves. TOPSIS: a strictly increasing transform of the closeness.
    """

    def __init__(self, matrix: np.ndarray, flags: np.ndarray, method: str, normalization: str):
        normalised = normalize_columns(matrix, flags, normalization)
        self.method = method
        if method == "saw":
            self.values_t = np.ascontiguousarray(normalised.T)
        else:
            plus, minus = topsis_deviations(normalised)
            self.plus_t = np.ascontiguousarray(plus.T)
            self.minus_t = np.ascontiguousarray(minus.T)

    def __call__(self, weights: np.ndarray) -> np.ndarray:
        weights = weights.astype(np.float64, copy=False)
        if self.method == "saw":
            return weights @ self.values_t
        squared = weights * weights
        # D+^2 = dev_plus^2 @ (w^2)^T for all samples at once (weighted ideal = w * unweighted ideal).
        # Ranking key D-^2 / (D+^2 + D-^2) is an increasing function of the closeness
        # D- / (D+ + D-) (both increase with D- / D+), so it orders alternatives identically
        # while saving two square roots per score.
        plus = squared @ self.plus_t
        key = squared @ self.minus_t
        total = plus + key
        zero = total == 0
        if zero.any():  # every alternative identical under these weights: all tie at 0.5
            total[zero] = 1.0
            key[zero] = 0.5
        np.divide(key, total, out=key)
        return key


def smaa(matrix, benefit, method: str = "saw", samples: int = 10_000, seed=None, weight_bounds=None,
         top_k: int | None = None, *, normalization: str | None = None, full_ranks: bool | None = None,
         weight_dtype=np.float64, chunk_size: int | None = None, workers: int | None = None) -> SmaaResult:
    """SMAA-2 with weights uniform on the simplex (or on the simplex within ``weight_bounds``).

    Parameters: ``method`` "saw" or "topsis" (normalisation defaults to "minmax" / "vector");
    ``samples`` weight vectors drawn with ``seed`` (None draws a fresh seed, which is recorded);
    ``weight_bounds`` one (low, high) pair per criterion; ``top_k`` cut-off for top_k_probability.
    ``full_ranks``: build rank acceptabilities (alternatives x ranks). Default: yes, unless top_k is
    given and there are more than 5,000 alternatives. With ``full_ranks=False`` only the top-k
    membership is counted per chunk with ``np.argpartition`` (memory O(alternatives)).
    ``weight_dtype`` float32 halves sampling memory; scores and probabilities stay float64.
    Exact score ties inside one sample are broken arbitrarily by the sort (continuous data makes them
    rare). ``workers`` threads (default: 2 from 4,096 alternatives on, else 1) evaluate chunks in parallel; results are combined
    in a fixed order, so they are reproducible for a seed.
    """
    if method not in SMAA_METHODS:
        raise ValueError(f"smaa supports methods {', '.join(SMAA_METHODS)}; got {method!r}.")
    array = as_decision_matrix(matrix)
    flags = as_benefit_flags(benefit, array.shape[1])
    m, n = array.shape
    normalization = checked_normalization(normalization or DEFAULT_NORMALIZATION[method])
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ValueError(f"samples must be a positive integer; got {samples!r}.")
    samples = int(samples)
    if top_k is not None:
        if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)) or not 1 <= top_k <= m:
            raise ValueError(f"top_k must be an integer between 1 and the number of alternatives ({m}); got {top_k!r}.")
        top_k = int(top_k)
    if full_ranks is None:
        full_ranks = top_k is None or m <= 5_000
    if not full_ranks and top_k is None:
        raise ValueError("full_ranks=False needs top_k: without rank acceptabilities only top-k counts are kept.")
    if full_ranks and m > MAX_ALTERNATIVES_FOR_FULL_RANKS:
        raise ValueError(
            f"{m} alternatives are too many for full rank acceptabilities ({m} x {m}); give top_k and "
            "full_ranks=False."
        )
    if weight_dtype not in (np.float32, np.float64):
        raise ValueError("weight_dtype must be numpy.float32 or numpy.float64.")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**63))
    bounds = None if weight_bounds is None else _validated_bounds(weight_bounds, n)
    rng = np.random.default_rng(seed)
    scorer = _Scorer(array, flags, method, normalization)
    if workers is None:
        # Threads pay off for many alternatives; for a few hundred, BLAS threads already suffice.
        workers = min(2, os.cpu_count() or 1) if m >= 4096 else 1
    workers = max(1, int(workers))
    if chunk_size is None:
        chunk_size = max(1, min(-(-SAMPLING_BLOCK // workers), SCORE_CHUNK_BYTES // (8 * m)))
    positions = np.arange(m, dtype=np.int64)

    def process(weights: np.ndarray):
        """Counts for one chunk of weight vectors (runs in a worker thread; NumPy releases the GIL)."""
        scores = scorer(weights)
        rank_part = top_part = None
        if full_ranks:
            # Best first: sort the negated scores.
            np.negative(scores, out=scores)
            order = np.argsort(scores, axis=1)
            flat = (order * m + positions).ravel()
            if m * m <= BINCOUNT_LIMIT:
                rank_part = np.bincount(flat, minlength=m * m)
            else:  # avoid an m*m temporary per chunk for many alternatives
                rank_part = np.unique(flat, return_counts=True)
            winners = order[:, 0]
        else:
            winners = np.argmax(scores, axis=1)
            if top_k == m:
                top_part = np.full(m, weights.shape[0], dtype=np.int64)
            else:
                best = np.argpartition(scores, m - top_k, axis=1)[:, m - top_k:]
                top_part = np.bincount(best.ravel(), minlength=m)
        # Winners and their weights only: O(chunk) memory, not O(alternatives) per chunk.
        return rank_part, top_part, winners, weights

    rank_counts = np.zeros(m * m, dtype=np.int64) if full_ranks else None
    top_counts = np.zeros(m, dtype=np.int64) if (top_k is not None and not full_ranks) else None
    first_counts = np.zeros(m, dtype=np.int64)
    central_sums = np.zeros((m, n), dtype=np.float64)

    def accumulate(parts) -> None:
        rank_part, top_part, winners, weights = parts
        if rank_part is not None:
            if isinstance(rank_part, tuple):
                rank_counts[rank_part[0]] += rank_part[1]
            else:
                rank_counts[...] += rank_part
        if top_part is not None:
            top_counts[...] += top_part
        np.add.at(first_counts, winners, 1)
        np.add.at(central_sums, winners, weights.astype(np.float64, copy=False))

    executor = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        for block in _weight_blocks(n, samples, rng, bounds, weight_dtype):
            chunks = [block[start:start + chunk_size] for start in range(0, block.shape[0], chunk_size)]
            # Results are combined in chunk order, so the outcome does not depend on thread timing.
            results = executor.map(process, chunks) if executor is not None else map(process, chunks)
            for parts in results:
                accumulate(parts)
    finally:
        if executor is not None:
            executor.shutdown()

    rank_acceptability = None
    if full_ranks:
        rank_acceptability = rank_counts.reshape(m, m).astype(np.float64) / samples
    with np.errstate(invalid="ignore", divide="ignore"):
        central_weights = central_sums / first_counts[:, None]
    central_weights[first_counts == 0] = np.nan
    top_k_probability = None
    if top_k is not None:
        if full_ranks:
            top_k_probability = rank_counts.reshape(m, m)[:, :top_k].sum(axis=1) / samples
        else:
            top_k_probability = top_counts / samples
    return SmaaResult(
        rank_acceptability=rank_acceptability,
        first_rank_probability=first_counts / samples,
        central_weights=central_weights,
        top_k_probability=top_k_probability,
        top_k=top_k,
        samples=samples,
        seed=int(seed),
        method=method,
        normalization=normalization,
        weight_bounds=bounds,
    )
