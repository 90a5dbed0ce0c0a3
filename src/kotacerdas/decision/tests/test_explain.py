import numpy as np
import pytest

from kotacerdas.decision import explain, saw, saw_contributions, topsis, topsis_contributions

MATRIX = np.array([[2.0, 1500, 5.5], [2.5, 2700, 6.5], [1.8, 2000, 4.5], [2.2, 1800, 5.0]])
BENEFIT = [True, True, False]
WEIGHTS = [0.5, 0.2, 0.3]


@pytest.mark.parametrize("normalization", ["minmax", "vector", "zscore"])
def test_saw_contributions_sum_exactly_to_the_score(normalization):
    contributions = saw_contributions(MATRIX, WEIGHTS, BENEFIT, normalization)
    np.testing.assert_allclose(contributions.sum(axis=1), saw(MATRIX, WEIGHTS, BENEFIT, normalization), rtol=1e-14)


def test_topsis_shares_split_each_squared_distance_over_the_criteria():
    explanation = topsis_contributions(MATRIX, WEIGHTS, BENEFIT)
    np.testing.assert_allclose(explanation.closeness, topsis(MATRIX, WEIGHTS, BENEFIT), rtol=1e-12)
    np.testing.assert_allclose(explanation.squared_to_ideal.sum(axis=1), explanation.distance_to_ideal ** 2)
    np.testing.assert_allclose(explanation.squared_to_anti_ideal.sum(axis=1), explanation.distance_to_anti_ideal ** 2)
    for shares, distance in [(explanation.share_of_distance_to_ideal, explanation.distance_to_ideal),
                             (explanation.share_of_distance_to_anti_ideal, explanation.distance_to_anti_ideal)]:
        np.testing.assert_allclose(shares.sum(axis=1), np.where(distance > 0, 1.0, 0.0))


def test_an_alternative_at_the_ideal_on_a_criterion_loses_nothing_there():
    explanation = topsis_contributions(MATRIX, WEIGHTS, BENEFIT)
    # Alternative 1 has the best value of criterion 0 and 1, alternative 2 the lowest cost.
    assert explanation.squared_to_ideal[1, 0] == 0 and explanation.squared_to_ideal[2, 2] == 0


def test_explain_dispatches_by_method():
    np.testing.assert_allclose(explain(MATRIX, WEIGHTS, BENEFIT, "saw"), saw_contributions(MATRIX, WEIGHTS, BENEFIT))
    assert explain(MATRIX, WEIGHTS, BENEFIT, "topsis").closeness.shape == (4,)
    with pytest.raises(ValueError, match="explain supports"):
        explain(MATRIX, WEIGHTS, BENEFIT, "vikor")
