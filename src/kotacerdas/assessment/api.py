"""Assessment through /api/v1/assessment: an assessor's assignments and their own scores
(read and write), all scores and the panel's results for the ministry, and the published
decision for everyone."""

import datetime
from typing import Dict, List, Optional

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from kotacerdas.accounts.permissions import ApiPermission, scope
from kotacerdas.program.models import Phase
from kotacerdas.program.services import demo_notice

from . import selection as selecting
from .services import outcomes, score_sheets
from .models import PanelAssignment, Panel, Score

router = Router(tags=["assessment"])


class AssignmentOut(Schema):
    id: int
    phase: Optional[int] = Field(None, description="Year of the selection phase; empty for an evaluation round's verification.")
    round: int = Field(..., description="The program round the panel belongs to.")
    region_code: str
    region_name: str
    assessor: str
    submitted: bool
    session_starts_at: Optional[datetime.datetime] = None


class ScoreOut(Schema):
    assignment: int
    region_code: str
    assessor: str
    aspect: str
    value: int
    comment: str


class ScoreIn(Schema):
    aspect: str = Field(..., description="The aspect's code, e.g. 'budget'.")
    value: Optional[int] = Field(None, ge=1, le=5)
    comment: str = ""


class ScoresIn(Schema):
    scores: List[ScoreIn]
    submit: bool = Field(False, description="Finalise: every aspect scored; your scores then lock.")


class CandidateResultOut(Schema):
    rank: Optional[int]
    region_code: str
    region_name: str
    assessors: int
    raw: Optional[float]
    calibrated: Optional[float]
    questionnaire: Optional[float]
    screening: Optional[float]
    final: Optional[float]


class AspectAgreementOut(Schema):
    aspect: str
    alpha: Optional[float]
    low_agreement: bool


class OutlierOut(Schema):
    assessor: str
    deviation: Optional[float]
    flagged: bool


class ResultsOut(Schema):
    candidates: List[CandidateResultOut]
    aspects: List[AspectAgreementOut]
    assessors: List[OutlierOut]
    components_available: Dict[str, bool]


class DecisionRowOut(Schema):
    code: str
    name: str
    final: float


class DecisionOut(Schema):
    year: int
    is_demo: bool
    letter_number: str
    letter_date: datetime.date
    selected: List[DecisionRowOut]
    tie_break: str
    notice: Optional[str] = None


def _panel(year):
    return get_object_or_404(Panel.objects.select_related("phase"), phase__year=year)


def _assignment_out(a):
    session = a.panel.sessions.filter(region=a.region).first()
    return {
        "id": a.pk, "phase": a.panel.phase.year if a.panel.phase_id else None, "round": a.panel.round_id, "region_code": a.region.code, "region_name": a.region.name,
        "assessor": str(a.assessor.user.username), "submitted": a.submitted_at is not None,
        "session_starts_at": session.starts_at if session else None,
    }


def _score_out(s):
    return {
        "assignment": s.assignment_id, "region_code": s.assignment.region.code,
        "assessor": s.assignment.assessor.user.username, "aspect": s.aspect.code, "value": s.value, "comment": s.comment,
    }


@router.get("/assignments", response=List[AssignmentOut], auth=ApiPermission("view_assignments"), summary="Assignments (an assessor's own)")
def list_assignments(request):
    queryset = scope(PanelAssignment.objects.all(), request.auth, "view_assignments")
    return [_assignment_out(a) for a in queryset.select_related("panel__phase", "region", "assessor__user")]


@router.get(
    "/assignments/{assignment_id}/scores", response=List[ScoreOut], auth=ApiPermission("view_assignments"),
    summary="Scores of a candidate: your own, the panel's after you submit",
)
def assignment_scores(request, assignment_id: int):
    assignment = get_object_or_404(scope(PanelAssignment.objects.all(), request.auth, "view_assignments"), pk=assignment_id)
    scores = scope(Score.objects.all(), request.auth, "view_assignments").filter(
        assignment__panel=assignment.panel, assignment__region=assignment.region
    )
    return [_score_out(s) for s in scores.select_related("assignment__region", "assignment__assessor__user", "aspect")]


@router.put(
    "/assignments/{assignment_id}/scores", response=List[ScoreOut], auth=ApiPermission("score_candidates"),
    summary="Enter your scores for your own assignment",
)
def put_scores(request, assignment_id: int, payload: ScoresIn):
    assignment = get_object_or_404(scope(PanelAssignment.objects.all(), request.auth, "score_candidates"), pk=assignment_id)
    aspects = {a.code: a.pk for a in assignment.panel.aspects.all()}
    values = {}
    for item in payload.scores:
        if item.aspect not in aspects:
            raise HttpError(400, _("Unknown aspect %s.") % item.aspect)
        values[aspects[item.aspect]] = (item.value, item.comment)
    try:
        score_sheets.save_scores(assignment, values, user=request.auth, submit=payload.submit)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    scores = assignment.scores.select_related("assignment__region", "assignment__assessor__user", "aspect")
    return [_score_out(s) for s in scores]


@router.get("/{year}/scores", response=List[ScoreOut], auth=ApiPermission("view_all_scores"), summary="Every score of a panel (ministry)")
def all_scores(request, year: int):
    panel = _panel(year)
    scores = scope(Score.objects.filter(assignment__panel=panel), request.auth, "view_all_scores")
    return [_score_out(s) for s in scores.select_related("assignment__region", "assignment__assessor__user", "aspect")]


@router.get("/{year}/results", response=ResultsOut, auth=ApiPermission("manage_panel"), summary="The panel's results (ministry)")
def panel_results(request, year: int):
    results = outcomes.compute_results(_panel(year))
    return {
        "candidates": [
            {"rank": c.rank, "region_code": c.region.code, "region_name": c.region.name, "assessors": c.assessors,
             "raw": c.raw, "calibrated": c.calibrated, "questionnaire": c.questionnaire, "screening": c.screening, "final": c.final}
            for c in results.candidates
        ],
        "aspects": [{"aspect": a.code, "alpha": alpha, "low_agreement": low} for a, alpha, low in results.aspects],
        "assessors": [{"assessor": a.user.username, "deviation": d, "flagged": f} for a, d, _s, f, _n in results.assessors],
        "components_available": results.components,
    }


@router.get("/{year}/decision", response=DecisionOut, exclude_unset=True, summary="The published decision of a phase")
def published_decision(request, year: int):
    phase = Phase.objects.filter(year=year).first()
    published = selecting.published_selection(phase) if phase else None
    if published is None:
        raise Http404(_("No decision is published for this phase."))
    result = {
        "year": phase.year, "is_demo": phase.is_demo, "letter_number": published.letter_number,
        "letter_date": published.letter_date, "tie_break": published.snapshot.get("tie_break", ""),
        "selected": sorted(
            ({"code": r["code"], "name": r["name"], "final": r["final"]} for r in published.snapshot["rows"] if r["selected"]),
            key=lambda r: r["code"],
        ),
    }
    if phase.is_demo:
        result["notice"] = demo_notice(phase)
    return result
