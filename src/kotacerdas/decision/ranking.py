"""Competition ranking ("1224" ranking) so that ties are explicit."""

from __future__ import annotations

import numpy as np

DEFAULT_RELATIVE_TOLERANCE = 1e-12


def competition_rank(scores, higher_is_better: bool = True, rtol: float = DEFAULT_RELATIVE_TOLERANCE) -> np.ndarray:
    """Rank scores with standard competition ranking: tied scores share a rank and a gap follows (1, 2, 2, 4).

    Two neighbouring scores (after sorting) are tied when ``|a - b| <= rtol * max(|a|, |b|)``, so float
    noise such as 0.1 + 0.2 vs 0.3 does not split a tie. Ties chain between neighbours. Returns int64
    ranks starting at 1. NaN scores are rejected because their place is undefined.
    """
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"scores must be 1-dimensional; got shape {values.shape}.")
    if np.isnan(values).any():
        raise ValueError("scores contain NaN; a NaN score has no place in a ranking.")
    if rtol < 0:
        raise ValueError("rtol must be non-negative.")
    n = values.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    keyed = -values if higher_is_better else values
    order = np.argsort(keyed, kind="stable")
    ordered = keyed[order]
    gaps = np.diff(ordered)
    scale = np.maximum(np.abs(ordered[1:]), np.abs(ordered[:-1]))
    starts_new_group = np.concatenate(([True], gaps > rtol * scale))
    positions = np.arange(1, n + 1)
    # The rank of every member is the position of the first member of its tie group.
    group_rank = np.maximum.accumulate(np.where(starts_new_group, positions, 0))
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = group_rank
    return ranks


def competition_rank_within(scores, groups, higher_is_better: bool = True, rtol: float = DEFAULT_RELATIVE_TOLERANCE) -> np.ndarray:
    """Standard competition ranks of ``scores`` counted separately inside each group (for example
    a region's rank within its province): ties share a rank and a gap follows, per group.

    ``groups`` holds one hashable label per score. Returns int64 ranks starting at 1 in each group.
    """
    values = np.asarray(scores, dtype=np.float64)
    labels = np.asarray(groups)
    if labels.shape != values.shape:
        raise ValueError(f"groups must have one label per score; got {labels.shape} for {values.shape}.")
    ranks = np.zeros(values.shape[0], dtype=np.int64)
    if values.shape[0] == 0:
        return ranks
    _unique, inverse = np.unique(labels, return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.flatnonzero(np.diff(inverse[order])) + 1
    for members in np.split(order, bounds):
        ranks[members] = competition_rank(values[members], higher_is_better=higher_is_better, rtol=rtol)
    return ranks
