"""Exact assignment of assessors to candidates."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kotacerdas.decision import assignment as assignment_module
from kotacerdas.decision.assignment import InfeasibleAssignment, assign


def _brute_force(affinity, conflicts, k, max_load):
    """Every feasible assignment of a tiny instance, as (total, loads) pairs.

    Each candidate independently picks a k-subset of its non-conflicted
    assessors; combinations that overload an assessor are discarded.
    """
    n, m = affinity.shape
    loads_cap = np.broadcast_to(np.asarray(max_load), (m,))
    options = [
        [combo for combo in itertools.combinations(range(m), k) if not conflicts[i, list(combo)].any()]
        for i in range(n)
    ]
    results = []
    for choice in itertools.product(*options):
        loads = np.zeros(m, dtype=int)
        total = 0.0
        for i, combo in enumerate(choice):
            loads[list(combo)] += 1
            total += affinity[i, list(combo)].sum()
        if (loads <= loads_cap).all():
            results.append((total, loads))
    return results


def _check_hard_rules(result, conflicts, k, max_load):
    m = result.shape[1]
    assert result.dtype == bool
    assert (result.sum(axis=1) == k).all(), "every candidate gets exactly k assessors"
    assert (result.sum(axis=0) <= np.broadcast_to(np.asarray(max_load), (m,))).all()
    assert not (result & conflicts).any(), "a conflict of interest was assigned"


# --------------------------------------------------------------------------
# Optimality against brute force
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_it_matches_brute_force_on_four_candidates_and_four_assessors(seed):
    rng = np.random.default_rng(seed)
    # Small integer affinities create many ties, so evenness has work to do.
    affinity = rng.integers(0, 3, size=(4, 4)).astype(float)
    conflicts = rng.random((4, 4)) < 0.15
    max_load = rng.integers(2, 4, size=4)
    k = 2
    feasible = _brute_force(affinity, conflicts, k, max_load)
    if not feasible:
        with pytest.raises(InfeasibleAssignment):
            assign(affinity, conflicts, k, max_load)
        return

    result = assign(affinity, conflicts, k, max_load)
    _check_hard_rules(result, conflicts, k, max_load)
    best_total = max(total for total, _ in feasible)
    assert affinity[result].sum() == pytest.approx(best_total)

    optimal = [loads for total, loads in feasible if total == pytest.approx(best_total)]
    loads = result.sum(axis=0)
    assert (loads**2).sum() == min((other**2).sum() for other in optimal)
    # The sum-of-squares choice never has a larger maximum load than another
    # affinity-optimal assignment.
    assert loads.max() == min(other.max() for other in optimal)


def test_it_matches_brute_force_with_float_affinities():
    rng = np.random.default_rng(42)
    affinity = rng.random((4, 4))
    conflicts = np.zeros((4, 4), dtype=bool)
    conflicts[0, 1] = conflicts[2, 3] = True
    result = assign(affinity, conflicts, 2, 2)
    feasible = _brute_force(affinity, conflicts, 2, 2)
    assert affinity[result].sum() == pytest.approx(max(total for total, _ in feasible), abs=1e-9)


# --------------------------------------------------------------------------
# Evenness tie-break
# --------------------------------------------------------------------------


def test_among_equally_good_assignments_it_picks_the_most_even_loads():
    # Four candidates, two assessors, everybody equally suited: every
    # assignment has total affinity 4, loads 4-0, 3-1 and 2-2 are all optimal.
    result = assign(np.ones((4, 2)), None, 1, 4)
    assert result.sum(axis=0).tolist() == [2, 2]

    result = assign(np.ones((6, 3)), None, 1, 6)
    assert result.sum(axis=0).tolist() == [2, 2, 2]


def test_the_evenness_tie_break_prefers_the_lower_spread_of_two_optimal_assignments():
    # Candidate 0 may only go to assessor 0 (conflict with 1); candidates 1
    # and 2 are equally good with either assessor. Optimal total = 3 in every
    # case; loads 3-0 and 2-1 (or 1-2) are all optimal, 3-0 is the uneven one.
    affinity = np.ones((3, 2))
    conflicts = np.array([[False, True], [False, False], [False, False]])
    result = assign(affinity, conflicts, 1, 3)
    assert sorted(result.sum(axis=0).tolist()) == [1, 2]
    assert result[0, 0]


def test_evenness_never_costs_affinity():
    # Assessor 0 is the better match for everyone; the loads are as uneven as
    # possible but the affinity is maximal, which comes first.
    affinity = np.array([[2.0, 1.0], [2.0, 1.0], [2.0, 1.0], [2.0, 1.0]])
    result = assign(affinity, None, 1, 4)
    assert result.sum(axis=0).tolist() == [4, 0]
    # A tiny advantage still wins over evenness.
    affinity = np.array([[1.0 + 1e-3, 1.0]] * 4)
    assert assign(affinity, None, 1, 4).sum(axis=0).tolist() == [4, 0]


# --------------------------------------------------------------------------
# Hard rules on random instances
# --------------------------------------------------------------------------


@st.composite
def instances(draw):
    n = draw(st.integers(1, 4))
    m = draw(st.integers(1, 4))
    k = draw(st.integers(0, m))
    affinity = np.array(
        draw(st.lists(st.integers(-3, 5), min_size=n * m, max_size=n * m)), dtype=float
    ).reshape(n, m)
    conflicts = np.array(
        draw(st.lists(st.booleans(), min_size=n * m, max_size=n * m)), dtype=bool
    ).reshape(n, m)
    if draw(st.booleans()):
        max_load = draw(st.integers(0, n))
    else:
        max_load = np.array(draw(st.lists(st.integers(0, n), min_size=m, max_size=m)))
    return affinity, conflicts, k, max_load


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_conflicts_are_never_assigned_and_every_rule_holds_on_random_instances(instance):
    affinity, conflicts, k, max_load = instance
    feasible = _brute_force(affinity, conflicts, k, max_load)
    event("feasible" if feasible else "infeasible")
    if not feasible:
        with pytest.raises(InfeasibleAssignment):
            assign(affinity, conflicts, k, max_load)
        return
    result = assign(affinity, conflicts, k, max_load)
    _check_hard_rules(result, conflicts, k, max_load)
    best_total = max(total for total, _ in feasible)
    assert affinity[result].sum() == pytest.approx(best_total)
    optimal = [loads for total, loads in feasible if total == pytest.approx(best_total)]
    assert (result.sum(axis=0) ** 2).sum() == min((loads**2).sum() for loads in optimal)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_conflicts_are_never_assigned_on_larger_random_instances(seed):
    rng = np.random.default_rng(seed)
    n, m, k = int(rng.integers(5, 40)), int(rng.integers(4, 12)), int(rng.integers(1, 4))
    affinity = rng.normal(size=(n, m))
    conflicts = rng.random((n, m)) < 0.2
    max_load = int(np.ceil(k * n / m)) + int(rng.integers(0, 3))
    if _max_flow(conflicts, k, max_load) < n * k:
        # No assignment exists (the flow certifies it): the engine must say so, not return one.
        event("infeasible")
        with pytest.raises(InfeasibleAssignment):
            assign(affinity, conflicts, k, max_load)
        return
    event("feasible")
    result = assign(affinity, conflicts, k, max_load)
    _check_hard_rules(result, conflicts, k, max_load)


def _max_flow(conflicts, k, max_load):
    """How many (candidate, assessor) pairs can be filled at most: a flow from a source to each
    candidate (k), to each assessor without a conflict (1), to a sink (max_load). An assignment
    of k assessors to every candidate exists exactly when it reaches n * k."""
    from scipy.sparse import csr_array
    from scipy.sparse.csgraph import maximum_flow

    n, m = conflicts.shape
    source, sink = n + m, n + m + 1
    rows, columns, capacity = [], [], []
    for i in range(n):
        rows.append(source), columns.append(i), capacity.append(k)
        for j in np.flatnonzero(~conflicts[i]).tolist():
            rows.append(i), columns.append(n + j), capacity.append(1)
    for j in range(m):
        rows.append(n + j), columns.append(sink), capacity.append(int(max_load))
    graph = csr_array((np.asarray(capacity, dtype=np.int32), (rows, columns)), shape=(n + m + 2, n + m + 2))
    return maximum_flow(graph, source, sink).flow_value


def test_it_handles_a_realistic_size_and_respects_every_rule():
    rng = np.random.default_rng(2024)
    affinity = rng.random((120, 38))
    conflicts = rng.random((120, 38)) < 0.05
    max_load = rng.integers(9, 14, size=38)
    result = assign(affinity, conflicts, 3, max_load)
    _check_hard_rules(result, conflicts, 3, max_load)


def test_a_huge_max_load_is_fine():
    result = assign(np.ones((4, 2)), None, 1, 10**12)
    assert sorted(result.sum(axis=0).tolist()) == [2, 2]


def test_a_per_assessor_load_of_zero_excludes_the_assessor():
    result = assign(np.ones((3, 3)), None, 1, [0, 3, 3])
    assert not result[:, 0].any()
    _check_hard_rules(result, np.zeros((3, 3), dtype=bool), 1, [0, 3, 3])


def test_nothing_to_assign_gives_an_all_false_matrix():
    assert assign(np.ones((3, 2)), None, 0, 1).sum() == 0
    assert assign(np.ones((0, 2)), np.zeros((0, 2), dtype=bool), 2, 1).shape == (0, 2)


# --------------------------------------------------------------------------
# Infeasible instances
# --------------------------------------------------------------------------


def test_it_names_candidates_with_too_few_non_conflicted_assessors():
    conflicts = np.zeros((4, 4), dtype=bool)
    conflicts[1, :3] = True  # candidate 1 keeps one assessor
    conflicts[3, [0, 2, 3]] = True  # candidate 3 keeps one assessor
    with pytest.raises(InfeasibleAssignment, match=r"fewer than 2 non-conflicted") as caught:
        assign(np.ones((4, 4)), conflicts, 2, 4)
    assert caught.value.candidates == [1, 3]
    assert "1 (1)" in str(caught.value) and "3 (1)" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_an_assessor_with_zero_load_does_not_count_as_available():
    with pytest.raises(InfeasibleAssignment) as caught:
        assign(np.ones((2, 2)), None, 2, [2, 0])
    assert caught.value.candidates == [0, 1]


def test_it_reports_a_total_capacity_shortfall():
    with pytest.raises(InfeasibleAssignment, match=r"total capacity falls short") as caught:
        assign(np.ones((10, 4)), None, 3, 7)  # 30 needed, 28 available
    message = str(caught.value)
    assert "30" in message and "28" in message
    assert caught.value.candidates is None


def test_it_finds_a_hall_type_group_that_cannot_be_served():
    # Candidates 0, 1, 2 may only use assessors 0 and 1 (load 1 each): three
    # candidates, two slots. Each candidate alone has enough assessors and the
    # total capacity (1 + 1 + 5 + 5) exceeds the demand (4).
    conflicts = np.zeros((4, 4), dtype=bool)
    conflicts[:3, 2:] = True
    with pytest.raises(InfeasibleAssignment, match=r"infeasible") as caught:
        assign(np.ones((4, 4)), conflicts, 1, [1, 1, 5, 5])
    assert caught.value.candidates == [0, 1, 2]
    assert "need 1 x 3 = 3" in str(caught.value)
    assert "at most 2" in str(caught.value)


# --------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("affinity", "conflicts", "k", "max_load", "match"),
    [
        (np.ones(3), None, 1, 1, "2-D"),
        (np.array([[1.0, np.nan]]), None, 1, 1, "finite"),
        (np.ones((2, 2)), np.zeros((2, 3), dtype=bool), 1, 1, "shape"),
        (np.ones((2, 2)), np.full((2, 2), 2), 1, 1, "boolean"),
        (np.ones((2, 2)), None, 1.5, 1, "integer"),
        (np.ones((2, 2)), None, -1, 1, "non-negative"),
        (np.ones((2, 2)), None, 1, -1, "non-negative"),
        (np.ones((2, 2)), None, 1, 1.5, "whole"),
        (np.ones((2, 2)), None, 1, [1, 1, 1], "per assessor"),
    ],
)
def test_it_rejects_malformed_input(affinity, conflicts, k, max_load, match):
    with pytest.raises(ValueError, match=match):
        assign(affinity, conflicts, k, max_load)


# --------------------------------------------------------------------------
# The two solution routes agree
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("disabled", ["_max_affinity", "_even_loads_on_optimal_face"])
def test_the_integer_programming_fallback_gives_the_same_optimum(seed, disabled, monkeypatch):
    rng = np.random.default_rng(seed)
    n, m, k = 25, 6, 2
    affinity = rng.integers(0, 4, size=(n, m)).astype(float)
    conflicts = rng.random((n, m)) < 0.15
    max_load = 12
    fast = assign(affinity, conflicts, k, max_load)

    monkeypatch.setattr(assignment_module, disabled, lambda *args: None)
    slow = assign(affinity, conflicts, k, max_load)

    _check_hard_rules(slow, conflicts, k, max_load)
    assert affinity[slow].sum() == pytest.approx(affinity[fast].sum())
    assert (slow.sum(axis=0) ** 2).sum() == (fast.sum(axis=0) ** 2).sum()


# --------------------------------------------------------------------------
# Column generation and the interior-point route against the full LP
# --------------------------------------------------------------------------
#
# assign() solves its LPs over a subset of the pairs (each candidate's best
# assessors plus a maximum-flow assignment) and adds pairs with a negative
# reduced cost until there is none; large LPs go through the interior point
# method with crossover first. Tiny instances start from every pair, so these
# tests force the other routes: "seed only" starts from the maximum-flow
# assignment alone (many rounds of added pairs), "ipm" sends every LP through
# the interior point method first, and "full" is the plain LP over all pairs.

_ROUTES = {
    "full": {"_INITIAL_PER_CANDIDATE": 10**9, "_IPM_FROM_COLUMNS": 10**12},
    "seed only": {"_INITIAL_PER_CANDIDATE": 0, "_IPM_FROM_COLUMNS": 10**12},
    "seed only, ipm": {"_INITIAL_PER_CANDIDATE": 0, "_IPM_FROM_COLUMNS": 0},
    "one per candidate, ipm": {"_INITIAL_PER_CANDIDATE": 1, "_IPM_FROM_COLUMNS": 0},
}


def _assign_by(route, *args):
    with pytest.MonkeyPatch.context() as patch:
        for name, value in _ROUTES[route].items():
            patch.setattr(assignment_module, name, value)
        return assign(*args)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.sampled_from(sorted(_ROUTES)))
def test_every_route_matches_brute_force_on_random_instances(instance, route):
    affinity, conflicts, k, max_load = instance
    feasible = _brute_force(affinity, conflicts, k, max_load)
    if not feasible:
        with pytest.raises(InfeasibleAssignment):
            _assign_by(route, affinity, conflicts, k, max_load)
        return
    result = _assign_by(route, affinity, conflicts, k, max_load)
    _check_hard_rules(result, conflicts, k, max_load)
    best_total = max(total for total, _ in feasible)
    assert affinity[result].sum() == pytest.approx(best_total)
    optimal = [loads for total, loads in feasible if total == pytest.approx(best_total)]
    assert (result.sum(axis=0) ** 2).sum() == min((loads**2).sum() for loads in optimal)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_every_route_gives_the_full_lp_optimum_on_medium_instances(seed, integer):
    rng = np.random.default_rng(seed)
    n, m, k = int(rng.integers(20, 150)), int(rng.integers(5, 30)), int(rng.integers(1, 4))
    k = min(k, m)
    if integer:  # many ties: the evenness stage has much to choose from
        affinity = rng.integers(0, 4, size=(n, m)).astype(float)
    else:
        affinity = rng.normal(size=(n, m))
    conflicts = rng.random((n, m)) < 0.1
    max_load = rng.integers(int(np.ceil(k * n / m)), int(np.ceil(k * n / m)) + 3, size=m)
    try:
        reference = _assign_by("full", affinity, conflicts, k, max_load)
    except InfeasibleAssignment:
        return
    scale = np.abs(affinity).max()
    for route in ("seed only", "seed only, ipm", "one per candidate, ipm"):
        result = _assign_by(route, affinity, conflicts, k, max_load)
        _check_hard_rules(result, conflicts, k, max_load)
        assert affinity[result].sum() == pytest.approx(
            affinity[reference].sum(), abs=2 * assignment_module.AFFINITY_TOLERANCE * scale
        )
        if integer:
            assert (result.sum(axis=0) ** 2).sum() == (reference.sum(axis=0) ** 2).sum()
    default = assign(affinity, conflicts, k, max_load)
    assert affinity[default].sum() == pytest.approx(
        affinity[reference].sum(), abs=2 * assignment_module.AFFINITY_TOLERANCE * scale
    )
    if integer:
        assert (default.sum(axis=0) ** 2).sum() == (reference.sum(axis=0) ** 2).sum()


def test_the_column_generation_adds_pairs_until_the_duals_certify_the_optimum():
    # Every candidate prefers assessor 0, which can take only one; starting
    # from the maximum-flow assignment alone, pairs must be added to reach it.
    affinity = np.array([[5.0, 1.0, 0.0], [5.0, 0.0, 1.0], [5.0, 1.0, 1.0]])
    result = _assign_by("seed only", affinity, None, 1, [1, 2, 2])
    assert affinity[result].sum() == 7.0
    assert sorted(result.sum(axis=0).tolist()) == [1, 1, 1]
