"""The smallest weight change that carries an alternative across the top-k cut-off."""

import numpy as np
import pytest

from kotacerdas.decision import in_top, saw, weight_changes


@pytest.fixture
def problem():
    rng = np.random.default_rng(7)
    matrix = rng.uniform(1, 100, size=(40, 4))
    benefit = [True, True, False, True]
    weights = np.array([0.4, 0.3, 0.2, 0.1])
    return matrix, benefit, weights


def test_in_top_counts_those_strictly_better():
    assert in_top([3, 2, 2, 1], 1, 2) and in_top([3, 2, 2, 1], 2, 2) and not in_top([3, 2, 2, 1], 3, 3)


def test_the_smallest_weight_change_crosses_the_cutoff(problem):
    matrix, benefit, w = problem
    k = 10
    scores = saw(matrix, w, benefit)
    index = int(np.argsort(-scores)[k - 1])  # the last one in
    changes = weight_changes(matrix, benefit, w, "saw", "minmax", k, index)
    found = [(j, d) for j, d in enumerate(changes) if d is not None]
    assert found, "a region at the cut-off can be moved by some weight"
    for j, delta in found:
        def inside(d):
            new = w * (1 - w[j] - d) / (1 - w[j])
            new[j] = w[j] + d
            return in_top(saw(matrix, new, benefit), index, k)

        assert inside(0) != inside(delta * 1.001)
        assert inside(0) == inside(delta * 0.99)


def test_a_criterion_that_cannot_move_it_says_none():
    # Alternative 0 is best on every criterion: no weight takes it out of the top 1.
    matrix = np.array([[9.0, 9.0], [1.0, 2.0], [2.0, 1.0]])
    assert weight_changes(matrix, [True, True], [0.5, 0.5], "saw", "minmax", 1, 0) == [None, None]
