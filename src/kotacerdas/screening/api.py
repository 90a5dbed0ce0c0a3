"""``GET /api/v1/phases/{year}/screening-runs`` and each run's results with every input needed to
recompute it (criteria, directions, weights, normalisation, method, seed, the decision matrix).
A draft run is the ministry's; everyone else sees confirmed runs only.
``GET /api/v1/phases/{year}/eligibility-rules``: the phase's rules and what they exclude now (the
ministry's, like the rules page)."""

from typing import Any, Dict, List, Literal, Optional

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from kotacerdas.accounts.permissions import ApiPermission, api_user, scope
from kotacerdas.indicators.models import Indicator
from kotacerdas.lib.api import table_refusal
from kotacerdas.lib.language import program_gettext
from kotacerdas.lib.tabular import Table, TableError
from kotacerdas.program.services import phase_or_404
from kotacerdas.regions.models import KABKOTA_KINDS, Region

from . import rules as eligibility
from .forms import ChecklistImportForm
from .models import EligibilityRule, RuleKind, ScreeningRun
from .services import runs as ranking
from .services.invitation import confirm_run as confirm_screening_run
from .services.invitation import synthetic_notice
from .services.runs import run_results

router = Router(tags=["screening"])


class RunOut(Schema):
    id: int
    label: str
    status: str
    method: str
    normalization: str
    shortlist_size: int
    data_year: int
    synthetic: bool
    created_at: Any


class RunResultOut(Schema):
    region_code: str
    score: Optional[float]
    rank: Optional[int]
    in_shortlist: bool
    shortlist_reason: str
    probability: Optional[float]
    stability: str
    excluded_by: str


class RunDetailOut(RunOut):
    inputs: Dict[str, Any] = Field(..., description="Everything needed to recompute the run.")
    results: List[RunResultOut] = Field(..., description="Each screened region of the run: score, rank, shortlist, SMAA probability, stability, exclusion.")
    notice: Optional[str] = None


@router.get("/{year}/screening-runs", response=List[RunOut], summary="Screening runs of a phase")
def list_runs(request, year: int):
    return scope(ScreeningRun.objects.filter(phase=phase_or_404(year)).defer("inputs", "outputs"), api_user(request),
                 "view_screening_results")


@router.get("/{year}/screening-runs/{run_id}", response=RunDetailOut, summary="One run: inputs and results")
def get_run(request, year: int, run_id: int):
    run = scope(ScreeningRun.objects.filter(phase=phase_or_404(year), pk=run_id), api_user(request), "view_screening_results").first()
    if run is None:
        raise Http404(_("There is no such screening run."))
    region_ids, matrix = run.input_arrays()
    codes = dict(Region.objects.filter(pk__in=region_ids.tolist()).values_list("pk", "code"))
    results = [
        {"region_code": r.region.code, **{k: getattr(r, k) for k in ("score", "rank", "in_shortlist", "shortlist_reason",
                                                                     "probability", "stability", "excluded_by")}}
        for r in run_results(run, with_regions=True)
    ]
    return {
        "id": run.pk, "label": run.label, "status": run.status, "method": run.method, "normalization": run.normalization,
        "shortlist_size": run.shortlist_size, "data_year": run.data_year, "synthetic": run.synthetic,
        "created_at": run.created_at,
        "inputs": {
            "criteria": run.criteria, "benefit": run.benefit, "weighting": run.weighting, "weights": run.weights,
            "pairwise": run.pairwise, "consistency_ratio": run.consistency_ratio, "method": run.method,
            "normalization": run.normalization, "shortlist_size": run.shortlist_size, "spread": run.spread,
            "seed": run.seed, "smaa_samples": run.smaa_samples, "weight_uncertainty": run.weight_uncertainty,
            "engine_version": run.engine_version, "numpy_version": run.numpy_version, "eligibility_rules": run.rules,
            "region_codes": [codes[pk] for pk in region_ids.tolist()], "matrix": matrix.tolist(),
        },
        "results": results,
        "notice": synthetic_notice(run),
    }


class RuleOut(Schema):
    id: int
    kind: str
    description: str = Field(..., description="As the runs record it.")
    indicator: Optional[str] = Field(None, description="Indicator code of a threshold.")
    operator: str
    threshold: Optional[float]
    category: str
    requirement: str
    excluded_now: int = Field(..., description="Kabupaten/kota a run on the data up to the data year would "
                                                "exclude with this rule as the reason.")
    failing_now: int = Field(..., description="Kabupaten/kota failing this rule, whatever excludes them first.")


@router.get("/{year}/eligibility-rules", response=List[RuleOut], auth=ApiPermission("manage_eligibility"),
            summary="Eligibility rules of a phase (ministry)")
def list_rules(request, year: int, data_year: Optional[int] = None):
    """``data_year``: the counts on the data up to that year (default: the year before the phase)."""
    phase = phase_or_404(year)
    counts = eligibility.exclusion_counts(phase, data_year or phase.year - 1)["rules"]
    return [
        {"id": rule.pk, "kind": rule.kind, "description": rule.describe(),
         "indicator": rule.indicator.code if rule.indicator_id else None, "operator": rule.operator,
         "threshold": rule.threshold, "category": rule.category, "requirement": rule.requirement,
         "excluded_now": counts[rule.pk]["excluded"], "failing_now": counts[rule.pk]["failing"]}
        for rule in EligibilityRule.objects.filter(phase=phase).select_related("indicator")
    ]


# --- the ministry's writes: the twins of the rules, checklist, new-run and confirm pages ---------

def _locked(exc):
    """A change refused because the phase's run is confirmed: 409, as on the pages."""
    return HttpError(409, " ".join(exc.messages))


class RuleIn(Schema):
    kind: Literal["threshold", "requirement"] = Field(..., description="A threshold on an indicator, or an "
                                                                       "administrative requirement with a checklist.")
    indicator: Optional[str] = Field(None, max_length=64, description="Threshold: the indicator's code.")
    operator: Optional[str] = Field(None, max_length=8, description="Threshold: '>=' (at least) or '<=' (at most).")
    threshold: Optional[float] = Field(None, allow_inf_nan=False, description="Threshold on a numeric indicator.")
    category: str = Field("", max_length=60, description="Threshold on a categorical indicator: one of its categories.")
    requirement: str = Field("", max_length=500, description="Requirement: its name.")


def _rule_out(rule, phase):
    counts = eligibility.exclusion_counts(phase, phase.year - 1)["rules"]
    return {"id": rule.pk, "kind": rule.kind, "description": rule.describe(),
            "indicator": rule.indicator.code if rule.indicator_id else None, "operator": rule.operator,
            "threshold": rule.threshold, "category": rule.category, "requirement": rule.requirement,
            "excluded_now": counts[rule.pk]["excluded"], "failing_now": counts[rule.pk]["failing"]}


@router.post("/{year}/eligibility-rules", response={201: RuleOut}, auth=ApiPermission("manage_eligibility"),
             summary="Add an eligibility rule to a phase (refused, 409, once a run is confirmed)")
def add_rule(request, year: int, payload: RuleIn):
    """The twin of the rules page: :func:`screening.rules.add_threshold` or ``add_requirement``."""
    phase = phase_or_404(year)
    try:
        if payload.kind == "threshold":
            indicator = Indicator.objects.filter(code=payload.indicator or "").first()
            if indicator is None:
                raise ValidationError({"indicator": _("“%(value)s” is not an indicator of the catalogue.")
                                       % {"value": payload.indicator or ""}})
            rule = eligibility.add_threshold(phase, indicator=indicator, operator=payload.operator or "",
                                             threshold=payload.threshold, category=payload.category, user=request.auth)
        else:
            rule = eligibility.add_requirement(phase, payload.requirement, user=request.auth)
    except eligibility.RulesLocked as exc:
        raise _locked(exc) from None
    return Status(201, _rule_out(rule, phase))


def _rule(phase, rule_id, kind=None):
    rule = EligibilityRule.objects.filter(phase=phase, pk=rule_id).select_related("indicator", "phase").first()
    if rule is None or (kind is not None and rule.kind != kind):
        raise Http404(_("This phase has no such rule.") if kind is None else _("This phase has no such requirement."))
    return rule


@router.delete("/{year}/eligibility-rules/{rule_id}", response={204: None}, auth=ApiPermission("manage_eligibility"),
               summary="Remove a rule and its checklist (refused, 409, once a run is confirmed)")
def delete_rule(request, year: int, rule_id: int):
    rule = _rule(phase_or_404(year), rule_id)
    try:
        eligibility.delete_rule(rule, user=request.auth)
    except eligibility.RulesLocked as exc:
        raise _locked(exc) from None
    return Status(204, None)


class CheckIn(Schema):
    region_code: str = Field(..., max_length=32)
    met: bool
    note: Optional[str] = Field(None, description="Omitted: the stored note is kept.")


class ChecklistIn(Schema):
    checks: List[CheckIn] = Field(..., max_length=100_000)


class ChecklistOut(Schema):
    created: int
    changed: int
    removed: int
    rows: Optional[int] = None
    skipped: Optional[int] = Field(None, description="Rows of a file without a met value, left as they were.")


@router.put("/{year}/eligibility-rules/{rule_id}/checklist", response=ChecklistOut, auth=ApiPermission("manage_eligibility"),
            summary="Record regions' answers to a requirement (all or nothing; each bad entry is named)")
def put_checklist(request, year: int, rule_id: int, payload: ChecklistIn):
    """The checklist page's save, read by the same rules as an imported checklist file
    (:func:`screening.rules.parse_checklist`); an error names ``checks.<index>.<field>``."""
    rule = _rule(phase_or_404(year), rule_id, RuleKind.REQUIREMENT)
    has_note = any(check.note is not None for check in payload.checks)
    rows = [(index, {"region_code": check.region_code.strip(), "met": "yes" if check.met else "no",
                     **({"note": (check.note or "").strip()} if has_note else {})})
            for index, check in enumerate(payload.checks)]
    table = Table(source="checks", columns=["region_code", "met", *(["note"] if has_note else [])], rows=rows)
    try:
        changes, _skipped = eligibility.parse_checklist(table)
        # An entry without a note keeps the stored one, whatever the other entries send.
        keep_note = [check.region_code.strip() for check in payload.checks if check.note is None]
        for region_id in Region.objects.filter(code__in=keep_note).values_list("pk", flat=True):
            if region_id in changes:
                changes[region_id] = (changes[region_id][0], None)
        return eligibility.apply_checks(rule, changes, user=request.auth,
                                        reason=program_gettext(gettext_noop("edited through the API")))
    except TableError as exc:
        raise table_refusal(exc, lambda e: f"checks.{e.row}.{e.column}") from None
    except eligibility.RulesLocked as exc:
        raise _locked(exc) from None


@router.post("/{year}/eligibility-rules/{rule_id}/checklist/import", response=ChecklistOut,
             auth=ApiPermission("manage_eligibility"),
             summary="Import a requirement's checklist (CSV or XLSX, multipart field 'file': region_code, met[, note]); "
                     "a bad cell is named and nothing is written")
def import_checklist(request, year: int, rule_id: int, file: UploadedFile = File(...)):
    rule = _rule(phase_or_404(year), rule_id, RuleKind.REQUIREMENT)
    form = ChecklistImportForm({}, {"file": file})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    try:
        return eligibility.import_checklist(rule, file, user=request.auth, name=file.name)
    except TableError as exc:
        raise table_refusal(exc) from None
    except eligibility.RulesLocked as exc:
        raise _locked(exc) from None


class RunIn(Schema):
    criteria: List[str] = Field(..., min_length=1, max_length=100, description="Indicator codes, each once.")
    weights: Optional[List[float]] = Field(None, description="One weight per criterion (default: equal).")
    pairwise: Optional[List[List[float]]] = Field(None, description="AHP pairwise comparison matrix instead of weights.")
    data_year: Optional[int] = Field(None, description="Default: the year before the phase.")
    method: str = Field("saw", description="saw or topsis.")
    normalization: Optional[str] = None
    shortlist_size: Optional[int] = Field(None, description="Default: the phase's invitation target or quota.")
    spread: Optional[Dict[str, Any]] = Field(None, description="Spread between regions (as on the page).")
    seed: Optional[int] = None
    samples: int = Field(ranking.DEFAULT_SAMPLES, ge=0, le=1_000_000, description="SMAA samples.")
    label: str = Field("", max_length=200)


class RunQueuedOut(Schema):
    task_id: str
    progress_url: str = Field(..., description="The task's progress page; its result links to the run.")


@router.post("/{year}/screening-runs", response={201: RunOut, 202: RunQueuedOut}, auth=ApiPermission("run_screening"),
             summary="Screen and rank a phase's regions (a draft run); at village scale a task worker runs it (202)")
def create_run(request, year: int, payload: RunIn):
    """The twin of the new-run page: :func:`screening.services.runs.run_screening` with the same
    options, or the same task when there are more units than a request screens."""
    from django.conf import settings
    from django.urls import reverse

    from kotacerdas.lib.jobs.services import enqueue

    from .tasks import screen_regions
    from .views import INLINE_SCREENING_UNITS

    phase = phase_or_404(year)
    options = dict(
        criteria=payload.criteria, weights=payload.weights, pairwise=payload.pairwise,
        data_year=payload.data_year or phase.year - 1, normalization=payload.normalization, method=payload.method,
        shortlist_size=payload.shortlist_size, spread=payload.spread, seed=payload.seed, samples=payload.samples,
        label=payload.label,
    )
    if Region.objects.filter(kind__in=KABKOTA_KINDS).count() > getattr(settings, "KOTACERDAS_INLINE_SCREENING_UNITS", INLINE_SCREENING_UNITS):
        progress = enqueue(screen_regions, phase.pk, options, request.auth.pk, user=request.auth,
                           label=_("Screening run of %(phase)s") % {"phase": phase.name})
        return Status(202, {"task_id": str(progress.task_id), "progress_url": reverse("task-progress", kwargs={"task_id": progress.task_id})})
    try:
        run = ranking.run_screening(phase, **options, user=request.auth)
    except ValueError as exc:  # the decision engine's own refusals (weights, AHP matrix)
        raise ValidationError(str(exc)) from None
    return Status(201, run)


@router.post("/{year}/screening-runs/{run_id}/confirm", response=RunOut, auth=ApiPermission("run_screening"),
             summary="Confirm a draft run: its results become public and its shortlist is invited (cannot be undone)")
def confirm_run(request, year: int, run_id: int):
    run = scope(ScreeningRun.objects.filter(phase=phase_or_404(year), pk=run_id), request.auth, "run_screening").first()
    if run is None:
        raise Http404(_("There is no such screening run."))
    try:
        return confirm_screening_run(run, request.auth)
    except ranking.ScreeningError as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
