"""Filling a quota from scored candidates under spread rules, exactly.

Without rules the selection is the plain ranking's top ``quota``. With spread rules (at least
one region per island group, a balance of kota and kabupaten, ...) it is an integer programme:

    maximise   sum(score[i] * x[i])
    subject to sum(x) = quota
               minimum[r] <= sum(x[i] for i in members[r]) <= maximum[r]   for every rule r
               x[i] in {0, 1}

solved with SciPy's HiGHS (:func:`scipy.optimize.milp`, zero optimality gap).

Ties (several selections with the same best total) are broken by a stated rule: the candidates'
*priority order*, by default the plain ranking (higher score first, equal scores in the order
the caller gives them, e.g. by region code). Among the optimal selections the one preferred is
the lexicographically first in that order: it includes the highest-priority candidate it can,
then the next, and so on. It is computed exactly by fixing candidates one at a time in priority
order and keeping each fix that leaves the optimal total reachable.

"Who was displaced by each rule" is attributed sequentially: rules are added one at a time in
the order given; what leaves the selection when rule ``r`` is added (compared with the
selection under the rules before it, the first being the plain ranking) was displaced by
``r``, and what enters was brought in by it.

Pure NumPy/SciPy; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

__all__ = ["SpreadRule", "SelectionResult", "InfeasibleSelection", "select"]

# Totals closer than this (relative to the largest |score|) to the optimum count as ties.
SCORE_TOLERANCE = 1e-9


class InfeasibleSelection(ValueError):
    """No selection of exactly ``quota`` candidates satisfies every rule."""


@dataclass(frozen=True)
class SpreadRule:
    """At least ``minimum`` and at most ``maximum`` (None: no upper bound) of ``members``
    (candidate indices) in the selection."""

    name: str
    members: tuple
    minimum: int = 0
    maximum: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "members", tuple(int(i) for i in self.members))
        if self.minimum < 0 or (self.maximum is not None and self.maximum < self.minimum):
            raise ValueError(f"rule {self.name!r}: need 0 <= minimum <= maximum")


@dataclass(frozen=True)
class SelectionResult:
    """``selected``: indices in priority order. ``plain``: the plain ranking's top ``quota``.
    ``displaced[name]`` / ``brought_in[name]``: indices that left / entered when that rule was
    added. ``total``: the selection's total score. ``priority``: the tie-break order used."""

    selected: list
    plain: list
    total: float
    displaced: dict = field(default_factory=dict)
    brought_in: dict = field(default_factory=dict)
    priority: list = field(default_factory=list)

    @property
    def displaced_all(self) -> list:
        """Plain-ranking candidates that the rules together kept out."""
        chosen = set(self.selected)
        return [i for i in self.plain if i not in chosen]


def _priority(scores: np.ndarray, tie_break) -> np.ndarray:
    if tie_break is None:
        # Higher score first; equal scores keep the caller's order (stable sort).
        return np.argsort(-scores, kind="stable")
    order = np.asarray(tie_break, dtype=np.int64)
    if sorted(order.tolist()) != list(range(scores.size)):
        raise ValueError("tie_break must be a permutation of the candidate indices")
    return order


def _solve(scores, quota, rules, fixed, floor):
    """0/1 vector maximising the total under the rules and fixes (and total >= floor), or None."""
    n = scores.size
    rows, lower, upper = [np.ones(n)], [quota], [quota]
    for rule in rules:
        row = np.zeros(n)
        row[list(rule.members)] = 1.0
        rows.append(row)
        lower.append(rule.minimum)
        upper.append(np.inf if rule.maximum is None else rule.maximum)
    if floor is not None:
        rows.append(scores)
        lower.append(floor)
        upper.append(np.inf)
    lo, hi = np.zeros(n), np.ones(n)
    for index, value in fixed.items():
        lo[index] = hi[index] = value
    result = milp(
        c=-scores,
        constraints=[LinearConstraint(np.vstack(rows), lower, upper)],
        integrality=np.ones(n),
        bounds=Bounds(lo, hi),
        options={"mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        return None
    return result.x > 0.5


def _best(scores, quota, rules, priority):
    """The optimal selection, ties broken lexicographically in ``priority`` order."""
    if not rules:
        return set(priority[:quota].tolist())
    first = _solve(scores, quota, rules, {}, None)
    if first is None:
        raise InfeasibleSelection(
            f"no selection of {quota} candidates satisfies the rules "
            + ", ".join(repr(rule.name) for rule in rules)
        )
    optimum = float(scores[first].sum())
    tolerance = SCORE_TOLERANCE * max(1.0, float(np.abs(scores).max(initial=0.0))) * max(1, quota)
    floor = optimum - tolerance
    fixed, chosen = {}, first
    for index in priority.tolist():
        if sum(fixed.values()) == quota:
            fixed[index] = 0
            continue
        trial = {**fixed, index: 1}
        # The current solution already includes it: the fix is free.
        if chosen[index] and all(chosen[j] == bool(v) for j, v in trial.items()):
            fixed = trial
            continue
        attempt = _solve(scores, quota, rules, trial, floor)
        if attempt is not None:
            fixed, chosen = trial, attempt
        else:
            fixed[index] = 0
    return {i for i, value in fixed.items() if value}


def select(scores, quota, rules=(), tie_break=None) -> SelectionResult:
    """Choose exactly ``quota`` candidates maximising the total score under ``rules``.

    Parameters
    ----------
    scores:
        One finite score per candidate (higher is better).
    quota:
        How many to select (at most the number of candidates).
    rules:
        :class:`SpreadRule` objects, in the order used to attribute displacements.
    tie_break:
        Optional priority order (a permutation of candidate indices, best first); default the
        plain ranking with equal scores in index order.

    Raises :class:`InfeasibleSelection` when the rules cannot all hold with ``quota``.
    """
    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 1 or not np.isfinite(scores).all():
        raise ValueError("scores must be a 1-D array of finite numbers")
    n = scores.size
    if isinstance(quota, bool) or int(quota) != quota or not 0 <= quota <= n:
        raise ValueError(f"quota must be a whole number between 0 and {n}, got {quota!r}")
    quota = int(quota)
    rules = list(rules)
    for rule in rules:
        if any(not 0 <= i < n for i in rule.members):
            raise ValueError(f"rule {rule.name!r} names a candidate outside 0..{n - 1}")
    names = [rule.name for rule in rules]
    if len(set(names)) != len(names):
        raise ValueError("rule names must be unique")
    priority = _priority(scores, tie_break)
    position = {int(i): p for p, i in enumerate(priority)}
    ordered = lambda indices: sorted(indices, key=position.__getitem__)  # noqa: E731

    plain = _best(scores, quota, [], priority)
    previous, displaced, brought_in = plain, {}, {}
    for count, rule in enumerate(rules, start=1):
        current = _best(scores, quota, rules[:count], priority)
        displaced[rule.name] = ordered(previous - current)
        brought_in[rule.name] = ordered(current - previous)
        previous = current
    return SelectionResult(
        selected=ordered(previous),
        plain=ordered(plain),
        total=float(scores[list(previous)].sum()) if previous else 0.0,
        displaced=displaced,
        brought_in=brought_in,
        priority=[int(i) for i in priority],
    )
