"""``/api/v1/questionnaires/…``: a form's structure and a region's answers, with the same
validation and conflict rules as the page (both call :mod:`.services`)."""

from typing import Dict, List, Optional

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from kotacerdas.accounts.permissions import ApiPermission, scope
from kotacerdas.lib.api import ErrorOut, error_body, validation_errors
from kotacerdas.regions.models import Region

from . import services
from .models import FormAssignment, Submission, SubmissionStatus
from .rendering import language_of

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
