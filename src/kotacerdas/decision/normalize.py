"""Normalisation of a decision matrix (alternatives x criteria) and the missing-value policy.

Every method returns values where a larger number is better, for benefit and cost criteria alike,
so downstream methods never need to know a criterion's direction again.

Sources: Hwang & Yoon (1981), *Multiple Attribute Decision Making*, Springer, ch. 3 (vector, linear
max and min-max normalisation); Giffinger et al. (2007), *Smart cities - Ranking of European
medium-sized cities*, TU Wien, section 4 (z-transformation used by the European smart city ranking,
with missing indicators handled by averaging the available standardised values).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._validation import as_benefit_flags, as_decision_matrix

NORMALIZATION_METHODS = ("minmax", "vector", "sum", "max", "zscore")


def normalize_columns(matrix: np.ndarray, benefit: np.ndarray, method: str) -> np.ndarray:
    """Column-wise normalisation ignoring NaN cells (they stay NaN)."""
    cost = ~benefit
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "minmax":
            low = np.nanmin(matrix, axis=0)
            high = np.nanmax(matrix, axis=0)
            spread = high - low
            constant = spread == 0
            safe_spread = np.where(constant, 1.0, spread)
            result = np.where(cost, high - matrix, matrix - low) / safe_spread
            # A constant criterion does not separate alternatives: everyone gets the best value 1.
            result = np.where(constant & ~np.isnan(matrix), 1.0, result)
        elif method == "vector":
            norm = np.sqrt(np.nansum(matrix * matrix, axis=0))
            if (norm == 0).any():
                raise ValueError(
                    "vector normalisation needs a non-zero value in every criterion; criteria "
                    f"{np.flatnonzero(norm == 0).tolist()} are all zero."
                )
            ratio = matrix / norm
            result = np.where(cost, 1.0 - ratio, ratio)
        elif method == "sum":
            if (matrix <= 0).any():
                raise ValueError("sum normalisation needs strictly positive values.")
            inverse = 1.0 / matrix
            result = np.where(
                cost,
                inverse / np.nansum(inverse, axis=0),
                matrix / np.nansum(matrix, axis=0),
            )
        elif method == "max":
            high = np.nanmax(matrix, axis=0)
            if (high <= 0).any():
                raise ValueError(
                    "max normalisation needs a positive maximum in every criterion; criteria "
                    f"{np.flatnonzero(high <= 0).tolist()} have none."
                )
            ratio = matrix / high
            result = np.where(cost, 1.0 - ratio, ratio)
        elif method == "zscore":
            mean = np.nanmean(matrix, axis=0)
            spread = np.nanstd(matrix, axis=0)  # population standard deviation (ddof=0)
            constant = spread == 0
            z = (matrix - mean) / np.where(constant, 1.0, spread)
            z = np.where(constant & ~np.isnan(matrix), 0.0, z)
            result = np.where(cost, -z, z)
        else:
            raise ValueError(
                f"Unknown normalisation method {method!r}; choose one of {', '.join(NORMALIZATION_METHODS)}."
            )
    return result


def normalize(matrix, benefit, method: str = "minmax") -> np.ndarray:
    """Normalise each criterion (column) so that larger is better.

    Methods (x is a column, cost criteria are mirrored so larger is always better):

    - "minmax": (x - min) / (max - min); cost: (max - x) / (max - min). A constant column becomes 1.
    - "vector": x / ||x||; cost: 1 - x / ||x|| (same TOPSIS distances as the classic form).
    - "sum": x / sum(x); cost: (1/x) / sum(1/x). Needs strictly positive values.
    - "max": x / max(x); cost: 1 - x / max(x).
    - "zscore": (x - mean) / std (population std); cost: the negated z-score. A constant column becomes 0.
      This is the z-transformation of the European smart city ranking (Giffinger et al. 2007).

    NaN cells are allowed: column statistics use the available values and the NaN cells stay NaN.
    Use :func:`normalize_with_coverage` to apply the missing-value policy.
    """
    array = as_decision_matrix(matrix, allow_nan=True)
    flags = as_benefit_flags(benefit, array.shape[1])
    if method not in NORMALIZATION_METHODS:
        raise ValueError(
            f"Unknown normalisation method {method!r}; choose one of {', '.join(NORMALIZATION_METHODS)}."
        )
    available = ~np.isnan(array)
    empty = ~available.any(axis=0)
    if empty.any():
        raise ValueError(f"criteria {np.flatnonzero(empty).tolist()} have no values at all.")
    return normalize_columns(array, flags, method)


@dataclass(frozen=True)
class ExcludedAlternative:
    """An alternative left out by the missing-value policy, and why."""

    index: int
    coverage: float
    reason: str


@dataclass(frozen=True)
class CoverageNormalization:
    """Result of :func:`normalize_with_coverage`.

    ``matrix`` holds only the kept alternatives (rows in the order of ``kept``), with no NaN left.
    ``imputed`` marks the cells of ``matrix`` that were missing and filled by the policy.
    ``coverage`` is the share of available criteria for every input alternative.
    """

    matrix: np.ndarray
    kept: np.ndarray
    excluded: tuple[ExcludedAlternative, ...]
    imputed: np.ndarray
    coverage: np.ndarray
    method: str
    min_coverage: float
    policy: str = field(default="row-mean-of-normalised-values")


def normalize_with_coverage(matrix, benefit, method: str = "zscore", min_coverage: float = 0.5) -> CoverageNormalization:
    """Normalise a matrix with missing values (NaN) under a documented policy.

    Policy (after Giffinger et al. 2007, the European smart city ranking):

    1. Coverage of an alternative = share of its criteria that are not NaN.
    2. Alternatives with coverage below ``min_coverage`` (or with no value at all) are left out and
       reported in ``excluded`` with their coverage and the reason; they do not influence the
       column statistics of the others.
    3. The kept alternatives are normalised column by column from their available values.
    4. Each remaining NaN cell is replaced by the mean of the same alternative's available
       normalised values, i.e. a missing indicator counts as the alternative's average performance.

    ``min_coverage`` must be in (0, 1]. Raises ValueError when a criterion has no value among the
    kept alternatives or when no alternative is kept.
    """
    array = as_decision_matrix(matrix, allow_nan=True)
    flags = as_benefit_flags(benefit, array.shape[1])
    if not (0.0 < float(min_coverage) <= 1.0):
        raise ValueError(f"min_coverage must be in (0, 1]; got {min_coverage!r}.")
    if method not in NORMALIZATION_METHODS:
        raise ValueError(
            f"Unknown normalisation method {method!r}; choose one of {', '.join(NORMALIZATION_METHODS)}."
        )
    available = ~np.isnan(array)
    coverage = available.mean(axis=1)
    # Compare with a little slack so that e.g. 2/3 >= 0.6666666666666666 behaves as expected.
    keep = (coverage + 1e-12 >= min_coverage) & (coverage > 0)
    excluded = tuple(
        ExcludedAlternative(
            index=int(i),
            coverage=float(coverage[i]),
            reason=(
                "no criterion has a value"
                if coverage[i] == 0
                else f"coverage {coverage[i]:.0%} is below the minimum {min_coverage:.0%}"
            ),
        )
        for i in np.flatnonzero(~keep)
    )
    kept = np.flatnonzero(keep)
    if kept.size == 0:
        raise ValueError(f"every alternative has coverage below {min_coverage:.0%}; nothing left to rank.")
    subset = array[kept]
    missing_columns = ~(~np.isnan(subset)).any(axis=0)
    if missing_columns.any():
        raise ValueError(
            f"criteria {np.flatnonzero(missing_columns).tolist()} have no value among the kept alternatives."
        )
    normalised = normalize_columns(subset, flags, method)
    imputed = np.isnan(normalised)
    if imputed.any():
        row_means = np.nanmean(normalised, axis=1)
        normalised = np.where(imputed, row_means[:, None], normalised)
    return CoverageNormalization(
        matrix=normalised,
        kept=kept,
        excluded=excluded,
        imputed=imputed,
        coverage=coverage,
        method=method,
        min_coverage=float(min_coverage),
    )
