"""Phases (tahap) of the program and each region's participation in them.

A phase is one yearly round with a quota (2017: 25, 2018: 50, 2019: 25). Each kabupaten/kota
has at most one participation record per phase; its status moves through screening, invitation,
assessment and selection, and every change is kept (who, when, why) by django-simple-history.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kotacerdas.regions.models import Region


class Phase(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    quota = models.PositiveSmallIntegerField(_("quota"))
    invited_target = models.PositiveSmallIntegerField(
        _("candidates to invite"), null=True, blank=True
    )
    assessed_target = models.PositiveSmallIntegerField(
        _("candidates to assess"), null=True, blank=True
    )
    is_demo = models.BooleanField(
        _("demo"),
        default=False,
        help_text=_("Invented content for demonstration; never mixed with the real phases."),
    )
    # Whether the published list of selected regions is known in full (2019's is not).
    selection_complete = models.BooleanField(_("selection list complete"), default=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")

    def __str__(self):
        return self.name

    def clean(self):
        if self.quota == 0:
            raise ValidationError({"quota": _("A phase selects at least one region.")})
        if (
            self.invited_target is not None
            and self.assessed_target is not None
            and self.assessed_target > self.invited_target
        ):
            raise ValidationError(
                {"assessed_target": _("Cannot assess more candidates than are invited.")}
            )


class Stage(models.TextChoices):
    SCREENING = "screening", _("Screening")
    QUESTIONNAIRE = "questionnaire", _("Questionnaire")
    ASSESSMENT = "assessment", _("Assessment")
    SELECTION = "selection", _("Selection")
    MOU = "mou", _("MoU signing")
    MENTORING = "mentoring", _("Mentoring")
    MASTER_PLAN = "master_plan", _("Master plan")
    EVALUATION = "evaluation", _("Evaluation")


STAGE_ORDER = {value: index for index, value in enumerate(Stage.values)}


class PhaseStage(models.Model):
    """The dates of one stage of a phase (the timeline shown on the phase page)."""

    phase = models.ForeignKey(Phase, related_name="stages", on_delete=models.CASCADE)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["phase", "stage"], name="one_date_range_per_stage"),
        ]

    def __str__(self):
        return f"{self.phase} – {self.get_stage_display()}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A stage cannot end before it starts.")})


class ParticipationStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")
    INVITED = "invited", _("Invited")
    ASSESSED = "assessed", _("Assessed")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Participation(models.Model):
    phase = models.ForeignKey(Phase, related_name="participations", on_delete=models.PROTECT)
    region = models.ForeignKey(Region, related_name="participations", on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=16, choices=ParticipationStatus.choices, db_index=True)
    source = models.TextField(_("source"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["phase__year", "region__code"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["phase", "region"], name="one_participation_per_phase"),
        ]

    def __str__(self):
        return f"{self.region} – {self.phase}: {self.get_status_display()}"
