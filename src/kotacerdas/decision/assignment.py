"""Assigning assessors to candidates, exactly.

:func:`assign` chooses, for every candidate, exactly ``k`` different assessors
so that

1. no assessor with a conflict of interest is ever assigned (hard rule),
2. no assessor exceeds their maximum load,
3. the total affinity (expertise match, preference, ...) is as large as possible,
4. among all assignments with that maximal total affinity, the loads are as
   even as possible (see :func:`assign` for the exact definition).

It is solved exactly in two stages with one 0/1 decision per non-conflicted
candidate-assessor pair, using SciPy's HiGHS solvers (:func:`scipy.optimize.linprog`,
with :func:`scipy.optimize.milp` as a fallback). Conflicted pairs have no
variable at all, so they cannot be assigned whatever the solver does.

Pure NumPy/SciPy; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse.csgraph import breadth_first_order, maximum_flow

__all__ = ["assign", "InfeasibleAssignment", "AFFINITY_TOLERANCE"]

#: Numerical tolerance of "maximal total affinity", as a fraction of the
#: largest absolute affinity: the returned total is never below the true
#: maximum by more than this, and totals closer than this to the maximum may be
#: treated as ties (then the evenness of the loads decides). It only absorbs
#: float round-off; with integer affinities below 1e6 in absolute value it
#: never merges genuinely different totals.
AFFINITY_TOLERANCE = 1e-6

# Numerical tolerances of the LP route (affinities are scaled to max |a| = 1).
_INTEGRALITY_TOLERANCE = 1e-6
_REDUCED_COST_TOLERANCE = 1e-9


class InfeasibleAssignment(ValueError):
    """No assignment satisfies the conflicts, loads and per-candidate count.

    Attributes
    ----------
    candidates:
        Indices (rows) of the candidates that cannot all be served, when a
        specific set is known; ``None`` when the problem is a global shortage
        of capacity rather than a particular group of candidates.
    """

    def __init__(self, message: str, candidates: list[int] | None = None):
        super().__init__(message)
        self.candidates = candidates


def _validate(affinity, conflicts, per_candidate, max_load):
    affinity = np.asarray(affinity, dtype=float)
    if affinity.ndim != 2:
        raise ValueError("affinity must be a 2-D array (candidates x assessors)")
    if not np.isfinite(affinity).all():
        raise ValueError("affinity must be finite everywhere (use conflicts to forbid a pair)")
    n_candidates, n_assessors = affinity.shape

    if conflicts is None:
        conflicts = np.zeros(affinity.shape, dtype=bool)
    else:
        conflicts = np.asarray(conflicts)
        if conflicts.shape != affinity.shape:
            raise ValueError(
                f"conflicts has shape {conflicts.shape}, affinity has shape {affinity.shape}"
            )
        if conflicts.dtype != bool:
            if not np.isin(conflicts, (0, 1)).all():
                raise ValueError("conflicts must be boolean (True = conflict of interest)")
            conflicts = conflicts.astype(bool)

    if isinstance(per_candidate, (bool, np.bool_)) or not isinstance(per_candidate, (int, np.integer)):
        raise ValueError(f"per_candidate must be an integer, got {per_candidate!r}")
    per_candidate = int(per_candidate)
    if per_candidate < 0:
        raise ValueError(f"per_candidate must be non-negative, got {per_candidate}")

    loads = np.asarray(max_load)
    if loads.ndim == 0:
        loads = np.full(n_assessors, loads)
    if loads.shape != (n_assessors,):
        raise ValueError(
            f"max_load must be an integer or one integer per assessor ({n_assessors}), "
            f"got shape {loads.shape}"
        )
    if loads.dtype == bool or not np.all(np.equal(np.mod(loads, 1), 0)):
        raise ValueError("max_load must hold whole numbers")
    loads = loads.astype(np.int64)
    if (loads < 0).any():
        raise ValueError("max_load must be non-negative")
    return affinity, conflicts, per_candidate, loads


def _check_feasible(allowed: np.ndarray, k: int, loads: np.ndarray) -> None:
    """Raise :class:`InfeasibleAssignment` with the reason if no assignment exists.

    Three checks, from the most to the least specific explanation:

    1. a candidate with fewer than ``k`` usable (non-conflicted, non-zero-load)
       assessors;
    2. total capacity below demand: ``k * candidates`` exceeds the sum over
       assessors of ``min(max_load, number of candidates they may assess)``;
    3. otherwise a maximum flow (source -> candidate, capacity k; candidate ->
       assessor, capacity 1 when allowed; assessor -> sink, capacity max_load)
       shorter than the demand. The candidates on the source side of the
       minimum cut form a Hall-type violating set: together they need more
       assessor slots than the assessors they may use can give them.
    """
    n, m = allowed.shape
    per_row = allowed.sum(axis=1)
    short = np.flatnonzero(per_row < k)
    if short.size:
        detail = ", ".join(f"{int(i)} ({int(per_row[i])})" for i in short)
        raise InfeasibleAssignment(
            f"{short.size} candidate(s) have fewer than {k} non-conflicted assessors "
            f"with a non-zero load (candidate index (usable assessors)): {detail}",
            candidates=[int(i) for i in short],
        )

    demand = k * n
    effective = np.minimum(loads, allowed.sum(axis=0))
    if effective.sum() < demand:
        raise InfeasibleAssignment(
            f"total capacity falls short: {k} assessors x {n} candidates = {demand} "
            f"assignments are needed, but the assessors' loads add up to {int(loads.sum())} "
            f"and at most {int(effective.sum())} once each is capped by the number of "
            "candidates they may assess",
            candidates=None,
        )

    source, sink = 0, n + m + 1
    rows, cols = np.nonzero(allowed)
    tail = np.concatenate([np.zeros(n, dtype=np.int64), 1 + rows, 1 + n + np.arange(m)])
    head = np.concatenate([1 + np.arange(n), 1 + n + cols, np.full(m, sink)])
    capacity = np.concatenate([np.full(n, k), np.ones(rows.size), effective]).astype(np.int32)
    graph = sparse.csr_matrix((capacity, (tail, head)), shape=(n + m + 2, n + m + 2))
    result = maximum_flow(graph, source, sink)
    if result.flow_value >= demand:
        return

    residual = (graph - result.flow).tocsr()
    residual.data[residual.data < 0] = 0
    residual.eliminate_zeros()
    reachable = breadth_first_order(residual, source, directed=True, return_predecessors=False)
    group = np.sort(reachable[(reachable >= 1) & (reachable <= n)] - 1)
    neighbours = allowed[group].sum(axis=0)
    can_give = int(np.minimum(loads, neighbours).sum())
    listed = ", ".join(str(int(i)) for i in group)
    raise InfeasibleAssignment(
        "the combination of conflicts of interest and maximum loads is infeasible: "
        f"candidates [{listed}] together need {k} x {group.size} = {k * group.size} "
        f"assessor slots, but the assessors they may use can give them at most {can_give} "
        f"(at most {int(result.flow_value)} of the {demand} assignments can be made)",
        candidates=[int(i) for i in group],
    )


def _solve(c, constraints, integrality, lower, upper):
    result = milp(
        c=c,
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if result.status != 0 or result.x is None:
        raise InfeasibleAssignment(
            f"the solver found no assignment ({result.message}); the combination of "
            "conflicts of interest and loads appears infeasible"
        )
    return result.x


@dataclass(frozen=True)
class _Problem:
    """The assignment problem over the non-conflicted pairs only."""

    n: int
    m: int
    k: int
    loads: np.ndarray
    by_candidate: sparse.csr_matrix  # candidates x pairs incidence
    by_assessor: sparse.csr_matrix  # assessors x pairs incidence
    gain: np.ndarray  # affinity of each pair, scaled so that max |gain| = 1

    @property
    def n_pairs(self) -> int:
        return self.gain.size


def _integral(x: np.ndarray) -> np.ndarray | None:
    """Boolean version of a 0/1 solution vector, or None if it is fractional."""
    if x is None or np.abs(x - np.round(x)).max(initial=0.0) > _INTEGRALITY_TOLERANCE:
        return None
    return x > 0.5


def _max_affinity(problem: _Problem):
    """Stage 1 as a linear program, returning (chosen pairs, duals) or None.

    The constraint matrix (candidate rows, assessor rows, one column per
    pair) is the incidence matrix of a bipartite graph, which is totally
    unimodular, so a vertex optimum (dual simplex returns one) is already 0/1.
    The duals describe the set of *all* affinity-optimal assignments (see
    :func:`_even_loads_on_optimal_face`).
    """
    result = linprog(
        -problem.gain,
        A_ub=problem.by_assessor,
        b_ub=problem.loads,
        A_eq=problem.by_candidate,
        b_eq=np.full(problem.n, problem.k),
        bounds=(0, 1),
        method="highs-ds",
    )
    if result.status != 0:
        return None
    chosen = _integral(result.x)
    if chosen is None:
        return None
    return chosen, (result.eqlin.marginals, result.ineqlin.marginals)


def _max_affinity_milp(problem: _Problem) -> np.ndarray:
    """Stage 1 as an explicit integer program (fallback, normally unused)."""
    x = _solve(
        c=-problem.gain,
        constraints=[
            LinearConstraint(problem.by_candidate, problem.k, problem.k),
            LinearConstraint(problem.by_assessor, -np.inf, problem.loads),
        ],
        integrality=np.ones(problem.n_pairs),
        lower=np.zeros(problem.n_pairs),
        upper=np.ones(problem.n_pairs),
    )
    return x > 0.5


def _slots(problem: _Problem):
    """Unit load slots per assessor with convex costs 1, 3, 5, ... (sum = load^2)."""
    degree = np.asarray(problem.by_assessor.sum(axis=1)).ravel().astype(np.int64)
    slot_count = np.minimum(problem.loads, degree)
    owner = np.repeat(np.arange(problem.m), slot_count)
    rank = np.concatenate([np.arange(1, c + 1) for c in slot_count]) if problem.m else np.zeros(0)
    linking = sparse.csr_matrix(
        (-np.ones(owner.size), (owner, np.arange(owner.size))), shape=(problem.m, owner.size)
    )
    return owner, 2.0 * rank - 1.0, linking


def _even_loads_on_optimal_face(problem: _Problem, duals) -> np.ndarray | None:
    """Stage 2 restricted to the affinity-optimal face, as a linear program.

    By LP complementary slackness with the stage-1 duals (``u`` per candidate,
    ``w <= 0`` per assessor load), an assignment is affinity-optimal exactly
    when it

    * uses every pair whose reduced cost ``-gain - u_i - w_j`` is negative,
    * uses no pair whose reduced cost is positive, and
    * fills every assessor whose load dual ``w_j`` is non-zero to ``max_load``.

    These are bound changes only, so the stage-2 matrix stays a network
    matrix (totally unimodular) and its vertex optimum is 0/1 as well. Returns
    None if anything looks numerically doubtful, and the caller falls back to
    the integer program with an explicit affinity floor.
    """
    candidate_dual, load_dual = duals
    reduced = (
        -problem.gain
        - problem.by_candidate.T @ candidate_dual
        - problem.by_assessor.T @ load_dual
    )
    lower = np.where(reduced < -_REDUCED_COST_TOLERANCE, 1.0, 0.0)
    upper = np.where(reduced > _REDUCED_COST_TOLERANCE, 0.0, 1.0)
    owner, slot_cost, linking = _slots(problem)
    full = np.abs(load_dual) > _REDUCED_COST_TOLERANCE
    slot_lower = np.where(full[owner], 1.0, 0.0)
    result = linprog(
        np.concatenate([np.zeros(problem.n_pairs), slot_cost]),
        A_eq=sparse.vstack(
            [
                sparse.hstack([problem.by_candidate, sparse.csr_matrix((problem.n, owner.size))]),
                sparse.hstack([problem.by_assessor, linking]),
            ]
        ).tocsr(),
        b_eq=np.concatenate([np.full(problem.n, problem.k), np.zeros(problem.m)]),
        bounds=np.column_stack(
            [np.concatenate([lower, slot_lower]), np.concatenate([upper, np.ones(owner.size)])]
        ),
        method="highs-ds",
    )
    if result.status != 0:
        return None
    return _integral(result.x[: problem.n_pairs])


def _even_loads_with_floor(problem: _Problem, floor: float) -> np.ndarray:
    """Stage 2 as an integer program with an explicit affinity floor (fallback).

    Slower (the floor row breaks total unimodularity, so HiGHS branches) but
    needs no dual information.
    """
    owner, slot_cost, linking = _slots(problem)
    n_slots = owner.size
    x = _solve(
        c=np.concatenate([np.zeros(problem.n_pairs), slot_cost]),
        constraints=[
            LinearConstraint(
                sparse.hstack([problem.by_candidate, sparse.csr_matrix((problem.n, n_slots))]).tocsr(),
                problem.k,
                problem.k,
            ),
            LinearConstraint(sparse.hstack([problem.by_assessor, linking]).tocsr(), 0, 0),
            LinearConstraint(
                np.concatenate([problem.gain, np.zeros(n_slots)])[np.newaxis, :], floor, np.inf
            ),
        ],
        integrality=np.concatenate([np.ones(problem.n_pairs), np.zeros(n_slots)]),
        lower=np.zeros(problem.n_pairs + n_slots),
        upper=np.ones(problem.n_pairs + n_slots),
    )
    return x[: problem.n_pairs] > 0.5


def assign(affinity, conflicts, per_candidate: int, max_load) -> np.ndarray:
    """Assign exactly ``per_candidate`` assessors to every candidate.

    Parameters
    ----------
    affinity:
        Candidates x assessors, how good each pairing is (higher is better).
        Any finite floats; negative values are allowed.
    conflicts:
        Candidates x assessors booleans, True where the assessor has a conflict
        of interest with the candidate. Such a pair is never assigned: it gets
        no decision variable at all. ``None`` means no conflicts.
    per_candidate:
        ``k``, the number of different assessors every candidate must get.
    max_load:
        Maximum number of candidates per assessor: one integer for everyone,
        or one integer per assessor. A zero load excludes the assessor.

    Returns
    -------
    numpy.ndarray
        Boolean candidates x assessors matrix, True where assigned. Every row
        has exactly ``k`` True values, column ``j`` has at most
        ``max_load[j]``, and no True value sits on a conflict.

    Optimality, lexicographically:

    1. **Total affinity is maximal** (the sum of ``affinity`` over assigned
       pairs). Totals within ``AFFINITY_TOLERANCE x max |affinity|`` of the
       maximum count as maximal (float round-off only; see that constant).
    2. **Among those, loads are as even as possible**, defined as the
       *smallest sum of squared loads* ``sum_j load_j^2``. The total load is
       fixed (``k x candidates``), so this is the same as the smallest
       variance of the loads around their mean: it prefers 3-3-3 over 2-3-4
       and 2-3-4 over 1-4-4. It is solved exactly with a convex
       piecewise-linear cost: assessor ``j`` has unit "slots" ``t = 1, 2, ...``
       costing ``2t - 1`` each (``1 + 3 + ... + (2L - 1) = L^2``). Ties that
       remain are broken arbitrarily but deterministically by the solver.
       (The tests also check, by brute force on small instances, that this
       choice never has a larger maximum load than any other optimal
       assignment.)

    How it is solved: stage 1 is a bipartite b-matching, whose constraint
    matrix is totally unimodular, so a vertex of its linear relaxation is
    already 0/1 and the dual simplex finds it (no branching). Its duals
    describe, by complementary slackness, the whole set of affinity-optimal
    assignments as bound changes only (some pairs forced in, some forced out,
    some assessors forced to full load), so stage 2, minimising the convex
    slot costs over that set, is again a totally unimodular linear program.
    If anything looks numerically doubtful (a fractional solution, a total
    below the maximum), stage 2 is re-solved as an integer program with the
    explicit row ``total affinity >= maximum - tolerance`` (slower, same
    answer). Measured: 120 candidates x 38 assessors about 0.03 s, 514 x 60
    about 0.1-0.5 s.

    Raises
    ------
    InfeasibleAssignment
        (a ``ValueError``) when no assignment exists; the message says why
        (candidates with too few non-conflicted assessors, a total capacity
        shortfall, or a Hall-type group of candidates that the loads and
        conflicts cannot serve together) and ``.candidates`` lists the
        offending candidates when a specific set is known.
    ValueError
        For malformed input.
    """
    affinity, conflicts, k, loads = _validate(affinity, conflicts, per_candidate, max_load)
    n, m = affinity.shape
    assignment = np.zeros((n, m), dtype=bool)
    if n == 0 or k == 0:
        return assignment

    allowed = ~conflicts & (loads > 0)[np.newaxis, :]
    _check_feasible(allowed, k, loads)

    rows, cols = np.nonzero(allowed)
    n_pairs = rows.size
    pair_index = np.arange(n_pairs)
    ones = np.ones(n_pairs)
    by_candidate = sparse.csr_matrix((ones, (rows, pair_index)), shape=(n, n_pairs))
    by_assessor = sparse.csr_matrix((ones, (cols, pair_index)), shape=(m, n_pairs))

    scale = float(np.abs(affinity[allowed]).max())
    scale = scale if scale > 0 else 1.0
    gain = affinity[rows, cols] / scale
    problem = _Problem(n, m, k, loads, by_candidate, by_assessor, gain)

    # Stage 1: maximal total affinity (an LP whose optimum is integral).
    first = _max_affinity(problem)
    if first is None:
        first = _max_affinity_milp(problem), None
    x_best, duals = first
    best = float(gain[x_best].sum())

    # Stage 2: among the affinity-optimal assignments, the most even loads.
    chosen = None
    if duals is not None:
        chosen = _even_loads_on_optimal_face(problem, duals)
        if chosen is not None and float(gain[chosen].sum()) < best - AFFINITY_TOLERANCE:
            chosen = None
    if chosen is None:
        chosen = _even_loads_with_floor(problem, best - AFFINITY_TOLERANCE)
    assignment[rows[chosen], cols[chosen]] = True

    # Defensive verification: the returned matrix must satisfy every hard rule.
    if not (
        (assignment.sum(axis=1) == k).all()
        and (assignment.sum(axis=0) <= loads).all()
        and not (assignment & conflicts).any()
        and float(gain[chosen].sum()) >= best - 2 * AFFINITY_TOLERANCE
    ):
        raise RuntimeError("the solver returned an assignment that breaks a hard rule")
    return assignment
