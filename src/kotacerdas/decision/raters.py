"""Combining and checking the scores of a panel of assessors.

Every function here takes a *ratings matrix*: a 2-D array with one row per
candidate (the "units" being rated) and one column per assessor (the
"raters"), holding ``NaN`` where an assessor did not rate a candidate. This
is the layout of an assessment sheet, and the transpose of the layout the
``krippendorff`` package expects (raters x units); the transposition is done
here so that callers never have to think about it.

The module is pure NumPy/SciPy (plus the small ``krippendorff`` package) so
that it can be used and tested without Django.

References
----------
* Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in
  assessing rater reliability. *Psychological Bulletin*, 86(2), 420-428.
* Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
  Annenberg School for Communication, University of Pennsylvania,
  https://repository.upenn.edu/asc_papers/43
"""

from __future__ import annotations

from dataclasses import dataclass

import krippendorff as _krippendorff
import numpy as np
from scipy import stats

__all__ = [
    "aggregate",
    "calibrate_zscore",
    "krippendorff_alpha",
    "icc",
    "flag_outlying_raters",
    "RaterOutliers",
]

AGGREGATION_METHODS = ("mean", "median", "trimmed")
ALPHA_LEVELS = ("nominal", "ordinal", "interval", "ratio")
ICC_KINDS = ("1,1", "2,1", "3,1")


def _as_ratings(ratings, *, name: str = "ratings") -> np.ndarray:
    """Return ``ratings`` as a float 2-D array, rejecting anything unusable.

    NaN marks a missing rating; infinities are rejected because they are
    never a legitimate score and would silently poison every mean.
    """
    try:
        array = np.asarray(ratings, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric (use NaN for a missing rating)") from error
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array (candidates x assessors), got {array.ndim} dimension(s)"
        )
    if np.isinf(array).any():
        raise ValueError(f"{name} contains an infinite value; use NaN for a missing rating")
    return array


# --------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------


def aggregate(ratings, method: str = "mean", trim: float = 0.1) -> np.ndarray:
    """Combine each candidate's available ratings into one score.

    Parameters
    ----------
    ratings:
        Candidates x assessors, NaN for a missing rating.
    method:
        ``"mean"``, ``"median"`` or ``"trimmed"``. ``"trimmed"`` follows
        :func:`scipy.stats.trim_mean`: ``trim`` is the proportion cut from
        *each* end of the candidate's sorted available ratings (the number cut
        is rounded down, so with three ratings and ``trim=0.1`` nothing is cut).
    trim:
        Proportion cut from each end for ``"trimmed"``; must be in [0, 0.5).

    Returns
    -------
    numpy.ndarray
        One value per candidate; NaN for a candidate nobody rated.
    """
    array = _as_ratings(ratings)
    if method not in AGGREGATION_METHODS:
        raise ValueError(f"method must be one of {AGGREGATION_METHODS}, got {method!r}")
    if method == "trimmed" and not (0.0 <= trim < 0.5):
        raise ValueError(f"trim must be in [0, 0.5), got {trim!r}")

    result = np.full(array.shape[0], np.nan)
    for row_index, row in enumerate(array):
        available = row[~np.isnan(row)]
        if available.size == 0:
            continue
        if method == "mean":
            result[row_index] = available.mean()
        elif method == "median":
            result[row_index] = np.median(available)
        else:
            result[row_index] = stats.trim_mean(available, trim)
    return result


# --------------------------------------------------------------------------
# Calibration
# --------------------------------------------------------------------------


def calibrate_zscore(ratings, target_mean: float | None = None, target_std: float | None = None):
    """Remove each assessor's leniency or severity by per-assessor z-scores.

    Each rating is first standardised within its assessor,
    ``z = (x - mean_of_assessor) / std_of_assessor``, which removes that
    assessor's offset (a lenient assessor scoring everyone one point higher)
    and scale (an assessor who uses only the middle of the rubric). The z-scores
    are then mapped back onto the rubric scale as ``target_mean + target_std * z``
    so that the result can still be read as rubric points.

    The target scale defaults to the panel:

    * ``target_mean`` = the mean of all available ratings;
    * ``target_std`` = the *pooled within-assessor* standard deviation,
      ``sqrt(sum over assessors of sum (x - mean_of_assessor)^2 / number of ratings)``.
      The pooled within-assessor spread is used rather than the raw spread of
      all ratings because the raw spread includes the very between-assessor
      offsets that calibration removes; the pooled spread is untouched by them.

    Consequences, all tested: shifting every score of one assessor by a
    constant leaves the calibrated matrix unchanged when ``target_mean`` and
    ``target_std`` are given; with the panel defaults it moves *every*
    calibrated value by the same constant (the panel mean moves), so every
    difference and every ranking is unchanged.

    Standard deviations use ``ddof=0`` (the spread of the ratings actually
    given). An assessor with a single rating, or whose ratings are all equal,
    carries no information about their scale, so for them only the offset is
    removed: ``x - mean_of_assessor + target_mean``, which puts each of their
    ratings at the target mean. An assessor with no ratings leaves an all-NaN
    column. Missing ratings stay NaN.

    Parameters
    ----------
    ratings:
        Candidates x assessors, NaN for a missing rating.
    target_mean, target_std:
        Optional fixed target scale, e.g. the rubric midpoint and a chosen
        spread, so that results are comparable between panels.

    Returns
    -------
    numpy.ndarray
        Calibrated ratings, same shape as ``ratings``.
    """
    array = _as_ratings(ratings)
    present = ~np.isnan(array)
    if not present.any():
        return array.copy()
    if target_std is not None and (not np.isfinite(target_std) or target_std < 0):
        raise ValueError(f"target_std must be a non-negative number, got {target_std!r}")
    if target_mean is not None and not np.isfinite(target_mean):
        raise ValueError(f"target_mean must be a finite number, got {target_mean!r}")

    counts = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        rater_mean = np.where(counts > 0, np.nansum(array, axis=0) / np.maximum(counts, 1), np.nan)
        centred = array - rater_mean  # NaN stays NaN
        squared = np.where(present, centred**2, 0.0)
        rater_std = np.sqrt(squared.sum(axis=0) / np.maximum(counts, 1))

    if target_mean is None:
        target_mean = float(array[present].mean())
    if target_std is None:
        target_std = float(np.sqrt(squared.sum() / present.sum()))

    # A spread this small relative to the scores is rounding noise, not scale.
    scale_floor = 1e-12 * max(1.0, float(np.abs(array[present]).max()))
    has_scale = (counts >= 2) & (rater_std > scale_floor)

    with np.errstate(invalid="ignore", divide="ignore"):
        scaled = target_mean + target_std * centred / np.where(has_scale, rater_std, 1.0)
    offset_only = centred + target_mean
    calibrated = np.where(has_scale[np.newaxis, :], scaled, offset_only)
    calibrated[~present] = np.nan
    return calibrated


# --------------------------------------------------------------------------
# Agreement
# --------------------------------------------------------------------------


def krippendorff_alpha(ratings, level: str = "interval") -> float:
    """Krippendorff's alpha for a candidates x assessors ratings matrix.

    Thin, validating wrapper around :func:`krippendorff.alpha`, which expects
    reliability data as raters x units; the matrix is transposed here.

    Parameters
    ----------
    ratings:
        Candidates x assessors, NaN for a missing rating.
    level:
        ``"nominal"``, ``"ordinal"``, ``"interval"`` or ``"ratio"``
        (Krippendorff 2011). ``"ratio"`` needs non-negative ratings.

    Raises
    ------
    ValueError
        For an unknown level, fewer than two assessors, no candidate rated by
        at least two assessors (alpha needs pairable values), or a single
        distinct value overall (alpha is 0/0: there is no variation to agree on).
    """
    array = _as_ratings(ratings)
    if level not in ALPHA_LEVELS:
        raise ValueError(f"level must be one of {ALPHA_LEVELS}, got {level!r}")
    if array.shape[1] < 2:
        raise ValueError("Krippendorff's alpha needs at least two assessors (columns)")
    present = ~np.isnan(array)
    if not (present.sum(axis=1) >= 2).any():
        raise ValueError(
            "Krippendorff's alpha needs at least one candidate rated by two or more assessors"
        )
    pairable = array[present.sum(axis=1) >= 2]
    values = np.unique(pairable[~np.isnan(pairable)])
    if values.size < 2:
        raise ValueError(
            "Krippendorff's alpha is undefined when every pairable rating has the same value"
        )
    if level == "ratio" and (values < 0).any():
        raise ValueError("level 'ratio' needs non-negative ratings")
    return float(_krippendorff.alpha(reliability_data=array.T, level_of_measurement=level))


def _normalise_icc_kind(kind: str) -> str:
    text = str(kind).replace(" ", "").upper()
    if text.startswith("ICC(") and text.endswith(")"):
        text = text[4:-1]
    if text not in ICC_KINDS:
        raise ValueError(f"kind must be one of {ICC_KINDS} (Shrout & Fleiss 1979), got {kind!r}")
    return text


def icc(ratings, kind: str = "2,1") -> float:
    """Intraclass correlation for single ratings (Shrout & Fleiss 1979).

    Computed by hand from the two-way ANOVA mean squares of the complete
    candidates x assessors table, with ``n`` candidates and ``k`` assessors:

    * BMS, between-candidates mean square, ``k * sum (row_mean - grand)^2 / (n - 1)``;
    * WMS, within-candidates mean square, ``sum (x - row_mean)^2 / (n (k - 1))``;
    * JMS, between-assessors mean square, ``n * sum (col_mean - grand)^2 / (k - 1)``;
    * EMS, residual mean square, ``(SS_total - SS_rows - SS_cols) / ((n - 1)(k - 1))``.

    ``kind``:

    * ``"1,1"``: each candidate rated by different, randomly drawn assessors
      (one-way random): ``(BMS - WMS) / (BMS + (k - 1) WMS)``;
    * ``"2,1"``: the same random sample of assessors rates every candidate,
      absolute agreement (two-way random):
      ``(BMS - EMS) / (BMS + (k - 1) EMS + k (JMS - EMS) / n)``;
    * ``"3,1"``: the same fixed assessors, consistency (two-way mixed):
      ``(BMS - EMS) / (BMS + (k - 1) EMS)``.

    ``"ICC(2,1)"`` style spellings are accepted too.

    Missing ratings: the ANOVA needs a complete table, so **a candidate with
    any missing rating is dropped** before computing (listwise deletion), as
    ``psych::ICC`` and ``DescTools::ICC`` do with their complete-case option.
    Assessors are never dropped, so an assessor who rated nobody makes the
    table empty and raises.

    Returns NaN when the denominator is zero (every rating identical).

    Raises
    ------
    ValueError
        For an unknown ``kind``, fewer than two assessors, or fewer than two
        complete candidates.
    """
    kind = _normalise_icc_kind(kind)
    array = _as_ratings(ratings)
    complete = array[~np.isnan(array).any(axis=1)]
    n, k = complete.shape
    if k < 2:
        raise ValueError("an ICC needs at least two assessors (columns)")
    if n < 2:
        raise ValueError(
            "an ICC needs at least two candidates rated by every assessor "
            f"(candidates with a missing rating are dropped; {n} complete)"
        )

    grand = complete.mean()
    row_means = complete.mean(axis=1)
    col_means = complete.mean(axis=0)
    ss_total = ((complete - grand) ** 2).sum()
    ss_rows = k * ((row_means - grand) ** 2).sum()
    ss_cols = n * ((col_means - grand) ** 2).sum()
    ss_within = ss_total - ss_rows
    ss_error = ss_total - ss_rows - ss_cols

    bms = ss_rows / (n - 1)
    wms = ss_within / (n * (k - 1))
    jms = ss_cols / (k - 1)
    ems = ss_error / ((n - 1) * (k - 1))

    if kind == "1,1":
        numerator, denominator = bms - wms, bms + (k - 1) * wms
    elif kind == "2,1":
        numerator, denominator = bms - ems, bms + (k - 1) * ems + k * (jms - ems) / n
    else:
        numerator, denominator = bms - ems, bms + (k - 1) * ems
    if denominator == 0:
        return float("nan")
    return float(numerator / denominator)


# --------------------------------------------------------------------------
# Outlying assessors
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterOutliers:
    """Result of :func:`flag_outlying_raters`, one entry per assessor.

    Attributes
    ----------
    deviation:
        Mean, over the candidates the assessor rated together with at least
        one other assessor, of (their score - mean of the other assessors on
        that candidate). Positive = lenient, negative = severe, in rubric
        points. NaN when the assessor shares no candidate with anyone.
    score:
        The standardised deviation (see :func:`flag_outlying_raters`).
        NaN where it cannot be computed.
    flagged:
        True for an assessor judged outlying.
    n_compared:
        Number of candidates behind ``deviation``.
    threshold, min_deviation:
        The rule's parameters, kept for reporting.
    """

    deviation: np.ndarray
    score: np.ndarray
    flagged: np.ndarray
    n_compared: np.ndarray
    threshold: float
    min_deviation: float

    @property
    def flagged_indices(self) -> list[int]:
        """Column indices of the flagged assessors."""
        return [int(index) for index in np.flatnonzero(self.flagged)]


def flag_outlying_raters(ratings, threshold: float = 3.5, min_deviation: float = 0.0) -> RaterOutliers:
    """Flag assessors who are systematically more lenient or severe than the panel.

    The rule, step by step:

    1. For every rating ``x[i, j]`` of assessor ``j`` on a candidate ``i`` that
       at least one other assessor also rated, take the leave-one-out
       difference ``d[i, j] = x[i, j] - mean of the other assessors on i``.
    2. The assessor's *deviation* ``b[j]`` is the mean of their ``n[j]``
       differences ``d[i, j]``.
    3. The deviation is standardised like a t statistic:
       ``score[j] = (b[j] - median of b) / (s / sqrt(n[j]))``, where ``s`` is
       the pooled within-assessor standard deviation of the differences
       (``sqrt(sum (d[i, j] - b[j])^2 / (number of d - number of assessors))``).
       Centring on the *median* deviation, not on zero, matters: one strongly
       lenient assessor pulls everybody else's leave-one-out differences down
       by ``offset / (assessors - 1)``, which would otherwise get them flagged
       too. ``s`` is pooled around each assessor's own mean, so an offset does
       not inflate it and cannot hide itself.
    4. An assessor is flagged when ``|score| > threshold`` *and*
       ``|b[j] - median of b| >= min_deviation``. The score grows with the
       number of candidates an assessor rated, so with large workloads a small
       but consistent offset becomes "significant"; ``min_deviation`` (in
       rubric points) adds a floor of practical importance.

    The default threshold 3.5 is deliberately conservative: in simulations of
    consistent six-assessor panels (30 candidates, with and without missing
    ratings) it flagged about 0.2 % of assessors, while still catching most
    offsets of one standard deviation of the rating noise.

    At least three assessors with a defined deviation are needed for a
    meaningful median; with fewer, scores are NaN and nobody is flagged. If
    the differences have no spread at all (``s = 0``), an assessor exactly at
    the median scores 0 and any other scores plus or minus infinity.
    Flagging is a prompt for a conversation, not a verdict; pair it with
    :func:`calibrate_zscore` to remove a known offset.
    """
    array = _as_ratings(ratings)
    if not np.isfinite(threshold) or threshold <= 0:
        raise ValueError(f"threshold must be a positive number, got {threshold!r}")
    if not np.isfinite(min_deviation) or min_deviation < 0:
        raise ValueError(f"min_deviation must be a non-negative number, got {min_deviation!r}")

    present = ~np.isnan(array)
    filled = np.where(present, array, 0.0)
    row_sum = filled.sum(axis=1, keepdims=True)
    row_count = present.sum(axis=1, keepdims=True)
    others_count = row_count - present  # for a present rating: how many others rated
    comparable = present & (others_count >= 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        others_mean = (row_sum - filled) / others_count
    differences = np.where(comparable, filled - others_mean, 0.0)
    n_compared = comparable.sum(axis=0)
    defined = n_compared > 0
    deviation = np.full(array.shape[1], np.nan)
    deviation[defined] = differences[:, defined].sum(axis=0) / n_compared[defined]

    score = np.full(array.shape[1], np.nan)
    flagged = np.zeros(array.shape[1], dtype=bool)
    degrees_of_freedom = int(comparable.sum()) - int(defined.sum())
    if defined.sum() >= 3 and degrees_of_freedom > 0:
        residuals = np.where(comparable, differences - np.nan_to_num(deviation), 0.0)
        spread = float(np.sqrt((residuals**2).sum() / degrees_of_freedom))
        centre = float(np.median(deviation[defined]))
        offset = deviation[defined] - centre
        scale_floor = 1e-12 * max(1.0, float(np.abs(array[present]).max()))
        if spread > scale_floor:
            scores = offset / (spread / np.sqrt(n_compared[defined]))
        else:
            tiny = np.abs(offset) <= scale_floor
            scores = np.where(tiny, 0.0, np.copysign(np.inf, offset))
        score[defined] = scores
        flagged[defined] = (np.abs(scores) > threshold) & (np.abs(offset) >= min_deviation)
    return RaterOutliers(
        deviation=deviation,
        score=score,
        flagged=flagged,
        n_compared=n_compared.astype(int),
        threshold=float(threshold),
        min_deviation=float(min_deviation),
    )
