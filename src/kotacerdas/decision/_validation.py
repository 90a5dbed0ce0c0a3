"""Shared input checks for the decision engine (clear ValueError messages)."""

from __future__ import annotations

import numpy as np


def as_decision_matrix(matrix, *, allow_nan: bool = False, name: str = "matrix") -> np.ndarray:
    """Return `matrix` as a 2-D float64 array (alternatives x criteria) or raise ValueError."""
    try:
        array = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must contain numbers only ({error}).") from None
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 2-dimensional (alternatives x criteria); got {array.ndim} dimension(s) "
            f"with shape {array.shape}."
        )
    if array.shape[0] < 1 or array.shape[1] < 1:
        raise ValueError(f"{name} needs at least one alternative and one criterion; got shape {array.shape}.")
    if allow_nan:
        if np.isinf(array).any():
            raise ValueError(f"{name} contains infinite values; only finite numbers or NaN (missing) are allowed.")
    elif not np.isfinite(array).all():
        raise ValueError(
            f"{name} contains NaN or infinite values; use normalize_with_coverage() to apply the missing-value "
            "policy first."
        )
    return array


def as_benefit_flags(benefit, n_criteria: int) -> np.ndarray:
    """Return `benefit` as a boolean vector of length n_criteria (True = more is better)."""
    flags = np.asarray(benefit)
    if flags.ndim == 0:
        raise ValueError("benefit must be a sequence of booleans, one per criterion (True = more is better).")
    if flags.ndim != 1:
        raise ValueError(f"benefit must be 1-dimensional; got shape {flags.shape}.")
    if flags.shape[0] != n_criteria:
        raise ValueError(
            f"benefit has {flags.shape[0]} entries but the matrix has {n_criteria} criteria (columns)."
        )
    if flags.dtype != np.bool_:
        if not np.issubdtype(flags.dtype, np.number) or not np.isin(flags, (0, 1)).all():
            raise ValueError(
                "benefit must contain booleans (True = benefit, False = cost); got values "
                f"{sorted(set(np.asarray(flags).tolist()))!r}. Note: -1/1 criteria types are not accepted."
            )
    return flags.astype(bool)


def as_weight_vector(weights, n_criteria: int | None = None, *, name: str = "weights") -> np.ndarray:
    """Validate weights (finite, non-negative, not all zero) and normalise them to sum to 1."""
    try:
        array = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must contain numbers only ({error}).") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-dimensional (one weight per criterion); got shape {array.shape}.")
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty; give one weight per criterion.")
    if n_criteria is not None and array.shape[0] != n_criteria:
        raise ValueError(f"{name} has {array.shape[0]} entries but the matrix has {n_criteria} criteria (columns).")
    if not np.isfinite(array).all():
        bad = np.flatnonzero(~np.isfinite(array)).tolist()
        raise ValueError(f"{name} must be finite; entries at positions {bad} are NaN or infinite.")
    if (array < 0).any():
        bad = np.flatnonzero(array < 0).tolist()
        raise ValueError(f"{name} must be non-negative; entries at positions {bad} are negative.")
    total = array.sum()
    if total <= 0:
        raise ValueError(f"{name} are all zero; at least one criterion needs a positive weight.")
    return array / total
