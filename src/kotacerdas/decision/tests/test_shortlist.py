"""The screening shortlist under spread rules, by version: the old greedy method kept as it was
(so old runs recompute the same), and the exact one that means what the selection means."""

import itertools

import pytest

from kotacerdas.decision import SHORTLIST_VERSION, InfeasibleShortlist, shortlist

# Six regions, best first: (score, province, island group).
REGIONS = [(10, "P1", "I1"), (9, "P1", "I1"), (8, "P1", "I1"), (7, "P2", "I1"), (6, "P3", "I2"), (1, "P3", "I2")]
ORDER = list(range(len(REGIONS)))
SCORES = [r[0] for r in REGIONS]
PROVINCES = [r[1] for r in REGIONS]
ISLANDS = [r[2] for r in REGIONS]


def run(size, spread, version):
    return shortlist(ORDER, SCORES, PROVINCES, ISLANDS, size, spread, version=version)


def best_satisfying(size, spread):
    """Brute force: the subset of ``size`` with the highest total that satisfies the rules."""
    def ok(subset):
        for rule, groups in (("min_per_province", PROVINCES), ("min_per_island_group", ISLANDS)):
            need = spread.get(rule, 0)
            for group in set(groups):
                members = [i for i in ORDER if groups[i] == group]
                if sum(1 for i in subset if groups[i] == group) < min(need, len(members)):
                    return False
        cap = spread.get("max_per_province")
        return not cap or all(sum(1 for i in subset if PROVINCES[i] == p) <= cap for p in set(PROVINCES))
    return max((s for s in itertools.combinations(ORDER, size) if ok(s)), key=lambda s: sum(SCORES[i] for i in s))


def test_new_runs_use_the_exact_method():
    assert SHORTLIST_VERSION == "exact-1"


@pytest.mark.parametrize("version", ["greedy-1", "exact-1"])
def test_without_rules_both_take_the_top_by_rank(version):
    chosen, reasons = run(3, {}, version)
    assert chosen == [0, 1, 2] and set(reasons.values()) == {"rank"}


def test_the_greedy_method_is_kept_as_it_was():
    # Best of each province first in rank order (0, 3, 4), then by rank, at most 2 a province.
    chosen, reasons = run(4, {"min_per_province": 1, "max_per_province": 2}, "greedy-1")
    assert chosen == [0, 3, 4, 1]
    assert reasons == {0: "province", 3: "province", 4: "province", 1: "rank"}
    # With too small a shortlist it stops at the size: the third province is left out silently.
    chosen, _reasons = run(2, {"min_per_province": 1}, "greedy-1")
    assert chosen == [0, 3]


@pytest.mark.parametrize("spread", [
    {"min_per_province": 1}, {"min_per_island_group": 1}, {"max_per_province": 1},
    {"min_per_province": 1, "max_per_province": 1}, {"min_per_province": 1, "min_per_island_group": 1}, {"min_per_island_group": 1, "max_per_province": 1},
])
def test_the_exact_method_takes_the_best_total_that_keeps_the_rules(spread):
    chosen, reasons = run(3, spread, "exact-1")
    assert sorted(chosen) == sorted(best_satisfying(3, spread))
    assert chosen == sorted(chosen)  # in rank order
    assert set(reasons) == set(chosen)


def test_the_exact_method_says_which_rule_brought_a_region_in():
    chosen, reasons = run(3, {"min_per_island_group": 1}, "exact-1")
    assert chosen == [0, 1, 4]
    assert reasons == {0: "rank", 1: "rank", 4: "island_group"}


def test_the_exact_method_refuses_rules_no_shortlist_of_the_size_keeps():
    with pytest.raises(InfeasibleShortlist) as refused:
        run(2, {"min_per_province": 1}, "exact-1")
    assert refused.value.needed == 3


def test_a_minimum_is_capped_at_the_group_size():
    # P2 has one region: "at least 2 a province" asks it for one.
    chosen, _reasons = run(5, {"min_per_province": 2}, "exact-1")
    assert sorted(chosen) == [0, 1, 3, 4, 5]


def test_unknown_rules_and_versions_are_refused():
    with pytest.raises(ValueError, match="unknown spread rules"):
        run(2, {"min_per_city": 1}, "exact-1")
    with pytest.raises(ValueError, match="unknown shortlist method"):
        run(2, {}, "greedy-2")


def test_a_maximum_that_leaves_too_little_room_gives_a_shorter_shortlist():
    # Three provinces, at most one each: three regions however large the shortlist asked.
    for version in ("greedy-1", "exact-1"):
        chosen, _reasons = run(5, {"max_per_province": 1}, version)
        assert chosen == [0, 3, 4], version
