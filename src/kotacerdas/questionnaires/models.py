"""Questionnaires: XLSForm definitions in versions, their use in a phase stage with deadlines,
each region's submission (answers with a version each, evidence files) and its review.

A form version that has answers is never changed: a changed XLSForm becomes a new version; a
draft stays on the version it was started on, new drafts use the newest.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.program.models import Phase, Stage
from kotacerdas.regions.models import Region


class Form(models.Model):
    form_id = models.CharField(_("form id"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=255)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("form")
        verbose_name_plural = _("forms")

    def __str__(self):
        return self.title

    @property
    def newest(self):
        return self.versions.order_by("-number").first()


class FormVersion(models.Model):
    form = models.ForeignKey(Form, related_name="versions", on_delete=models.CASCADE)
    number = models.PositiveIntegerField(_("version number"))
    version_label = models.CharField(_("version in the XLSForm"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=255)
    definition = models.JSONField(_("definition"))
    question_count = models.PositiveIntegerField(_("questions"))
    # The XLSForm as uploaded, kept through the storage API (object storage in a cluster).
    source = models.FileField(_("XLSForm file"), upload_to="questionnaires/forms/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["form", "-number"]
        verbose_name = _("form version")
        verbose_name_plural = _("form versions")
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="one_number_per_form_version")]

    def __str__(self):
        return f"{self.title} v{self.number}"

    def has_answers(self):
        return self.pk is not None and Answer.objects.filter(submission__version=self).exists()

    def save(self, *args, **kwargs):
        # Answers were given to this exact version: changing it would change what they mean.
        if self.pk is not None and self.has_answers():
            stored = FormVersion.objects.get(pk=self.pk)
            if stored.definition != self.definition or stored.title != self.title:
                raise ValidationError(_("This form version has answers and cannot be changed; import the changed form as a new version."))
        super().save(*args, **kwargs)


class AssignmentStage(models.TextChoices):
    READINESS = Stage.QUESTIONNAIRE.value, _("Readiness questionnaire")
    EVALUATION = Stage.EVALUATION.value, _("Evaluation questionnaire")


class FormAssignment(models.Model):
    """A form attached to a phase stage, open to its regions between two absolute times."""

    form = models.ForeignKey(Form, related_name="assignments", on_delete=models.PROTECT)
    phase = models.ForeignKey(Phase, related_name="questionnaires", on_delete=models.PROTECT)
    stage = models.CharField(_("stage"), max_length=20, choices=AssignmentStage.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-phase__year", "stage", "form__title"]
        verbose_name = _("questionnaire of a phase")
        verbose_name_plural = _("questionnaires of phases")
        constraints = [models.UniqueConstraint(fields=["form", "phase", "stage"], name="one_form_per_phase_stage")]

    def __str__(self):
        return f"{self.form} – {self.phase} ({self.get_stage_display()})"

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("A questionnaire must close after it opens.")})

    def closes_at_for(self, region):
        extension = self.extensions.filter(region=region).order_by("-closes_at").first()
        if extension and extension.closes_at > self.closes_at:
            return extension.closes_at
        return self.closes_at

    def is_open_for(self, region, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at_for(region)


class DeadlineExtension(models.Model):
    assignment = models.ForeignKey(FormAssignment, related_name="extensions", on_delete=models.CASCADE)
    region = models.ForeignKey(Region, related_name="+", on_delete=models.PROTECT)
    closes_at = models.DateTimeField(_("closes at"))
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")


class SubmissionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class Submission(models.Model):
    assignment = models.ForeignKey(FormAssignment, related_name="submissions", on_delete=models.PROTECT)
    region = models.ForeignKey(Region, related_name="submissions", on_delete=models.PROTECT)
    version = models.ForeignKey(FormVersion, related_name="submissions", on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["assignment", "region__code"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        constraints = [models.UniqueConstraint(fields=["assignment", "region"], name="one_submission_per_region")]

    def __str__(self):
        return f"{self.region} – {self.assignment.form}"

    @property
    def is_editable(self):
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class Answer(models.Model):
    """One answer; ``revision`` grows with each change, so a save that started from an older
    revision is a conflict instead of a silent overwrite."""

    submission = models.ForeignKey(Submission, related_name="answers", on_delete=models.CASCADE)
    key = models.CharField(_("question"), max_length=150)
    value = models.TextField(_("value"), blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["submission", "key"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["submission", "key"], name="one_answer_per_question")]


class Evidence(models.Model):
    submission = models.ForeignKey(Submission, related_name="evidence", on_delete=models.CASCADE)
    key = models.CharField(_("question"), max_length=150)
    file = models.FileField(_("file"), upload_to="questionnaires/evidence/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["submission", "key", "uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")


class StatusChange(models.Model):
    """Every change of a submission's status: who, when, from what to what, and why."""

    submission = models.ForeignKey(Submission, related_name="status_changes", on_delete=models.CASCADE)
    from_status = models.CharField(_("from"), max_length=12, choices=SubmissionStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=SubmissionStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["submission", "at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class ReviewComment(models.Model):
    """The ministry's comment on one question when it returns a submission."""

    status_change = models.ForeignKey(StatusChange, related_name="comments", on_delete=models.CASCADE)
    key = models.CharField(_("question"), max_length=150)
    text = models.TextField(_("comment"))

    class Meta:
        ordering = ["status_change", "key"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
