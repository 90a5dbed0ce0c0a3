"""The yearly evaluation of the regions in the program (monitoring and evaluation, tahap I and II).

An :class:`EvaluationRound` is the evaluation side of a :class:`program.Round`, the object the
questionnaire engine (self-assessment) and the assessment engine (verification panel) attach to.
Its :class:`Result` rows hold the five dimension scores (0-5), the index computed from them with
the round's :class:`WeightSet` (rounded half up to two decimals in ``Decimal`` and stored with the
weight set's version), the improvement over the region's previous result and its national and
provincial ranks (standard competition ranking on the stored two-decimal index).

Results are plain rows without per-row history: one round may hold 83,763 units (a smart-village
program), and their computation is recorded on the round (who, when); a change after publication
goes through :class:`Correction`, which records the reason, the values before and after, who and
when.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# The five evaluation dimensions, in the order of the ministry's result letters.
DIMENSIONS = ("baseline", "output", "outcome", "impact", "quick_win")

# The six smart city dimensions of the master plans (optional scores of the verification).
SMART_CITY_DIMENSIONS = (
    "governance", "branding", "economy", "living", "society", "environment",
)


def dimension_labels():
    return {
        "baseline": _("Baseline"),
        "output": _("Output"),
        "outcome": _("Outcome"),
        "impact": _("Impact"),
        "quick_win": _("Quick win"),
    }


def smart_city_labels():
    return {
        "governance": _("Smart governance"),
        "branding": _("Smart branding"),
        "economy": _("Smart economy"),
        "living": _("Smart living"),
        "society": _("Smart society"),
        "environment": _("Smart environment"),
    }


SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(5)]


def _score_field(label, **extra):
    return models.DecimalField(label, max_digits=3, decimal_places=2, validators=SCORE_VALIDATORS, **extra)


class WeightSet(models.Model):
    """The weights (percent, summing to 100) of the five dimensions, as versioned data."""

    version = models.SlugField(_("version"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    baseline = models.DecimalField(_("Baseline"), max_digits=5, decimal_places=2)
    output = models.DecimalField(_("Output"), max_digits=5, decimal_places=2)
    outcome = models.DecimalField(_("Outcome"), max_digits=5, decimal_places=2)
    impact = models.DecimalField(_("Impact"), max_digits=5, decimal_places=2)
    quick_win = models.DecimalField(_("Quick win"), max_digits=5, decimal_places=2)
    is_default = models.BooleanField(_("default"), default=False)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["version"]
        verbose_name = _("weight set")
        verbose_name_plural = _("weight sets")

    def __str__(self):
        return f"{self.version} ({self.name})"

    def weights(self):
        return {dimension: getattr(self, dimension) for dimension in DIMENSIONS}

    def clean(self):
        if any(value is None or value < 0 for value in self.weights().values()):
            raise ValidationError(_("Every weight is a percentage of at least 0."))
        if sum(self.weights().values()) != 100:
            raise ValidationError(_("The five weights must add up to 100 (they add up to %(total)s).") % {"total": sum(self.weights().values())})


class EvaluationRound(models.Model):
    """One evaluation round (a year and a stage) with its scope, deadlines and weights."""

    round = models.OneToOneField("program.Round", verbose_name=_("round"), related_name="evaluation", on_delete=models.PROTECT)
    weight_set = models.ForeignKey(WeightSet, verbose_name=_("weight set"), related_name="rounds", on_delete=models.PROTECT)
    self_assessment_closes_at = models.DateTimeField(_("self-assessment closes at"), null=True, blank=True)
    progress_closes_at = models.DateTimeField(_("agency progress closes at"), null=True, blank=True)
    verification_closes_at = models.DateTimeField(_("verification closes at"), null=True, blank=True)
    # Scores lock when the round closes.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    computed_at = models.DateTimeField(_("results computed at"), null=True, blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("results computed by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True)
    objections_close_at = models.DateTimeField(_("objections close at"), null=True, blank=True)
    letter_date = models.DateField(_("result letter date"), null=True, blank=True)
    # The letters are numbered "<prefix>/<national rank position>", e.g. "B-123/M.KOMINFO/2024/".
    letter_prefix = models.CharField(_("result letter number prefix"), max_length=80, blank=True)
    source = models.TextField(_("source"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-round__year", "-round__stage"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self):
        return self.round.name

    @property
    def regions(self):
        """The regions in scope (kept on the program round, which the engines read)."""
        return self.round.regions

    @property
    def year(self):
        return self.round.year

    @property
    def stage(self):
        return self.round.stage

    @property
    def is_demo(self):
        return self.round.is_demo

    @property
    def is_published(self):
        return self.published_at is not None

    @property
    def is_closed(self):
        return self.closed_at is not None

    def objections_open(self, now=None):
        now = now or timezone.now()
        return self.is_published and self.objections_close_at is not None and now < self.objections_close_at


class Origin(models.TextChoices):
    VERIFICATION = "verification", _("Verification panel")
    IMPORT = "import", _("Imported published result")
    DEMO = "demo", _("Demo (invented)")
    MANUAL = "manual", _("Entered by the ministry")


class Result(models.Model):
    round = models.ForeignKey(EvaluationRound, verbose_name=_("round"), related_name="results", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="evaluation_results", on_delete=models.PROTECT)
    baseline = _score_field(_("Baseline"))
    output = _score_field(_("Output"))
    outcome = _score_field(_("Outcome"))
    impact = _score_field(_("Impact"))
    quick_win = _score_field(_("Quick win"))
    index = models.DecimalField(_("index"), max_digits=3, decimal_places=2)
    weight_version = models.CharField(_("weight set version"), max_length=20)
    previous_index = models.DecimalField(_("previous index"), max_digits=3, decimal_places=2, null=True, blank=True)
    improvement = models.DecimalField(_("improvement"), max_digits=3, decimal_places=2, null=True, blank=True)
    national_rank = models.PositiveIntegerField(_("national rank"), null=True, blank=True)
    province_rank = models.PositiveIntegerField(_("provincial rank"), null=True, blank=True)
    # Optional verification scores per smart city dimension, {"governance": "3.50", ...}.
    smart_city_scores = models.JSONField(_("scores per smart city dimension"), default=dict, blank=True)
    # Figures as the ministry published them (imports of earlier years), kept beside ours.
    published_index = models.DecimalField(_("published index"), max_digits=3, decimal_places=2, null=True, blank=True)
    published_national_rank = models.PositiveIntegerField(_("published national rank"), null=True, blank=True)
    published_province_rank = models.PositiveIntegerField(_("published provincial rank"), null=True, blank=True)
    differs_from_published = models.BooleanField(_("differs from the published index"), default=False)
    origin = models.CharField(_("origin"), max_length=12, choices=Origin.choices)
    letter_number = models.CharField(_("result letter number"), max_length=120, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["round", "national_rank", "region__code"]
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        constraints = [models.UniqueConstraint(fields=["round", "region"], name="one_result_per_region_and_round")]

    def __str__(self):
        return f"{self.region} – {self.round}: {self.index}"

    def scores(self):
        return {dimension: getattr(self, dimension) for dimension in DIMENSIONS}


class Correction(models.Model):
    """A change of a published result: the reason, the scores before and after, who and when."""

    result = models.ForeignKey(Result, verbose_name=_("result"), related_name="corrections", on_delete=models.CASCADE)
    reason = models.TextField(_("reason"))
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["result", "at"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld (result corrected)")
    REJECTED = "rejected", _("Rejected")


class Objection(models.Model):
    """A region's objection to its published result, filed within the round's window."""

    result = models.ForeignKey(Result, verbose_name=_("result"), related_name="objections", on_delete=models.CASCADE)
    text = models.TextField(_("objection"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Strength")
    WEAKNESS = "weakness", _("Weakness")
    RECOMMENDATION = "recommendation", _("Recommendation")


class Finding(models.Model):
    """A strength, weakness or recommendation the assessors wrote for a region in a round."""

    round = models.ForeignKey(EvaluationRound, verbose_name=_("round"), related_name="findings", on_delete=models.CASCADE)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="+", on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    dimension = models.CharField(_("dimension"), max_length=12, blank=True)
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("written by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "region__code", "kind", "order", "pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class FollowUp(models.Model):
    """What a region did about one recommendation, answered in the next round and shown to the
    assessors when they score that round's Baseline."""

    recommendation = models.OneToOneField(Finding, verbose_name=_("recommendation"), related_name="follow_up", on_delete=models.CASCADE)
    answered_in = models.ForeignKey(EvaluationRound, verbose_name=_("answered in round"), related_name="follow_ups", on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="evaluation/follow-up/%Y/", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["answered_in", "recommendation__region__code", "pk"]
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
