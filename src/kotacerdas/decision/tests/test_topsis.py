import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.methods import TOPSIS
from pymcdm.normalizations import minmax_normalization, vector_normalization

from kotacerdas.decision import competition_rank, topsis

from ._strategies import decision_problems

# Hwang, C. L., & Yoon, K. (1981). Multiple Attribute Decision Making: Methods and Applications,
# Springer, section 3.3.3 (TOPSIS), fighter aircraft example (p. 133): maximum speed, ferry range,
# maximum payload, acquisition cost (a cost), reliability, manoeuvrability.
AIRCRAFT = [
    [2.0, 1500, 20000, 5.5, 5, 9],
    [2.5, 2700, 18000, 6.5, 3, 5],
    [1.8, 2000, 21000, 4.5, 7, 7],
    [2.2, 1800, 20000, 5.0, 5, 5],
]
AIRCRAFT_BENEFIT = [True, True, True, False, True, True]
AIRCRAFT_WEIGHTS = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]


def test_it_reproduces_the_hwang_and_yoon_fighter_aircraft_example():
    closeness = topsis(AIRCRAFT, AIRCRAFT_WEIGHTS, AIRCRAFT_BENEFIT)
    # The book prints C* = 0.643, 0.268, 0.613, 0.312 from intermediates rounded to 4 decimals;
    # tolerance 1e-3 covers that rounding (exact arithmetic gives 0.6135 for A3).
    np.testing.assert_allclose(closeness, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    np.testing.assert_array_equal(competition_rank(closeness), [1, 4, 2, 3])


def test_it_reproduces_the_opricovic_and_tzeng_example_with_linear_normalisation():
    # Opricovic, S., & Tzeng, G. H. (2004). Compromise solution by MCDM methods: a comparative
    # analysis of VIKOR and TOPSIS. EJOR 156(2), 445-455, numerical example (f1 cost, f2 benefit);
    # closeness 0.500, 0.617, 0.500 with min-max normalisation as reproduced in pymcdm's test suite
    # (tests/test_methods.py, TestTOPSIS), 3 decimals.
    matrix = np.array([[1, 2, 5], [3000, 3750, 4500]]).T
    closeness = topsis(matrix, [0.5, 0.5], [False, True], normalization="minmax")
    np.testing.assert_allclose(closeness, [0.500, 0.617, 0.500], atol=5e-4)


@pytest.mark.parametrize(
    ("normalization", "peer_normalization"), [("vector", vector_normalization), ("minmax", minmax_normalization)]
)
def test_it_matches_pymcdm_on_random_matrices(normalization, peer_normalization):
    rng = np.random.default_rng(11)
    peer = TOPSIS(peer_normalization)
    for _ in range(30):
        m, n = rng.integers(3, 20), rng.integers(2, 8)
        matrix = rng.uniform(1, 100, size=(m, n))
        benefit = rng.random(n) < 0.6
        weights = rng.dirichlet(np.ones(n))
        expected = peer(matrix, weights, np.where(benefit, 1, -1), validation=False)
        np.testing.assert_allclose(topsis(matrix, weights, benefit, normalization=normalization), expected, rtol=1e-10)


@settings(max_examples=40, deadline=None)
@given(problem=decision_problems(), factor=st.floats(0.01, 1000), column=st.integers(0, 4),
       normalization=st.sampled_from(["vector", "minmax"]))
def test_scaling_a_criterion_by_a_positive_constant_changes_nothing(problem, factor, column, normalization):
    matrix, benefit, weights = problem
    column %= matrix.shape[1]
    scaled = matrix.copy()
    scaled[:, column] *= factor
    np.testing.assert_allclose(
        topsis(scaled, weights, benefit, normalization), topsis(matrix, weights, benefit, normalization), atol=1e-9
    )


@settings(max_examples=40, deadline=None)
@given(problem=decision_problems(), normalization=st.sampled_from(["vector", "minmax"]))
def test_a_dominating_alternative_never_ranks_below_the_one_it_dominates(problem, normalization):
    matrix, benefit, weights = problem
    better = matrix[0].copy()
    better = np.where(benefit, better + 1.0, better - 0.5)  # better on every criterion than row 0
    matrix = np.vstack([matrix, better])
    ranks = competition_rank(topsis(matrix, weights, benefit, normalization))
    assert ranks[-1] <= ranks[0]


def test_identical_alternatives_tie():
    ranks = competition_rank(topsis([[1, 2], [1, 2], [3, 1]], [1, 1], [True, True]))
    assert ranks[0] == ranks[1]


@pytest.mark.parametrize(
    ("weights", "message"),
    [([1, -1, 1, 1, 1, 1], "non-negative"), ([0] * 6, "all zero"), ([1, 1], "2 entries but the matrix has 6")],
)
def test_it_refuses_bad_weights_with_a_clear_message(weights, message):
    with pytest.raises(ValueError, match=message):
        topsis(AIRCRAFT, weights, AIRCRAFT_BENEFIT)


def test_it_refuses_missing_values_and_points_to_the_policy():
    with pytest.raises(ValueError, match="normalize_with_coverage"):
        topsis([[1, np.nan], [2, 3]], [1, 1], [True, True])
