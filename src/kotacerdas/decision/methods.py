"""Multi-criteria ranking methods: SAW, TOPSIS, VIKOR and PROMETHEE II.

All functions take a decision matrix (alternatives x criteria), weights (validated and scaled to sum
to 1) and ``benefit`` flags (True = more is better) and return one score per alternative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._validation import as_benefit_flags, as_decision_matrix, as_weight_vector
from .normalize import normalize_columns, NORMALIZATION_METHODS
from .ranking import competition_rank

VERSION = "1.0.0"


def prepare(matrix, weights, benefit):
    """The matrix, benefit flags and normalised weights checked and converted to arrays."""
    array = as_decision_matrix(matrix)
    flags = as_benefit_flags(benefit, array.shape[1])
    normalised_weights = as_weight_vector(weights, array.shape[1])
    return array, normalised_weights, flags


def checked_normalization(normalization: str) -> str:
    """``normalization`` when it is a known method; ValueError naming the known ones otherwise."""
    if normalization not in NORMALIZATION_METHODS:
        raise ValueError(
            f"Unknown normalisation method {normalization!r}; choose one of {', '.join(NORMALIZATION_METHODS)}."
        )
    return normalization


def saw(matrix, weights, benefit, normalization: str = "minmax") -> np.ndarray:
    """Simple additive weighting (weighted sum): score_i = sum_j w_j * r_ij of the normalised matrix.

    Hwang & Yoon (1981), section 3.2. Higher is better. Use :func:`saw_contributions` to see the
    share of every criterion in the score.
    """
    array, w, flags = prepare(matrix, weights, benefit)
    normalised = normalize_columns(array, flags, checked_normalization(normalization))
    return normalised @ w


def topsis_deviations(normalised: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unweighted squared deviations from the ideal and anti-ideal of a larger-is-better matrix.

    With non-negative weights the weighted ideal is w_j * max_i r_ij, so the weighted squared
    deviation is w_j^2 * (r_ij - max_i r_ij)^2; this is what makes TOPSIS vectorisable over weights.
    """
    ideal = normalised.max(axis=0)
    anti_ideal = normalised.min(axis=0)
    plus = normalised - ideal
    plus *= plus
    minus = normalised - anti_ideal
    minus *= minus
    return plus, minus


def closeness(distance_plus: np.ndarray, distance_minus: np.ndarray) -> np.ndarray:
    """TOPSIS closeness D- / (D+ + D-), 0.5 where both distances are 0."""
    total = distance_plus + distance_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(total > 0, distance_minus / np.where(total > 0, total, 1.0), 0.5)
    return closeness


_TOPSIS_BLOCK_ROWS = 1024


def _column_extremes(array: np.ndarray, fold: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Column max and min; rows are folded into wide rows first because NumPy reduces a tall,
    narrow C-ordered array along axis 0 slowly (short inner loop). Results are identical."""
    m, n = array.shape
    cut = m - m % fold
    if cut == 0:
        return array.max(axis=0), array.min(axis=0)
    wide = array[:cut].reshape(-1, n * fold)
    high = wide.max(axis=0).reshape(fold, n).max(axis=0)
    low = wide.min(axis=0).reshape(fold, n).min(axis=0)
    if cut < m:
        high = np.maximum(high, array[cut:].max(axis=0))
        low = np.minimum(low, array[cut:].min(axis=0))
    return high, low


def topsis(matrix, weights, benefit, normalization: str = "vector") -> np.ndarray:
    """TOPSIS closeness to the ideal solution, in [0, 1], higher is better.

    Hwang & Yoon (1981), section 3.3.3: normalise (vector normalisation by default), weight, take the
    ideal (best per criterion) and anti-ideal (worst), and return C_i = D-_i / (D+_i + D-_i) with
    Euclidean distances D+ and D-. If every alternative is identical (D+ = D- = 0) the closeness is 0.5.
    Large matrices are processed in row blocks so the temporaries stay in cache.
    """
    array, w, flags = prepare(matrix, weights, benefit)
    normalization = checked_normalization(normalization)
    squared_weights = w * w
    if normalization == "vector":
        # Ideal and anti-ideal of x / ||x|| are max/min of x scaled; the 1 - r mirror for cost criteria
        # only swaps them. So work on the raw matrix scaled by 1 / ||x|| (block-wise, one pass).
        norms = np.sqrt(np.einsum("ij,ij->j", array, array))
        if (norms == 0).any():
            raise ValueError(
                "vector normalisation needs a non-zero value in every criterion; criteria "
                f"{np.flatnonzero(norms == 0).tolist()} are all zero."
            )
        high, low = _column_extremes(array)
        ideal = np.where(flags, high, low)
        anti_ideal = np.where(flags, low, high)
        scale = squared_weights / (norms * norms)
        m = array.shape[0]
        distance_plus = np.empty(m)
        distance_minus = np.empty(m)
        for start in range(0, m, _TOPSIS_BLOCK_ROWS):
            block = array[start:start + _TOPSIS_BLOCK_ROWS]
            deviation = block - ideal
            deviation *= deviation
            distance_plus[start:start + block.shape[0]] = deviation @ scale
            deviation = np.subtract(block, anti_ideal, out=deviation)
            deviation *= deviation
            distance_minus[start:start + block.shape[0]] = deviation @ scale
        return closeness(np.sqrt(distance_plus), np.sqrt(distance_minus))
    normalised = normalize_columns(array, flags, normalization)
    plus, minus = topsis_deviations(normalised)
    return closeness(np.sqrt(plus @ squared_weights), np.sqrt(minus @ squared_weights))


def vikor(matrix, weights, benefit, v: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """VIKOR group utility S, individual regret R and compromise index Q (all: lower is better).

    Opricovic & Tzeng (2004), EJOR 156(2), 445-455, section 3: with f*_j the best and f-_j the worst
    value of criterion j, S_i = sum_j w_j (f*_j - f_ij) / (f*_j - f-_j), R_i = max_j of the same terms,
    Q_i = v (S_i - S*) / (S- - S*) + (1 - v) (R_i - R*) / (R- - R*). ``v`` in [0, 1] weighs the
    majority strategy. A constant criterion contributes 0; a constant S (or R) contributes 0 to Q.
    """
    array, w, flags = prepare(matrix, weights, benefit)
    v = float(v)
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"v must be between 0 and 1; got {v!r}.")
    high = array.max(axis=0)
    low = array.min(axis=0)
    best = np.where(flags, high, low)
    worst = np.where(flags, low, high)
    spread = best - worst
    constant = spread == 0
    regret = w * (best - array) / np.where(constant, 1.0, spread)
    regret[:, constant] = 0.0
    group_utility = regret.sum(axis=1)
    individual_regret = regret.max(axis=1)

    def scaled(values: np.ndarray) -> np.ndarray:
        low_value, high_value = values.min(), values.max()
        if high_value == low_value:
            return np.zeros_like(values)
        return (values - low_value) / (high_value - low_value)

    compromise = v * scaled(group_utility) + (1.0 - v) * scaled(individual_regret)
    return group_utility, individual_regret, compromise


PREFERENCE_FUNCTIONS = ("usual", "ushape", "linear", "vshape_indifference")


def _per_criterion(value, n: int, name: str) -> np.ndarray:
    array = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)) if np.ndim(value) == 0 else np.asarray(
        value, dtype=np.float64)
    if array.shape != (n,):
        raise ValueError(f"{name} must be a number or one value per criterion ({n}); got shape {array.shape}.")
    if not np.isfinite(array).all() or (array < 0).any():
        raise ValueError(f"{name} must be finite and non-negative.")
    return array


def promethee_ii(matrix, weights, benefit, preference: str = "usual", p=None, q=None) -> np.ndarray:
    """PROMETHEE II net outranking flows phi = phi+ - phi-, in [-1, 1], higher is better.

    Brans & Vincke (1985), Management Science 31(6), 647-656. For each criterion the difference
    d = g(a) - g(b) (mirrored for cost criteria) is mapped by a preference function:

    - "usual" (type I): P = 1 if d > 0 else 0.
    - "ushape" (type II, needs q): P = 1 if d > q else 0.
    - "linear" (type III, V-shape, needs p > 0): P = d / p for 0 < d <= p, 1 beyond.
    - "vshape_indifference" (type V, needs 0 <= q < p): 0 up to q, (d - q) / (p - q) up to p, 1 beyond.

    ``p`` and ``q`` are in the criteria's own units: a number or one value per criterion.
    pi(a, b) = sum_j w_j P_j(a, b); phi+(a) = sum_b pi(a, b) / (m - 1), phi-(a) = sum_b pi(b, a) / (m - 1).
    Memory is O(m^2) (one m x m table per criterion at a time).
    """
    array, w, flags = prepare(matrix, weights, benefit)
    m, n = array.shape
    if preference not in PREFERENCE_FUNCTIONS:
        raise ValueError(f"Unknown preference function {preference!r}; choose one of {', '.join(PREFERENCE_FUNCTIONS)}.")
    if preference in ("linear", "vshape_indifference") and p is None:
        raise ValueError(f"preference {preference!r} needs the preference threshold p.")
    if preference in ("ushape", "vshape_indifference") and q is None:
        raise ValueError(f"preference {preference!r} needs the indifference threshold q.")
    p_values = _per_criterion(p, n, "p") if p is not None else None
    q_values = _per_criterion(q, n, "q") if q is not None else None
    if preference == "linear" and (p_values <= 0).any():
        raise ValueError("p must be positive for the linear preference function.")
    if preference == "vshape_indifference" and (q_values >= p_values).any():
        raise ValueError("vshape_indifference needs q < p for every criterion.")
    if m == 1:
        return np.zeros(1)
    oriented = np.where(flags, array, -array)
    aggregated = np.zeros((m, m))
    for j in range(n):
        if w[j] == 0:
            continue
        column = oriented[:, j]
        difference = column[:, None] - column[None, :]
        if preference == "usual":
            preference_degree = (difference > 0).astype(np.float64)
        elif preference == "ushape":
            preference_degree = (difference > q_values[j]).astype(np.float64)
        elif preference == "linear":
            preference_degree = np.clip(difference / p_values[j], 0.0, 1.0)
        else:
            preference_degree = np.clip((difference - q_values[j]) / (p_values[j] - q_values[j]), 0.0, 1.0)
        aggregated += w[j] * preference_degree
    positive_flow = aggregated.sum(axis=1) / (m - 1)
    negative_flow = aggregated.sum(axis=0) / (m - 1)
    return positive_flow - negative_flow


@dataclass(frozen=True)
class RankingResult:
    """Scores and competition ranks of one method run, with what is needed to reproduce it."""

    scores: np.ndarray
    ranks: np.ndarray
    method: str
    params: dict[str, Any]
    higher_is_better: bool
    version: str = VERSION
    details: dict[str, np.ndarray] = field(default_factory=dict)


METHODS = ("saw", "topsis", "vikor", "promethee_ii")


def rank(matrix, weights, benefit, method: str = "topsis", **params) -> RankingResult:
    """Run one method and return scores, competition ranks (1 = best), method, params and version.

    For "vikor" the scores are Q (lower is better, so rank 1 has the smallest Q) and S and R are in
    ``details``. ``params`` are passed to the method (e.g. normalization="minmax", v=0.6, p=...).
    """
    if method == "saw":
        scores = saw(matrix, weights, benefit, **params)
        higher_is_better, details = True, {}
    elif method == "topsis":
        scores = topsis(matrix, weights, benefit, **params)
        higher_is_better, details = True, {}
    elif method == "vikor":
        group_utility, individual_regret, scores = vikor(matrix, weights, benefit, **params)
        higher_is_better, details = False, {"S": group_utility, "R": individual_regret}
    elif method == "promethee_ii":
        scores = promethee_ii(matrix, weights, benefit, **params)
        higher_is_better, details = True, {}
    else:
        raise ValueError(f"Unknown method {method!r}; choose one of {', '.join(METHODS)}.")
    return RankingResult(
        scores=scores,
        ranks=competition_rank(scores, higher_is_better=higher_is_better),
        method=method,
        params=dict(params),
        higher_is_better=higher_is_better,
        details=details,
    )
