import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.decision import competition_rank, normalize, saw

from ._strategies import decision_problems


def test_it_is_the_weighted_sum_of_the_minmax_normalised_matrix():
    matrix = [[1.0, 30.0], [2.0, 10.0], [3.0, 20.0]]
    # minmax: column 1 -> 0, 0.5, 1; cost column 2 -> 0, 1, 0.5; weights 0.25 / 0.75.
    np.testing.assert_allclose(saw(matrix, [1, 3], [True, False]), [0.0, 0.875, 0.625])


def test_other_normalisations_are_available():
    matrix = np.array([[1.0, 30.0], [2.0, 10.0], [3.0, 20.0]])
    expected = normalize(matrix, [True, False], "sum") @ np.array([0.5, 0.5])
    np.testing.assert_allclose(saw(matrix, [1, 1], [True, False], normalization="sum"), expected)


@settings(max_examples=40, deadline=None)
@given(problem=decision_problems(), factor=st.floats(0.01, 1000), column=st.integers(0, 4),
       normalization=st.sampled_from(["minmax", "vector", "max", "sum"]))
def test_scaling_a_criterion_by_a_positive_constant_changes_nothing(problem, factor, column, normalization):
    matrix, benefit, weights = problem
    column %= matrix.shape[1]
    scaled = matrix.copy()
    scaled[:, column] *= factor
    np.testing.assert_allclose(
        saw(scaled, weights, benefit, normalization), saw(matrix, weights, benefit, normalization), atol=1e-9
    )


@settings(max_examples=40, deadline=None)
@given(problem=decision_problems(), normalization=st.sampled_from(["minmax", "vector", "max", "zscore"]))
def test_a_dominating_alternative_never_ranks_below_the_one_it_dominates(problem, normalization):
    matrix, benefit, weights = problem
    better = np.where(benefit, matrix[0] + 1.0, matrix[0] - 0.5)
    matrix = np.vstack([matrix, better])
    ranks = competition_rank(saw(matrix, weights, benefit, normalization))
    assert ranks[-1] <= ranks[0]
