import numpy as np
import pytest

import kotacerdas.decision as decision
from kotacerdas.decision import rank, vikor

MATRIX = [[78, 56, 34, 6], [4, 45, 3, 97], [18, 2, 50, 63], [9, 14, 11, 92], [85, 9, 100, 29]]


@pytest.mark.parametrize("method", ["saw", "topsis", "vikor", "promethee_ii"])
def test_rank_returns_scores_ranks_method_params_and_version(method):
    result = rank(MATRIX, [1, 1, 1, 1], [True] * 4, method)
    assert result.method == method and result.version == decision.VERSION == decision.__version__
    assert sorted(result.ranks.tolist())[0] == 1 and result.scores.shape == (5,)


def test_vikor_ranks_the_smallest_q_first_and_keeps_s_and_r():
    result = rank(MATRIX, [1, 1, 1, 1], [True] * 4, "vikor", v=0.4)
    group_utility, individual_regret, compromise = vikor(MATRIX, [1, 1, 1, 1], [True] * 4, v=0.4)
    assert result.params == {"v": 0.4} and not result.higher_is_better
    assert result.ranks[np.argmin(compromise)] == 1
    np.testing.assert_allclose(result.details["S"], group_utility)
    np.testing.assert_allclose(result.details["R"], individual_regret)


def test_rank_names_an_unknown_method():
    with pytest.raises(ValueError, match="Unknown method 'electre'"):
        rank(MATRIX, [1, 1, 1, 1], [True] * 4, "electre")


def test_every_public_name_is_exported():
    for name in decision.__all__:
        assert hasattr(decision, name), name
