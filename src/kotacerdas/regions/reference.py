"""Loading the reference data shipped in ``kotacerdas/data`` (see its SOURCES.md).

Each loader checks its whole file before writing, writes in one transaction, and only touches a
row whose values changed, so running it again changes nothing and records no new history.
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from shapely.geometry import shape

from kotacerdas.lib.language import program_gettext
from kotacerdas.lib.tabular import CellError, TableError, read_table

from .models import AgencyKind, Kind, IslandGroup, Region, RegionShape, TimeZone

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REGIONS_CSV = DATA_DIR / "regions.csv"
INDICATORS_CSV = DATA_DIR / "indicators_2024.csv"
KABKOTA_GEOJSON = DATA_DIR / "kabkota.geojson"
PROVINCES_GEOJSON = DATA_DIR / "provinces.geojson"
AGENCY_KINDS_CSV = DATA_DIR / "agency_kinds.csv"

# Population (Dukcapil, semester II 2024) and area (BIG, December 2024): see SOURCES.md.
FIGURES_AS_OF = datetime.date(2024, 12, 31)

# First digit of the province code -> island group (DESIGN.md, "Regions as a tree").
ISLAND_GROUP_BY_DIGIT = {
    "1": IslandGroup.SUMATRA,
    "2": IslandGroup.SUMATRA,
    "3": IslandGroup.JAVA,
    "5": IslandGroup.BALI_NUSA_TENGGARA,
    "6": IslandGroup.KALIMANTAN,
    "7": IslandGroup.SULAWESI,
    "8": IslandGroup.MALUKU,
    "9": IslandGroup.PAPUA,
}

# Indonesia's three time zones by province (Keputusan Presiden No. 41 Tahun 1987): western
# (WIB) for Sumatra, Java, West and Central Kalimantan; central (WITA) for Bali, Nusa Tenggara,
# South, East and North Kalimantan and Sulawesi; eastern (WIT) for Maluku and Papua.
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}


def island_group_for(province_code):
    """The island group of a province, from the first digit of its code."""
    return ISLAND_GROUP_BY_DIGIT[province_code[0]]


def time_zone_for(province_code):
    """The time zone (WIB, WITA, WIT) of a province, from its code."""
    if province_code[0] in {"8", "9"}:
        return TimeZone.WIT
    if province_code in WITA_PROVINCES:
        return TimeZone.WITA
    return TimeZone.WIB


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list = field(default_factory=list)

    def __str__(self):
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def _save_if_changed(instance, values, report, reason):
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance._change_reason = reason
        instance.save()
        report.created += 1
    elif changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance._change_reason = reason
        instance.save()
        report.updated += 1
    else:
        report.unchanged += 1


def load_regions(path=REGIONS_CSV):
    """Load provinces and kabupaten/kota from a ``code,name,kind,province_code`` table."""
    table = read_table(path, required_columns=("code", "name", "kind", "province_code"))
    errors = []
    seen = {}
    valid_kinds = {Kind.PROVINSI, Kind.KABUPATEN, Kind.KOTA}
    for line, row in table.rows:
        code, kind, province_code = row["code"], row["kind"], row["province_code"]
        if not code:
            errors.append(CellError(line, "code", _("the code is empty")))
            continue
        if code in seen:
            errors.append(
                CellError(line, "code", _("code %(code)s repeats row %(row)s") % {"code": code, "row": seen[code]})
            )
        seen[code] = line
        if not row["name"]:
            errors.append(CellError(line, "name", _("the name is empty")))
        if kind not in valid_kinds:
            errors.append(
                CellError(line, "kind", _("%(kind)r is not one of provinsi, kabupaten, kota") % {"kind": kind})
            )
            continue
        if kind == Kind.PROVINSI:
            if province_code != code or "." in code:
                errors.append(CellError(line, "province_code", _("a province is its own province_code")))
        elif not code.startswith(province_code + ".") or code.count(".") != 1:
            errors.append(
                CellError(
                    line,
                    "code",
                    _("code %(code)s is not a kabupaten/kota code of province %(province)s")
                    % {"code": code, "province": province_code},
                )
            )
        if province_code and province_code[0] not in ISLAND_GROUP_BY_DIGIT:
            errors.append(CellError(line, "province_code", _("unknown island group for %s") % province_code))
    province_codes = {row["code"] for _line, row in table.rows if row["kind"] == Kind.PROVINSI}
    for line, row in table.rows:
        if row["kind"] in (Kind.KABUPATEN, Kind.KOTA) and row["province_code"] not in province_codes:
            errors.append(
                CellError(line, "province_code", _("province %s is not in the file") % row["province_code"])
            )
    if errors:
        raise TableError(table.source, errors)

    report = LoadReport()
    reason = program_gettext(gettext_noop("loaded from %s")) % Path(table.source).name
    with transaction.atomic():
        existing = {region.code: region for region in Region.objects.all()}
        provinces = {}
        # Provinces first, so every kabupaten/kota finds its parent.
        ordered = sorted(table.rows, key=lambda item: item[1]["kind"] != Kind.PROVINSI)
        for _line, row in ordered:
            code = row["code"]
            region = existing.get(code) or Region(code=code)
            province = None if row["kind"] == Kind.PROVINSI else provinces[row["province_code"]]
            values = {
                "name": row["name"],
                "kind": row["kind"],
                "parent_id": province.pk if province else None,
                "island_group": island_group_for(row["province_code"]),
                "time_zone": time_zone_for(row["province_code"]),
            }
            _save_if_changed(region, values, report, reason)
            if row["kind"] == Kind.PROVINSI:
                if region.province_id != region.pk:
                    Region.objects.filter(pk=region.pk).update(province=region)
                    region.province_id = region.pk
                provinces[code] = region
            elif region.province_id != province.pk:
                Region.objects.filter(pk=region.pk).update(province=province)
    return report


def load_figures(path=INDICATORS_CSV):
    """Load population and area (end of 2024) onto the regions already in the registry."""
    columns = ("code", "area_km2", "population_total", "population_male", "population_female")
    table = read_table(path, required_columns=columns)
    regions = {region.code: region for region in Region.objects.all()}
    errors, parsed = [], []
    for line, row in table.rows:
        region = regions.get(row["code"])
        if region is None:
            errors.append(CellError(line, "code", _("region %s is not in the registry") % row["code"]))
            continue
        try:
            area = Decimal(row["area_km2"])
            if area <= 0:
                raise InvalidOperation
        except InvalidOperation:
            errors.append(CellError(line, "area_km2", _("%r is not a positive number") % row["area_km2"]))
            continue
        counts = {}
        for column in ("population_total", "population_male", "population_female"):
            try:
                counts[column] = int(row[column])
                if counts[column] < 0:
                    raise ValueError
            except ValueError:
                errors.append(CellError(line, column, _("%r is not a whole number") % row[column]))
        if len(counts) == 3 and counts["population_male"] + counts["population_female"] != counts["population_total"]:
            errors.append(
                CellError(line, "population_total", _("male plus female is not the total"))
            )
        parsed.append((region, area, counts))
    if errors:
        raise TableError(table.source, errors)
    report = LoadReport()
    reason = program_gettext(gettext_noop("figures loaded from %s")) % Path(table.source).name
    with transaction.atomic():
        for region, area, counts in parsed:
            values = {
                "area_km2": area,
                "population": counts["population_total"],
                "population_male": counts["population_male"],
                "population_female": counts["population_female"],
                "figures_as_of": FIGURES_AS_OF,
            }
            _save_if_changed(region, values, report, reason)
    return report


# Projection for SVG: x = longitude, y = -latitude (north up), both times a scale. At
# Indonesia's latitudes (11°S to 6°N) the plate carrée distortion is under 2%.
MAP_SCALE, MAP_TOLERANCE_DEG, MAP_DECIMALS = 10, 0.02, 1
OUTLINE_SCALE, OUTLINE_TOLERANCE_DEG, OUTLINE_DECIMALS = 1000, 0.002, 0


def _polygons(geometry):
    if geometry.geom_type == "Polygon":
        return [geometry]
    if geometry.geom_type == "MultiPolygon":
        return list(geometry.geoms)
    if geometry.geom_type == "GeometryCollection":
        return [part for item in geometry.geoms for part in _polygons(item)]
    return []


def _ring_path(coords, scale, decimals):
    points = []
    last = None
    for lon, lat in coords:
        point = (round(lon * scale, decimals), round(-lat * scale, decimals))
        if decimals == 0:
            point = (int(point[0]), int(point[1]))
        if point != last:
            points.append(point)
            last = point
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    head, *rest = points
    return f"M{head[0]} {head[1]}L" + " ".join(f"{x} {y}" for x, y in rest) + "Z"


def svg_path(geometry, scale, tolerance, decimals):
    """SVG path data of a (multi)polygon, simplified with Douglas-Peucker at ``tolerance`` degrees.

    Parts smaller than the tolerance vanish; the largest part is always kept so that every unit
    stays visible on the map.
    """
    parts = sorted(_polygons(geometry), key=lambda polygon: polygon.area, reverse=True)
    pieces = []
    for index, polygon in enumerate(parts):
        simplified = polygon.simplify(tolerance, preserve_topology=True)
        if index and (simplified.is_empty or simplified.area < tolerance * tolerance):
            continue
        for part in _polygons(simplified) or [polygon]:
            rings = [part.exterior] + list(part.interiors)
            pieces.extend(filter(None, (_ring_path(ring.coords, scale, decimals) for ring in rings)))
    if not pieces and parts:  # a unit smaller than the tolerance: draw its raw outline
        pieces.append(_ring_path(parts[0].exterior.coords, scale, decimals))
    return "".join(pieces)


def load_shapes(paths=(KABKOTA_GEOJSON, PROVINCES_GEOJSON)):
    """Load boundaries from GeoJSON feature collections keyed by ``properties.code``."""
    regions = {region.code: region for region in Region.objects.all()}
    errors, parsed = [], []
    for path in paths:
        collection = json.loads(Path(path).read_text(encoding="utf-8"))
        for index, feature in enumerate(collection.get("features", []), start=1):
            code = (feature.get("properties") or {}).get("code")
            region = regions.get(code)
            if region is None:
                errors.append(CellError(index, "properties.code", _("region %s is not in the registry") % code))
                continue
            try:
                geometry = shape(feature["geometry"])
            except Exception as exc:
                errors.append(CellError(index, "geometry", _("invalid geometry: %s") % exc))
                continue
            min_x, min_y, max_x, max_y = geometry.bounds
            view_box = " ".join(
                str(int(value))
                for value in (
                    min_x * OUTLINE_SCALE,
                    -max_y * OUTLINE_SCALE,
                    (max_x - min_x) * OUTLINE_SCALE + 1,
                    (max_y - min_y) * OUTLINE_SCALE + 1,
                )
            )
            vertices = sum(len(p.exterior.coords) + sum(len(r.coords) for r in p.interiors) for p in _polygons(geometry))
            parsed.append(
                (
                    region,
                    {
                        "map_path": svg_path(geometry, MAP_SCALE, MAP_TOLERANCE_DEG, MAP_DECIMALS),
                        "outline_path": svg_path(geometry, OUTLINE_SCALE, OUTLINE_TOLERANCE_DEG, OUTLINE_DECIMALS),
                        "outline_view_box": view_box,
                        "source_vertices": vertices,
                    },
                )
            )
        if errors:
            raise TableError(Path(path).name, errors)
    report = LoadReport()
    with transaction.atomic():
        existing = {shape.region_id: shape for shape in RegionShape.objects.all()}
        for region, values in parsed:
            instance = existing.get(region.pk) or RegionShape(region=region)
            changed = instance.pk is None or any(getattr(instance, k) != v for k, v in values.items())
            if changed:
                for name, value in values.items():
                    setattr(instance, name, value)
                if instance.pk is None:
                    report.created += 1
                else:
                    report.updated += 1
                instance.save()
            else:
                report.unchanged += 1
    return report


def load_agency_kinds(path=AGENCY_KINDS_CSV):
    """Load the common kinds of regional agency (``code,short_name,name,name_en``)."""
    table = read_table(path, required_columns=("code", "short_name", "name", "name_en"))
    errors, seen = [], {}
    for line, row in table.rows:
        if not row["code"]:
            errors.append(CellError(line, "code", _("the code is empty")))
        elif row["code"] in seen:
            errors.append(
                CellError(line, "code", _("code %(code)s repeats row %(row)s") % {"code": row["code"], "row": seen[row["code"]]})
            )
        seen.setdefault(row["code"], line)
        if not row["name"]:
            errors.append(CellError(line, "name", _("the name is empty")))
    if errors:
        raise TableError(table.source, errors)
    report = LoadReport()
    with transaction.atomic():
        existing = {kind.code: kind for kind in AgencyKind.objects.all()}
        for _line, row in table.rows:
            kind = existing.get(row["code"]) or AgencyKind(code=row["code"])
            values = {"name": row["name"], "name_en": row["name_en"], "short_name": row["short_name"]}
            _save_if_changed(kind, values, report, reason="")
    return report


def load_reference_data():
    """All of the shipped reference data, in dependency order."""
    return {
        "regions": load_regions(),
        "figures": load_figures(),
        "shapes": load_shapes(),
        "agency_kinds": load_agency_kinds(),
    }
