"""Per-criterion explanations of scores, so a page can show why an alternative ranks where it does."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .methods import checked_normalization, closeness, prepare, topsis_deviations
from .normalize import normalize_columns


def saw_contributions(matrix, weights, benefit, normalization: str = "minmax") -> np.ndarray:
    """Contribution w_j * r_ij of every criterion to every SAW score (alternatives x criteria).

    Exact: each row sums to the alternative's :func:`saw` score.
    """
    array, w, flags = prepare(matrix, weights, benefit)
    normalised = normalize_columns(array, flags, checked_normalization(normalization))
    return normalised * w


@dataclass(frozen=True)
class TopsisExplanation:
    """Where the TOPSIS distances come from.

    ``squared_to_ideal[i, j]`` = w_j^2 (r_ij - r*_j)^2 sums over j to D+_i^2; ``share_of_distance_to_ideal``
    is that row divided by D+_i^2 (rows sum to 1, or 0 when the alternative is the ideal). The same holds
    for the anti-ideal. A large share of the distance to the ideal shows where an alternative loses;
    a large share of the distance to the anti-ideal shows where it gains.
    """

    closeness: np.ndarray
    distance_to_ideal: np.ndarray
    distance_to_anti_ideal: np.ndarray
    squared_to_ideal: np.ndarray
    squared_to_anti_ideal: np.ndarray
    share_of_distance_to_ideal: np.ndarray
    share_of_distance_to_anti_ideal: np.ndarray


def _row_shares(parts: np.ndarray, totals: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals[:, None] > 0, parts / np.where(totals > 0, totals, 1.0)[:, None], 0.0)


def topsis_contributions(matrix, weights, benefit, normalization: str = "vector") -> TopsisExplanation:
    """Each criterion's share of the squared distances to the ideal and anti-ideal solutions (TOPSIS)."""
    array, w, flags = prepare(matrix, weights, benefit)
    normalised = normalize_columns(array, flags, checked_normalization(normalization))
    plus, minus = topsis_deviations(normalised)
    squared_weights = w * w
    squared_plus = plus * squared_weights
    squared_minus = minus * squared_weights
    total_plus = squared_plus.sum(axis=1)
    total_minus = squared_minus.sum(axis=1)
    distance_plus = np.sqrt(total_plus)
    distance_minus = np.sqrt(total_minus)
    return TopsisExplanation(
        closeness=closeness(distance_plus, distance_minus),
        distance_to_ideal=distance_plus,
        distance_to_anti_ideal=distance_minus,
        squared_to_ideal=squared_plus,
        squared_to_anti_ideal=squared_minus,
        share_of_distance_to_ideal=_row_shares(squared_plus, total_plus),
        share_of_distance_to_anti_ideal=_row_shares(squared_minus, total_minus),
    )


def explain(matrix, weights, benefit, method: str = "saw", **params):
    """Explain scores per criterion: SAW -> contributions matrix; TOPSIS -> :class:`TopsisExplanation`."""
    if method == "saw":
        return saw_contributions(matrix, weights, benefit, **params)
    if method == "topsis":
        return topsis_contributions(matrix, weights, benefit, **params)
    raise ValueError(f"explain supports 'saw' and 'topsis'; got {method!r}.")
