import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.methods import PROMETHEE_II

from kotacerdas.decision import competition_rank, promethee_ii

from ._strategies import decision_problems


def test_it_reproduces_the_zhao_peng_and_li_example():
    # Zhao, H., Peng, Y., & Li, W. (2013). Revised PROMETHEE II for improving efficiency in emergency
    # response. Procedia Computer Science 17, 181-188; usual criterion, net flows 0.1, -0.3, 0.2
    # (2 decimals; as in pymcdm tests/test_methods.py, TestPROMETHEE_II).
    flows = promethee_ii([[4, 3, 2], [3, 2, 4], [5, 1, 3]], [0.5, 0.3, 0.2], [True] * 3, preference="usual")
    np.testing.assert_allclose(flows, [0.1, -0.3, 0.2], atol=5e-3)


def test_net_flows_sum_to_zero():
    rng = np.random.default_rng(1)
    flows = promethee_ii(rng.random((7, 3)), [1, 2, 3], [True, False, True], preference="linear", p=0.5)
    assert flows.sum() == pytest.approx(0, abs=1e-12)


def _random_problems(seed, count=20):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        m, n = rng.integers(3, 12), rng.integers(2, 6)
        matrix = rng.uniform(0, 10, size=(m, n))
        benefit = rng.random(n) < 0.5
        yield matrix, benefit, rng.dirichlet(np.ones(n)), rng


def test_usual_preference_matches_pymcdm_on_random_matrices():
    for matrix, benefit, weights, _ in _random_problems(3):
        expected = PROMETHEE_II("usual")(matrix, weights, np.where(benefit, 1, -1), validation=False)
        np.testing.assert_allclose(promethee_ii(matrix, weights, benefit, "usual"), expected, atol=1e-12)


def test_linear_preference_matches_pymcdm_vshape_on_random_matrices():
    for matrix, benefit, weights, rng in _random_problems(4):
        p = rng.uniform(0.5, 5, size=matrix.shape[1])
        expected = PROMETHEE_II("vshape", p=p)(matrix, weights, np.where(benefit, 1, -1), validation=False)
        np.testing.assert_allclose(promethee_ii(matrix, weights, benefit, "linear", p=p), expected, atol=1e-12)


def test_linear_with_indifference_matches_pymcdm_vshape_2_on_random_matrices():
    for matrix, benefit, weights, rng in _random_problems(5):
        q = rng.uniform(0.1, 1, size=matrix.shape[1])
        p = q + rng.uniform(0.5, 4, size=matrix.shape[1])
        expected = PROMETHEE_II("vshape_2", p=p, q=q)(matrix, weights, np.where(benefit, 1, -1), validation=False)
        actual = promethee_ii(matrix, weights, benefit, "vshape_indifference", p=p, q=q)
        np.testing.assert_allclose(actual, expected, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(problem=decision_problems(), preference=st.sampled_from(["usual", "linear"]))
def test_a_dominating_alternative_never_ranks_below_the_one_it_dominates(problem, preference):
    matrix, benefit, weights = problem
    better = np.where(benefit, matrix[0] + 1.0, matrix[0] - 0.5)
    matrix = np.vstack([matrix, better])
    flows = promethee_ii(matrix, weights, benefit, preference, p=10.0 if preference == "linear" else None)
    ranks = competition_rank(flows)
    assert ranks[-1] <= ranks[0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"preference": "linear"}, "needs the preference threshold p"),
        ({"preference": "vshape_indifference", "p": 1.0, "q": 2.0}, "q < p"),
        ({"preference": "gaussian"}, "Unknown preference function"),
        ({"preference": "linear", "p": [1.0]}, "one value per criterion"),
    ],
)
def test_it_explains_bad_preference_parameters(kwargs, message):
    with pytest.raises(ValueError, match=message):
        promethee_ii([[1, 2], [2, 1], [3, 3]], [1, 1], [True, True], **kwargs)
