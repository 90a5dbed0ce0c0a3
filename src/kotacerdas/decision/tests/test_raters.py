"""Aggregation, calibration and outlier flagging of assessors' ratings."""

import warnings

import numpy as np
import pytest
from scipy import stats

from kotacerdas.decision.raters import (
    RaterOutliers,
    aggregate,
    calibrate_zscore,
    flag_outlying_raters,
)

NAN = np.nan

RATINGS = np.array(
    [
        [7, 8, NAN, 6],
        [5, NAN, 4, 9],
        [NAN, NAN, NAN, NAN],
        [3, 3, 10, 4],
        [6, 6, 6, 6],
    ],
    dtype=float,
)


# --------------------------------------------------------------------------
# aggregate
# --------------------------------------------------------------------------


def test_it_averages_the_available_ratings_of_each_candidate():
    result = aggregate(RATINGS, "mean")
    np.testing.assert_allclose(result[[0, 1, 3, 4]], [7.0, 6.0, 5.0, 6.0])


def test_it_takes_the_median_of_the_available_ratings():
    result = aggregate(RATINGS, "median")
    np.testing.assert_allclose(result[[0, 1, 3, 4]], [7.0, 5.0, 3.5, 6.0])


@pytest.mark.parametrize("trim", [0.0, 0.1, 0.25, 0.4])
def test_the_trimmed_mean_follows_scipy_trim_mean_on_available_ratings(trim):
    rng = np.random.default_rng(3)
    ratings = rng.integers(1, 11, size=(20, 9)).astype(float)
    ratings[rng.random(ratings.shape) < 0.3] = NAN
    ratings[0] = NAN
    result = aggregate(ratings, "trimmed", trim=trim)
    for row, value in zip(ratings[1:], result[1:]):
        available = row[~np.isnan(row)]
        assert value == pytest.approx(stats.trim_mean(available, trim))


def test_the_trimmed_mean_cuts_an_extreme_rating():
    ratings = np.array([[5, 5, 5, 5, 5, 5, 5, 5, 5, 50]], dtype=float)
    assert aggregate(ratings, "trimmed", trim=0.1)[0] == pytest.approx(5.0)
    assert aggregate(ratings, "mean")[0] == pytest.approx(9.5)


@pytest.mark.parametrize("method", ["mean", "median", "trimmed"])
def test_a_candidate_nobody_rated_gets_nan_without_a_warning(method):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = aggregate(RATINGS, method)
    assert np.isnan(result[2])
    assert not np.isnan(result[[0, 1, 3, 4]]).any()


def test_it_rejects_an_unknown_method_and_a_bad_trim():
    with pytest.raises(ValueError, match="method"):
        aggregate(RATINGS, "mode")
    for trim in (-0.1, 0.5, 0.9):
        with pytest.raises(ValueError, match="trim"):
            aggregate(RATINGS, "trimmed", trim=trim)


@pytest.mark.parametrize("bad", [[1.0, 2.0], [[1.0, np.inf]], [[[1.0]]]])
def test_it_rejects_malformed_ratings(bad):
    with pytest.raises(ValueError):
        aggregate(bad)


# --------------------------------------------------------------------------
# calibrate_zscore
# --------------------------------------------------------------------------


def _panel(seed: int = 0, n: int = 12, m: int = 5, missing: float = 0.3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    quality = rng.normal(6, 1.5, size=(n, 1))
    leniency = rng.normal(0, 1, size=(1, m))
    ratings = quality + leniency + rng.normal(0, 0.7, size=(n, m))
    ratings[rng.random(ratings.shape) < missing] = NAN
    return ratings


@pytest.mark.parametrize("assessor", range(5))
def test_adding_one_to_every_score_of_an_assessor_does_not_change_the_calibrated_result(assessor):
    ratings = _panel()
    shifted = ratings.copy()
    shifted[:, assessor] += 1
    np.testing.assert_allclose(
        calibrate_zscore(shifted, target_mean=6.0, target_std=1.5),
        calibrate_zscore(ratings, target_mean=6.0, target_std=1.5),
        rtol=0,
        atol=1e-12,
    )


def test_with_the_panel_scale_an_offset_moves_every_calibrated_value_by_the_same_constant():
    # With the default (panel) target the panel mean itself moves with the
    # offset, so all calibrated values shift together: differences between
    # candidates, and hence every ranking, are unchanged.
    ratings = _panel(seed=1)
    shifted = ratings.copy()
    shifted[:, 2] += 1
    before, after = calibrate_zscore(ratings), calibrate_zscore(shifted)
    present = ~np.isnan(ratings)
    difference = (after - before)[present]
    np.testing.assert_allclose(difference, difference[0], atol=1e-12)
    assert difference[0] == pytest.approx(present[:, 2].sum() / present.sum())
    np.testing.assert_array_equal(
        np.argsort(aggregate(before)), np.argsort(aggregate(after))
    )


def test_it_also_removes_an_assessor_s_scale():
    ratings = _panel(seed=2)
    stretched = ratings.copy()
    stretched[:, 0] = 2.5 * stretched[:, 0] - 3
    np.testing.assert_allclose(
        calibrate_zscore(stretched, target_mean=5, target_std=2),
        calibrate_zscore(ratings, target_mean=5, target_std=2),
        atol=1e-12,
    )


def test_calibrated_ratings_stay_on_the_rubric_scale():
    ratings = _panel(seed=4, missing=0.0)
    calibrated = calibrate_zscore(ratings)
    # Every assessor ends up with the panel mean and the pooled within-assessor spread.
    centred = ratings - ratings.mean(axis=0)
    pooled = np.sqrt((centred**2).mean())
    np.testing.assert_allclose(calibrated.mean(axis=0), ratings.mean(), atol=1e-12)
    np.testing.assert_allclose(calibrated.std(axis=0), pooled, atol=1e-12)


def test_it_leaves_missing_ratings_missing():
    ratings = _panel(seed=5)
    ratings[:, 3] = NAN
    calibrated = calibrate_zscore(ratings)
    np.testing.assert_array_equal(np.isnan(calibrated), np.isnan(ratings))


def test_an_assessor_with_one_rating_or_no_spread_only_loses_their_offset():
    ratings = np.array(
        [
            [6, 9, 7, NAN],
            [4, 9, 5, NAN],
            [8, 9, NAN, 2],
            [2, 9, 3, NAN],
        ],
        dtype=float,
    )
    calibrated = calibrate_zscore(ratings, target_mean=5.0, target_std=2.0)
    # Assessor 1 gave 9 to everyone and assessor 3 rated once: no scale to
    # remove, so x - their mean + target mean, i.e. exactly the target mean.
    np.testing.assert_allclose(calibrated[:, 1], 5.0)
    assert calibrated[2, 3] == pytest.approx(5.0)
    # Assessor 0 has spread: a full z-score mapping.
    z = (ratings[:, 0] - ratings[:, 0].mean()) / ratings[:, 0].std()
    np.testing.assert_allclose(calibrated[:, 0], 5.0 + 2.0 * z)


def test_it_rejects_a_bad_target_scale():
    with pytest.raises(ValueError, match="target_std"):
        calibrate_zscore(RATINGS, target_std=-1)
    with pytest.raises(ValueError, match="target_mean"):
        calibrate_zscore(RATINGS, target_mean=np.nan)


def test_an_all_missing_matrix_comes_back_unchanged():
    ratings = np.full((3, 2), NAN)
    assert np.isnan(calibrate_zscore(ratings)).all()


# --------------------------------------------------------------------------
# flag_outlying_raters
# --------------------------------------------------------------------------


def _complete_panel(seed: int, n: int = 30, m: int = 6, noise: float = 0.5) -> np.ndarray:
    rng = np.random.default_rng(seed)
    quality = rng.normal(6, 1.5, size=(n, 1))
    return quality + rng.normal(0, noise, size=(n, m))


@pytest.mark.parametrize("seed", range(5))
def test_it_flags_a_lenient_assessor_and_nobody_else(seed):
    ratings = _complete_panel(seed)
    ratings[:, 2] += 2.0
    result = flag_outlying_raters(ratings)
    assert isinstance(result, RaterOutliers)
    assert result.flagged_indices == [2]
    assert result.deviation[2] == pytest.approx(2.0, abs=0.5)
    assert result.score[2] > 3.5


def test_it_flags_a_severe_assessor_with_a_negative_deviation():
    ratings = _complete_panel(7)
    ratings[:, 4] -= 1.5
    result = flag_outlying_raters(ratings)
    assert result.flagged_indices == [4]
    assert result.deviation[4] < 0 and result.score[4] < -3.5


@pytest.mark.parametrize("seed", range(5))
def test_it_flags_nobody_in_a_consistent_panel(seed):
    result = flag_outlying_raters(_complete_panel(seed + 100))
    assert result.flagged_indices == []


def test_the_deviation_is_the_mean_leave_one_out_difference():
    ratings = np.array([[4, 6, 8], [5, NAN, 9], [NAN, 7, NAN]], dtype=float)
    result = flag_outlying_raters(ratings)
    # Assessor 0: (4 - 7) on candidate 0 and (5 - 9) on candidate 1.
    assert result.deviation[0] == pytest.approx(-3.5)
    # Assessor 1: only candidate 0 is shared: 6 - 6.
    assert result.deviation[1] == pytest.approx(0.0)
    assert result.n_compared.tolist() == [2, 1, 2]


def test_an_assessor_who_shares_no_candidate_is_not_flagged():
    ratings = _complete_panel(11, m=5)
    ratings = np.hstack([ratings, np.full((ratings.shape[0], 1), NAN)])
    ratings[0, :5] = NAN
    ratings[0, 5] = 100.0  # alone on candidate 0: nothing to compare with
    result = flag_outlying_raters(ratings)
    assert np.isnan(result.deviation[5]) and np.isnan(result.score[5])
    assert not result.flagged[5]
    assert result.n_compared[5] == 0


def test_with_fewer_than_three_assessors_nobody_is_flagged():
    ratings = np.array([[1, 9], [2, 10], [3, 11]], dtype=float)
    result = flag_outlying_raters(ratings)
    assert np.isnan(result.score).all()
    assert not result.flagged.any()


def test_min_deviation_keeps_a_trivial_offset_from_being_flagged():
    # A noiseless panel: the differences have no spread, so even a 0.01-point
    # offset is infinitely many standard errors away from the median.
    ratings = np.tile(np.arange(1.0, 11.0)[:, np.newaxis], (1, 6))
    ratings[:, 0] += 0.01
    assert flag_outlying_raters(ratings).flagged_indices == [0]
    assert flag_outlying_raters(ratings, min_deviation=0.5).flagged_indices == []


def test_a_perfectly_agreeing_panel_has_zero_scores():
    ratings = np.tile(np.arange(1.0, 6.0)[:, np.newaxis], (1, 4))
    result = flag_outlying_raters(ratings)
    np.testing.assert_allclose(result.score, 0.0)
    assert not result.flagged.any()


def test_it_rejects_bad_parameters():
    with pytest.raises(ValueError, match="threshold"):
        flag_outlying_raters(RATINGS, threshold=0)
    with pytest.raises(ValueError, match="min_deviation"):
        flag_outlying_raters(RATINGS, min_deviation=-1)
