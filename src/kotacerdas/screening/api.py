"""``GET /api/v1/phases/{year}/screening-runs`` and each run's results with every input needed to
recompute it (criteria, directions, weights, normalisation, method, seed, the decision matrix).
A draft run is the ministry's; everyone else sees confirmed runs only.
``GET /api/v1/phases/{year}/eligibility-rules``: the phase's rules and what they exclude now (the
ministry's, like the rules page)."""

from typing import Any, Dict, List, Optional

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from kotacerdas.accounts.permissions import ApiPermission, api_user, scope
from kotacerdas.program.services import phase_or_404
from kotacerdas.regions.models import Region

from . import rules as eligibility
from .models import EligibilityRule, ScreeningRun
from .services.runs import run_results
from .services.invitation import synthetic_notice

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


class ResultOut(Schema):
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
    results: List[ResultOut]
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
