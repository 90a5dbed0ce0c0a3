"""The indicator catalogue and the values of each region per year.

An indicator is numeric (with a valid range) or ordered categories mapped to scores (Kemenkeu's
fiscal capacity categories, Kemendagri's EKPPD status). Values of a categorical indicator are
stored as the category's score, with the category itself beside it. Every value comes from an
import batch (who, when, which file); a value it replaced is kept in :class:`ReplacedValue`.
Values invented for the demo carry ``synthetic`` (on the value and its batch).
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kotacerdas.regions.models import Kind, Region


class Direction(models.TextChoices):
    BENEFIT = "benefit", _("More is better")
    COST = "cost", _("Less is better")


class ValueType(models.TextChoices):
    NUMERIC = "numeric", _("Number")
    CATEGORICAL = "categorical", _("Ordered categories")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    source_agency = models.CharField(_("source agency"), max_length=200)
    # Kinds of region the indicator exists for (Kind values), e.g. ["kota"] for an index of cities.
    region_kinds = models.JSONField(_("kinds of region"), default=list)
    value_type = models.CharField(_("value type"), max_length=12, choices=ValueType.choices)
    min_value = models.FloatField(_("lowest valid value"), null=True, blank=True)
    max_value = models.FloatField(_("highest valid value"), null=True, blank=True)
    # Ordered categories, worst first: [{"label": "sangat rendah", "score": 1}, ...].
    categories = models.JSONField(_("categories"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.name_en if translation.get_language() == "en" else self.name_id

    @property
    def is_benefit(self):
        return self.direction == Direction.BENEFIT

    @property
    def is_categorical(self):
        return self.value_type == ValueType.CATEGORICAL

    def category_scores(self):
        """{label (lower case): score} of a categorical indicator."""
        return {c["label"].strip().lower(): float(c["score"]) for c in self.categories}

    def category_for(self, score):
        for category in self.categories:
            if float(category["score"]) == score:
                return category["label"]
        return ""

    def applies_to(self, kind):
        return not self.region_kinds or kind in self.region_kinds

    def kinds_display(self):
        labels = dict(Kind.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in self.region_kinds)


class ImportBatch(models.Model):
    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    file_name = models.CharField(_("file"), max_length=255)
    layout = models.CharField(_("layout"), max_length=8)  # "long" or "wide"
    value_count = models.PositiveIntegerField(_("values"), default=0)
    created_count = models.PositiveIntegerField(_("new values"), default=0)
    replaced_count = models.PositiveIntegerField(_("replaced values"), default=0)
    synthetic = models.BooleanField(
        _("synthetic"), default=False,
        help_text=_("Invented values for the demo, not published figures."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("indicator import")
        verbose_name_plural = _("indicator imports")

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"


class ValueQuerySet(models.QuerySet):
    """Bulk writes that Django sends no signal for mark the packed columns of the values they
    touch as stale (see :class:`ValueColumn`); saves and deletes do it through signals."""

    def _columns(self):
        return set(self.values_list("indicator_id", "year", "region__kind").distinct().order_by())

    def _columns_of(self, pks):
        found = set()
        for start in range(0, len(pks), 500):
            found |= IndicatorValue.objects.filter(pk__in=pks[start:start + 500])._columns()
        return found

    def update(self, **kwargs):
        from .columns import mark_stale

        before = self._columns()
        moves = {"indicator", "indicator_id", "year", "region", "region_id"} & set(kwargs)
        moved = list(self.values_list("pk", flat=True)) if moves else []
        count = super().update(**kwargs)
        mark_stale(before | self._columns_of(moved))  # and where the moved values went
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        from .columns import keys_of, mark_stale

        objs = list(objs)
        created = super().bulk_create(objs, *args, **kwargs)
        mark_stale(keys_of((obj.region_id, obj.indicator_id, obj.year) for obj in objs))
        return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        from .columns import keys_of, mark_stale

        objs = list(objs)
        before = self._columns_of([obj.pk for obj in objs])
        count = super().bulk_update(objs, fields, *args, **kwargs)
        mark_stale(before | keys_of((obj.region_id, obj.indicator_id, obj.year) for obj in objs))
        return count

    bulk_update.alters_data = True


class IndicatorValue(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    year = models.PositiveSmallIntegerField(_("year"))
    # The number, or the score of the category for a categorical indicator.
    value = models.FloatField(_("value"))
    category = models.CharField(_("category"), max_length=60, blank=True)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="values")
    synthetic = models.BooleanField(_("synthetic"), default=False)

    objects = ValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "year", "region"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["region", "indicator", "year"], name="one_value_per_region_indicator_year"),
        ]
        indexes = [models.Index(fields=["indicator", "year"])]

    def __str__(self):
        return f"{self.region_id} {self.indicator_id} {self.year}: {self.category or self.value}"


class ValueColumn(models.Model):
    """Every stored value of one indicator and year for one kind of region packed in two arrays: the region ids
    (little-endian int64, ascending) and their values (little-endian float64), a copy of the
    :class:`IndicatorValue` rows for reading whole decision matrices. Reading 83,763 regions x 30
    indicators as rows costs several times the ranking itself (bench/screening.py); as 30 pairs
    of arrays it costs a few hundredths of a second.

    ``write_values`` (every import) rewrites the columns it touches in its transaction. Any other
    write of values (a save or delete, the admin, a cascade, a bulk update) marks the column
    stale and bumps ``version``; the next read rebuilds a stale column from the rows. Every
    (indicator, year, kind) that has values has a column. See :mod:`kotacerdas.indicators.columns`."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind of region"), max_length=12, choices=Kind.choices)
    region_ids = models.BinaryField(default=b"")
    numbers = models.BinaryField(default=b"")
    synthetic = models.BooleanField(_("synthetic"), default=False)  # any of its values
    stale = models.BooleanField(default=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("packed indicator values")
        verbose_name_plural = _("packed indicator values")
        constraints = [models.UniqueConstraint(fields=["indicator", "year", "kind"],
                                               name="one_column_per_indicator_year_kind")]


class ReplacedValue(models.Model):
    """A value that an import overwrote, as it was before."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="replaced")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    old_value = models.FloatField(_("old value"))
    old_category = models.CharField(_("old category"), max_length=60, blank=True)
    old_batch = models.ForeignKey(ImportBatch, null=True, on_delete=models.SET_NULL, related_name="+")
    new_value = models.FloatField(_("new value"))
    new_category = models.CharField(_("new category"), max_length=60, blank=True)

    class Meta:
        ordering = ["batch", "indicator", "region"]
        verbose_name = _("replaced value")
        verbose_name_plural = _("replaced values")
