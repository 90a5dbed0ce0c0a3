"""Smart city master plans: the taxonomy (dimensions and elements, as data), each region's plan in
versions, its programs with budgets and KPIs, review comments and yearly progress.

Design choices:

- The taxonomy is rows loaded from a CSV (``data/taxonomy_smart_city_2017.csv``), versioned by
  ``(code, version)``; a plan keeps the taxonomy it was written on, so a new taxonomy never
  changes an old plan.
- A plan is a chain of versions. Once approved a version never changes (services refuse, and
  :meth:`MasterPlan.is_editable` is the one test); editing starts a new draft copied from it.
  ``Program.lineage`` stays the same across copies so that two versions can be compared program by
  program and progress can follow a program over the years.
- Progress (:class:`ProgressRecord`) is kept beside the plan, one row per program and year, so
  reporting it never touches an approved version.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Horizon of a program by its span in years (end year − start year + 1), per the program's
# master plan guidance: short = 1 year, medium = up to 5, long = up to 10.
SHORT_SPAN, MEDIUM_SPAN, LONG_SPAN = 1, 5, 10
PLAN_MIN_YEARS, PLAN_MAX_YEARS = 5, 10


class Horizon(models.TextChoices):
    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")


def horizon_for(start_year, end_year):
    """The horizon of a program from its years, or None when the span is not 1–10 years."""
    span = end_year - start_year + 1
    if span < 1 or span > LONG_SPAN:
        return None
    if span == SHORT_SPAN:
        return Horizon.SHORT
    return Horizon.MEDIUM if span <= MEDIUM_SPAN else Horizon.LONG


class Taxonomy(models.Model):
    code = models.SlugField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    source = models.CharField(_("source file"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="taxonomy_code_version_unique")]

    def __str__(self):
        return f"{self.code} {self.version}"


class Dimension(models.Model):
    taxonomy = models.ForeignKey(Taxonomy, related_name="dimensions", on_delete=models.CASCADE)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["taxonomy", "order"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="dimension_code_unique")]

    def __str__(self):
        return self.name_en if _use_english() else self.name


class Element(models.Model):
    # The taxonomy is repeated here so that an element's code is unique across the whole taxonomy.
    taxonomy = models.ForeignKey(Taxonomy, related_name="elements", on_delete=models.CASCADE)
    dimension = models.ForeignKey(Dimension, related_name="elements", on_delete=models.CASCADE)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    giffinger = models.CharField(_("Giffinger characteristics"), max_length=120, blank=True)
    iso37120 = models.CharField(_("ISO 37120 themes"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["taxonomy", "order"]
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        constraints = [models.UniqueConstraint(fields=["taxonomy", "code"], name="element_code_unique")]

    def __str__(self):
        return self.name_en if _use_english() else self.name


def _use_english():
    from django.utils.translation import get_language

    return (get_language() or "id").startswith("en")


class RpjmdPeriod(models.Model):
    """The region's medium-term development plan (RPJMD) period, as the region records it; a
    master plan is expected to cover it."""

    region = models.OneToOneField("regions.Region", related_name="rpjmd_period", on_delete=models.CASCADE)
    start_year = models.PositiveSmallIntegerField(_("RPJMD start year"))
    end_year = models.PositiveSmallIntegerField(_("RPJMD end year"))
    regulation = models.CharField(_("RPJMD regulation"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("RPJMD period")
        verbose_name_plural = _("RPJMD periods")

    def __str__(self):
        return f"{self.region} RPJMD {self.start_year}–{self.end_year}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for changes")
    FORWARDED = "forwarded", _("Forwarded to the ministry")
    APPROVED = "approved", _("Approved")
    ADOPTED = "adopted", _("Adopted")


EDITABLE_STATUSES = (PlanStatus.DRAFT, PlanStatus.RETURNED)
FINAL_STATUSES = (PlanStatus.APPROVED, PlanStatus.ADOPTED)


class RegulationKind(models.TextChoices):
    PERBUP = "perbup", _("Regent regulation (Perbup)")
    PERWALI = "perwali", _("Mayor regulation (Perwali)")
    PERDA = "perda", _("Regional regulation (Perda)")


class MasterPlan(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("region"), related_name="masterplans", on_delete=models.PROTECT)
    taxonomy = models.ForeignKey(Taxonomy, verbose_name=_("taxonomy"), related_name="plans", on_delete=models.PROTECT)
    version = models.PositiveSmallIntegerField(_("version"))
    based_on = models.ForeignKey("self", verbose_name=_("based on"), related_name="+", on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True)
    is_demo = models.BooleanField(_("demo"), default=False)
    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    # Chapters of the plan, in the order of the program's guidance.
    vision = models.TextField(_("vision"), blank=True)
    missions = models.TextField(_("missions"), blank=True, help_text=_("One mission per line."))
    targets = models.TextField(_("targets"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    threats = models.TextField(_("threats"), blank=True)
    gap_analysis = models.TextField(_("gap analysis"), blank=True)
    integration_architecture = models.TextField(_("integration architecture"), blank=True)
    network = models.TextField(_("network"), blank=True)
    data_centre = models.TextField(_("data centre"), blank=True)
    operation_room = models.TextField(_("operation room"), blank=True)
    # Adoption by a regent's or mayor's regulation or a Perda.
    regulation_kind = models.CharField(_("regulation kind"), max_length=8, choices=RegulationKind.choices, blank=True)
    regulation_number = models.CharField(_("regulation number"), max_length=120, blank=True)
    regulation_date = models.DateField(_("regulation date"), null=True, blank=True)
    signed_file = models.FileField(_("signed regulation"), upload_to="masterplans/regulations/", blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), related_name="+", on_delete=models.PROTECT, null=True, blank=True)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__code", "-version"]
        verbose_name = _("master plan")
        verbose_name_plural = _("master plans")
        constraints = [models.UniqueConstraint(fields=["region", "version"], name="masterplan_version_unique")]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def is_editable(self):
        return self.status in EDITABLE_STATUSES

    @property
    def is_final(self):
        return self.status in FINAL_STATUSES

    @property
    def mission_list(self):
        return [line.strip() for line in self.missions.splitlines() if line.strip()]


class ReadinessArea(models.TextChoices):
    STRUKTUR = "struktur", _("Structure (struktur)")
    INFRASTRUKTUR = "infrastruktur", _("Infrastructure (infrastruktur)")
    SUPRASTRUKTUR = "suprastruktur", _("Superstructure (suprastruktur)")


class ReadinessFinding(models.Model):
    plan = models.ForeignKey(MasterPlan, related_name="findings", on_delete=models.CASCADE)
    area = models.CharField(_("area"), max_length=16, choices=ReadinessArea.choices)
    finding = models.TextField(_("finding"))
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "area", "id"]
        verbose_name = _("readiness finding")
        verbose_name_plural = _("readiness findings")

    def __str__(self):
        return f"{self.get_area_display()}: {self.finding[:40]}"


class Program(models.Model):
    plan = models.ForeignKey(MasterPlan, verbose_name=_("plan"), related_name="programs", on_delete=models.CASCADE)
    # The same program across versions of a plan (copied with it), for version differences and
    # for progress over the years.
    lineage = models.CharField(max_length=32, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    element = models.ForeignKey(Element, verbose_name=_("element"), related_name="programs", on_delete=models.PROTECT)
    owner_agency = models.ForeignKey("regions.Agency", verbose_name=_("owner agency"), related_name="owned_programs", on_delete=models.PROTECT)
    supporting_agencies = models.ManyToManyField("regions.Agency", verbose_name=_("supporting agencies"), related_name="supported_programs", blank=True)
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    horizon = models.CharField(_("horizon"), max_length=8, choices=Horizon.choices)
    quick_win = models.BooleanField(_("quick win"), default=False)
    # A quick win is due within 12 months of the plan's adoption, with the result people will see.
    due_date = models.DateField(_("due date"), null=True, blank=True)
    visible_result = models.TextField(_("result people will see"), blank=True)

    history = HistoricalRecords(m2m_fields=[supporting_agencies])

    class Meta:
        ordering = ["plan", "element__order", "start_year", "name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.UniqueConstraint(fields=["plan", "lineage"], name="program_lineage_unique_in_plan"),
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="program_years_in_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def span(self):
        return self.end_year - self.start_year + 1

    @property
    def total_budget(self):
        return sum(b.amount for b in self.budgets.all())


class BudgetSource(models.TextChoices):
    APBD = "apbd", _("APBD (regional budget)")
    APBN = "apbn", _("APBN (national budget)")
    PRIVATE = "private", _("Non-APBD: private")
    CSR = "csr", _("Non-APBD: CSR")
    PARTNERSHIP = "partnership", _("Non-APBD: partnership")


class ProgramBudget(models.Model):
    program = models.ForeignKey(Program, related_name="budgets", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=12, choices=BudgetSource.choices)
    amount = models.PositiveBigIntegerField(_("amount (rupiah)"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "year", "source"]
        verbose_name = _("program budget")
        verbose_name_plural = _("program budgets")
        constraints = [models.UniqueConstraint(fields=["program", "year", "source"], name="budget_year_source_unique")]


class Kpi(models.Model):
    program = models.ForeignKey(Program, related_name="kpis", on_delete=models.CASCADE)
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True, blank=True)
    # {"2026": 10.0, "2027": 20.0}: the target of each year.
    targets = models.JSONField(_("targets per year"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "id"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self):
        return self.name


class ProgressStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    STOPPED = "stopped", _("Stopped")


class ProgressRecord(models.Model):
    """How far a program had come in a year: beside the plan, never in it."""

    program = models.ForeignKey(Program, related_name="progress", on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=8, choices=ProgressStatus.choices, default=ProgressStatus.PLANNED)
    realisation = models.DecimalField(_("realisation (%)"), max_digits=5, decimal_places=1, null=True, blank=True,
                                      validators=[MinValueValidator(0), MaxValueValidator(100)])
    budget_spent = models.PositiveBigIntegerField(_("budget spent (rupiah)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="masterplans/progress/%Y/", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True)
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "year"]
        verbose_name = _("progress record")
        verbose_name_plural = _("progress records")
        constraints = [models.UniqueConstraint(fields=["program", "year"], name="progress_year_unique")]


class Section(models.TextChoices):
    GENERAL = "general", _("The plan as a whole")
    PERIOD = "period", _("Period")
    READINESS = "readiness", _("Readiness analysis")
    SWOT = "swot", _("SWOT")
    GAP = "gap", _("Gap analysis")
    VISION = "vision", _("Vision and missions")
    TARGETS = "targets", _("Targets")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure plans")
    PROGRAMS = "programs", _("Programs")


class Comment(models.Model):
    """A review comment on a section or a program; replies share the thread's first comment."""

    plan = models.ForeignKey(MasterPlan, related_name="comments", on_delete=models.CASCADE)
    section = models.CharField(_("section"), max_length=16, choices=Section.choices, default=Section.GENERAL)
    # A program removed from the draft leaves its comments on the plan (the thread stays readable).
    program = models.ForeignKey(Program, verbose_name=_("program"), related_name="comments", on_delete=models.SET_NULL, null=True, blank=True)
    thread = models.ForeignKey("self", related_name="replies", on_delete=models.CASCADE, null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), related_name="+", on_delete=models.PROTECT)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "created_at", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self):
        return self.body[:60]

    @property
    def is_open(self):
        return self.resolved_at is None
