"""A screening shortlist under spread rules, by a versioned method.

The program's spread rules for a shortlist: at least ``n`` of every province
(``min_per_province``), at least ``n`` of every island group (``min_per_island_group``), at most
``m`` of a province (``max_per_province``). Two methods, each named with a version that a stored
run keeps, so that a confirmed run recomputes exactly as it was made:

``greedy-1`` (runs made before 2026-12)
    the best ``n`` of every group first, in rank order, skipping a region whose province is
    full, then the rest by rank. Fast and simple, but not optimal: it can keep out a better
    region to satisfy a rule another choice would also satisfy.
``exact-1`` (the default)
    the rules mean what they mean for the selection (:func:`kotacerdas.decision.select`): the
    ``size`` regions with the highest total score that satisfy every rule, ties broken by rank.
    A minimum is capped at the group's size (a province with one eligible region cannot give
    two); a maximum per province that leaves room for fewer than ``size`` gives a shorter
    shortlist (as the greedy method did); minimums that do not fit in ``size`` raise
    :class:`InfeasibleShortlist` (the greedy method dropped them silently).

Each chosen index comes with why it is in: ``"rank"``, ``"province"`` (brought in by the
per-province minimum) or ``"island_group"``. Pure NumPy/SciPy; no Django.
"""

from __future__ import annotations

import numpy as np

from .selection import InfeasibleSelection, SpreadRule, select

__all__ = ["GREEDY", "EXACT", "SHORTLIST_METHODS", "SHORTLIST_VERSION", "SPREAD_RULES", "InfeasibleShortlist",
           "shortlist"]

GREEDY, EXACT = "greedy-1", "exact-1"
SHORTLIST_METHODS = (GREEDY, EXACT)
SHORTLIST_VERSION = EXACT  # what a new run uses
SPREAD_RULES = ("min_per_province", "min_per_island_group", "max_per_province")
BY_RANK, BY_PROVINCE, BY_ISLAND_GROUP = "rank", "province", "island_group"


class InfeasibleShortlist(ValueError):
    """No shortlist of the size satisfies the spread rules. ``needed``: the fewest regions the
    minimums need (None when a maximum conflicts instead)."""

    def __init__(self, message, needed=None):
        super().__init__(message)
        self.needed = needed


def shortlist(order, scores, provinces, islands, size, spread, version=SHORTLIST_VERSION):
    """(chosen indices in rank order, {index: reason}) of the shortlist of ``size``.

    ``order``: candidate indices best first (the ranking with its tie-break); ``scores``: higher
    is better; ``provinces`` / ``islands``: each candidate's groups; ``spread``: {rule: number}
    of :data:`SPREAD_RULES`; ``version``: one of :data:`SHORTLIST_METHODS`.
    """
    order = [int(i) for i in order]
    size = min(int(size), len(order))
    unknown = set(spread) - set(SPREAD_RULES)
    if unknown:
        raise ValueError(f"unknown spread rules {sorted(unknown)}")
    if version not in SHORTLIST_METHODS:
        raise ValueError(f"unknown shortlist method {version!r}; known: {', '.join(SHORTLIST_METHODS)}")
    if not any(spread.values()):
        chosen = order[:size]
        return chosen, dict.fromkeys(chosen, BY_RANK)
    if version == GREEDY:
        return _greedy(order, provinces, islands, size, spread)
    return _exact(order, scores, provinces, islands, size, spread)


def _greedy(order, groups_province, groups_island, size, spread):
    chosen, reasons = [], {}
    per_province = {}
    cap = spread.get("max_per_province")

    def take(index, reason):
        chosen.append(index)
        reasons[index] = reason
        per_province[groups_province[index]] = per_province.get(groups_province[index], 0) + 1

    for rule, groups, reason in (
        ("min_per_province", groups_province, BY_PROVINCE),
        ("min_per_island_group", groups_island, BY_ISLAND_GROUP),
    ):
        need = spread.get(rule)
        if not need:
            continue
        counts = {}
        for index in order:
            if index in reasons:
                counts[groups[index]] = counts.get(groups[index], 0) + 1
        for index in order:
            if len(chosen) >= size:
                break
            group = groups[index]
            if index not in reasons and counts.get(group, 0) < need:
                if cap and per_province.get(groups_province[index], 0) >= cap:
                    continue
                take(index, reason)
                counts[group] = counts.get(group, 0) + 1
    for index in order:
        if len(chosen) >= size:
            break
        if index in reasons or (cap and per_province.get(groups_province[index], 0) >= cap):
            continue
        take(index, BY_RANK)
    return chosen, reasons


def _exact(order, scores, provinces, islands, size, spread):
    scores = np.asarray(scores, dtype=float)
    cap = spread.get("max_per_province") or None
    rules, needed = [], 0
    for rule, groups, family in (
        ("min_per_province", provinces, BY_PROVINCE),
        ("min_per_island_group", islands, BY_ISLAND_GROUP),
    ):
        need = spread.get(rule)
        if not need:
            continue
        members = {}
        for index in order:
            members.setdefault(groups[index], []).append(index)
        for group, indices in members.items():
            minimum = min(int(need), len(indices), cap if cap and family == BY_PROVINCE else len(indices))
            rules.append(SpreadRule(f"{family} {group}", tuple(indices), minimum, family=family))
        needed = max(needed, sum(rule.minimum for rule in rules if rule.family == family))
    if cap:
        members = {}
        for index in order:
            members.setdefault(provinces[index], []).append(index)
        size = min(size, sum(min(int(cap), len(indices)) for indices in members.values()))
        rules += [SpreadRule(f"cap {group}", tuple(indices), 0, int(cap), family="cap")
                  for group, indices in members.items() if len(indices) > cap]
    try:
        result = select(scores, size, rules, tie_break=_complete(order, scores.size))
    except InfeasibleSelection:
        if needed > size:
            raise InfeasibleShortlist(f"the minimums need at least {needed} regions, the shortlist has {size}",
                                      needed=needed) from None
        raise InfeasibleShortlist(f"no shortlist of {size} satisfies the spread rules") from None
    reasons = dict.fromkeys(result.selected, BY_RANK)
    # The last rule family that brought a region in is why it is in ("cap": a region that
    # entered because a better one's province was full is in by rank).
    for family in (BY_PROVINCE, BY_ISLAND_GROUP):
        for index in result.brought_in.get(family, ()):
            if index in reasons:
                reasons[index] = family
    position = {index: p for p, index in enumerate(order)}
    chosen = sorted(result.selected, key=position.__getitem__)
    return chosen, reasons


def _complete(order, n):
    """``order`` as a permutation of all ``n`` candidates (those not in it after, by index)."""
    seen = set(order)
    return list(order) + [i for i in range(n) if i not in seen]
