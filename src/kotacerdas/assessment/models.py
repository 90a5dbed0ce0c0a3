"""The assessment stage: a panel of assessors per phase, its rubric, who assesses whom, the
presentation sessions, the scores, the selection decision and the MoUs that follow.

Every object a decision depends on keeps its history (who, when, before, after) through
django-simple-history; a manual swap of an assessor is a change of an :class:`PanelAssignment` with
its reason.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Assessor(models.Model):
    """A person who scores candidates: their institution, expertise and home (for conflicts)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="assessor", on_delete=models.PROTECT
    )
    institution = models.CharField(_("institution"), max_length=160)
    # Free tags matched against the rubric's aspects (e.g. "budget", "security").
    expertise = models.JSONField(_("expertise"), default=list, blank=True)
    home_province = models.ForeignKey(
        "regions.Region", verbose_name=_("home province"), related_name="+",
        on_delete=models.PROTECT, null=True, blank=True,
    )
    home_region = models.ForeignKey(
        "regions.Region", verbose_name=_("home kabupaten/kota"), related_name="+",
        on_delete=models.PROTECT, null=True, blank=True,
    )
    max_load = models.PositiveSmallIntegerField(
        _("maximum candidates"), null=True, blank=True, help_text=_("Empty: no limit beyond an even share.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("assessor")
        verbose_name_plural = _("assessors")

    def __str__(self):
        name = self.user.get_full_name() or self.user.username
        return f"{name} ({self.institution})"


class PanelState(models.TextChoices):
    PREPARING = "preparing", _("Preparing (rubric editable)")
    SCORING = "scoring", _("Scoring (rubric locked)")
    CLOSED = "closed", _("Closed (scores locked)")


class Panel(models.Model):
    """The assessment of one phase."""

    phase = models.OneToOneField("program.Phase", verbose_name=_("phase"), related_name="panel", on_delete=models.PROTECT)
    state = models.CharField(_("state"), max_length=12, choices=PanelState.choices, default=PanelState.PREPARING)
    per_candidate = models.PositiveSmallIntegerField(_("assessors per candidate"), default=3)
    # Automatic conflict rules the ministry switches on (declared conflicts always apply).
    conflict_same_province = models.BooleanField(_("conflict: assessor's home province"), default=True)
    conflict_same_region = models.BooleanField(_("conflict: assessor's home kabupaten/kota"), default=True)
    conflict_mentored = models.BooleanField(_("conflict: assessor mentored the region before"), default=True)
    # Weights of the final score's components (each on 0-100); a component without data is left out.
    weight_assessment = models.FloatField(_("weight of the assessment"), default=1.0, validators=[MinValueValidator(0)])
    weight_questionnaire = models.FloatField(_("weight of the questionnaire score"), default=0.0, validators=[MinValueValidator(0)])
    weight_screening = models.FloatField(_("weight of the screening score"), default=0.0, validators=[MinValueValidator(0)])
    # Krippendorff (2004): alpha below 0.667 does not support even tentative conclusions.
    agreement_threshold = models.FloatField(_("low agreement below"), default=0.667)

    history = HistoricalRecords()

    class Meta:
        ordering = ["phase__year"]
        verbose_name = _("assessment panel")
        verbose_name_plural = _("assessment panels")

    def __str__(self):
        return str(self.phase)

    @property
    def rubric_locked(self):
        return self.state != PanelState.PREPARING

    @property
    def scores_locked(self):
        return self.state == PanelState.CLOSED


class Aspect(models.Model):
    """One aspect of the rubric, scored 1-5 with a descriptor per level."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), related_name="aspects", on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    weight = models.FloatField(_("weight"), validators=[MinValueValidator(0)])
    # Five descriptors, for levels 1 to 5.
    descriptors = models.JSONField(_("level descriptors"), default=list)

    history = HistoricalRecords()

    class Meta:
        ordering = ["panel", "order", "pk"]
        verbose_name = _("rubric aspect")
        verbose_name_plural = _("rubric aspects")
        constraints = [models.UniqueConstraint(fields=["panel", "code"], name="one_aspect_code_per_panel")]

    def __str__(self):
        return self.name


class DeclaredConflict(models.Model):
    assessor = models.ForeignKey(Assessor, verbose_name=_("assessor"), related_name="conflicts", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    reason = models.CharField(_("reason"), max_length=255)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("declared conflict of interest")
        verbose_name_plural = _("declared conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["assessor", "region"], name="one_declaration_per_pair")]

    def __str__(self):
        return f"{self.assessor} – {self.region}"


class PanelAssignment(models.Model):
    """One assessor assessing one candidate of a panel."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), related_name="assignments", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("candidate"), related_name="+", on_delete=models.PROTECT)
    assessor = models.ForeignKey(Assessor, verbose_name=_("assessor"), related_name="assignments", on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["panel", "region__code", "assessor__user__username"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(fields=["panel", "region", "assessor"], name="one_assignment_per_pair")
        ]

    def __str__(self):
        return f"{self.region} – {self.assessor}"


class Session(models.Model):
    """A candidate's presentation to its panel (stored in absolute time, shown in the region's zone)."""

    panel = models.ForeignKey(Panel, verbose_name=_("panel"), related_name="sessions", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("candidate"), related_name="+", on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), default=30)
    room = models.CharField(_("room"), max_length=160, blank=True)
    video_link = models.URLField(_("video link"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("presentation session")
        verbose_name_plural = _("presentation sessions")
        constraints = [models.UniqueConstraint(fields=["panel", "region"], name="one_session_per_candidate")]

    def __str__(self):
        return f"{self.region} – {self.starts_at:%Y-%m-%d %H:%M}"


class Score(models.Model):
    assignment = models.ForeignKey(PanelAssignment, verbose_name=_("assignment"), related_name="scores", on_delete=models.CASCADE)
    aspect = models.ForeignKey(Aspect, verbose_name=_("aspect"), related_name="scores", on_delete=models.PROTECT)
    value = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assignment", "aspect__order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "aspect"], name="one_score_per_aspect"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="score_between_1_and_5"),
        ]

    def __str__(self):
        return f"{self.assignment}: {self.aspect} = {self.value}"


class Selection(models.Model):
    """The selection of a phase: the rules used, the result, and (once confirmed) the decision."""

    panel = models.OneToOneField(Panel, verbose_name=_("panel"), related_name="selection", on_delete=models.PROTECT)
    # {"min_per_island_group": int, "min_kota": int, "min_kabupaten": int}
    rules = models.JSONField(_("spread rules"), default=dict, blank=True)
    # Computed snapshot: rows per candidate (region id, final score, rank, selected) and displacements.
    snapshot = models.JSONField(_("result"), default=dict, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=40, blank=True)
    letter_number = models.CharField(_("decision letter number"), max_length=120, blank=True)
    letter_date = models.DateField(_("decision letter date"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), related_name="+",
        on_delete=models.PROTECT, null=True, blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")

    def __str__(self):
        return f"{self.panel}: {self.letter_number or '-'}"

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None


class Mou(models.Model):
    """The memorandum a selected region signs with the ministry."""

    phase = models.ForeignKey("program.Phase", verbose_name=_("phase"), related_name="mous", on_delete=models.PROTECT)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="mous", on_delete=models.PROTECT)
    signed_on = models.DateField(_("signed on"))
    place = models.CharField(_("place"), max_length=160)
    number = models.CharField(_("number"), max_length=120)
    signatories = models.TextField(_("signatories"), help_text=_("One per line: name, position."))
    document = models.FileField(_("signed document"), upload_to="mou/%Y/", blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "region__code"]
        verbose_name = _("MoU")
        verbose_name_plural = _("MoUs")
        constraints = [models.UniqueConstraint(fields=["phase", "region"], name="one_mou_per_region_and_phase")]

    def __str__(self):
        return f"{self.region} – {self.number}"
