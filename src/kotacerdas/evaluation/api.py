"""Evaluation through /api/v1/evaluation: the rounds with their weights and each round's results
(public once published; the ministry reads drafts too), and the ministry's write operations:
create a round, choose its weights, store scores, publish, correct a result with its reason.
"""

import datetime
from decimal import Decimal
from typing import Dict, List, Optional

from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja import Form as NinjaForm
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from kotacerdas.accounts.permissions import MINISTRY, ApiPermission, api_user, roles_of, scope
from kotacerdas.lib.api import ErrorOut
from kotacerdas.regions.models import Region

from . import services
from .models import DIMENSIONS, EvaluationRound, Result, WeightSet

router = Router(tags=["evaluation"])


class WeightsOut(Schema):
    baseline: Decimal
    output: Decimal
    outcome: Decimal
    impact: Decimal
    quick_win: Decimal


class RoundOut(Schema):
    id: int
    year: int
    stage: int = Field(..., description="1 or 2 (tahap I or II).")
    published: bool
    is_demo: bool = Field(..., description="Invented content for demonstration.")
    weight_version: str
    weights: WeightsOut = Field(..., description="Percent of each dimension in the index.")


class EvaluationResultOut(Schema):
    region_code: str
    region_name: str
    baseline: Decimal
    output: Decimal
    outcome: Decimal
    impact: Decimal
    quick_win: Decimal
    index: Decimal
    weight_version: str
    improvement: Optional[Decimal] = Field(None, description="Change over the region's previous result.")
    national_rank: Optional[int]
    province_rank: Optional[int]
    published_index: Optional[Decimal] = Field(None, description="As the ministry published it (imports).")
    differs_from_published: bool


def _round_out(evaluation):
    return {
        "id": evaluation.pk, "year": evaluation.year, "stage": evaluation.stage, "published": evaluation.is_published,
        "is_demo": evaluation.is_demo, "weight_version": evaluation.weight_set.version, "weights": evaluation.weight_set.weights(),
    }


RESULT_FIELDS = (*DIMENSIONS, "index", "weight_version", "improvement", "national_rank", "province_rank",
                 "published_index", "differs_from_published")


def _result_out(result):
    return {**{name: getattr(result, name) for name in RESULT_FIELDS}, "region_code": result.region.code, "region_name": result.region.name}


def _round(request, round_id, action="view_evaluation_results"):
    evaluation = scope(EvaluationRound.objects.filter(pk=round_id), api_user(request), action).select_related("round", "weight_set").first()
    if evaluation is None:
        raise Http404(_("There is no such evaluation round."))
    return evaluation


@router.get("/rounds", response=List[RoundOut], summary="Evaluation rounds with their weights")
@paginate(LimitOffsetPagination)
def list_rounds(request):
    rounds = scope(services.rounds_in_order(), api_user(request), "view_evaluation_results")
    return [_round_out(evaluation) for evaluation in rounds]


@router.get("/rounds/{round_id}", response=RoundOut, summary="One evaluation round")
def get_round(request, round_id: int):
    return _round_out(_round(request, round_id))


@router.get("/rounds/{round_id}/results", response=List[EvaluationResultOut], summary="Results of a round, by national rank")
@paginate(LimitOffsetPagination)
def list_results(request, round_id: int):
    evaluation = _round(request, round_id)
    return services.ranking(evaluation).annotate(region_code=F("region__code"), region_name=F("region__name"))


class RoundIn(Schema):
    year: int = Field(..., ge=2017, le=2100)
    stage: int = Field(..., ge=1, le=2)
    weight_version: Optional[str] = Field(None, description="Default: the default weight set.")
    region_codes: Optional[List[str]] = Field(None, description="Default: every region selected in any phase.")
    self_assessment_closes_at: Optional[datetime.datetime] = None
    verification_closes_at: Optional[datetime.datetime] = None


def _regions(codes):
    found = dict(Region.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = sorted(set(codes) - set(found))
    if unknown:
        raise services.EvaluationRefused({"region_codes": _("Unknown region codes: %(codes)s") % {"codes": ", ".join(unknown)}})
    return list(found.values())


@router.post("/rounds", response={201: RoundOut}, auth=ApiPermission("manage_evaluation"), summary="Create an evaluation round")
def create_round(request, payload: RoundIn):
    weight_set = services.weight_set_by_version(payload.weight_version) if payload.weight_version else None
    region_ids = _regions(payload.region_codes) if payload.region_codes is not None else None
    evaluation = services.create_round(
        payload.year, payload.stage, weight_set=weight_set, region_ids=region_ids, user=request.auth,
        self_assessment_closes_at=payload.self_assessment_closes_at, verification_closes_at=payload.verification_closes_at,
    )
    return Status(201, _round_out(evaluation))


class WeightsIn(Schema):
    weight_version: str


@router.put("/rounds/{round_id}/weights", response=RoundOut, auth=ApiPermission("manage_evaluation"),
            summary="Choose the weight set (refused once the round has results)")
def set_weights(request, round_id: int, payload: WeightsIn):
    evaluation = services.set_weights(_round(request, round_id, "manage_evaluation"), services.weight_set_by_version(payload.weight_version), user=request.auth)
    return _round_out(evaluation)


class EvaluationScoresIn(Schema):
    region_code: str
    baseline: Decimal = Field(..., ge=0, le=5)
    output: Decimal = Field(..., ge=0, le=5)
    outcome: Decimal = Field(..., ge=0, le=5)
    impact: Decimal = Field(..., ge=0, le=5)
    quick_win: Decimal = Field(..., ge=0, le=5)
    smart_city_scores: Dict[str, Decimal] = {}


class StoreIn(Schema):
    results: List[EvaluationScoresIn]


class CountOut(Schema):
    count: int


@router.put("/rounds/{round_id}/results", response=CountOut, auth=ApiPermission("manage_evaluation"),
            summary="Store the scores of every region and compute index, improvement and ranks")
def store_results(request, round_id: int, payload: StoreIn):
    evaluation = _round(request, round_id, "manage_evaluation")
    ids = dict(Region.objects.filter(code__in=[row.region_code for row in payload.results]).values_list("code", "pk"))
    _regions([row.region_code for row in payload.results])
    rows = [{"region_id": ids[row.region_code], **{d: getattr(row, d) for d in DIMENSIONS},
             "smart_city_scores": {k: str(v) for k, v in row.smart_city_scores.items()}} for row in payload.results]
    return {"count": services.store_results(evaluation, rows, origin="manual", user=request.auth)}


class PublishIn(Schema):
    objections_close_at: Optional[datetime.datetime] = None
    letter_date: Optional[datetime.date] = None


@router.post("/rounds/{round_id}/publish", response=RoundOut, auth=ApiPermission("manage_evaluation"), summary="Publish the results")
def publish(request, round_id: int, payload: PublishIn):
    evaluation = services.publish_round(_round(request, round_id, "manage_evaluation"), user=request.auth,
                                        objections_close_at=payload.objections_close_at, letter_date=payload.letter_date)
    return _round_out(EvaluationRound.objects.select_related("round", "weight_set").get(pk=evaluation.pk))


class CorrectionIn(Schema):
    reason: str = Field(..., min_length=1)
    baseline: Optional[Decimal] = Field(None, ge=0, le=5)
    output: Optional[Decimal] = Field(None, ge=0, le=5)
    outcome: Optional[Decimal] = Field(None, ge=0, le=5)
    impact: Optional[Decimal] = Field(None, ge=0, le=5)
    quick_win: Optional[Decimal] = Field(None, ge=0, le=5)


@router.post("/rounds/{round_id}/results/{code}/corrections", response=EvaluationResultOut, auth=ApiPermission("manage_evaluation"),
             summary="Correct one result with its reason; the ranks follow")
def correct(request, round_id: int, code: str, payload: CorrectionIn):
    evaluation = _round(request, round_id, "manage_evaluation")
    result = Result.objects.filter(round=evaluation, region__code=code).first()
    if result is None:
        raise Http404(_("This region has no result in this round."))
    changes = {d: getattr(payload, d) for d in DIMENSIONS if getattr(payload, d) is not None}
    result = services.correct_result(result, changes, reason=payload.reason, user=request.auth)
    return _result_out(result)


class DimensionProgressOut(Schema):
    code: str
    name: str
    planned: int
    reported: int
    going: int = Field(..., description="Programs reported running or done for the round's year.")
    ratio: Optional[Decimal] = Field(None, description="Implementation ratio in percent (going ÷ planned); null when nothing was planned.")


class RegionProgressOut(Schema):
    region_code: str
    region_name: str
    has_plan: bool = Field(..., description="False flags a region in scope without an adopted master plan.")
    plan_id: Optional[int]
    planned: int
    reported: int
    going: int
    ratio: Optional[Decimal]
    dimensions: List[DimensionProgressOut]


@router.get("/rounds/{round_id}/progress", response=List[RegionProgressOut], auth=ApiPermission("view_progress"),
            summary="Agency progress of the round's regions: implementation ratio per smart city dimension; regions without an adopted plan flagged")
@paginate(LimitOffsetPagination)
def round_progress(request, round_id: int):
    from .progress import round_progress as progress_of, visible_region_ids

    evaluation = EvaluationRound.objects.select_related("round").filter(pk=round_id).first()
    region_ids = visible_region_ids(request.auth, evaluation) if evaluation is not None else set()
    if evaluation is None or (not region_ids and MINISTRY not in roles_of(request.auth)):
        raise Http404(_("There is no such evaluation round."))
    return [{
        "region_code": row.region.code, "region_name": row.region.name, "has_plan": row.has_plan,
        "plan_id": row.plan.pk if row.plan else None, "planned": row.planned, "reported": row.reported, "going": row.going,
        "ratio": row.ratio,
        "dimensions": [{"code": d.code, "name": d.name, "planned": d.planned, "reported": d.reported, "going": d.going, "ratio": d.ratio}
                       for d in row.dimensions],
    } for row in progress_of(evaluation, region_ids)]


class VerificationIn(Schema):
    per_candidate: int = Field(..., ge=1, le=5, description="Assessors per region (usually 2).")
    smart_city: bool = Field(False, description="Also score the six smart city dimensions.")


class VerificationOut(Schema):
    panel_id: int
    state: str
    assignments: int
    submitted: int
    sessions: int


def _verification_out(evaluation):
    status = services.verification_status(evaluation)
    return {"panel_id": status["panel"].pk, "state": status["panel"].state, "assignments": status["assignments"],
            "submitted": status["submitted"], "sessions": status["sessions"]}


@router.post("/rounds/{round_id}/verification-panel", response={200: VerificationOut, 400: ErrorOut}, auth=ApiPermission("manage_evaluation"),
             summary="Start the verification: the panel, assessors assigned from the pool without conflicts of interest, scoring open")
def start_verification(request, round_id: int, payload: VerificationIn):
    evaluation = _round(request, round_id, "manage_evaluation")
    services.start_verification(evaluation, per_candidate=payload.per_candidate, smart_city=payload.smart_city, user=request.auth)
    return _verification_out(evaluation)


@router.post("/rounds/{round_id}/verification-results", response={200: CountOut, 400: ErrorOut}, auth=ApiPermission("manage_evaluation"),
             summary="Compute the results from the verification panel's submitted scores")
def store_verification_results(request, round_id: int):
    evaluation = _round(request, round_id, "manage_evaluation")
    return {"count": services.store_verification_results(evaluation, user=request.auth)}


class InterviewIn(Schema):
    starts_at: datetime.datetime = Field(..., description="Without a time zone: the region's local time (WIB, WITA, WIT).")
    room: str = Field("", max_length=160)
    video_link: str = Field("", max_length=200)


class InterviewOut(Schema):
    region_code: str
    starts_at: datetime.datetime
    time_zone: str
    room: str
    video_link: str


@router.put("/rounds/{round_id}/verification-interviews/{code}", response={200: InterviewOut, 400: ErrorOut}, auth=ApiPermission("manage_evaluation"),
            summary="Schedule (or move) a region's verification interview")
def schedule_interview(request, round_id: int, code: str, payload: InterviewIn):
    evaluation = _round(request, round_id, "manage_evaluation")
    region = evaluation.regions.filter(code=code).first()
    if region is None:
        raise Http404(_("This region is not in this round."))
    session = services.schedule_interview(evaluation, region, starts_at=payload.starts_at, room=payload.room, video_link=payload.video_link)
    return {"region_code": region.code, "starts_at": session.starts_at, "time_zone": region.time_zone, "room": session.room,
            "video_link": session.video_link}


# --- the twins of the result, follow-up and verification pages ------------------------------------
# Each validates through the page's own form and calls the service its POST calls; a refusal is
# the one 400 shape naming the field (EvaluationRefused is a ValidationError).


def _result_in_scope(request, evaluation, code, action):
    """The region's result, within the caller's scope for ``action`` (404 outside it, as on the page)."""
    result = scope(Result.objects.filter(round=evaluation, region__code=code), request.auth, action).select_related("region", "round").first()
    if result is None:
        raise Http404(_("This region has no result in this round."))
    return result


def _valid(form):
    from django.core.exceptions import ValidationError

    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


class FindingIn(Schema):
    kind: str = Field(..., description="strength, weakness or recommendation (a recommendation becomes a follow-up item of the next round).")
    text: str


class FindingOut(Schema):
    id: int
    region_code: str
    kind: str
    text: str
    follow_up_id: Optional[int] = Field(None, description="The follow-up item a recommendation became in the next round, if there is one.")


@router.post("/rounds/{round_id}/results/{code}/findings", response={201: FindingOut, 400: ErrorOut}, auth=ApiPermission("manage_evaluation"),
             summary="Record a finding on a region's result (refused once the round is published)")
def add_finding(request, round_id: int, code: str, payload: FindingIn):
    """The twin of the result page's finding form: FindingForm, then services.add_finding."""
    from .forms import FindingForm
    from .models import FollowUp

    evaluation = _round(request, round_id, "manage_evaluation")
    result = _result_in_scope(request, evaluation, code, "manage_evaluation")
    data = _valid(FindingForm(payload.dict()))
    finding = services.add_finding(evaluation, result.region, data["kind"], data["text"], user=request.auth)
    follow_up = FollowUp.objects.filter(recommendation=finding).values_list("pk", flat=True).first()
    return Status(201, {"id": finding.pk, "region_code": result.region.code, "kind": finding.kind, "text": finding.text,
                        "follow_up_id": follow_up})


class ObjectionIn(Schema):
    text: str


class ObjectionOut(Schema):
    id: int
    region_code: str
    text: str
    status: str
    filed_at: datetime.datetime


@router.post("/rounds/{round_id}/results/{code}/objections", response={201: ObjectionOut, 400: ErrorOut}, auth=ApiPermission("file_objection"),
             summary="File an objection to the region's own published result while the window is open (the region's operator)")
def file_objection(request, round_id: int, code: str, payload: ObjectionIn):
    """The twin of the result page's objection form: ObjectionForm, then services.file_objection."""
    from .forms import ObjectionForm

    evaluation = _round(request, round_id)
    result = _result_in_scope(request, evaluation, code, "file_objection")
    data = _valid(ObjectionForm(payload.dict()))
    objection = services.file_objection(result, data["text"], user=request.auth)
    return Status(201, {"id": objection.pk, "region_code": result.region.code, "text": objection.text, "status": objection.status,
                        "filed_at": objection.filed_at})


class FollowUpOut(Schema):
    id: int
    region_code: str
    recommendation: str
    status: str
    note: str
    has_evidence: bool


@router.post("/follow-ups/{follow_up_id}", response={200: FollowUpOut, 400: ErrorOut}, auth=ApiPermission("answer_follow_up"),
             summary="Answer a follow-up item of the region (multipart 'status', 'note', 'evidence'); 'done' needs evidence, "
                     "checked by its content and size")
def answer_follow_up(request, follow_up_id: int, status: str = NinjaForm(..., max_length=12), note: str = NinjaForm("", max_length=10000),
                     evidence: Optional[UploadedFile] = File(None)):
    """The twin of the follow-up page: FollowUpForm, then services.answer_follow_up."""
    from .forms import FollowUpForm
    from .models import FollowUp

    item = scope(FollowUp.objects.filter(pk=follow_up_id), request.auth, "answer_follow_up").select_related(
        "recommendation__region", "answered_in__round").first()
    if item is None:
        raise Http404(_("There is no such follow-up item."))
    data = _valid(FollowUpForm({"status": status, "note": note}, {"evidence": evidence} if evidence is not None else {}))
    item = services.answer_follow_up(item, status=data["status"], note=data["note"], evidence=data["evidence"], user=request.auth)
    return {"id": item.pk, "region_code": item.recommendation.region.code, "recommendation": item.recommendation.text,
            "status": item.status, "note": item.note, "has_evidence": bool(item.evidence)}


class VerificationScoreIn(Schema):
    aspect: str = Field(..., description="The aspect's code.")
    value: Optional[int] = Field(None, ge=0, le=5, description="Empty clears the score; the panel's lowest score up to 5.")
    comment: str = Field("", max_length=10000)


class VerificationScoresIn(Schema):
    scores: List[VerificationScoreIn]
    submit: bool = Field(False, description="Finalise: every aspect scored; your scores then lock.")


class VerificationScoreOut(Schema):
    aspect: str
    value: Optional[int]
    comment: str


class VerificationSheetOut(Schema):
    assignment_id: int
    region_code: str
    submitted: bool
    scores: List[VerificationScoreOut]


@router.put("/verifications/{assignment_id}/scores", response={200: VerificationSheetOut, 400: ErrorOut}, auth=ApiPermission("score_candidates"),
            summary="Enter (and with 'submit' finalise) your verification scores of a region (the assigned assessor)")
def put_verification_scores(request, assignment_id: int, payload: VerificationScoresIn):
    """The twin of the verification page: the assessment engine's score_sheets.save_scores."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from ninja.errors import HttpError

    from kotacerdas.assessment.models import PanelAssignment
    from kotacerdas.assessment.services.score_sheets import save_scores

    assignment = scope(PanelAssignment.objects.filter(pk=assignment_id, panel__phase__isnull=True), request.auth, "score_candidates").select_related(
        "panel", "region").first()
    if assignment is None:
        raise Http404(_("There is no such verification."))
    aspects = {aspect.code: aspect.pk for aspect in assignment.panel.aspects.all()}
    unknown = {f"scores.{number}.aspect": _("Unknown aspect %s.") % item.aspect
               for number, item in enumerate(payload.scores) if item.aspect not in aspects}
    if unknown:
        raise ValidationError(unknown)
    values = {aspects[item.aspect]: ("" if item.value is None else item.value, item.comment) for item in payload.scores}
    try:
        save_scores(assignment, values, user=request.auth, submit=payload.submit)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    assignment.refresh_from_db()
    return {"assignment_id": assignment.pk, "region_code": assignment.region.code, "submitted": assignment.submitted_at is not None,
            "scores": [{"aspect": score.aspect.code, "value": score.value, "comment": score.comment}
                       for score in assignment.scores.select_related("aspect").order_by("aspect__order")]}
