"""Agreement statistics checked against published examples.

Sources of the reference numbers:

* Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
  https://repository.upenn.edu/asc_papers/43 , section C (4 observers x 12
  units with missing values). Published: nominal 0.743, ordinal 0.815,
  interval 0.849, ratio 0.797. The ordinal and ratio values are also asserted
  by the ``krippendorff`` package's own test-suite
  (pln-fing-udelar/fast-krippendorff, tests/test_krippendorff.py); the nominal
  value can be checked by hand from the coincidence matrix,
  1 - (40 - 1) * 8 / (40^2 - 384) = 0.7434.
* Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in
  assessing rater reliability. Psychological Bulletin 86(2), 420-428.
  Table 2 (6 targets x 4 judges) and Table 4: ICC(1,1) = .17,
  ICC(2,1) = .29, ICC(3,1) = .71 (reproduced e.g. by ``psych::ICC``).

Published values are rounded, so the tolerance is half a unit in the last
published digit.
"""

import numpy as np
import pytest

from kotacerdas.decision.raters import icc, krippendorff_alpha

NAN = np.nan

# Krippendorff (2011), section C: rows are observers A-D, columns units 1-12.
KRIPPENDORFF_2011_OBSERVERS_BY_UNITS = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)
# Our layout is candidates (units) x assessors (raters).
KRIPPENDORFF_2011 = KRIPPENDORFF_2011_OBSERVERS_BY_UNITS.T

# Shrout & Fleiss (1979), Table 2: rows are targets 1-6, columns judges 1-4.
SHROUT_FLEISS_TABLE_2 = np.array(
    [
        [9, 2, 5, 8],
        [6, 1, 3, 2],
        [8, 4, 6, 8],
        [7, 1, 2, 6],
        [10, 5, 6, 9],
        [6, 2, 4, 7],
    ],
    dtype=float,
)


# --------------------------------------------------------------------------
# Krippendorff's alpha
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_it_matches_krippendorff_2011_published_alphas(level, published):
    # Published to three decimals: tolerance half a unit in the third decimal.
    assert krippendorff_alpha(KRIPPENDORFF_2011, level) == pytest.approx(published, abs=5e-4)


def test_it_reads_candidates_in_rows_and_assessors_in_columns():
    # Passing the paper's own raters x units layout gives a different number,
    # so the transposition really happens inside krippendorff_alpha.
    assert krippendorff_alpha(KRIPPENDORFF_2011, "interval") != pytest.approx(
        krippendorff_alpha(KRIPPENDORFF_2011_OBSERVERS_BY_UNITS, "interval"), abs=1e-3
    )


def test_it_returns_one_for_perfect_agreement():
    ratings = np.array([[1, 1, 1], [2, 2, NAN], [3, 3, 3], [4, NAN, 4]], dtype=float)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        assert krippendorff_alpha(ratings, level) == pytest.approx(1.0)


def test_it_returns_a_python_float():
    assert isinstance(krippendorff_alpha(KRIPPENDORFF_2011, "nominal"), float)


@pytest.mark.parametrize("level", ["Nominal", "categorical", "", None])
def test_it_rejects_an_unknown_level(level):
    with pytest.raises(ValueError, match="level"):
        krippendorff_alpha(KRIPPENDORFF_2011, level)


def test_it_rejects_a_single_assessor():
    with pytest.raises(ValueError, match="two assessors"):
        krippendorff_alpha(np.array([[1.0], [2.0], [3.0]]), "interval")


def test_it_rejects_data_without_a_pairable_candidate():
    ratings = np.array([[1, NAN], [NAN, 2], [3, NAN]], dtype=float)
    with pytest.raises(ValueError, match="two or more assessors"):
        krippendorff_alpha(ratings, "interval")


def test_it_rejects_data_with_a_single_value():
    with pytest.raises(ValueError, match="same value"):
        krippendorff_alpha(np.full((3, 2), 4.0), "interval")


def test_it_rejects_negative_values_at_the_ratio_level():
    with pytest.raises(ValueError, match="non-negative"):
        krippendorff_alpha(np.array([[-1.0, -1.0], [2.0, 3.0]]), "ratio")


@pytest.mark.parametrize(
    "bad",
    [np.array([1.0, 2.0, 3.0]), np.array([[1.0, np.inf], [2.0, 3.0]]), [["a", "b"], ["c", "d"]]],
)
def test_it_rejects_malformed_ratings(bad):
    with pytest.raises(ValueError):
        krippendorff_alpha(bad, "interval")


# --------------------------------------------------------------------------
# ICC
# --------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "published"), [("1,1", 0.17), ("2,1", 0.29), ("3,1", 0.71)])
def test_it_matches_shrout_and_fleiss_table_4(kind, published):
    # Published to two decimals: tolerance half a unit in the second decimal.
    assert icc(SHROUT_FLEISS_TABLE_2, kind) == pytest.approx(published, abs=5e-3)


def test_it_accepts_the_icc_parenthesised_spelling():
    assert icc(SHROUT_FLEISS_TABLE_2, "ICC(3,1)") == icc(SHROUT_FLEISS_TABLE_2, "3,1")


def _icc_by_regression(table: np.ndarray, kind: str) -> float:
    """Independent ICC: mean squares from variances and a least-squares fit.

    Written differently on purpose from the module's sums of squares: the
    between mean squares come from ``np.var`` of the marginal means, the
    within mean square from per-candidate variances, and the residual mean
    square from the residuals of a dummy-coded two-way additive model.
    """
    n, k = table.shape
    bms = k * np.var(table.mean(axis=1), ddof=1)
    jms = n * np.var(table.mean(axis=0), ddof=1)
    wms = np.var(table, axis=1, ddof=1).mean()
    candidate_dummies = np.repeat(np.eye(n), k, axis=0)
    assessor_dummies = np.tile(np.eye(k), (n, 1))[:, 1:]  # drop one: the design stays full rank
    design = np.hstack([candidate_dummies, assessor_dummies])
    y = table.reshape(-1)
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    residuals = y - design @ coefficients
    ems = (residuals**2).sum() / ((n - 1) * (k - 1))
    if kind == "1,1":
        return (bms - wms) / (bms + (k - 1) * wms)
    if kind == "2,1":
        return (bms - ems) / (bms + (k - 1) * ems + k * (jms - ems) / n)
    return (bms - ems) / (bms + (k - 1) * ems)


@pytest.mark.parametrize("kind", ["1,1", "2,1", "3,1"])
@pytest.mark.parametrize("seed", range(8))
def test_it_agrees_with_an_independent_formulation_on_random_tables(kind, seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 30)), int(rng.integers(2, 8))
    quality = rng.normal(0, 2, size=(n, 1))
    leniency = rng.normal(0, 1, size=(1, k))
    table = 5 + quality + leniency + rng.normal(0, 1, size=(n, k))
    assert icc(table, kind) == pytest.approx(_icc_by_regression(table, kind), rel=1e-9, abs=1e-12)


def test_it_drops_candidates_with_a_missing_rating():
    with_gaps = np.vstack([SHROUT_FLEISS_TABLE_2, [[3, NAN, 4, 5]], [[NAN, NAN, NAN, NAN]]])
    for kind in ("1,1", "2,1", "3,1"):
        assert icc(with_gaps, kind) == pytest.approx(icc(SHROUT_FLEISS_TABLE_2, kind))


def test_it_gives_one_when_assessors_agree_exactly():
    table = np.array([[1, 1, 1], [3, 3, 3], [2, 2, 2]], dtype=float)
    for kind in ("1,1", "2,1", "3,1"):
        assert icc(table, kind) == pytest.approx(1.0)


def test_consistency_ignores_a_constant_offset_but_absolute_agreement_does_not():
    shifted = SHROUT_FLEISS_TABLE_2.copy()
    shifted[:, 1] += 3
    assert icc(shifted, "3,1") == pytest.approx(icc(SHROUT_FLEISS_TABLE_2, "3,1"))
    assert icc(shifted, "2,1") != pytest.approx(icc(SHROUT_FLEISS_TABLE_2, "2,1"))


def test_it_returns_nan_when_every_rating_is_identical():
    assert np.isnan(icc(np.full((4, 3), 2.0), "2,1"))


@pytest.mark.parametrize("kind", ["1", "2,k", "ICC2", "4,1"])
def test_it_rejects_an_unknown_kind(kind):
    with pytest.raises(ValueError, match="kind"):
        icc(SHROUT_FLEISS_TABLE_2, kind)


def test_it_rejects_tables_too_small_after_dropping_missing_rows():
    ratings = np.array([[1, 2, 3], [4, NAN, 6], [7, 8, NAN]], dtype=float)
    with pytest.raises(ValueError, match="complete"):
        icc(ratings, "2,1")
    with pytest.raises(ValueError, match="two assessors"):
        icc(np.array([[1.0], [2.0]]), "1,1")
