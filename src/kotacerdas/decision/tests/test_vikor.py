import numpy as np
import pytest
from hypothesis import given, settings
from pymcdm.methods import VIKOR

from kotacerdas.decision import competition_rank, vikor

from ._strategies import decision_problems


def test_it_reproduces_the_opricovic_and_tzeng_example():
    # Opricovic, S., & Tzeng, G. H. (2004). EJOR 156(2), 445-455, numerical example: f1 (cost) 1, 2, 5;
    # f2 (benefit) 3000, 3750, 4500; equal weights, v = 0.5. A2 is the compromise solution with
    # Q = 1, 0, 1 (exact values; also pymcdm tests/test_methods.py, TestVIKOR.test_output_opricovic).
    matrix = np.array([[1, 2, 5], [3000, 3750, 4500]]).T
    group_utility, individual_regret, compromise = vikor(matrix, [0.5, 0.5], [False, True], v=0.5)
    np.testing.assert_allclose(group_utility, [0.5, 0.375, 0.5], atol=1e-12)
    np.testing.assert_allclose(individual_regret, [0.5, 0.25, 0.5], atol=1e-12)
    np.testing.assert_allclose(compromise, [1, 0, 1], atol=1e-12)


def test_it_reproduces_the_yang_and_wu_example():
    # Yang, W., & Wu, Y. (2020). A new improvement method to avoid rank reversal in VIKOR. IEEE Access 8,
    # 21261-21271; Q rounded to 4 decimals as in pymcdm tests/test_methods.py (TestVIKOR.test_output_yang).
    matrix = [[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]]
    _, _, compromise = vikor(matrix, [0.25] * 4, [True] * 4)
    np.testing.assert_allclose(compromise, [0.5679, 0.7667, 1, 0.7493, 0], atol=5e-5)


@pytest.mark.parametrize("v", [0.0, 0.3, 0.5, 1.0])
def test_its_compromise_index_matches_pymcdm_on_random_matrices(v):
    rng = np.random.default_rng(23)
    for _ in range(25):
        m, n = rng.integers(3, 15), rng.integers(2, 7)
        matrix = rng.uniform(1, 100, size=(m, n))
        benefit = rng.random(n) < 0.5
        weights = rng.dirichlet(np.ones(n))
        expected = VIKOR(v=v)(matrix, weights, np.where(benefit, 1, -1), validation=False)
        np.testing.assert_allclose(vikor(matrix, weights, benefit, v=v)[2], expected, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(problem=decision_problems())
def test_a_dominating_alternative_never_has_a_worse_s_or_r(problem):
    matrix, benefit, weights = problem
    better = np.where(benefit, matrix[0] + 1.0, matrix[0] - 0.5)
    matrix = np.vstack([matrix, better])
    group_utility, individual_regret, compromise = vikor(matrix, weights, benefit)
    assert group_utility[-1] <= group_utility[0] + 1e-12
    assert individual_regret[-1] <= individual_regret[0] + 1e-12
    ranks = competition_rank(compromise, higher_is_better=False)
    assert ranks[-1] <= ranks[0]


def test_v_must_be_a_share():
    with pytest.raises(ValueError, match="v must be between 0 and 1"):
        vikor([[1, 2], [2, 1]], [1, 1], [True, True], v=1.5)
