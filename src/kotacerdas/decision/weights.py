"""Criterion weights: direct, AHP (eigenvector method with consistency ratio) and entropy."""

from __future__ import annotations

import numpy as np

from ._validation import as_decision_matrix, as_weight_vector

# Saaty's random consistency index RI for n = 1..15: the mean consistency index of random reciprocal
# matrices filled from the 1-9 scale. Source: Saaty, T. L. (1980), *The Analytic Hierarchy Process*,
# McGraw-Hill (random index table); the same values (n = 11..15: 1.51, 1.48, 1.56, 1.57, 1.59) are the
# ones used by most AHP software.
SAATY_RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)

# Saaty's rule of thumb: judgements with a consistency ratio above 10 % should be revised.
CONSISTENCY_RATIO_LIMIT = 0.1


class InconsistentComparisons(ValueError):
    """Raised when an AHP pairwise comparison matrix is too inconsistent (CR above the limit)."""

    def __init__(self, consistency_ratio: float, limit: float = CONSISTENCY_RATIO_LIMIT):
        self.consistency_ratio = consistency_ratio
        self.limit = limit
        super().__init__(
            f"the pairwise comparisons are inconsistent: consistency ratio {consistency_ratio:.3f} "
            f"exceeds {limit:.2f}; revise the judgements or pass allow_inconsistent=True."
        )


def direct_weights(values) -> np.ndarray:
    """Validate directly given weights (finite, non-negative, not all zero) and scale them to sum to 1."""
    return as_weight_vector(values, name="weights")


def _validated_pairwise(pairwise, reciprocity_rtol: float) -> np.ndarray:
    try:
        matrix = np.asarray(pairwise, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"pairwise comparison matrix must contain numbers only ({error}).") from None
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"pairwise comparison matrix must be square; got shape {matrix.shape}.")
    n = matrix.shape[0]
    if n < 1:
        raise ValueError("pairwise comparison matrix is empty.")
    if n > len(SAATY_RANDOM_INDEX):
        raise ValueError(
            f"pairwise comparison matrix has {n} criteria; Saaty's random index is tabulated up to "
            f"{len(SAATY_RANDOM_INDEX)} only."
        )
    if not np.isfinite(matrix).all():
        raise ValueError("pairwise comparison matrix contains NaN or infinite values.")
    if (matrix <= 0).any():
        i, j = np.argwhere(matrix <= 0)[0]
        raise ValueError(f"pairwise comparisons must be positive; entry ({i}, {j}) is {matrix[i, j]!r}.")
    if not np.allclose(np.diag(matrix), 1.0, rtol=0, atol=reciprocity_rtol):
        raise ValueError("pairwise comparison matrix must have 1 on its diagonal (a criterion equals itself).")
    product = matrix * matrix.T
    broken = np.abs(product - 1.0) > reciprocity_rtol
    if broken.any():
        i, j = np.argwhere(broken)[0]
        raise ValueError(
            f"pairwise comparison matrix is not reciprocal: a[{i},{j}] = {matrix[i, j]:g} but "
            f"a[{j},{i}] = {matrix[j, i]:g}; expected a[{j},{i}] = 1 / a[{i},{j}] = {1 / matrix[i, j]:g}."
        )
    return matrix


def ahp_consistency(pairwise, reciprocity_rtol: float = 2e-3) -> tuple[np.ndarray, float, float, float]:
    """Return (weights, lambda_max, consistency_index, consistency_ratio) of a pairwise matrix.

    Weights are the principal (Perron) eigenvector scaled to sum to 1 (Saaty 1980).
    CI = (lambda_max - n) / (n - 1) and CR = CI / RI(n); for n <= 2 every reciprocal matrix is
    consistent and CR = 0.
    """
    matrix = _validated_pairwise(pairwise, reciprocity_rtol)
    n = matrix.shape[0]
    if n == 1:
        return np.ones(1), 1.0, 0.0, 0.0
    eigenvalues, eigenvectors = np.linalg.eig(matrix)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = np.abs(eigenvectors[:, principal].real)
    weights = vector / vector.sum()
    consistency_index = max((lambda_max - n) / (n - 1), 0.0)
    random_index = SAATY_RANDOM_INDEX[n - 1]
    consistency_ratio = consistency_index / random_index if random_index > 0 else 0.0
    return weights, lambda_max, consistency_index, consistency_ratio


def ahp_weights(pairwise, reciprocity_rtol: float = 2e-3) -> tuple[np.ndarray, float]:
    """Weights from an AHP pairwise comparison matrix and its consistency ratio.

    ``pairwise[i][j]`` says how many times criterion i is more important than j (Saaty's 1-9 scale);
    the matrix must be positive with ``pairwise[j][i] = 1 / pairwise[i][j]`` (checked with relative
    tolerance ``reciprocity_rtol`` so that 0.333 for 1/3 passes). The consistency ratio is always
    returned; pass it to :func:`check_consistency` to refuse matrices with CR > 0.1.
    """
    weights, _, _, consistency_ratio = ahp_consistency(pairwise, reciprocity_rtol)
    return weights, consistency_ratio


def check_consistency(consistency_ratio: float, allow_inconsistent: bool = False,
                      limit: float = CONSISTENCY_RATIO_LIMIT) -> float:
    """Raise InconsistentComparisons when CR > limit (0.1, Saaty) unless allow_inconsistent; return CR."""
    if consistency_ratio > limit and not allow_inconsistent:
        raise InconsistentComparisons(float(consistency_ratio), limit)
    return consistency_ratio


def entropy_weights(matrix) -> np.ndarray:
    """Shannon entropy weights: criteria whose values differ more across alternatives weigh more.

    p_ij = x_ij / sum_i x_ij, e_j = -sum_i p_ij ln p_ij / ln m, w_j = (1 - e_j) / sum_k (1 - e_k)
    (Hwang & Yoon 1981, section 2.3; Zeleny 1982). Values must be non-negative with a positive
    column sum; 0 ln 0 = 0. If no criterion carries information (all e_j = 1) weights are equal.
    """
    array = as_decision_matrix(matrix)
    m, n = array.shape
    if m < 2:
        raise ValueError("entropy weights need at least two alternatives.")
    if (array < 0).any():
        raise ValueError("entropy weights need non-negative values; shift or normalise the matrix first.")
    totals = array.sum(axis=0)
    if (totals <= 0).any():
        raise ValueError(f"criteria {np.flatnonzero(totals <= 0).tolist()} sum to zero; entropy is undefined.")
    shares = array / totals
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(shares > 0, shares * np.log(shares), 0.0)
    entropy = -terms.sum(axis=0) / np.log(m)
    diversification = np.clip(1.0 - entropy, 0.0, None)
    total = diversification.sum()
    if total <= 1e-15:
        return np.full(n, 1.0 / n)
    return diversification / total
