"""Ranking runs: eligibility, weights, the shortlist with its spread rules, the run itself
(computed, stored with everything needed to recompute it, read back), what-if and comparison.

The maths is :mod:`kotacerdas.decision`; this module reads the data, applies the program's rules
and stores each run."""

import io
import itertools

import numpy as np
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas import decision
from kotacerdas.indicators.models import Indicator
from kotacerdas.lib.inputs import YEAR_MAX, YEAR_MIN, bounded_int, finite_float
from kotacerdas.lib.language import program_gettext
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.regions.models import KABKOTA_KINDS, Region

from ..models import AdministrativeCheck, EligibilityRule, RuleKind, RunResult, ScreeningRun, Stability
from .data import latest_values, uses_synthetic, value_matrix

METHODS = ("saw", "topsis")
SPREAD_RULES = decision.SPREAD_RULES
STABLE_IN, STABLE_OUT = 0.9, 0.1
DEFAULT_SAMPLES = 10_000
DEFAULT_WEIGHT_UNCERTAINTY = 0.5


class ScreeningError(ValidationError):
    """Inputs of a run that cannot be used (unknown criterion, bad weights, ...)."""


# --- eligibility --------------------------------------------------------------------------------


def fails_threshold(operator, value, limit):
    """Whether ``value`` fails a threshold rule; a region without a value fails it."""
    return value is None or (operator == ">=" and value < limit) or (operator == "<=" and value > limit)


def evaluate_eligibility(phase, year, regions):
    """{region_id: reason} for every region of ``regions`` ((id, code) pairs) a rule excludes.

    Rules, in order: selected in an earlier phase (the 100 are chosen once), each administrative
    requirement (a region must be recorded as meeting it), each indicator threshold (a region
    without a value fails it).
    """
    reasons = {}
    earlier = dict(
        Participation.objects.filter(status=ParticipationStatus.SELECTED, phase__year__lt=phase.year)
        .values_list("region_id", "phase__name")
    )
    for region_id, _code in regions:
        if region_id in earlier:
            reasons[region_id] = program_gettext(gettext_noop("selected in an earlier phase")) + f" ({earlier[region_id]})"
    rules = list(EligibilityRule.objects.filter(phase=phase).select_related("indicator"))
    for rule in rules:
        if rule.kind == RuleKind.REQUIREMENT:
            met = set(AdministrativeCheck.objects.filter(rule=rule, met=True).values_list("region_id", flat=True))
            for region_id, _code in regions:
                if region_id not in reasons and region_id not in met:
                    reasons[region_id] = rule.describe()
    thresholds = [rule for rule in rules if rule.kind == RuleKind.THRESHOLD]
    values = latest_values([rule.indicator_id for rule in thresholds], year)
    for rule in thresholds:
        limit = rule.threshold_score()
        for region_id, _code in regions:
            if region_id in reasons:
                continue
            value = values[rule.indicator_id].get(region_id)
            if value is None:
                reasons[region_id] = rule.describe() + " (" + program_gettext(gettext_noop("no value")) + ")"
            elif fails_threshold(rule.operator, value, limit):
                reasons[region_id] = rule.describe()
    return reasons


# --- weights ------------------------------------------------------------------------------------


def resolve_weights(criteria, weights=None, pairwise=None, allow_inconsistent=False):
    """(weights summing to 1, "direct" or "ahp", consistency ratio or None)."""
    n = len(criteria)
    if pairwise is not None:
        # The engine's own messages are English and name matrix positions; the user gets what
        # to change, in their language.
        try:
            computed, ratio = decision.ahp_weights(pairwise)
        except ValueError:
            raise ScreeningError(
                _("Pairwise comparisons: give a square table of positive numbers, 1 on the diagonal, and "
                  "each pair reciprocal (if A is 3 times B, B is 1/3 of A)."), code="pairwise") from None
        try:
            decision.check_consistency(ratio, allow_inconsistent=allow_inconsistent)
        except decision.InconsistentComparisons as exc:
            raise ScreeningError(
                _("Pairwise comparisons: the judgements are inconsistent (consistency ratio %(ratio).2f, above "
                  "%(limit).2f). Revise the comparisons, or tick \"allow inconsistent comparisons\".")
                % {"ratio": exc.consistency_ratio, "limit": exc.limit}, code="pairwise") from None
        if len(computed) != n:
            raise ScreeningError(_("The pairwise comparisons need one row per criterion (%(n)s).") % {"n": n})
        return [float(w) for w in computed], "ahp", float(ratio)
    if weights is None:
        weights = [1.0] * n
    if len(weights) != n:
        raise ScreeningError(_("Give one weight per criterion (%(n)s).") % {"n": n})
    try:
        direct = decision.direct_weights(weights)
    except ValueError:
        raise ScreeningError(
            _("Weights: give each criterion a number that is not negative, and at least one above zero."),
            code="weights") from None
    return [float(w) for w in direct], "direct", None


# --- shortlist with spread rules ----------------------------------------------------------------


# Why a region is in the shortlist, by the reason kotacerdas.decision.shortlist gives.
SHORTLIST_REASONS = {
    "rank": gettext_noop("by rank"),
    "province": gettext_noop("best of its province"),
    "island_group": gettext_noop("best of its island group"),
}


def _clean_spread(spread):
    clean = {}
    for key, value in (spread or {}).items():
        if key not in SPREAD_RULES:
            raise ScreeningError(_("Unknown spread rule %(rule)r.") % {"rule": key})
        if value in (None, "", 0):
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ScreeningError(_("A spread rule needs a whole number.")) from None
        if value < 1:
            raise ScreeningError(_("A spread rule needs a positive number."))
        clean[key] = value
    return clean


# --- the run ------------------------------------------------------------------------------------


def compute(matrix, benefit, weights, method, normalization, shortlist_size, *, seed, samples, weight_uncertainty,
            groups_province=None, groups_island=None, spread=None, region_ids=None,
            shortlist_method=decision.SHORTLIST_VERSION):
    """The maths of a run on plain arrays (no database): scores, ranks, shortlist, SMAA.

    ``shortlist_method``: how the spread rules are applied (a version of
    :func:`kotacerdas.decision.shortlist`); a stored run passes its own."""
    result = decision.rank(matrix, weights, benefit, method=method, normalization=normalization)
    scores, ranks = result.scores, result.ranks
    m = len(scores)
    size = min(shortlist_size, m)
    # Best first; ties broken by region id so the order is reproducible.
    tiebreak = region_ids if region_ids is not None else np.arange(m)
    order = np.lexsort((tiebreak, ranks))
    try:
        chosen, why = decision.shortlist(order, scores, groups_province or [None] * m, groups_island or [None] * m,
                                         size, spread or {}, version=shortlist_method)
    except decision.InfeasibleShortlist as exc:
        if exc.needed is not None:
            raise ScreeningError(
                _("Shortlist size: the spread rules need at least %(needed)s regions but the shortlist has "
                  "%(size)s. Raise the shortlist size or lower the minimum per province or island group.")
                % {"needed": exc.needed, "size": size}, code="spread") from None
        raise ScreeningError(
            _("Spread rules: no shortlist of %(size)s regions keeps every rule (the maximum per province "
              "is below a minimum). Raise the maximum per province or lower the minimums.") % {"size": size},
            code="spread") from None
    reasons = {index: program_gettext(SHORTLIST_REASONS[reason]) for index, reason in why.items()}
    probability = None
    if samples and size:
        # Weights uncertain within +-weight_uncertainty of their value (relative), or anywhere on
        # the simplex when None (SMAA-2 without preference information). A criterion of weight 0
        # stays at 0: its column is left out (each column is normalised on its own).
        w = np.asarray(weights, dtype=np.float64)
        used = w > 0
        bounds = None
        if weight_uncertainty:
            bounds = np.column_stack([w * (1 - weight_uncertainty), np.minimum(1.0, w * (1 + weight_uncertainty))])[used]
        try:
            columns = matrix if used.all() else matrix[:, used]
            top = decision.smaa(columns, np.asarray(benefit)[used], method=method, normalization=normalization,
                                samples=samples, seed=seed, weight_bounds=bounds, top_k=size, full_ranks=False)
        except ValueError:
            # The run's other inputs are checked before this: what is left is the uncertainty
            # and the number of samples.
            raise ScreeningError(
                _("Robustness (SMAA): give a whole number of samples above zero and a weight uncertainty "
                  "between 0 and 1 (0.5: each weight may be half as large or 1.5 times as large)."),
                code="smaa") from None
        probability = top.top_k_probability
    return {"scores": scores, "ranks": ranks, "order": order, "chosen": chosen, "reasons": reasons,
            "probability": probability}


def stability_of(probability):
    """The stability class of a shortlist probability (SMAA): stable in, stable out, or uncertain."""
    if probability is None:
        return ""
    if probability >= STABLE_IN:
        return Stability.STABLE_IN
    if probability <= STABLE_OUT:
        return Stability.STABLE_OUT
    return Stability.BORDERLINE


def run_screening(phase, *, criteria, data_year, weights=None, pairwise=None, allow_inconsistent=False,
                  normalization=None, method="saw", shortlist_size=None, spread=None, seed=None,
                  samples=DEFAULT_SAMPLES, weight_uncertainty=DEFAULT_WEIGHT_UNCERTAINTY, region_kinds=None,
                  user=None, label=""):
    """Screen every region of ``phase``: eligibility, rank, shortlist, SMAA; store and return the run."""
    if method not in METHODS:
        raise ScreeningError(_("Unknown method %(method)r; use saw or topsis.") % {"method": method})
    normalization = normalization or {"saw": "minmax", "topsis": "vector"}[method]
    if normalization not in decision.NORMALIZATION_METHODS:
        raise ScreeningError(_("Unknown normalisation %(name)r.") % {"name": normalization})
    criteria = list(criteria)
    if not criteria or len(set(criteria)) != len(criteria):
        raise ScreeningError(_("Choose at least one criterion, each once."))
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=criteria)}
    unknown = [code for code in criteria if code not in indicators]
    if unknown:
        raise ScreeningError(_("Unknown indicators: %(codes)s.") % {"codes": ", ".join(unknown)})
    weights, weighting, ratio = resolve_weights(criteria, weights, pairwise, allow_inconsistent)
    spread = _clean_spread(spread)
    shortlist_size = shortlist_size or phase.invited_target or phase.quota
    try:
        # Bounded by what the run's columns hold (and what a run can mean: 84,000 villages).
        shortlist_size = bounded_int(shortlist_size, _("shortlist size"), minimum=0, maximum=1_000_000)
        data_year = bounded_int(data_year, _("data year"), minimum=YEAR_MIN, maximum=YEAR_MAX)
        samples = bounded_int(samples, _("SMAA samples"), minimum=0, maximum=1_000_000)
        if weight_uncertainty is not None:  # None: SMAA weights anywhere on the simplex
            weight_uncertainty = finite_float(weight_uncertainty, _("weight uncertainty"), minimum=0, maximum=1)
        if seed is not None:
            seed = bounded_int(seed, _("seed"), minimum=0, maximum=2**62)
    except ValidationError as exc:
        raise ScreeningError(exc.messages) from None
    if shortlist_size < 1:
        raise ScreeningError(_("The shortlist needs at least one region."))
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % (2**62))
    region_kinds = list(region_kinds or KABKOTA_KINDS)

    regions = list(Region.objects.filter(kind__in=region_kinds).order_by("code").values_list(
        "pk", "code", "province_id", "island_group"))
    excluded = evaluate_eligibility(phase, data_year, [(r[0], r[1]) for r in regions])
    ordered = [indicators[code] for code in criteria]
    candidates = np.array([r[0] for r in regions], dtype=np.int64)
    values, found = value_matrix([i.pk for i in ordered], data_year, candidates, region_kinds)
    complete = found.all(axis=1)
    ruled_out = np.isin(candidates, np.fromiter(excluded, dtype=np.int64, count=len(excluded)))
    for index in np.flatnonzero(~complete & ~ruled_out).tolist():
        missing = [ordered[j].code for j in np.flatnonzero(~found[index]).tolist()]
        excluded[regions[index][0]] = program_gettext(gettext_noop("no value of %(codes)s")) % {"codes": ", ".join(missing)}
    keep = np.flatnonzero(complete & ~ruled_out)
    if not len(keep):
        raise ScreeningError(_("No region is eligible: every region is excluded by a rule or lacks a value."))
    eligible = [regions[index] for index in keep.tolist()]
    region_ids = candidates[keep]
    matrix = values[keep]
    benefit = [i.is_benefit for i in ordered]
    outcome = compute(matrix, benefit, weights, method, normalization, shortlist_size, seed=seed, samples=samples,
                      weight_uncertainty=weight_uncertainty, spread=spread, region_ids=region_ids,
                      groups_province=[r[2] for r in eligible], groups_island=[r[3] for r in eligible])
    return store_run(
        phase, eligible=eligible, excluded=excluded, region_ids=region_ids, matrix=matrix, outcome=outcome,
        fields=dict(
            label=label, created_by=user if user is not None and user.is_authenticated else None,
            data_year=data_year, region_kinds=region_kinds, criteria=criteria, benefit=benefit,
            weighting=weighting, weights=weights, pairwise=pairwise, consistency_ratio=ratio,
            normalization=normalization, method=method, shortlist_size=shortlist_size, spread=spread, seed=seed,
            smaa_samples=samples, weight_uncertainty=weight_uncertainty,
            engine_version=decision.VERSION, numpy_version=np.__version__,
            shortlist_method=decision.SHORTLIST_VERSION,
            rules=[rule.describe() for rule in EligibilityRule.objects.filter(phase=phase).select_related("indicator")],
            synthetic=uses_synthetic([i.pk for i in ordered], data_year, region_kinds),
        ),
    )


def _cutoff(scores, chosen, reasons):
    by_rank = [i for i in chosen if reasons[i] == program_gettext(gettext_noop("by rank"))] or chosen
    return float(min(scores[i] for i in by_rank)) if by_rank else None


def store_run(phase, *, eligible, excluded, region_ids, matrix, outcome, fields):
    """Store the run: its inputs and its outputs (the scores, ranks and SMAA probabilities of the
    eligible regions) as arrays, and result rows for the shortlist and the excluded regions only
    (run_results builds the others' from the arrays)."""
    buffer = io.BytesIO()
    np.savez(buffer, region_ids=region_ids, matrix=matrix)
    scores = np.asarray(outcome["scores"], dtype=np.float64)
    ranks = np.asarray(outcome["ranks"]).astype(np.int64)
    probability = outcome["probability"]
    arrays = {"scores": scores, "ranks": ranks}
    if probability is not None:
        probability = arrays["probability"] = np.asarray(probability, dtype=np.float64)
    outputs = io.BytesIO()
    np.savez(outputs, **arrays)
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            phase=phase, inputs=b"" if postgresql else buffer.getvalue(),
            outputs=b"" if postgresql else outputs.getvalue(),
            cutoff_score=_cutoff(scores, outcome["chosen"], outcome["reasons"]),
            eligible_count=len(eligible), excluded_count=len(excluded), **fields,
        )
        if postgresql:
            # As read back from PostgreSQL: memoryviews.
            run.inputs, run.outputs = buffer.getbuffer(), outputs.getbuffer()
            _store_inputs_postgresql(run.pk, run.inputs, run.outputs)
        rows = []
        for index in outcome["chosen"]:
            p = None if probability is None else float(probability[index])
            rows.append((run.pk, int(region_ids[index]), float(scores[index]), int(ranks[index]), True,
                         outcome["reasons"][index], p, str(stability_of(p)), ""))
        rows += [(run.pk, pk, None, None, False, "", None, "", reason[:255]) for pk, reason in excluded.items()]
        _insert_results(rows)
    return run


def _store_inputs_postgresql(pk, inputs, outputs):
    """Write the run's inputs (~20 MB at 83,763 regions x 30 criteria) and outputs as binary
    parameters of one UPDATE: Django binds parameters on the client, which sends them as hex
    literals for the server to parse. Compressed with LZ4 (when the server has it) rather than the
    default pglz, which costs several times as much on float64 data (bench/screening.py)."""
    import psycopg

    table = ScreeningRun._meta.db_table
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute("SELECT setting, 'lz4' = ANY(enumvals) FROM pg_settings "
                       "WHERE name = 'default_toast_compression'")
        compression, lz4 = cursor.fetchone() or (None, False)
        if lz4:
            cursor.execute("SELECT set_config('default_toast_compression', 'lz4', true)")
        cursor.execute(f"UPDATE {table} SET inputs = %b, outputs = %b WHERE id = %s", [inputs, outputs, pk])
        if lz4:
            cursor.execute("SELECT set_config('default_toast_compression', %s, true)", [compression])


RESULT_COLUMNS = ("run_id", "region_id", "score", "rank", "in_shortlist", "shortlist_reason", "probability",
                  "stability", "excluded_by")


def _insert_results(rows):
    """Insert result rows (tuples of RESULT_COLUMNS) with the database's bulk path: COPY on
    PostgreSQL, INSERTs of as many rows as the parameters allow elsewhere (a statement per row
    costs twice as much on SQLite); a model instance per row costs more than the maths at 83,763
    regions (bench/screening.py)."""
    table, columns = RunResult._meta.db_table, ", ".join(RESULT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["int8", "int8", "float8", "int4", "bool", "text", "float8", "text", "text"])
                for row in rows:
                    copy.write_row(row)
            return
        limit = connection.features.max_query_params
        if connection.vendor == "sqlite":
            import sqlite3

            limit = min(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), 32766)
        per = max(1, limit // len(RESULT_COLUMNS))
        mark = f"({', '.join(['%s'] * len(RESULT_COLUMNS))})"
        for start in range(0, len(rows), per):
            part = rows[start:start + per]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([mark] * len(part))}",
                           list(itertools.chain.from_iterable(part)))


def recompute(run):
    """The run's maths again from its stored inputs (no database read of the values)."""
    region_ids, matrix = run.input_arrays()
    regions = dict((pk, (province, island)) for pk, province, island in
                   Region.objects.filter(pk__in=region_ids.tolist()).values_list("pk", "province_id", "island_group"))
    return compute(matrix, run.benefit, run.weights, run.method, run.normalization, run.shortlist_size,
                   seed=run.seed, samples=run.smaa_samples, weight_uncertainty=run.weight_uncertainty,
                   spread=run.spread, region_ids=region_ids, shortlist_method=run.shortlist_method,
                   groups_province=[regions[pk][0] for pk in region_ids.tolist()],
                   groups_island=[regions[pk][1] for pk in region_ids.tolist()])


_FEW_REGIONS = 500


def _regions_of(run, ids, queryset):
    """{pk: region} of the regions ``ids`` of ``run`` (``queryset``: of regions), and maybe
    others: by id when they are few, else every region of the run's kinds (the regions it
    screened) in one query, so that no query carries tens of thousands of parameters."""
    ids = set(ids)
    if len(ids) <= _FEW_REGIONS:
        return {region.pk: region for region in queryset.filter(pk__in=ids)} if ids else {}
    found = {region.pk: region for region in queryset.filter(kind__in=run.region_kinds)}
    missing = sorted(ids - found.keys())  # regions whose kind changed since the run (none, usually)
    for start in range(0, len(missing), _FEW_REGIONS):
        found.update((region.pk, region) for region in queryset.filter(pk__in=missing[start:start + _FEW_REGIONS]))
    return found


def run_results(run, *, region_ids=None, ranked=None, with_regions=False):
    """The result of each region of ``run`` as RunResult instances, ordered by (rank, region code)
    as the database orders them (an excluded region has no rank: first on SQLite, last on
    PostgreSQL).

    Rows are stored for the shortlist and the excluded regions only; the result of every other
    eligible region is built, unsaved, from the run's outputs (no shortlist, stability from its
    probability). ``region_ids``: only these regions; ``ranked``: True for the eligible regions
    only, False for the excluded ones only; ``with_regions``: each with its region and the
    region's province, read in one query."""
    wanted = None if region_ids is None else {int(pk) for pk in region_ids}
    rows = run.results.order_by()
    if wanted is not None and len(wanted) <= _FEW_REGIONS:
        rows = rows.filter(region_id__in=wanted)
    if ranked is not None:
        rows = rows.filter(rank__isnull=not ranked)
    results = [r for r in rows if wanted is None or r.region_id in wanted]
    if ranked is not False:
        ids = run.input_region_ids()
        take = ~np.isin(ids, np.fromiter((r.region_id for r in results), dtype=np.int64, count=len(results)))
        if wanted is not None:
            take &= np.isin(ids, np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
        at = np.flatnonzero(take)
        scores, ranks, probability = run.output_arrays()
        probabilities = [None] * len(at) if probability is None else probability[at].tolist()
        # Positional arguments, in the order of the model's fields (as Django builds rows read
        # from the database): a model instance per region is most of the cost at 83,763 regions.
        results += [
            RunResult(None, run.pk, pk, score, rank, False, "", p, str(stability_of(p)), "")
            for pk, score, rank, p in zip(ids[at].tolist(), scores[at].tolist(), ranks[at].tolist(), probabilities)
        ]
    ties = {}
    for r in results:
        ties[r.rank] = ties.get(r.rank, 0) + 1
    tied = [r.region_id for r in results if ties[r.rank] > 1]
    if with_regions:
        regions = _regions_of(run, [r.region_id for r in results], Region.objects.select_related("province"))
        field = RunResult._meta.get_field("region")
        for r in results:
            field.set_cached_value(r, regions[r.region_id])
    else:
        regions = _regions_of(run, tied, Region.objects.only("pk", "code"))
    codes = {pk: regions[pk].code for pk in tied if pk in regions}
    # None ranks as the database sorts NULL: after every number on PostgreSQL, before on SQLite.
    missing = (1,) if connection.features.nulls_order_largest else (-1,)
    results.sort(key=lambda r: ((0, r.rank) if r.rank is not None else missing, codes.get(r.region_id, "")))
    return results


class RankedResults:
    """The ranked results of ``run`` (only ``region_ids`` when given) in :func:`run_results`'
    order, (rank, region code), as a sequence whose items are RunResult instances built only when
    asked for: Django's Paginator takes its ``len()`` and one slice, so a page of the ranking costs
    a page of instances, not one per eligible region (83,763 for a village program). The order is
    computed on the run's arrays; the stored rows (the shortlist) are read once."""

    def __init__(self, run, region_ids=None):
        self.run = run
        wanted = None if region_ids is None else np.fromiter({int(pk) for pk in region_ids}, dtype=np.int64)
        rows = run.results.filter(rank__isnull=False).order_by()
        if wanted is not None and len(wanted) <= _FEW_REGIONS:
            rows = rows.filter(region_id__in=wanted.tolist())
        keep = None if wanted is None else set(wanted.tolist())
        self.stored = [r for r in rows if keep is None or r.region_id in keep]
        ids = run.input_region_ids()
        scores, ranks, probability = run.output_arrays()
        stored_ids = np.fromiter((r.region_id for r in self.stored), dtype=np.int64, count=len(self.stored))
        take = ~np.isin(ids, stored_ids)
        if wanted is not None:
            take &= np.isin(ids, wanted)
        at = np.flatnonzero(take)
        self.ids, self.scores, self.ranks = ids[at], scores[at], ranks[at]
        self.probability = None if probability is None else probability[at]
        all_ids = np.concatenate([stored_ids, self.ids])
        all_ranks = np.concatenate([np.fromiter((r.rank for r in self.stored), dtype=np.int64, count=len(self.stored)),
                                    self.ranks.astype(np.int64)])
        # Among equal ranks, by region code: the codes of the tied regions only.
        _values, inverse, counts = np.unique(all_ranks, return_inverse=True, return_counts=True)
        tied = np.flatnonzero(counts[inverse] > 1)
        code_order = np.zeros(len(all_ids), dtype=np.int64)
        if len(tied):
            regions = _regions_of(run, all_ids[tied].tolist(), Region.objects.only("pk", "code"))
            codes = np.array([regions[pk].code if pk in regions else "" for pk in all_ids[tied].tolist()])
            code_order[tied] = np.unique(codes, return_inverse=True)[1]
        self.order = np.lexsort((code_order, all_ranks))

    def __len__(self):
        return len(self.order)

    def _item(self, k):
        if k < len(self.stored):
            return self.stored[k]
        i = k - len(self.stored)
        p = None if self.probability is None else self.probability[i].item()
        # Positional arguments in the order of the model's fields, as run_results builds them.
        return RunResult(None, self.run.pk, self.ids[i].item(), self.scores[i].item(), self.ranks[i].item(), False, "",
                         p, str(stability_of(p)), "")

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._item(int(k)) for k in self.order[index]]
        return self._item(int(self.order[index]))

    def __iter__(self):
        return (self._item(int(k)) for k in self.order)


# --- what-if and comparison ---------------------------------------------------------------------


def what_if(run, weights):
    """The shortlist of ``run`` under other weights, without saving: (new shortlist ids, moved in, moved out)."""
    new_weights, _kind, _ratio = resolve_weights(run.criteria, weights)
    region_ids, matrix = run.input_arrays()
    regions = dict((pk, (province, island)) for pk, province, island in
                   Region.objects.filter(pk__in=region_ids.tolist()).values_list("pk", "province_id", "island_group"))
    outcome = compute(matrix, run.benefit, new_weights, run.method, run.normalization, run.shortlist_size,
                      seed=run.seed, samples=0, weight_uncertainty=None, spread=run.spread, region_ids=region_ids,
                      shortlist_method=run.shortlist_method,
                      groups_province=[regions[pk][0] for pk in region_ids.tolist()],
                      groups_island=[regions[pk][1] for pk in region_ids.tolist()])
    new = {int(region_ids[i]) for i in outcome["chosen"]}
    old = set(run.results.filter(in_shortlist=True).values_list("region_id", flat=True))
    ranks = {int(region_ids[i]): int(outcome["ranks"][i]) for i in range(len(region_ids))}
    return {"weights": new_weights, "shortlist": new, "moved_in": new - old, "moved_out": old - new, "ranks": ranks}


def compare_runs(first, second):
    """Regions in one shortlist and not the other, with their result in both runs and why."""
    # Only a region in one of the shortlists can be in one and not the other.
    shortlisted = set(RunResult.objects.filter(run__in=[first, second], in_shortlist=True)
                      .values_list("region_id", flat=True))
    a = {r.region_id: r for r in run_results(first, region_ids=shortlisted, with_regions=True)}
    b = {r.region_id: r for r in run_results(second, region_ids=shortlisted, with_regions=True)}
    rows = []
    for pk in sorted(set(a) | set(b), key=lambda pk: (a.get(pk) or b.get(pk)).region.code):
        ra, rb = a.get(pk), b.get(pk)
        in_a, in_b = bool(ra and ra.in_shortlist), bool(rb and rb.in_shortlist)
        if in_a == in_b:
            continue
        after = rb if in_b else rb
        if after is None or after.excluded_by:
            why = _("excluded: %(rule)s") % {"rule": after.excluded_by if after else _("not screened")}
        elif ra is None or ra.excluded_by:
            why = _("excluded in the first run: %(rule)s") % {"rule": ra.excluded_by if ra else _("not screened")}
        else:
            why = _("rank %(old)s → %(new)s") % {"old": ra.rank, "new": rb.rank}
        rows.append({"region": (ra or rb).region, "first": ra, "second": rb, "moved": "in" if in_b else "out", "why": why})
    return rows


def scores_out_of_100(run, regions):
    """{region id: 0-100} of ``regions`` ranked in ``run``: the run's scores rescaled so that its
    best-ranked region is 100 and its lowest-ranked 0 (TOPSIS and weighted-sum scores have no
    common scale of their own; the rescaling keeps their order and relative distances). None
    when the run ranked no region."""
    scores, _ranks, _probability = run.output_arrays()
    if not len(scores):
        return None
    low, high = float(scores.min()), float(scores.max())
    region_ids = run.input_region_ids()
    wanted = np.isin(region_ids, np.array([r.pk for r in regions], dtype=np.int64))
    scores = dict(zip(region_ids[wanted].tolist(), scores[wanted].tolist()))
    if high == low:
        return dict.fromkeys(scores, 100.0)
    return {pk: 100.0 * (score - low) / (high - low) for pk, score in scores.items()}


def regions_ranked_in_runs(regions):
    """{region id: reason} of those of ``regions`` that a run ranked: a run keeps the ids of the
    regions it ranked in its inputs (an array, no row per region), so such a region must stay for
    the run to be shown and recomputed. Each run's ids are read once, for all ``regions``."""
    left, found = {region.pk for region in regions}, {}
    for run in ScreeningRun.objects.only("pk", "inputs").order_by("pk").iterator(chunk_size=20):
        if not left:
            break
        for pk in left & set(run.input_region_ids().tolist()):
            found[pk] = _("ranked in screening run #%(run)s") % {"run": run.pk}
        left -= found.keys()
    return found
