"""``/api/v1/questionnaires/…``: a form's structure and a region's answers, with the same
validation and conflict rules as the page (both call :mod:`.services`)."""

import datetime
import zoneinfo
from typing import Dict, List, Optional

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja import Form as NinjaForm
from ninja.files import UploadedFile

from kotacerdas.accounts.permissions import ApiPermission, scope
from kotacerdas.lib.api import ErrorOut, error_body, validation_errors
from kotacerdas.program.models import Phase
from kotacerdas.regions.models import Region

from . import services
from .models import AssignmentStage, Form, FormAssignment, Submission, SubmissionStatus
from .rendering import language_of
from .xlsform import FormError

router = Router(tags=["questionnaires"])


class AnswerIn(Schema):
    value: str
    revision: int = 0


class AnswersIn(Schema):
    answers: Dict[str, AnswerIn] = {}
    submit: bool = False


class ConflictOut(Schema):
    key: str
    mine: str
    theirs: str
    revision: int


class ProblemOut(Schema):
    key: str
    code: str
    message: str


class AnswerOut(Schema):
    value: str
    revision: int


class SubmissionOut(Schema):
    id: Optional[int] = None
    assignment: int
    region: str
    status: str
    form_version: int
    closes_at: str
    definition: dict
    answers: Dict[str, AnswerOut]
    relevant: Dict[str, bool]
    problems: List[ProblemOut]


class SaveOut(SubmissionOut):
    saved: Dict[str, int]
    conflicts: List[ConflictOut]


def _target(request, assignment_id, code):
    user = request.auth
    assignment = get_object_or_404(scope(FormAssignment.objects.select_related("form", "phase"), user, "fill_questionnaire"), pk=assignment_id)
    region = get_object_or_404(scope(Region.objects.all(), user, "fill_questionnaire"), code=code)
    if not services.regions_for(assignment).filter(pk=region.pk).exists():
        raise Http404(_("This questionnaire is not open to this region."))
    return assignment, region


def _state(assignment, region, submission, language):
    version = submission.version if submission else assignment.form.newest
    problems, relevant, answers = [], {}, {}
    if submission is not None:
        form_language = language_of(version.definition, language)
        evaluation = services.evaluate(submission, language=form_language)
        relevant = evaluation.relevant
        problems = [{"key": i.key, "code": i.code, "message": services.issue_message(i, form_language)} for i in evaluation.issues]
        answers = {key: {"value": value, "revision": revision} for key, (value, revision) in services.answers_of(submission).items()}
    return {
        "id": submission.pk if submission else None, "assignment": assignment.pk, "region": region.code,
        "status": submission.status if submission else SubmissionStatus.NOT_STARTED,
        "form_version": version.number, "closes_at": assignment.closes_at_for(region).isoformat(),
        "definition": version.definition, "answers": answers, "relevant": relevant, "problems": problems,
    }


@router.get("/{assignment_id}/regions/{code}", response=SubmissionOut, auth=ApiPermission("fill_questionnaire"))
def get_submission(request, assignment_id: int, code: str):
    """The form's structure (the version this region fills) with the region's answers, each with
    the revision to send back when changing it."""
    assignment, region = _target(request, assignment_id, code)
    submission = Submission.objects.filter(assignment=assignment, region=region).select_related("version", "region").first()
    return _state(assignment, region, submission, translation.get_language())


@router.post("/{assignment_id}/regions/{code}", response={200: SaveOut, 400: ErrorOut, 409: SaveOut}, auth=ApiPermission("fill_questionnaire"))
def save_submission(request, assignment_id: int, code: str, payload: AnswersIn):
    """Save answers (``{"answers": {key: {"value", "revision"}}}``, revision 0 for an answer
    that was empty) and with ``"submit": true`` submit. An answer someone else changed since
    that revision is not overwritten: the answer is 409 with the conflicts; the others are saved.

    A refusal is 400 with ``detail`` (the text) and ``errors``: one
    ``{"question", "code", "message"}`` per answer to fix when a submission is incomplete or
    invalid (none when the whole request is refused, e.g. after the closing time). Answers saved
    before a refused submission stay saved."""
    assignment, region = _target(request, assignment_id, code)
    language = translation.get_language()
    try:
        if not Submission.objects.filter(assignment=assignment, region=region).exists():
            if not assignment.is_open_for(region):
                raise ValidationError(_("This questionnaire is closed for your region."))
        device = request.headers.get("User-Agent", "")
        submission = services.start_submission(assignment, region, user=request.auth, device=device)
        result = services.save_answers(
            submission, {key: (answer.value, answer.revision) for key, answer in payload.answers.items()}, user=request.auth, device=device
        )
        if payload.submit and not result.conflicts:
            services.submit(submission, user=request.auth, language=language_of(submission.version.definition, language))
    except services.SubmissionInvalid as exc:
        form_language = language_of(submission.version.definition, language)
        errors = [(i.key, services.issue_message(i, form_language), i.code) for i in exc.issues]
        lines = "; ".join(f"{key}: {message}" for key, message, _code in errors)
        return Status(400, error_body(400, errors, detail=f"{exc.messages[0]} {lines}"))
    except ValidationError as exc:
        return Status(400, error_body(400, validation_errors(exc)))
    submission.refresh_from_db()
    state = _state(assignment, region, submission, language)
    state["saved"] = result.saved
    state["conflicts"] = [vars(c) for c in result.conflicts]
    return Status(409 if result.conflicts else 200, state)


# --- the ministry's forms, progress and review; a region's evidence: twins of their pages -------

class FormVersionOut(Schema):
    form: int = Field(..., description="The form's id (its page: /questionnaires/forms/{id}/).")
    form_id: str = Field(..., description="The XLSForm's form_id.")
    title: str
    version: int
    question_count: int
    warnings: List[str] = Field(..., description="What the platform does not use of the workbook.")


@router.post("/forms", response={201: FormVersionOut}, auth=ApiPermission("manage_forms"),
             summary="Import an XLSForm (multipart 'file': .xlsx or a .zip with its files; 'attachments': its CSVs); "
                     "a new version of the form of the same form_id; every fault named by sheet, row and column")
def import_form(request, file: UploadedFile = File(...), attachments: List[UploadedFile] = File(None)):
    files = {attachment.name.rsplit("/", 1)[-1]: attachment.read() for attachment in attachments or []}
    try:
        version = services.import_form(file.read(), file.name, user=request.auth, files=files)
    except FormError as exc:
        raise ValidationError({"file": [str(fault) for fault in exc.faults] or [str(exc)]}) from None
    return Status(201, {"form": version.form_id, "form_id": version.form.form_id, "title": version.title,
                        "version": version.number, "question_count": version.question_count,
                        "warnings": version.definition.get("warnings", [])})


class AttachIn(Schema):
    phase: int = Field(..., description="The phase's year.")
    stage: str = Field(..., description="One of: " + ", ".join(AssignmentStage.values) + ".")
    opens_at: datetime.datetime = Field(..., description="Without a time zone: WIB, as on the page.")
    closes_at: datetime.datetime = Field(..., description="Without a time zone: WIB, as on the page.")


class FormAssignmentOut(Schema):
    id: int
    form: int
    phase: Optional[int] = Field(None, description="The phase's year.")
    stage: str
    opens_at: datetime.datetime
    closes_at: datetime.datetime


def _aware(moment, zone=None):
    if timezone.is_aware(moment):
        return moment
    return timezone.make_aware(moment, zone or timezone.get_default_timezone())


def _assignment_out(assignment):
    return {"id": assignment.pk, "form": assignment.form_id, "phase": assignment.phase.year if assignment.phase_id else None,
            "stage": assignment.stage, "opens_at": assignment.opens_at, "closes_at": assignment.closes_at}


@router.post("/forms/{form_id}/assignments", response={201: FormAssignmentOut}, auth=ApiPermission("manage_forms"),
             summary="Attach a form to a phase with its opening and closing times")
def attach_form(request, form_id: int, payload: AttachIn):
    questionnaire = get_object_or_404(Form, pk=form_id)
    phase = Phase.objects.filter(year=payload.phase).first()
    if phase is None:
        raise ValidationError({"phase": _("There is no phase in %(year)s.") % {"year": payload.phase}})
    if payload.stage not in AssignmentStage.values:
        raise ValidationError({"stage": _("Choose one of: %(choices)s.") % {"choices": ", ".join(AssignmentStage.values)}})
    assignment = services.attach_form(questionnaire, phase, payload.stage, _aware(payload.opens_at), _aware(payload.closes_at))
    return Status(201, _assignment_out(assignment))


class ProgressRowOut(Schema):
    region_code: str
    region_name: str
    status: str
    submission: Optional[int] = Field(None, description="The submission's id (its review: /submissions/{id}/review).")
    closes_at: datetime.datetime = Field(..., description="This region's closing time (an extension counts).")


@router.get("/{assignment_id}/progress", response=List[ProgressRowOut], auth=ApiPermission("review_submissions"),
            summary="Every region the questionnaire goes to, with its status")
def get_progress(request, assignment_id: int):
    assignment = get_object_or_404(FormAssignment.objects.select_related("form", "phase"), pk=assignment_id)
    return [{"region_code": region.code, "region_name": region.name, "status": status,
             "submission": submission.pk if submission else None, "closes_at": assignment.closes_at_for(region)}
            for region, status, submission in services.progress(assignment)]


class ExtensionIn(Schema):
    region_code: str = Field(..., max_length=20)
    closes_at: datetime.datetime = Field(..., description="Without a time zone: the region's own time (WIB, WITA or WIT), "
                                                          "as on the page.")
    reason: str = Field("", max_length=255)


class ExtensionOut(Schema):
    region_code: str
    closes_at: datetime.datetime
    reason: str


@router.post("/{assignment_id}/extensions", response={201: ExtensionOut}, auth=ApiPermission("review_submissions"),
             summary="Give one region a later closing time than everyone's")
def extend_deadline(request, assignment_id: int, payload: ExtensionIn):
    assignment = get_object_or_404(FormAssignment.objects.select_related("form", "phase"), pk=assignment_id)
    region = Region.objects.filter(code=payload.region_code.strip()).first()
    if region is None:
        raise ValidationError({"region_code": _("No region has this code.")})
    closes_at = _aware(payload.closes_at, zoneinfo.ZoneInfo(region.iana_time_zone))
    try:
        extension = services.extend_deadline(assignment, region, closes_at, user=request.auth, reason=payload.reason)
    except ValidationError as exc:
        raise ValidationError({"closes_at": exc.messages}) from None
    return Status(201, {"region_code": region.code, "closes_at": extension.closes_at, "reason": extension.reason})


class ReviewIn(Schema):
    comment: str = Field("", max_length=5000, description="To the region, about the whole questionnaire.")
    comments: Dict[str, str] = Field({}, description="Return only: {question key: what to change}.")


class ReviewOut(Schema):
    id: int
    region_code: str
    status: str


def _reviewed(request, submission_id):
    return get_object_or_404(scope(Submission.objects.select_related("region", "assignment__form", "assignment__phase", "version"),
                                   request.auth, "review_submissions"), pk=submission_id)


def _review_out(submission):
    submission.refresh_from_db(fields=["status"])
    return {"id": submission.pk, "region_code": submission.region.code, "status": submission.status}


@router.post("/submissions/{submission_id}/return", response=ReviewOut, auth=ApiPermission("review_submissions"),
             summary="Return a submitted questionnaire to its region with comments (per question or on the whole)")
def return_submission(request, submission_id: int, payload: ReviewIn):
    submission = _reviewed(request, submission_id)
    services.return_submission(submission, user=request.auth, comments=payload.comments, comment=payload.comment)
    return _review_out(submission)


@router.post("/submissions/{submission_id}/accept", response=ReviewOut, auth=ApiPermission("review_submissions"),
             summary="Accept a submitted questionnaire")
def accept_submission(request, submission_id: int, payload: ReviewIn):
    submission = _reviewed(request, submission_id)
    services.accept_submission(submission, user=request.auth, comment=payload.comment)
    return _review_out(submission)


class EvidenceOut(Schema):
    id: int
    key: str
    name: str
    content_type: str
    size: int


@router.post("/{assignment_id}/regions/{code}/evidence", response={201: EvidenceOut}, auth=ApiPermission("fill_questionnaire"),
             summary="Attach an evidence file to a question of the region's questionnaire (multipart 'file' and 'key'); "
                     "checked by its content and size")
def upload_evidence(request, assignment_id: int, code: str, key: str = NinjaForm(..., max_length=200),
                    file: UploadedFile = File(...)):
    assignment, region = _target(request, assignment_id, code)
    submission = Submission.objects.filter(assignment=assignment, region=region).first()
    if submission is None:
        raise ValidationError({"key": _("Start the questionnaire before attaching evidence.")})
    evidence = services.add_evidence(submission, key, file, user=request.auth)
    return Status(201, {"id": evidence.pk, "key": evidence.key, "name": evidence.original_name,
                        "content_type": evidence.content_type, "size": evidence.size})
