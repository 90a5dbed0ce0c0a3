import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.decision import competition_rank, sample_weights, saw, smaa, topsis


def _problem(seed, m=12, n=4):
    rng = np.random.default_rng(seed)
    return rng.uniform(1, 100, size=(m, n)), rng.random(n) < 0.6


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), method=st.sampled_from(["saw", "topsis"]), top_k=st.integers(1, 12))
def test_rank_acceptabilities_sum_to_one_per_alternative_and_per_rank(seed, method, top_k):
    matrix, benefit = _problem(seed)
    result = smaa(matrix, benefit, method, samples=400, seed=seed, top_k=top_k)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.rank_acceptability.sum(axis=0), 1.0)
    # Top-k probability = sum of the first k acceptability columns (continuous data: no ties).
    np.testing.assert_allclose(result.top_k_probability, result.rank_acceptability[:, :top_k].sum(axis=1))
    np.testing.assert_allclose(result.first_rank_probability, result.rank_acceptability[:, 0])


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), method=st.sampled_from(["saw", "topsis"]), top_k=st.integers(1, 12),
       bounded=st.booleans())
def test_top_k_only_mode_gives_the_same_probabilities_as_the_full_mode(seed, method, top_k, bounded):
    matrix, benefit = _problem(seed)
    bounds = [(0.1, 0.5)] * 4 if bounded else None
    full = smaa(matrix, benefit, method, 300, seed, weight_bounds=bounds, top_k=top_k, full_ranks=True)
    only = smaa(matrix, benefit, method, 300, seed, weight_bounds=bounds, top_k=top_k, full_ranks=False)
    assert only.rank_acceptability is None
    np.testing.assert_allclose(only.top_k_probability, full.top_k_probability)
    np.testing.assert_allclose(only.central_weights, full.central_weights, equal_nan=True)


def test_it_agrees_with_a_plain_loop_over_the_same_weight_samples():
    matrix, benefit = _problem(3, m=8, n=3)
    result = smaa(matrix, benefit, "topsis", samples=500, seed=42, chunk_size=64)
    counts = np.zeros((8, 8))
    central = np.zeros((8, 3))
    for weights in sample_weights(3, 500, seed=42):
        ranks = competition_rank(topsis(matrix, weights, benefit))
        counts[np.arange(8), ranks - 1] += 1
        central[np.argmin(ranks)] += weights
    np.testing.assert_allclose(result.rank_acceptability, counts / 500)
    first = counts[:, 0]
    with np.errstate(invalid="ignore"):
        np.testing.assert_allclose(result.central_weights, central / first[:, None], equal_nan=True, rtol=1e-10)


def test_an_alternative_never_first_has_nan_central_weights():
    matrix = np.array([[10.0, 10.0], [1.0, 1.0], [5.0, 6.0]])
    result = smaa(matrix, [True, True], "saw", samples=200, seed=1)
    assert result.first_rank_probability[0] == 1.0
    assert np.isnan(result.central_weights[1]).all()
    np.testing.assert_allclose(result.central_weights[0].sum(), 1.0)


def test_the_same_seed_gives_the_same_result_and_is_recorded():
    matrix, benefit = _problem(8)
    first = smaa(matrix, benefit, "saw", 300, seed=5)
    second = smaa(matrix, benefit, "saw", 300, seed=5, chunk_size=17, workers=2)
    np.testing.assert_array_equal(first.rank_acceptability, second.rank_acceptability)
    assert first.seed == 5 and first.samples == 300
    assert isinstance(smaa(matrix, benefit, "saw", 10).seed, int)


def test_sampled_weights_lie_on_the_simplex_and_inside_the_bounds():
    bounds = [(0.1, 0.3), (0.0, 0.5), (0.2, 0.9), (0.05, 0.4)]
    weights = sample_weights(4, 2000, seed=3, weight_bounds=bounds)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    low, high = np.array(bounds).T
    assert (weights >= low - 1e-12).all() and (weights <= high + 1e-12).all()


def test_uniform_simplex_sampling_has_the_flat_dirichlet_mean():
    weights = sample_weights(5, 20_000, seed=9)
    np.testing.assert_allclose(weights.mean(axis=0), 0.2, atol=0.01)


def test_float32_sampling_still_returns_float64_probabilities():
    matrix, benefit = _problem(2)
    result = smaa(matrix, benefit, "topsis", 200, seed=1, weight_dtype=np.float32, top_k=3)
    assert result.rank_acceptability.dtype == np.float64 and result.top_k_probability.dtype == np.float64


def test_top_k_only_mode_handles_many_alternatives_without_the_rank_matrix():
    rng = np.random.default_rng(0)
    matrix = rng.random((30_000, 5))
    result = smaa(matrix, [True] * 5, "topsis", samples=20, seed=1, top_k=50)
    assert result.rank_acceptability is None
    assert result.top_k_probability.sum() == pytest.approx(50)


def test_it_refuses_bounds_that_miss_the_simplex():
    matrix, benefit = _problem(1)
    with pytest.raises(ValueError, match="do not intersect the weight simplex"):
        smaa(matrix, benefit, "saw", 10, seed=1, weight_bounds=[(0.3, 0.5)] * 4)
    with pytest.raises(ValueError, match="do not intersect the weight simplex"):
        smaa(matrix, benefit, "saw", 10, seed=1, weight_bounds=[(0.0, 0.2)] * 4)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "vikor"}, "supports methods"),
        ({"samples": 0}, "positive integer"),
        ({"top_k": 13}, "top_k must be an integer between 1"),
        ({"full_ranks": False}, "needs top_k"),
        ({"weight_bounds": [(0.0, 1.0)] * 3}, r"shape \(4, 2\)"),
        ({"weight_bounds": [(0.5, 0.1)] + [(0.0, 1.0)] * 3}, "low > high"),
    ],
)
def test_it_explains_bad_arguments(kwargs, message):
    matrix, benefit = _problem(1)
    arguments = {"method": "saw", "samples": 10, "seed": 1} | kwargs
    with pytest.raises(ValueError, match=message):
        smaa(matrix, benefit, **arguments)


def test_saw_scores_used_by_smaa_match_saw():
    matrix, benefit = _problem(4, m=6, n=3)
    weights = sample_weights(3, 1, seed=0)[0]
    single = smaa(matrix, benefit, "saw", samples=1, seed=0)
    winner = int(np.argmax(saw(matrix, weights, benefit)))
    assert single.first_rank_probability[winner] == 1.0
