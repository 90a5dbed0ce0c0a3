"""Quota selection under spread rules: exact against brute force, ties by the stated rule."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kotacerdas.decision import InfeasibleSelection, SpreadRule, select


def brute_force(scores, quota, rules, priority):
    """Every subset of size quota that satisfies the rules; best total, then lexicographic."""
    best = None
    for subset in itertools.combinations(range(len(scores)), quota):
        chosen = set(subset)
        if any(
            not (rule.minimum <= len(chosen & set(rule.members)) <= (rule.maximum if rule.maximum is not None else 10**9))
            for rule in rules
        ):
            continue
        total = sum(scores[i] for i in subset)
        key = (round(total, 9), [1 if i in chosen else 0 for i in priority])
        if best is None or key > best[0]:
            best = (key, chosen)
    return None if best is None else best[1]


def test_without_rules_it_is_the_plain_ranking():
    result = select([3.0, 9.0, 5.0, 7.0], 2)
    assert result.selected == [1, 3] and result.plain == [1, 3] and result.displaced_all == []


def test_a_spread_rule_displaces_the_weakest_of_the_plain_list_and_says_so():
    # Candidates 0-3 are in group A, 4 is alone in group B; at least one of B.
    scores = [9.0, 8.0, 7.0, 6.0, 1.0]
    rule = SpreadRule("at least one of B", members=[4], minimum=1)
    result = select(scores, 3, [rule])
    assert result.selected == [0, 1, 4]
    assert result.displaced["at least one of B"] == [2]
    assert result.brought_in["at least one of B"] == [4]
    assert result.total == 18.0


def test_a_maximum_rule_keeps_the_balance():
    scores = [10, 9, 8, 1, 0.5]
    kota = SpreadRule("at most two kota", members=[0, 1, 2], maximum=2)
    assert select(scores, 3, [kota]).selected == [0, 1, 3]


def test_ties_are_broken_by_the_plain_ranking_then_by_the_given_order():
    # 1 and 2 tie; the earlier index wins by default.
    assert select([5.0, 4.0, 4.0], 2).selected == [0, 1]
    # A stated priority order (e.g. by questionnaire score) decides instead.
    assert select([5.0, 4.0, 4.0], 2, tie_break=[0, 2, 1]).selected == [0, 2]


def test_ties_among_optimal_selections_under_rules_follow_the_priority():
    # Need one of {2, 3}: 2 and 3 tie, so the earlier (2) is preferred.
    rule = SpreadRule("one of the small ones", members=[2, 3], minimum=1)
    assert select([9.0, 8.0, 1.0, 1.0], 2, [rule]).selected == [0, 2]


def test_impossible_rules_are_refused():
    with pytest.raises(InfeasibleSelection):
        select([1, 2, 3], 2, [SpreadRule("three of these", members=[0, 1, 2], minimum=3)])


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        select([1, float("nan")], 1)
    with pytest.raises(ValueError):
        select([1, 2], 3)
    with pytest.raises(ValueError):
        select([1, 2], 1, [SpreadRule("out", members=[5], minimum=1)])


@st.composite
def instances(draw):
    n = draw(st.integers(2, 8))
    # Integer scores make ties frequent, which exercises the tie-break rule.
    scores = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n))
    quota = draw(st.integers(1, n))
    groups = draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    rules = []
    for group in sorted(set(groups)):
        members = [i for i, g in enumerate(groups) if g == group]
        minimum = draw(st.integers(0, min(2, len(members))))
        maximum = draw(st.one_of(st.none(), st.integers(minimum, len(members))))
        rules.append(SpreadRule(f"group {group}", members, minimum, maximum))
    return [float(s) for s in scores], quota, rules


@settings(max_examples=150, deadline=None)
@given(instances())
def test_it_matches_brute_force_on_small_instances(instance):
    scores, quota, rules = instance
    priority = list(np.argsort(-np.asarray(scores), kind="stable"))
    expected = brute_force(scores, quota, rules, priority)
    if expected is None:
        with pytest.raises(InfeasibleSelection):
            select(scores, quota, rules)
        return
    result = select(scores, quota, rules)
    assert set(result.selected) == expected
    # Displacements telescope from the plain list to the final one.
    current = set(result.plain)
    for rule in rules:
        current = (current - set(result.displaced[rule.name])) | set(result.brought_in[rule.name])
    assert current == expected


@st.composite
def crossing_instances(draw):
    """Two partitions that cross (say province and kind of region) and a priority of one's own."""
    n = draw(st.integers(2, 9))
    scores = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    quota = draw(st.integers(1, n))
    rules = []
    for family, count in (("province", 3), ("kind", 2)):
        groups = draw(st.lists(st.integers(0, count - 1), min_size=n, max_size=n))
        for group in sorted(set(groups)):
            members = [i for i, g in enumerate(groups) if g == group]
            minimum = draw(st.integers(0, min(2, len(members))))
            maximum = draw(st.one_of(st.none(), st.integers(minimum, len(members))))
            rules.append(SpreadRule(f"{family} {group}", members, minimum, maximum, family=family))
    priority = draw(st.permutations(range(n)))
    return [float(s) for s in scores], quota, rules, list(priority)


@settings(max_examples=150, deadline=None)
@given(crossing_instances())
def test_it_matches_brute_force_when_rules_cross_and_the_priority_is_given(instance):
    scores, quota, rules, priority = instance
    expected = brute_force(scores, quota, rules, priority)
    if expected is None:
        with pytest.raises(InfeasibleSelection):
            select(scores, quota, rules, tie_break=priority)
        return
    result = select(scores, quota, rules, tie_break=priority)
    assert set(result.selected) == expected
    assert set(result.displaced) == {"province", "kind"}
    current = set(result.plain)
    for family in ("province", "kind"):
        current = (current - set(result.displaced[family])) | set(result.brought_in[family])
    assert current == expected


def test_rules_of_a_family_are_attributed_together():
    # Two provinces, each needing one; the plain top 2 are both in province A.
    scores = [9, 8, 1, 0.5]
    rules = [SpreadRule("A", [0, 1], 1, family="one per province"), SpreadRule("B", [2, 3], 1, family="one per province")]
    result = select(scores, 2, rules)
    assert result.selected == [0, 2]
    assert result.displaced == {"one per province": [1]}
    assert result.brought_in == {"one per province": [2]}


def test_leaving_out_hopeless_candidates_changes_neither_the_choice_nor_the_tie_break(monkeypatch):
    from kotacerdas.decision import selection

    rng = np.random.default_rng(3)
    n = 400
    scores = rng.integers(0, 20, size=n).astype(float)  # many ties
    province, kind = rng.integers(0, 6, size=n), rng.integers(0, 2, size=n)
    rules = [SpreadRule(f"p{p}", np.flatnonzero(province == p), 1, 5, family="province") for p in range(6)]
    rules += [SpreadRule(f"k{k}", np.flatnonzero(kind == k), 8, None, family="kind") for k in range(2)]
    reduced = select(scores, 20, rules)
    assert len(selection._candidates(scores, 20, rules)) < n  # the reduction did something
    monkeypatch.setattr(selection, "_candidates", lambda scores, quota, rules: np.arange(scores.size))
    full = select(scores, 20, rules)
    assert reduced.selected == full.selected
    assert reduced.displaced == full.displaced
