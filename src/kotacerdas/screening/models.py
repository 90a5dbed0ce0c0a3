"""Eligibility rules of a phase, ranking runs with every input kept, and their results.

A run is a snapshot: the criteria, weights (direct or AHP with its consistency ratio),
normalisation, method, shortlist size, spread rules, seed, the engine's and NumPy's versions and
the decision matrix itself (in ``inputs``, a NumPy ``.npz`` so float64 values survive exactly) are
stored with it, so that it can be recomputed and audited later. Its outputs for the eligible
regions (score, rank and, with SMAA, the probability of the shortlist) are arrays in ``outputs``
(``.npz`` too, aligned with the region ids of ``inputs``): a row per region would cost more than
the maths at 83,763 regions (bench/screening.py). Result rows are kept for the shortlist (score,
rank, why in it, probability, stability) and for each excluded region (the rule that excluded it);
``services.run_results`` gives every region's result, the others built from the arrays.
"""

import io

import numpy as np
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kotacerdas.indicators.models import Indicator
from kotacerdas.program.models import Phase
from kotacerdas.regions.models import Region


class RuleKind(models.TextChoices):
    THRESHOLD = "threshold", _("Threshold on an indicator")
    REQUIREMENT = "requirement", _("Administrative requirement")


class Operator(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    AT_MOST = "<=", _("at most")


class EligibilityRule(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="eligibility_rules")
    kind = models.CharField(_("kind"), max_length=12, choices=RuleKind.choices)
    # A threshold: indicator, operator and either a number or, for a categorical indicator, a category.
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices, blank=True)
    threshold = models.FloatField(_("threshold"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True)
    # A requirement: its name; each region's answer is in AdministrativeCheck.
    requirement = models.CharField(_("requirement"), max_length=200, blank=True)
    # The rules decide who may be ranked: every change is kept (who, when, before, after).
    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "kind", "pk"]
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")

    def __str__(self):
        return self.describe()

    def threshold_score(self):
        if self.indicator and self.indicator.is_categorical and self.category:
            return self.indicator.category_scores()[self.category.strip().lower()]
        return self.threshold

    def describe(self):
        if self.kind == RuleKind.REQUIREMENT:
            return str(_("requirement: %(name)s") % {"name": self.requirement})
        limit = self.category or (f"{self.threshold:g}" if self.threshold is not None else "?")
        return f"{self.indicator.code if self.indicator_id else '?'} {self.operator} {limit}"


class AdministrativeCheck(models.Model):
    """Whether a region meets one administrative requirement of a phase (the checklist)."""

    rule = models.ForeignKey(EligibilityRule, on_delete=models.CASCADE, related_name="checks")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    met = models.BooleanField(_("met"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("administrative check")
        verbose_name_plural = _("administrative checks")
        constraints = [models.UniqueConstraint(fields=["rule", "region"], name="one_check_per_rule_region")]


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")


# How the screening's methods and normalisations (kotacerdas.decision) are named on pages.
METHOD_LABELS = {"saw": _("SAW (simple additive weighting)"), "topsis": _("TOPSIS (distance to the ideal)")}
NORMALIZATION_LABELS = {
    "minmax": _("min–max normalisation"), "vector": _("vector normalisation"), "sum": _("normalisation by the sum"),
    "max": _("normalisation by the maximum"), "zscore": _("z-score normalisation"),
}


class ScreeningRun(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="screening_runs")
    label = models.CharField(_("label"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    data_year = models.PositiveSmallIntegerField(_("data year"))
    region_kinds = models.JSONField(_("kinds of region"), default=list)
    criteria = models.JSONField(_("criteria"))  # indicator codes, in order
    benefit = models.JSONField(_("more is better"))  # one flag per criterion, as used
    weighting = models.CharField(_("weighting"), max_length=8)  # "direct" or "ahp"
    weights = models.JSONField(_("weights"))  # as used (summing to 1)
    pairwise = models.JSONField(_("pairwise comparisons"), null=True, blank=True)
    consistency_ratio = models.FloatField(_("consistency ratio"), null=True, blank=True)
    normalization = models.CharField(_("normalisation"), max_length=12)
    method = models.CharField(_("method"), max_length=12)
    shortlist_size = models.PositiveIntegerField(_("shortlist size"))
    spread = models.JSONField(_("spread rules"), default=dict, blank=True)
    # How the spread rules were applied (kotacerdas.decision.shortlist): a run recomputes with
    # the method it was made with. Runs made before methods had versions used "greedy-1".
    shortlist_method = models.CharField(_("shortlist method"), max_length=20, default="exact-1")
    seed = models.BigIntegerField(_("seed"))
    smaa_samples = models.PositiveIntegerField(_("SMAA samples"))
    weight_uncertainty = models.FloatField(_("weight uncertainty"), null=True, blank=True)
    engine_version = models.CharField(_("decision engine version"), max_length=20)
    numpy_version = models.CharField(_("NumPy version"), max_length=20)
    rules = models.JSONField(_("eligibility rules"), default=list)  # as applied (descriptions)
    synthetic = models.BooleanField(_("uses synthetic values"), default=False)
    cutoff_score = models.FloatField(_("cut-off score"), null=True)
    eligible_count = models.PositiveIntegerField(_("eligible regions"), default=0)
    excluded_count = models.PositiveIntegerField(_("excluded regions"), default=0)
    # region ids (int64) and the decision matrix (float64) of the eligible regions, as .npz.
    inputs = models.BinaryField(_("inputs"))
    # scores (float64), ranks (int64) and, when the run had SMAA, probability (float64) of the
    # eligible regions, in the order of the region ids of ``inputs``, as .npz.
    outputs = models.BinaryField(_("outputs"), default=b"")

    class Meta:
        ordering = ["phase", "-created_at", "-pk"]
        verbose_name = _("screening run")
        verbose_name_plural = _("screening runs")

    def __str__(self):
        return f"#{self.pk} {self.label or self.method} ({self.phase.year})"

    @property
    def method_label(self):
        """The method and its normalisation as a person reads them ("SAW, min–max"), not the codes."""
        return "%s, %s" % (METHOD_LABELS.get(self.method, self.method), NORMALIZATION_LABELS.get(self.normalization, self.normalization))

    @property
    def is_confirmed(self):
        return self.status == RunStatus.CONFIRMED

    def input_arrays(self):
        with np.load(io.BytesIO(bytes(self.inputs))) as data:
            return data["region_ids"], data["matrix"]

    def input_region_ids(self):
        """The region ids of ``inputs`` alone (the matrix is not read)."""
        with np.load(io.BytesIO(bytes(self.inputs))) as data:
            return data["region_ids"]

    def output_arrays(self):
        """(scores, ranks, probability or None without SMAA), aligned with the region ids of ``inputs``."""
        with np.load(io.BytesIO(bytes(self.outputs))) as data:
            return data["scores"], data["ranks"], data["probability"] if "probability" in data.files else None


class Stability(models.TextChoices):
    STABLE_IN = "stable_in", _("stable in")
    BORDERLINE = "borderline", _("borderline")
    STABLE_OUT = "stable_out", _("stable out")


class RunResult(models.Model):
    """A region's result in a run, stored for the shortlist and the excluded regions only: the
    other eligible regions' are in ``ScreeningRun.outputs`` (``services.run_results``)."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="results")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    # Null for an excluded region, which has its rule in ``excluded_by``.
    score = models.FloatField(_("score"), null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    in_shortlist = models.BooleanField(_("in the shortlist"), default=False)
    shortlist_reason = models.CharField(_("why in the shortlist"), max_length=120, blank=True)
    probability = models.FloatField(_("probability of the shortlist"), null=True)
    stability = models.CharField(_("stability"), max_length=10, choices=Stability.choices, blank=True)
    excluded_by = models.CharField(_("excluded by"), max_length=255, blank=True)

    class Meta:
        ordering = ["run", "rank", "region__code"]
        verbose_name = _("screening result")
        verbose_name_plural = _("screening results")
        constraints = [models.UniqueConstraint(fields=["run", "region"], name="one_result_per_run_region")]
        indexes = [models.Index(fields=["run", "rank"])]
