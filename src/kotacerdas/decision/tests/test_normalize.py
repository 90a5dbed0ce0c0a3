import numpy as np
import pytest

from kotacerdas.decision import normalize, normalize_with_coverage

MATRIX = np.array([[1.0, 10.0], [2.0, 30.0], [4.0, 20.0]])
BENEFIT = [True, False]


def test_minmax_maps_best_to_one_and_worst_to_zero_for_benefit_and_cost():
    np.testing.assert_allclose(normalize(MATRIX, BENEFIT, "minmax"), [[0, 1], [1 / 3, 0], [1, 0.5]])


def test_vector_divides_by_the_column_norm_and_mirrors_cost():
    norms = np.linalg.norm(MATRIX, axis=0)
    expected = np.column_stack([MATRIX[:, 0] / norms[0], 1 - MATRIX[:, 1] / norms[1]])
    np.testing.assert_allclose(normalize(MATRIX, BENEFIT, "vector"), expected)


def test_sum_gives_shares_and_inverse_shares_for_cost():
    result = normalize(MATRIX, BENEFIT, "sum")
    np.testing.assert_allclose(result.sum(axis=0), [1, 1])
    np.testing.assert_allclose(result[:, 1], (1 / MATRIX[:, 1]) / (1 / MATRIX[:, 1]).sum())


def test_max_divides_by_the_maximum():
    np.testing.assert_allclose(normalize(MATRIX, BENEFIT, "max"), [[0.25, 1 - 1 / 3], [0.5, 0], [1, 1 / 3]])


def test_zscore_standardises_and_negates_cost():
    result = normalize(MATRIX, BENEFIT, "zscore")
    np.testing.assert_allclose(result.mean(axis=0), [0, 0], atol=1e-12)
    np.testing.assert_allclose(result.std(axis=0), [1, 1])
    assert result[1, 1] < result[0, 1]  # the highest cost gets the lowest value


def test_a_constant_column_does_not_divide_by_zero():
    matrix = np.array([[1.0, 5.0], [2.0, 5.0]])
    assert np.isfinite(normalize(matrix, [True, True], "minmax")).all()
    np.testing.assert_allclose(normalize(matrix, [True, True], "zscore")[:, 1], [0, 0])


def test_it_names_an_unknown_method():
    with pytest.raises(ValueError, match="Unknown normalisation method 'softmax'"):
        normalize(MATRIX, BENEFIT, "softmax")


def test_it_explains_a_benefit_vector_of_the_wrong_length():
    with pytest.raises(ValueError, match="benefit has 3 entries but the matrix has 2 criteria"):
        normalize(MATRIX, [True, True, False], "minmax")


def test_it_refuses_minus_one_criterion_types():
    with pytest.raises(ValueError, match="booleans"):
        normalize(MATRIX, [1, -1], "minmax")


def test_it_refuses_a_one_dimensional_matrix():
    with pytest.raises(ValueError, match="2-dimensional"):
        normalize([1.0, 2.0], [True], "minmax")


def test_missing_cells_take_the_alternatives_mean_normalised_value():
    matrix = np.array([[1.0, 10.0, 5.0], [2.0, np.nan, 7.0], [3.0, 30.0, 9.0]])
    result = normalize_with_coverage(matrix, [True, True, True], "minmax", min_coverage=0.5)
    assert result.excluded == ()
    # Row 1 has normalised values 0.5 and 0.5 for the available criteria, so the gap becomes 0.5.
    np.testing.assert_allclose(result.matrix[1], [0.5, 0.5, 0.5])
    assert result.imputed[1, 1] and result.imputed.sum() == 1


def test_alternatives_below_the_coverage_minimum_are_left_out_and_reported():
    matrix = np.array([[1.0, 10.0, 5.0], [np.nan, np.nan, 7.0], [3.0, 30.0, 9.0], [np.nan] * 3])
    result = normalize_with_coverage(matrix, [True, True, False], "zscore", min_coverage=0.5)
    np.testing.assert_array_equal(result.kept, [0, 2])
    assert [item.index for item in result.excluded] == [1, 3]
    assert result.excluded[0].coverage == pytest.approx(1 / 3)
    assert "below the minimum" in result.excluded[0].reason
    assert "no criterion" in result.excluded[1].reason
    assert not np.isnan(result.matrix).any()
    # The excluded rows do not influence the statistics: two rows give z-scores of -1 and +1.
    np.testing.assert_allclose(result.matrix[:, 0], [-1, 1])


def test_coverage_minimum_must_be_a_share():
    with pytest.raises(ValueError, match="min_coverage"):
        normalize_with_coverage(MATRIX, BENEFIT, "minmax", min_coverage=1.5)
