"""Questionnaires: importing forms, attaching them to a phase, filling, submitting and reviewing.

Views and the API call these functions; each one that writes runs in one transaction.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.lib.files import FILE_TYPES, generated_name, read_upload
from kotacerdas.program.models import ParticipationStatus

from .logic import FormLogic, default_answers, split_key, text_in
from .models import (
    Answer, FormAssignment, AssignmentStage, DeadlineExtension, Evidence, Form, FormVersion,
    ReviewComment, StatusChange, Submission, SubmissionStatus,
)
from .xlsform import MEDIA_TYPES, METADATA_TYPES, FormError, count_questions, read_xlsform

User = get_user_model()


def participating_statuses():
    """Which participations a questionnaire of each stage goes to (program.Participation)."""
    return {
        AssignmentStage.READINESS: [ParticipationStatus.INVITED, ParticipationStatus.ASSESSED, ParticipationStatus.SELECTED, ParticipationStatus.NOT_SELECTED],
        AssignmentStage.EVALUATION: [ParticipationStatus.SELECTED],
    }


def regions_for(assignment):
    """The regions a questionnaire of a phase goes to, by their participation in the phase."""
    from kotacerdas.regions.models import Region

    if assignment.phase_id is None:  # an evaluation round: the regions in its scope
        return Region.objects.filter(rounds=assignment.round_id).order_by("code")
    return Region.objects.filter(
        participations__phase=assignment.phase,
        participations__status__in=participating_statuses()[assignment.stage],
    ).order_by("code")


# --- forms -----------------------------------------------------------------------------------


@transaction.atomic
def import_form(content, filename="form.xlsx", *, user=None, files=None):
    """A new version of the form the XLSForm in ``content`` defines (a new form for a new
    form_id); ``content`` may be a ZIP with the workbook and its files, ``files`` the CSVs
    uploaded beside it. :class:`~.xlsform.FormError` names every fault with its sheet, row and
    column, and a missing file by its name."""
    definition = read_xlsform(content, filename, files=files)
    form, _created = Form.objects.get_or_create(form_id=definition["form_id"], defaults={"title": definition["title"]})
    newest = form.versions.select_for_update().order_by("-number").first()
    if newest is not None and newest.definition == definition:
        return newest  # the same form again: no new version
    form.title = definition["title"]
    form.save(update_fields=["title"])
    version = FormVersion(
        form=form, number=(newest.number + 1) if newest else 1, version_label=definition["version"],
        title=definition["title"], definition=definition, question_count=count_questions(definition),
        created_by=user,
    )
    version.source.save(generated_name(".xlsx"), ContentFile(content), save=False)
    version.save()
    return version


def xlsform_of(version):
    """(xlsx bytes, {file name: bytes}) of a version, regenerated from its stored definition."""
    from .xlsform import write_xlsform

    return write_xlsform(version.definition)


@transaction.atomic
def attach_form(form, phase, stage, opens_at, closes_at):
    """Attach ``form`` to ``phase`` (a Phase, or any program Round such as an evaluation round)."""
    from kotacerdas.program.models import Round

    attached_to = {"round": phase} if isinstance(phase, Round) else {"phase": phase}
    assignment = FormAssignment(form=form, stage=stage, opens_at=opens_at, closes_at=closes_at, **attached_to)
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def extend_deadline(assignment, region, closes_at, *, user=None, reason=""):
    """Give one region a later closing time than everyone's."""
    if closes_at <= assignment.closes_at:
        raise ValidationError(_("An extension must close later than the questionnaire does for everyone."))
    return DeadlineExtension.objects.create(assignment=assignment, region=region, closes_at=closes_at, created_by=user, reason=reason)


# --- filling ---------------------------------------------------------------------------------


def logic_of(version):
    """The form logic (relevance, constraints, calculations, scoring) of a form version."""
    return FormLogic(version.definition)


def metadata_values(definition, region, *, user=None, device="", now=None, started=True):
    """{key: value} of the metadata fields a save records: ``start``, ``today`` and the
    account and device when filling starts (``started``), ``end`` at every save. Times are the
    region's own (WIB, WITA, WIT) with their offset, as ODK writes them."""
    now = timezone.localtime(now or timezone.now(), _zone(region))
    values = {}
    for element in definition.get("children", []):
        kind = element["type"]
        if kind not in METADATA_TYPES:
            continue
        if kind == "end":
            values[element["name"]] = now.isoformat(timespec="milliseconds")
        elif not started:
            continue
        elif kind == "start":
            values[element["name"]] = now.isoformat(timespec="milliseconds")
        elif kind == "today":
            values[element["name"]] = now.date().isoformat()
        elif kind in ("username", "uri:username"):
            values[element["name"]] = user.get_username() if user is not None else ""
        elif kind == "email_meta":
            values[element["name"]] = getattr(user, "email", "") or ""
        elif kind in ("deviceid", "uri:deviceid"):
            # A browser has no device id: its user agent stands for the device.
            values[element["name"]] = (device or "")[:500]
    return values


@transaction.atomic
def start_submission(assignment, region, *, user=None, device=""):
    """The region's submission, started as a draft on the newest version when there is none."""
    submission = Submission.objects.filter(assignment=assignment, region=region).first()
    if submission is not None:
        return submission
    version = assignment.form.newest
    submission, created = Submission.objects.get_or_create(
        assignment=assignment, region=region, defaults={"version": version, "status": SubmissionStatus.DRAFT}
    )
    if created:
        StatusChange.objects.create(submission=submission, from_status=SubmissionStatus.NOT_STARTED, to_status=SubmissionStatus.DRAFT, by=user)
        first = {**default_answers(version.definition), **metadata_values(version.definition, region, user=user, device=device)}
        Answer.objects.bulk_create([Answer(submission=submission, key=key, value=value, updated_by=user) for key, value in first.items()])
    return submission


def answers_of(submission):
    """{key: (value, revision)} of a submission."""
    return {a.key: (a.value, a.revision) for a in Answer.objects.filter(submission=submission).only("key", "value", "revision")}


@dataclass
class Conflict:
    key: str
    mine: str
    theirs: str
    revision: int


@dataclass
class SaveResult:
    saved: dict = field(default_factory=dict)  # key -> new revision
    conflicts: list = field(default_factory=list)
    revisions: dict = field(default_factory=dict)  # key -> revision after the save, every answer


def _check_editable(submission, now=None):
    if not submission.is_editable:
        raise ValidationError(_("This submission is %(status)s and can no longer be changed.") % {"status": submission.get_status_display()})
    if not submission.assignment.is_open_for(submission.region, now):
        raise ValidationError(_("This questionnaire is closed for your region."))


# Answers a region never types: computed, filled by the platform, or set by an upload.
NOT_TYPED = {"calculate", "hidden"} | METADATA_TYPES | MEDIA_TYPES


def writable_keys(logic, answers):
    """The keys a region may write: questions (not calculations, metadata or media, which an
    upload sets), and each repeat's count."""
    counts = logic.repeat_counts(answers)
    keys = set(counts)
    for key in logic.keys(counts):
        name, _index = split_key(key)
        if logic.elements[name]["type"] not in NOT_TYPED:
            keys.add(key)
    return keys


def save_answers(submission, changes, *, user=None, now=None, device=""):
    """Save ``changes`` ({key: (value, base revision)}; base 0 for an answer that was empty).

    An answer changed by someone else since ``base revision`` is not overwritten: it comes back
    as a :class:`Conflict` with both values; the other answers are saved (merged).
    """
    with transaction.atomic():
        # One writer per submission at a time (a row lock on PostgreSQL, of the submission only:
        # locking the joined assignment and version too serialised every region's saves and
        # deadlocked under a deadline rush, bench/cluster.py; SQLite's immediate
        # transactions already serialise writers).
        submission = Submission.objects.select_for_update(of=("self",)).select_related("assignment", "region", "version").get(pk=submission.pk)
        _check_editable(submission, now)
        logic = logic_of(submission.version)
        existing = {a.key: a for a in Answer.objects.filter(submission=submission)}
        proposed = {key: a.value for key, a in existing.items()}
        proposed.update({key: str(value) for key, (value, _base) in changes.items()})
        allowed = writable_keys(logic, proposed)
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise ValidationError(_("These are not questions of this form: %(keys)s") % {"keys": ", ".join(unknown)})
        result = SaveResult()
        to_create, to_update = [], []
        for key, (value, base) in changes.items():
            value = "" if value is None else str(value)
            answer = existing.get(key)
            current_revision = answer.revision if answer else 0
            current_value = answer.value if answer else ""
            if value == current_value:
                continue
            if base is not None and int(base) != current_revision:
                result.conflicts.append(Conflict(key, value, current_value, current_revision))
                continue
            if answer is None:
                answer = Answer(submission=submission, key=key, value=value, revision=1, updated_by=user)
                to_create.append(answer)
                existing[key] = answer
            else:
                answer.value, answer.revision, answer.updated_by = value, answer.revision + 1, user
                to_update.append(answer)
            result.saved[key] = answer.revision
        Answer.objects.bulk_create(to_create)
        if to_update:
            now_time = timezone.now()
            for answer in to_update:
                answer.updated_at = now_time
            Answer.objects.bulk_update(to_update, ["value", "revision", "updated_by", "updated_at"])
        if result.saved:
            Submission.objects.filter(pk=submission.pk).update(updated_at=timezone.now())
        if result.saved:
            _record(submission, metadata_values(submission.version.definition, submission.region, user=user, device=device, now=now, started=False), user)
        result.revisions = {key: a.revision for key, a in existing.items()}
        return result


def _record(submission, values, user):
    """Write answers the platform fills itself (metadata, an upload's file name)."""
    for key, value in values.items():
        answer = Answer.objects.filter(submission=submission, key=key).first()
        if answer is None:
            Answer.objects.create(submission=submission, key=key, value=value, updated_by=user)
        elif answer.value != value:
            answer.value, answer.revision, answer.updated_by = value, answer.revision + 1, user
            answer.save(update_fields=["value", "revision", "updated_by", "updated_at"])


def evaluate(submission, *, language="id", now=None):
    """Evaluate the form logic on the submission's stored answers: what is relevant, the
    calculated values and every problem, on the region's date of today."""
    answers = {key: value for key, (value, _rev) in answers_of(submission).items()}
    today = timezone.localtime(now or timezone.now(), _zone(submission.region)).date()
    return logic_of(submission.version).evaluate(answers, language=language, today=today)


def _zone(region):
    import zoneinfo

    return zoneinfo.ZoneInfo(region.iana_time_zone)


def issue_message(issue, language):
    """The text a region reads for one problem: the form's own message when it has one."""
    own = text_in(issue.form_message, language)
    if own:
        return own
    if issue.code == "required":
        return _("This answer is required.")
    if issue.code == "constraint":
        return _("This answer is not allowed.")
    if issue.code == "type":
        return {
            "integer": _("Enter a whole number."),
            "decimal": _("Enter a number."),
            "date": _("Enter a date as YYYY-MM-DD."),
        "time": _("Enter a time as HH:MM."),
        "datetime": _("Enter a date and time as YYYY-MM-DD HH:MM."),
        "email": _("Enter an e-mail address."),
        "acknowledge": _("Tick the box to confirm."),
        "range": _("Choose a value within the range."),
        "rank": _("Put every choice in a different place."),
        }.get(issue.detail, _("Enter a valid location: latitude between -90 and 90, longitude between -180 and 180.")
              if issue.detail.startswith("geo") else _("This value has the wrong type."))
    if issue.code == "choice":
        return _("“%(value)s” is not one of the choices.") % {"value": issue.detail}
    return _("The form's logic cannot be evaluated here: %(detail)s") % {"detail": issue.detail}


class SubmissionInvalid(ValidationError):
    def __init__(self, issues, language):
        self.issues = issues
        self.by_key = {}
        for issue in issues:
            self.by_key.setdefault(issue.key, []).append(issue_message(issue, language))
        super().__init__(_("The questionnaire has %(count)s answers to fix before it can be submitted.") % {"count": len(issues)})


def _change_status(submission, to_status, user, comment=""):
    change = StatusChange.objects.create(submission=submission, from_status=submission.status, to_status=to_status, by=user, comment=comment)
    submission.status = to_status
    if to_status == SubmissionStatus.SUBMITTED:
        submission.submitted_at = change.at
    submission.save(update_fields=["status", "submitted_at", "updated_at"])
    return change


def _region_operators(region):
    return User.objects.filter(role_grants__role="operator", role_grants__region=region, is_active=True).distinct()


def _ministry_users():
    return User.objects.filter(role_grants__role="ministry", is_active=True).distinct()


def _notify_all(users, template, context):
    from kotacerdas.accounts.services import notify

    for user in users:
        if user.email:
            notify(user, template, context)


def submit(submission, *, user=None, language="id", now=None):
    """Submit a draft (or a returned submission) when every rule holds and before the closing
    time of the region (checked here, on the server, whatever the page showed)."""
    now = now or timezone.now()
    with transaction.atomic():
        submission = Submission.objects.select_for_update(of=("self",)).select_related("assignment", "region", "version", "assignment__form").get(pk=submission.pk)
        if not submission.is_editable:
            raise ValidationError(_("This submission is %(status)s and can no longer be changed.") % {"status": submission.get_status_display()})
        if not submission.assignment.is_open_for(submission.region, now):
            raise ValidationError(_("The closing time has passed; the questionnaire can no longer be submitted."))
        evaluation = evaluate(submission, language=language, now=now)
        if evaluation.issues:
            raise SubmissionInvalid(evaluation.issues, language)
        _change_status(submission, SubmissionStatus.SUBMITTED, user)
        _notify_all(_ministry_users(), "questionnaires/email/submitted", {"submission": submission})
    return submission


def return_submission(submission, *, user, comments, comment=""):
    """Send a submission back to its region with comments per question ({key: text})."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update(of=("self",)).select_related("assignment__form", "region", "version").get(pk=submission.pk)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted questionnaire can be returned."))
        comments = {key: text.strip() for key, text in comments.items() if text and text.strip()}
        if not comments and not comment.strip():
            raise ValidationError(_("Say what the region should change: comment on at least one question."))
        logic = logic_of(submission.version)
        unknown = [key for key in comments if split_key(key)[0] not in logic.elements]
        if unknown:
            raise ValidationError(_("These are not questions of this form: %(keys)s") % {"keys": ", ".join(unknown)})
        change = _change_status(submission, SubmissionStatus.RETURNED, user, comment.strip())
        ReviewComment.objects.bulk_create([ReviewComment(status_change=change, key=key, text=text) for key, text in comments.items()])
        _notify_all(_region_operators(submission.region), "questionnaires/email/returned", {"submission": submission, "change": change, "comments": comments})
    return change


def accept_submission(submission, *, user, comment=""):
    """Accept a submitted questionnaire and tell the region's operators."""
    with transaction.atomic():
        submission = Submission.objects.select_for_update(of=("self",)).select_related("assignment__form", "region").get(pk=submission.pk)
        if submission.status != SubmissionStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted questionnaire can be accepted."))
        change = _change_status(submission, SubmissionStatus.ACCEPTED, user, comment.strip())
        _notify_all(_region_operators(submission.region), "questionnaires/email/accepted", {"submission": submission})
    return change


def latest_comments(submission):
    """{key: text} of the last return, shown beside the questions while the region fixes them."""
    change = submission.status_changes.filter(to_status=SubmissionStatus.RETURNED).order_by("-at", "-pk").first()
    if change is None:
        return {}, None
    return {c.key: c.text for c in change.comments.all()}, change


def progress(assignment):
    """[(region, status, submission or None)] for every region the questionnaire goes to."""
    submissions = {s.region_id: s for s in assignment.submissions.all()}
    return [
        (region, submissions[region.pk].status if region.pk in submissions else SubmissionStatus.NOT_STARTED, submissions.get(region.pk))
        for region in regions_for(assignment)
    ]


# --- evidence --------------------------------------------------------------------------------

# Evidence is checked by its content, not its name (lib.files: the platform's one way in).
EVIDENCE_TYPES = FILE_TYPES
# What each media question takes; a "file" question and plain evidence take every type above.
MEDIA_SUFFIXES = {
    "image": (".png", ".jpg", ".jpeg"),
    "audio": (".mp3", ".m4a", ".ogg", ".wav", ".webm"),
    "video": (".mp4", ".webm"),
}


def accepted_suffixes(kind):
    return MEDIA_SUFFIXES.get(kind, tuple(sorted(EVIDENCE_TYPES)))


def evidence_max_bytes():
    """The largest evidence file accepted, in bytes (setting ``QUESTIONNAIRE_EVIDENCE_MAX_BYTES``)."""
    return getattr(settings, "QUESTIONNAIRE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def add_evidence(submission, key, uploaded, *, user=None, now=None):
    """Attach an uploaded file to the question ``key`` of a submission after checking its type
    (by content) and size."""
    kind = _question_kind(submission, key)
    try:
        name, suffix, content = read_upload(uploaded, accepted_suffixes(kind), evidence_max_bytes())
    except ValidationError as exc:
        # The API names the field at fault; the page shows the same messages.
        raise ValidationError({"file": exc.messages}) from None
    with transaction.atomic():
        submission = Submission.objects.select_for_update(of=("self",)).select_related("assignment", "region", "version").get(pk=submission.pk)
        _check_editable(submission, now)
        logic = logic_of(submission.version)
        name_of_key = split_key(key)[0]
        if name_of_key not in logic.elements or logic.elements[name_of_key]["type"] in {"group", "repeat", "calculate", "note"} | METADATA_TYPES:
            raise ValidationError({"key": _("“%(key)s” is not a question of this form.") % {"key": key}})
        if kind in MEDIA_TYPES:
            # A media question holds one file, as in ODK: a new upload replaces the old one,
            # and the answer is the file's name.
            answers = {k: v for k, (v, _r) in answers_of(submission).items()}
            if key not in logic.keys(logic.repeat_counts(answers)):
                raise ValidationError({"key": _("“%(key)s” is not a question of this form.") % {"key": key}})
            for old in submission.evidence.filter(key=key):
                old.file.delete(save=False)
                old.delete()
        evidence = Evidence(submission=submission, key=key, original_name=name[:255], content_type=EVIDENCE_TYPES[suffix], size=len(content), uploaded_by=user)
        evidence.file.save(generated_name(suffix), ContentFile(content), save=False)
        evidence.save()
        if kind in MEDIA_TYPES:
            _record(submission, {key: name[:255]}, user)
    return evidence


def _question_kind(submission, key):
    element = submission.version.definition and logic_of(submission.version).elements.get(split_key(key)[0])
    return element["type"] if element else ""


def remove_evidence(evidence, *, now=None, user=None):
    """Delete an evidence file while the submission can still be edited (a media question's
    answer, its file name, is emptied with it)."""
    with transaction.atomic():
        _check_editable(evidence.submission, now)
        if _question_kind(evidence.submission, evidence.key) in MEDIA_TYPES:
            _record(evidence.submission, {evidence.key: ""}, user)
        evidence.file.delete(save=False)
        evidence.delete()


__all__ = ["FormError"]


# --- readiness ----------------------------------------------------------------------------------

READINESS_VISIBLE = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def readiness_forms(phase):
    """The phase's readiness questionnaires (its assignments of stage "readiness")."""
    return FormAssignment.objects.filter(phase=phase, stage=AssignmentStage.READINESS).select_related("form")


def readiness_score(submission, evaluation=None):
    """The submission's readiness score (0-100) from its form's scoring, or None without one;
    ``evaluation`` is the form logic already evaluated on it, when the caller has it."""
    return logic_of(submission.version).score({}, evaluation or evaluate(submission))["total"]


def readiness_scores(phase, regions):
    """{region id: readiness score 0-100} of ``regions`` with a submitted or accepted readiness
    questionnaire in ``phase`` (the mean when a phase has several forms); None when none has one."""
    totals = {}
    submissions = Submission.objects.filter(
        assignment__phase=phase, assignment__stage=AssignmentStage.READINESS, status__in=READINESS_VISIBLE,
        region__in=[r.pk for r in regions],
    ).select_related("version", "region")
    for submission in submissions:
        score = readiness_score(submission)
        if score is not None:
            totals.setdefault(submission.region_id, []).append(score)
    return {region_id: sum(values) / len(values) for region_id, values in totals.items()} or None
