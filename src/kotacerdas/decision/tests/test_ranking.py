import numpy as np
import pytest

from kotacerdas.decision import competition_rank


def test_it_gives_tied_scores_the_same_rank_and_skips_the_next():
    np.testing.assert_array_equal(competition_rank([0.9, 0.5, 0.5, 0.1]), [1, 2, 2, 4])


def test_it_ranks_ascending_when_lower_is_better():
    np.testing.assert_array_equal(competition_rank([3.0, 1.0, 2.0, 1.0], higher_is_better=False), [4, 1, 3, 1])


def test_it_treats_float_noise_as_a_tie():
    np.testing.assert_array_equal(competition_rank([0.1 + 0.2, 0.3, 0.2]), [1, 1, 3])


def test_it_separates_scores_that_differ_beyond_the_tolerance():
    np.testing.assert_array_equal(competition_rank([1.0, 1.0 + 1e-9]), [2, 1])


def test_it_refuses_nan_scores():
    with pytest.raises(ValueError, match="NaN"):
        competition_rank([1.0, np.nan])


def test_it_refuses_a_matrix_of_scores():
    with pytest.raises(ValueError, match="1-dimensional"):
        competition_rank([[1.0, 2.0]])
