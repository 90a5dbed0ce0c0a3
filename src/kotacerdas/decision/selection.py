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
order and keeping each fix that leaves the optimal total reachable. Most candidates need no solve
of their own: one integer solve gives the optimal total, and the reduced costs of one solve of
the linear relaxation bound the best total of every selection that includes (or leaves out) each
candidate; a candidate whose bound falls below the optimum is in no (every) optimal selection and
is fixed without a solve. Only candidates that could tie at the optimum are tried one by one.
The constraints are sparse (one row per rule, one entry per member): at 83,763 candidates a
dense row per rule and a solve per candidate did not finish in minutes (bench/selection.py).

"Who was displaced by each rule" is attributed sequentially: rules are added one at a time in
the order given; what leaves the selection when rule ``r`` is added (compared with the
selection under the rules before it, the first being the plain ranking) was displaced by
``r``, and what enters was brought in by it. Rules of one *family* (say "at least one per
province", one rule per province) are added together and attributed to the family.

Pure NumPy/SciPy; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

__all__ = ["SpreadRule", "SelectionResult", "InfeasibleSelection", "select"]

# Totals closer than this (relative to the largest |score|) to the optimum count as ties.
SCORE_TOLERANCE = 1e-9


class InfeasibleSelection(ValueError):
    """No selection of exactly ``quota`` candidates satisfies every rule."""


@dataclass(frozen=True)
class SpreadRule:
    """At least ``minimum`` and at most ``maximum`` (None: no upper bound) of ``members``
    (candidate indices) in the selection. Rules of the same ``family`` (default: the rule's own
    name) are attributed together."""

    name: str
    members: tuple
    minimum: int = 0
    maximum: int | None = None
    family: str = ""

    @property
    def attributed_to(self) -> str:
        return self.family or self.name

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


def _constraints(n, quota, rules):
    """Sparse rows (the quota, then one per rule) with their lower and upper bounds."""
    counts = [len(rule.members) for rule in rules]
    row_of = np.repeat(np.arange(1, len(rules) + 1), counts)
    columns = np.concatenate([np.arange(n)] + [np.asarray(rule.members, dtype=np.int64) for rule in rules])
    rows = np.concatenate([np.zeros(n, dtype=np.int64), row_of])
    matrix = sparse.csr_array((np.ones(len(columns)), (rows, columns)), shape=(len(rules) + 1, n))
    lower = np.array([quota] + [rule.minimum for rule in rules], dtype=float)
    upper = np.array([quota] + [np.inf if rule.maximum is None else rule.maximum for rule in rules], dtype=float)
    return matrix, lower, upper


def _relaxation(scores, system, lo, hi):
    """The linear relaxation, solved by HiGHS's interior point method with crossover (a vertex:
    integral whenever the rules' matrix is totally unimodular, as for groups that nest or
    partition the candidates; without presolve, which cost more than it saved here)."""
    matrix, lower, upper = system
    # linprog takes two-sided rows as <= rows and == rows.
    equal = lower == upper
    above, below = np.isfinite(upper) & ~equal, np.isfinite(lower) & ~equal & (lower > 0)
    a_ub = sparse.vstack([matrix[above], -matrix[below]]).tocsr()
    b_ub = np.concatenate([upper[above], -lower[below]])
    some = a_ub.shape[0] > 0
    return linprog(-scores, A_ub=a_ub if some else None, b_ub=b_ub if some else None,
                   A_eq=matrix[equal], b_eq=lower[equal], bounds=np.column_stack([lo, hi]), method="highs-ipm",
                   options={"presolve": False})


def _solve(scores, system, lo, hi, relaxed=None):
    """0/1 vector maximising the total under the rules and the bounds ``lo``/``hi``, or None.

    The relaxation's vertex when it is integral (then it is an optimal selection), else HiGHS's
    branch and bound: on 83,763 candidates the integer solver took seconds where the relaxation
    takes a fraction of one (bench/selection.py). Whether a fix keeps the optimal total reachable
    is decided by comparing this optimum with it, not by a row "total >= optimum", which turns
    the rules' easy structure into a knapsack."""
    relaxed = _relaxation(scores, system, lo, hi) if relaxed is None else relaxed
    if relaxed.status == 2:  # infeasible
        return None
    if relaxed.status == 0:
        x = np.asarray(relaxed.x)
        if np.all(np.minimum(np.abs(x), np.abs(1 - x)) < 1e-9):
            return x > 0.5
    matrix, lower, upper = system
    result = milp(
        c=-scores,
        constraints=[LinearConstraint(matrix, lower, upper)],
        integrality=np.ones(scores.size),
        bounds=Bounds(lo, hi),
        options={"mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        return None
    return result.x > 0.5


def _fixed_by_bounds(relaxed, n, floor, margin):
    """(never, always): candidates in no optimal selection and in every one, from the reduced
    costs of the linear relaxation (a valid bound on the total of any selection that includes or
    leaves out a candidate). Nothing fixed when the relaxation gives no reduced costs."""
    none = np.zeros(n, dtype=bool)
    if relaxed.status != 0 or getattr(relaxed, "lower", None) is None:
        return none, none.copy()
    total = -float(relaxed.fun)
    cost_in = np.asarray(relaxed.lower.marginals, dtype=float)  # >= 0: what taking a candidate costs
    cost_out = -np.asarray(relaxed.upper.marginals, dtype=float)  # >= 0: what leaving one out costs
    return total - cost_in < floor - margin, total - cost_out < floor - margin


def _candidates(scores, quota, rules):
    """Indices of the candidates that can be in an optimal selection (a superset).

    Candidates that belong to exactly the same rules are interchangeable: if one is selected
    while a strictly better one of its class is not, exchanging them keeps every rule and raises
    the total. So an optimal selection takes at most ``cap`` of a class (the quota, or the
    smallest maximum of its rules) and never one that has ``cap`` strictly better in its class."""
    n = scores.size
    member_of = [[] for _ in range(n)]
    for position, rule in enumerate(rules):
        for index in rule.members:
            member_of[index].append(position)
    classes = {}
    for index, positions in enumerate(member_of):
        classes.setdefault(tuple(positions), []).append(index)
    keep = []
    for positions, indices in classes.items():
        cap = min([quota] + [rules[p].maximum for p in positions if rules[p].maximum is not None])
        indices = np.asarray(indices, dtype=np.int64)
        ordered = np.sort(scores[indices])[::-1]
        if cap >= len(indices):
            keep.append(indices)
            continue
        # Strictly better ones of the class: those above each candidate's score.
        better = len(ordered) - np.searchsorted(ordered[::-1], scores[indices], side="right")
        keep.append(indices[better < cap])
    return np.sort(np.concatenate(keep)) if keep else np.zeros(0, dtype=np.int64)


def _best(scores, quota, rules, priority):
    """The optimal selection, ties broken lexicographically in ``priority`` order."""
    if not rules:
        return set(priority[:quota].tolist())
    kept = _candidates(scores, quota, rules)
    if len(kept) < scores.size:
        # Solve among the candidates that can be selected; the others are in no optimal
        # selection, so leaving them out changes neither the optimum nor the tie-break.
        new = np.full(scores.size, -1, dtype=np.int64)
        new[kept] = np.arange(len(kept))
        sub_rules = [SpreadRule(rule.name, tuple(int(i) for i in new[list(rule.members)] if i >= 0) if rule.members
                                else (), rule.minimum, rule.maximum, rule.family) for rule in rules]
        sub_priority = new[priority]
        sub_priority = sub_priority[sub_priority >= 0]
        if any(len(rule.members) < rule.minimum for rule in sub_rules) or len(kept) < quota:
            raise InfeasibleSelection(
                f"no selection of {quota} candidates satisfies the rules "
                + ", ".join(repr(rule.name) for rule in rules)
            )
        return {int(kept[i]) for i in _best_among(scores[kept], quota, sub_rules, sub_priority)}
    return _best_among(scores, quota, rules, priority)


def _best_among(scores, quota, rules, priority):
    n = scores.size
    system = _constraints(n, quota, rules)
    zeros, ones = np.zeros(n), np.ones(n)
    relaxed = _relaxation(scores, system, zeros, ones)
    first = _solve(scores, system, zeros, ones, relaxed)
    if first is None:
        raise InfeasibleSelection(
            f"no selection of {quota} candidates satisfies the rules "
            + ", ".join(repr(rule.name) for rule in rules)
        )
    optimum = float(scores[first].sum())
    scale = max(1.0, float(np.abs(scores).max(initial=0.0)))
    tolerance = SCORE_TOLERANCE * scale * max(1, quota)
    floor = optimum - tolerance
    never, always = _fixed_by_bounds(relaxed, n, floor, max(tolerance, 1e-6 * scale))
    if (never & first).any() or (always & ~first).any():  # numerically inconsistent: fix nothing
        never[:], always[:] = False, False
    lo, hi = always.astype(float), (~never).astype(float)
    chosen, taken = first, int(always.sum())
    # Invariant: ``chosen`` is an optimal selection that respects every fix so far, so a
    # candidate it includes can be fixed in without a solve.
    for index in priority.tolist():
        if lo[index] == hi[index]:
            continue
        if taken == quota:
            hi[index] = 0.0
            continue
        if not chosen[index]:
            lo[index] = 1.0
            attempt = _solve(scores, system, lo, hi)
            if attempt is None or float(scores[attempt].sum()) < floor:
                lo[index] = hi[index] = 0.0
                continue
            chosen = attempt
        lo[index] = hi[index] = 1.0
        taken += 1
    return set(np.flatnonzero(lo > 0.5).tolist())


def select(scores, quota, rules=(), tie_break=None) -> SelectionResult:
    """Choose exactly ``quota`` candidates maximising the total score under ``rules``.

    Parameters
    ----------
    scores:
        One finite score per candidate (higher is better).
    quota:
        How many to select (at most the number of candidates).
    rules:
        :class:`SpreadRule` objects, in the order used to attribute displacements (by family:
        a family's rules are added together, where its first rule stands).
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

    families = list(dict.fromkeys(rule.attributed_to for rule in rules))
    plain = _best(scores, quota, [], priority)
    previous, displaced, brought_in = plain, {}, {}
    for count, family in enumerate(families, start=1):
        current = _best(scores, quota, [rule for rule in rules if rule.attributed_to in families[:count]], priority)
        displaced[family] = ordered(previous - current)
        brought_in[family] = ordered(current - previous)
        previous = current
    return SelectionResult(
        selected=ordered(previous),
        plain=ordered(plain),
        total=float(scores[list(previous)].sum()) if previous else 0.0,
        displaced=displaced,
        brought_in=brought_in,
        priority=[int(i) for i in priority],
    )
