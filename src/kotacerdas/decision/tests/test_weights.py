import numpy as np
import pytest
from pymcdm.weights import entropy_weights as pymcdm_entropy_weights

from kotacerdas.decision import (
    InconsistentComparisons,
    SAATY_RANDOM_INDEX,
    ahp_consistency,
    ahp_weights,
    check_consistency,
    direct_weights,
    entropy_weights,
)

# Saaty, T. L. (2008). Decision making with the analytic hierarchy process. International Journal
# of Services Sciences 1(1), 83-98: "Which drink is consumed more in the U.S.?" (coffee, wine, tea,
# beer, sodas, milk, water). Published eigenvector (3 decimals) and C.R. = 0.022.
DRINKS = [
    [1, 9, 5, 2, 1, 1, 1 / 2],
    [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
    [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9],
    [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [1, 9, 4, 2, 1, 2, 1 / 2],
    [1, 9, 3, 1, 1 / 2, 1, 1 / 3],
    [2, 9, 9, 3, 2, 3, 1],
]


def test_it_reproduces_saatys_drink_consumption_example():
    weights, consistency_ratio = ahp_weights(DRINKS)
    # Published values are rounded to 3 decimals: tolerance half a unit in the last place (+ float slack).
    np.testing.assert_allclose(weights, [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327], atol=5.1e-4)
    assert consistency_ratio == pytest.approx(0.022, abs=5e-4)


def test_it_reproduces_the_wang_and_chin_eigenvector_example():
    # Wang, Y. M., & Chin, K. S. (2011). A linear programming approximation to the eigenvector method
    # in the AHP. Information Sciences 181(23), 5240-5248; values as used in pymcdm's test suite
    # (tests/test_weights.py, TestAHPWeights), rounded to 4 decimals.
    pairwise = [
        [1, 4, 3, 1, 3, 4],
        [1 / 4, 1, 7, 3, 1 / 5, 1],
        [1 / 3, 1 / 7, 1, 1 / 5, 1 / 5, 1 / 6],
        [1, 1 / 3, 5, 1, 1, 1 / 3],
        [1 / 3, 5, 5, 1, 1, 3],
        [1 / 4, 1, 6, 3, 1 / 3, 1],
    ]
    weights, consistency_ratio = ahp_weights(pairwise)
    np.testing.assert_allclose(weights, [0.3208, 0.1395, 0.0348, 0.1285, 0.2374, 0.1391], atol=5.1e-5)
    assert consistency_ratio > 0.1
    with pytest.raises(InconsistentComparisons, match="exceeds 0.10"):
        check_consistency(consistency_ratio)
    assert check_consistency(consistency_ratio, allow_inconsistent=True) == consistency_ratio


def test_a_consistent_matrix_gives_the_exact_ratios_and_zero_inconsistency():
    true_weights = np.array([0.5, 0.3, 0.2])
    weights, lambda_max, consistency_index, consistency_ratio = ahp_consistency(np.outer(true_weights, 1 / true_weights))
    np.testing.assert_allclose(weights, true_weights)
    assert lambda_max == pytest.approx(3)
    assert consistency_ratio == pytest.approx(0, abs=1e-12)


def test_the_random_index_table_covers_fifteen_criteria():
    assert len(SAATY_RANDOM_INDEX) == 15
    assert SAATY_RANDOM_INDEX[2] == 0.58 and SAATY_RANDOM_INDEX[14] == 1.59


def test_it_refuses_a_non_reciprocal_matrix_naming_the_cell():
    with pytest.raises(ValueError, match=r"not reciprocal: a\[0,1\] = 3"):
        ahp_weights([[1, 3], [3, 1]])


def test_it_refuses_non_positive_comparisons():
    with pytest.raises(ValueError, match="positive"):
        ahp_weights([[1, 0], [0, 1]])


def test_it_refuses_a_non_square_matrix():
    with pytest.raises(ValueError, match="square"):
        ahp_weights([[1, 2, 3], [0.5, 1, 2]])


def test_it_accepts_rounded_reciprocals():
    weights, _ = ahp_weights([[1, 3], [0.333, 1]])
    assert weights[0] == pytest.approx(0.75, abs=1e-3)


def test_direct_weights_are_scaled_to_sum_to_one():
    np.testing.assert_allclose(direct_weights([2, 1, 1]), [0.5, 0.25, 0.25])


@pytest.mark.parametrize(
    ("values", "message"),
    [([1, -1], "non-negative"), ([0, 0], "all zero"), ([1, np.nan], "finite"), ([[1, 2]], "1-dimensional")],
)
def test_direct_weights_explain_what_is_wrong(values, message):
    with pytest.raises(ValueError, match=message):
        direct_weights(values)


def test_entropy_weights_match_pymcdm_on_random_positive_matrices():
    rng = np.random.default_rng(5)
    for _ in range(20):
        matrix = rng.uniform(0.1, 50, size=(rng.integers(3, 12), rng.integers(2, 7)))
        np.testing.assert_allclose(entropy_weights(matrix), pymcdm_entropy_weights(matrix), rtol=1e-10)


def test_entropy_gives_no_weight_to_a_criterion_without_variation():
    weights = entropy_weights([[1, 5], [2, 5], [9, 5]])
    assert weights[1] == pytest.approx(0)
    assert weights.sum() == pytest.approx(1)
