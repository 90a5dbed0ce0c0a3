"""How far one criterion's weight must move to carry an alternative across the top-``k`` cut-off.

For each criterion, the smallest change of its weight (the other weights rescaled to keep the sum
at 1) that moves an alternative into or out of the top ``k``: found on a grid of ``steps`` per
direction, then refined by bisection to machine-level precision of the crossing. Pure NumPy; no
Django.
"""

from __future__ import annotations

import numpy as np

from .methods import rank

__all__ = ["in_top", "weight_changes"]


def in_top(scores, index, k) -> bool:
    """Whether alternative ``index`` is in the top ``k`` (fewer than ``k`` score strictly more)."""
    scores = np.asarray(scores)
    return int((scores > scores[index]).sum()) < k


def weight_changes(matrix, benefit, weights, method, normalization, k, index, steps=200):
    """For each criterion, the smallest signed change of its weight that moves alternative
    ``index`` across the top-``k`` cut-off, or None when no weight in [0, 1] does."""
    w = np.asarray(weights, dtype=np.float64)
    inside = in_top(rank(matrix, w, benefit, method=method, normalization=normalization).scores, index, k)
    changes = []
    for j in range(len(w)):
        def flips(delta):
            new = w * ((1 - w[j] - delta) / (1 - w[j])) if w[j] < 1 else np.full_like(w, 0.0)
            new[j] = w[j] + delta
            if new.sum() <= 0 or (new < -1e-12).any():
                return False
            new = np.clip(new, 0, None)
            scores = rank(matrix, new, benefit, method=method, normalization=normalization).scores
            return in_top(scores, index, k) != inside

        best = None
        for sign, limit in ((1, 1 - w[j]), (-1, w[j])):
            if limit <= 0 or len(w) == 1:
                continue
            grid = np.linspace(0, limit, steps + 1)[1:]
            low = 0.0
            for step in grid:
                if flips(sign * step):
                    high = step
                    for _iteration in range(30):
                        middle = (low + high) / 2
                        if flips(sign * middle):
                            high = middle
                        else:
                            low = middle
                    if best is None or high < abs(best):
                        best = sign * high
                    break
                low = step
        changes.append(None if best is None else float(best))
    return changes
