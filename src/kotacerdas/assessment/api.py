"""Assessment through /api/v1/assessment: an assessor's assignments and their own scores
(read and write), all scores and the panel's results for the ministry, and the published
decision for everyone."""

import datetime
from typing import Dict, List, Optional

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja import Form as NinjaForm
from ninja.files import UploadedFile
from ninja.errors import HttpError

from kotacerdas.accounts.permissions import ApiPermission, scope
from kotacerdas.program.models import Phase
from kotacerdas.program.services import demo_notice, phase_or_404
from kotacerdas.regions.models import Region

from . import selection as selecting
from .services import AssessmentRefused, allocation, assessor_pool, outcomes, panel_setup, score_sheets
from .models import Aspect, Assessor, PanelAssignment, Panel, Score

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


# --- the ministry's panel, selection and MoU: twins of their pages ------------------------------

class DeclaredConflictIn(Schema):
    region_code: str = Field(..., max_length=20)
    reason: str = Field(..., max_length=500)


class DeclaredConflictOut(Schema):
    assessor: int
    region_code: str
    reason: str


@router.post("/assessors/{assessor_id}/conflicts", response={201: DeclaredConflictOut}, auth=ApiPermission("manage_panel"),
             summary="Record an assessor's conflict of interest with a region (the assignment never pairs them)")
def declare_conflict(request, assessor_id: int, payload: DeclaredConflictIn):
    assessor = get_object_or_404(Assessor, pk=assessor_id)
    region = Region.objects.filter(code=payload.region_code.strip()).first()
    if region is None:
        raise ValidationError({"region_code": _("No region has this code.")})
    try:
        assessor_pool.declare_conflict(assessor, region, payload.reason)
    except ValidationError as exc:
        raise ValidationError({"reason": exc.messages}) from None
    return Status(201, {"assessor": assessor.pk, "region_code": region.code, "reason": payload.reason.strip()})


class PanelIn(Schema):
    year: int = Field(..., description="The phase's year.")


class PanelOut(Schema):
    phase: int
    state: str
    per_candidate: int
    assignments: int


def _panel_out(panel):
    panel.refresh_from_db()
    return {"phase": panel.phase.year, "state": panel.state, "per_candidate": panel.per_candidate,
            "assignments": panel.assignments.count()}


@router.post("/panels", response={201: PanelOut}, auth=ApiPermission("manage_panel"),
             summary="Open the assessment panel of a phase with the default rubric (once per phase)")
def open_panel(request, payload: PanelIn):
    return Status(201, _panel_out(panel_setup.ensure_panel(phase_or_404(payload.year))))


class PanelStateIn(Schema):
    state: str = Field(..., description="preparing, scoring (locks the rubric) or closed (locks the scores).")
    reason: str = Field("", max_length=500, description="Needed to close with assessments not submitted.")


@router.post("/{year}/panel/state", response=PanelOut, auth=ApiPermission("manage_panel"),
             summary="Move the panel on (cannot be undone once the selection is confirmed)")
def set_panel_state(request, year: int, payload: PanelStateIn):
    panel = _panel(year)
    panel_setup.set_state(panel, payload.state, user=request.auth, reason=payload.reason)
    return _panel_out(panel)


class AssignedOut(Schema):
    assigned: int


@router.post("/{year}/panel/assignments", response=AssignedOut, auth=ApiPermission("manage_panel"),
             summary="Assign assessors to every candidate (no conflict, expertise matched, loads even); refused once scoring started")
def assign_panel(request, year: int):
    return {"assigned": allocation.assign_panel(_panel(year), user=request.auth)}


class AssessorSwapIn(Schema):
    assessor: int = Field(..., description="The new assessor's id.")
    reason: str = Field(..., max_length=500)


@router.post("/{year}/panel/assignments/{assignment_id}/swap", response=AssignmentOut, auth=ApiPermission("manage_panel"),
             summary="Replace the assessor of one assignment, with the reason")
def swap_assessor(request, year: int, assignment_id: int, payload: AssessorSwapIn):
    panel = _panel(year)
    assignment = get_object_or_404(PanelAssignment, panel=panel, pk=assignment_id)
    assessor = Assessor.objects.filter(pk=payload.assessor).first()
    if assessor is None:
        raise ValidationError({"assessor": _("There is no such assessor.")})
    allocation.swap_assessor(assignment, assessor, user=request.auth, reason=payload.reason)
    assignment = PanelAssignment.objects.select_related("panel__phase", "region", "assessor__user").get(pk=assignment.pk)
    return _assignment_out(assignment)


class PanelSessionIn(Schema):
    starts_at: datetime.datetime = Field(..., description="Without a time zone: the region's own time (WIB, WITA or WIT).")
    room: str = Field("", max_length=200)
    video_link: str = Field("", max_length=500)


class PanelSessionOut(Schema):
    region_code: str
    starts_at: datetime.datetime
    room: str
    video_link: str


@router.put("/{year}/panel/sessions/{code}", response=PanelSessionOut, auth=ApiPermission("manage_panel"),
            summary="Set or move a candidate's presentation to the panel")
def schedule_session(request, year: int, code: str, payload: PanelSessionIn):
    import zoneinfo

    panel = _panel(year)
    region = get_object_or_404(Region, code=code)
    starts_at = payload.starts_at
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=zoneinfo.ZoneInfo(region.iana_time_zone))
    session = allocation.schedule_session(panel, region, starts_at=starts_at, room=payload.room, video_link=payload.video_link)
    return {"region_code": region.code, "starts_at": session.starts_at, "room": session.room, "video_link": session.video_link}


class AspectIn(Schema):
    name: Optional[str] = Field(None, max_length=200)
    weight: float = Field(..., ge=0, le=panel_setup.MAX_WEIGHT, allow_inf_nan=False)
    descriptors: List[str] = Field(..., min_length=5, max_length=5, description="What each level 1–5 means.")


class AspectOut(Schema):
    id: int
    code: str
    name: str
    weight: float
    descriptors: List[str]


@router.put("/{year}/panel/aspects/{aspect_id}", response=AspectOut, auth=ApiPermission("manage_panel"),
            summary="Change an aspect of the rubric (refused once scoring has started)")
def update_aspect(request, year: int, aspect_id: int, payload: AspectIn):
    aspect = get_object_or_404(Aspect, panel=_panel(year), pk=aspect_id)
    panel_setup.update_aspect(aspect, name=payload.name or aspect.name, weight=payload.weight,
                           descriptors=payload.descriptors, user=request.auth)
    aspect.refresh_from_db()
    return {"id": aspect.pk, "code": aspect.code, "name": aspect.name, "weight": aspect.weight,
            "descriptors": list(aspect.descriptors or [])}


class SelectionRulesIn(Schema):
    min_per_island_group: int = Field(0, ge=0, le=1000)
    min_kota: int = Field(0, ge=0, le=1000)
    min_kabupaten: int = Field(0, ge=0, le=1000)


class SelectionOut(Schema):
    phase: int
    confirmed: bool
    selected: List[str] = Field(..., description="Codes of the regions the proposal selects.")
    letter_number: str
    letter_date: Optional[datetime.date] = None


def _selection_out(selection):
    selection.refresh_from_db()
    return {"phase": selection.panel.phase.year, "confirmed": selection.is_confirmed,
            "selected": [row["code"] for row in selection.snapshot.get("rows", []) if row.get("selected")],
            "letter_number": selection.letter_number, "letter_date": selection.letter_date}


@router.post("/{year}/selection", response=SelectionOut, auth=ApiPermission("manage_panel"),
             summary="Propose the selection: fill the quota from the ranking under the spread rules (the panel must be closed)")
def propose_selection(request, year: int, payload: SelectionRulesIn):
    panel = _panel(year)
    return _selection_out(selecting.propose_selection(panel, payload.dict(), user=request.auth))


class ConfirmSelectionIn(Schema):
    letter_number: str = Field(..., max_length=200)
    letter_date: datetime.date


@router.post("/{year}/selection/confirm", response=SelectionOut, auth=ApiPermission("manage_panel"),
             summary="Confirm and publish the proposed selection with its decision letter (cannot be undone)")
def confirm_selection(request, year: int, payload: ConfirmSelectionIn):
    from django.conf import settings

    from kotacerdas.lib.jobs.services import enqueue

    from .tasks import render_decision_pdf

    panel = _panel(year)
    current = getattr(panel, "selection", None) if hasattr(panel, "selection") else None
    if current is None:
        raise HttpError(409, _("Propose a selection before confirming it."))
    selecting.confirm_selection(current, letter_number=payload.letter_number, letter_date=payload.letter_date, user=request.auth)
    # As the page does: the letter is rendered on a worker in each language.
    for language, _name in settings.LANGUAGES:
        enqueue(render_decision_pdf, current.pk, language, user=request.auth,
                label=_("Decision letter (PDF), %(language)s") % {"language": language})
    return _selection_out(current)


class MouOut(Schema):
    region_code: str
    signed_on: datetime.date
    place: str
    number: str
    signatories: str
    has_document: bool


@router.post("/{year}/mou/{code}", response=MouOut, auth=ApiPermission("manage_panel"),
             summary="Record (or correct) the MoU a selected region signed (multipart: signed_on, place, number, "
                     "signatories, optional 'document' PDF)")
def record_mou(request, year: int, code: str, signed_on: datetime.date = NinjaForm(...), place: str = NinjaForm(..., max_length=200),
               number: str = NinjaForm(..., max_length=200), signatories: str = NinjaForm(..., max_length=1000),
               document: UploadedFile = File(None)):
    panel = _panel(year)
    region = get_object_or_404(Region, code=code)
    mou = selecting.record_mou(panel.phase, region, signed_on=signed_on, place=place.strip(), number=number.strip(),
                               signatories=signatories.strip(), document=document, user=request.auth)
    return {"region_code": region.code, "signed_on": mou.signed_on, "place": mou.place, "number": mou.number,
            "signatories": mou.signatories, "has_document": bool(mou.document)}
