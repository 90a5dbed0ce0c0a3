import numpy as np
import pytest
from hypothesis import given, strategies as st

from kotacerdas.decision.ranking import competition_rank, competition_rank_within


def test_ties_share_a_rank_inside_each_group_and_the_next_rank_is_skipped():
    scores = [3.5, 4.0, 3.5, 2.0, 4.0, 4.0, 1.0]
    groups = ["a", "a", "a", "a", "b", "b", "b"]
    assert competition_rank_within(scores, groups).tolist() == [2, 1, 2, 4, 1, 1, 3]


def test_a_tie_across_groups_does_not_touch_the_ranks_of_another_group():
    assert competition_rank_within([4.0, 4.0, 3.0], [1, 2, 2]).tolist() == [1, 1, 2]


def test_groups_must_have_one_label_per_score():
    with pytest.raises(ValueError, match="one label per score"):
        competition_rank_within([1.0, 2.0], ["a"])


@given(st.lists(st.tuples(st.integers(0, 500), st.sampled_from("xyz")), max_size=60))
def test_each_group_is_ranked_as_if_it_were_alone(pairs):
    scores = np.array([score for score, _group in pairs], dtype=float)
    groups = np.array([group for _score, group in pairs])
    ranks = competition_rank_within(scores, groups)
    for label in set(groups.tolist()):
        members = groups == label
        assert ranks[members].tolist() == competition_rank(scores[members]).tolist()
        # Standard competition ranking: a rank is one more than the number of better scores.
        for score, rank in zip(scores[members], ranks[members]):
            assert rank == 1 + int((scores[members] > score).sum())
