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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Every phase is a selection round the questionnaire and assessment engines attach to.
        self.round, _created = Round.objects.update_or_create(
            phase=self,
            defaults={"kind": RoundKind.SELECTION, "year": self.year, "stage": 1, "name": self.name, "is_demo": self.is_demo},
        )

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


class RoundKind(models.TextChoices):
    SELECTION = "selection", _("Selection phase")
    EVALUATION = "evaluation", _("Evaluation round")


class Round(models.Model):
    """What the questionnaire and the assessment engines attach to: a selection phase (one round
    per :class:`Phase`, kept in step by ``Phase.save``) or a yearly evaluation round (tahap I or II
    of a year, whose details live in ``kotacerdas.evaluation``).

    It sits here, below both engines, so that neither needs to know about evaluation.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    # Evaluation runs in two stages a year (tahap I and II); a selection phase is stage 1.
    stage = models.PositiveSmallIntegerField(_("stage"), default=1)
    name = models.CharField(_("name"), max_length=120)
    phase = models.OneToOneField(
        Phase, verbose_name=_("phase"), related_name="round", on_delete=models.CASCADE, null=True, blank=True
    )
    is_demo = models.BooleanField(_("demo"), default=False)
    # The regions an evaluation round covers (a selection round's candidates are its phase's
    # participations instead); the engines read it to know whom a form or a panel concerns.
    regions = models.ManyToManyField(Region, verbose_name=_("regions in scope"), related_name="rounds", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "stage", "kind"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "stage"], name="one_round_per_kind_year_stage"),
            models.CheckConstraint(
                condition=(models.Q(kind="selection", phase__isnull=False) | models.Q(kind="evaluation", phase__isnull=True)),
                name="selection_round_has_phase",
            ),
            models.CheckConstraint(condition=models.Q(stage__gte=1, stage__lte=2), name="round_stage_1_or_2"),
        ]

    def __str__(self):
        return self.name


def keep_round_and_phase_in_step(attached):
    """Before saving an object of an engine (a questionnaire's attachment, a panel) that has a
    ``round`` and, for a selection round, its ``phase``: the phase is the round's phase (None for
    an evaluation round), set from whichever of the two the caller gave. The phase stays on those
    objects as a shortcut so the selection code can keep reading "the panel of a phase"."""
    if attached.round_id is None:
        if attached.phase_id is None:
            raise ValidationError({"round": _("Give the round (or the phase) this belongs to.")})
        attached.round = Round.objects.get(phase_id=attached.phase_id)
    else:
        attached.phase_id = attached.round.phase_id


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
