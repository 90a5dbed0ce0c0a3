"""Administrative units of Indonesia as one tree.

Provinces, kabupaten and kota today; the same table takes kecamatan, desa and kelurahan for a
smart-village program (or the synthetic units of the scale benchmarks) without a schema change.
Codes are Kemendagri's (``63`` for a province, ``63.03`` for a kabupaten/kota).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Kind(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency (kabupaten)")
    KOTA = "kota", _("City (kota)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    DESA = "desa", _("Village (desa)")
    KELURAHAN = "kelurahan", _("Urban village (kelurahan)")


KABKOTA_KINDS = (Kind.KABUPATEN, Kind.KOTA)


class IslandGroup(models.TextChoices):
    """Island groups follow the first digit of the Kemendagri province code (DESIGN.md)."""

    SUMATRA = "sumatra", _("Sumatra and its islands")
    JAVA = "java", _("Java")
    BALI_NUSA_TENGGARA = "bali_nusa_tenggara", _("Bali and Nusa Tenggara")
    KALIMANTAN = "kalimantan", _("Kalimantan")
    SULAWESI = "sulawesi", _("Sulawesi")
    MALUKU = "maluku", _("Maluku")
    PAPUA = "papua", _("Papua")


class TimeZone(models.TextChoices):
    WIB = "WIB", "WIB (UTC+7)"
    WITA = "WITA", "WITA (UTC+8)"
    WIT = "WIT", "WIT (UTC+9)"


# IANA names used to show deadlines in the region's local time.
IANA_TIME_ZONES = {
    TimeZone.WIB: "Asia/Jakarta",
    TimeZone.WITA: "Asia/Makassar",
    TimeZone.WIT: "Asia/Jayapura",
}


class RegionQuerySet(models.QuerySet):
    def kabkota(self):
        return self.filter(kind__in=KABKOTA_KINDS)

    def provinces(self):
        return self.filter(kind=Kind.PROVINSI)


class Region(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        related_name="children",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    # The province of every unit below province level, and the province itself for a province:
    # kept so that "all units of province X" is one indexed filter at any depth of the tree.
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    island_group = models.CharField(
        _("island group"), max_length=24, choices=IslandGroup.choices, db_index=True
    )
    time_zone = models.CharField(_("time zone"), max_length=4, choices=TimeZone.choices)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_male = models.PositiveBigIntegerField(_("male population"), null=True, blank=True)
    population_female = models.PositiveBigIntegerField(
        _("female population"), null=True, blank=True
    )
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    figures_as_of = models.DateField(_("figures as of"), null=True, blank=True)

    history = HistoricalRecords()
    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["kind", "province"])]

    def __str__(self):
        return self.name

    @property
    def is_kabkota(self):
        return self.kind in KABKOTA_KINDS

    @property
    def iana_time_zone(self):
        return IANA_TIME_ZONES[self.time_zone]

    @property
    def density(self):
        if self.population and self.area_km2:
            return float(self.population) / float(self.area_km2)
        return None


class RegionShape(models.Model):
    """A unit's boundary as SVG path data, simplified once at load time.

    Two levels of detail in one projected plane (x = longitude, y = -latitude, scaled): a coarse
    path for the national map (all 514 kabupaten/kota on one page) and a finer outline for the
    unit's own page. Computing them at load time keeps every page light and every server
    stateless.
    """

    region = models.OneToOneField(Region, related_name="shape", on_delete=models.CASCADE)
    map_path = models.TextField()
    outline_path = models.TextField()
    # Bounding box of outline_path, in its units: "min_x min_y width height".
    outline_view_box = models.CharField(max_length=80)
    source_vertices = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("region shape")
        verbose_name_plural = _("region shapes")

    def __str__(self):
        return f"{self.region.code}"


class AgencyKind(models.Model):
    """A common kind of regional agency (Perangkat Daerah), shipped as data
    (``data/agency_kinds.csv``): Bappeda, Diskominfo, Dinas Kesehatan, ... Master plans, evaluation
    and the program library group agencies of different regions by their kind."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=160)
    name_en = models.CharField(_("name in English"), max_length=160, blank=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency kind")
        verbose_name_plural = _("agency kinds")

    def __str__(self):
        return self.short_name or self.name


class Agency(models.Model):
    """One regional agency (OPD) of a kabupaten/kota. A region's operator keeps their own list;
    an operator's role grant may name one agency (accounts.RoleGrant.agency)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), related_name="agencies", on_delete=models.CASCADE
    )
    kind = models.ForeignKey(
        AgencyKind, verbose_name=_("kind"), related_name="agencies", on_delete=models.PROTECT,
        null=True, blank=True,
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="agency_name_unique_in_region"),
        ]

    def __str__(self):
        return self.short_name or self.name
