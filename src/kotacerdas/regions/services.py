"""The list of regions: which filters a request may use, and the regions they select (shared by
the region list page and the API, which add each region's program status)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import KABKOTA_KINDS, Kind, Region

PAGE_SIZE = 50
LIST_KINDS = (Kind.KABUPATEN, Kind.KOTA, Kind.PROVINSI)
SORTS = {
    "name": ("name", "code"),
    "code": ("code",),
    "population": ("population", "code"),
    "area": ("area_km2", "code"),
}
# The registry's columns of an export of the list (the program adds the selection's).
EXPORT_HEADER = (
    "code",
    "name",
    "kind",
    "province_code",
    "province",
    "island_group",
    "time_zone",
    "population",
    "area_km2",
    "figures_as_of",
)


def read_filters(params, provinces):
    """The valid filters of a request and a message for each value that is not valid."""
    errors = []
    kind = params.get("kind", "").strip()
    if kind and kind not in LIST_KINDS:
        errors.append(
            _("“%(value)s” is not a kind of region; choose kabupaten, kota or provinsi. All kabupaten and kota are shown.")
            % {"value": kind}
        )
        kind = ""
    province = params.get("province", "").strip()
    if province and province not in provinces:
        errors.append(
            _("There is no province with code “%(value)s”; the list is not filtered by province.")
            % {"value": province}
        )
        province = ""
    sort = params.get("sort", "").strip()
    if sort and sort.lstrip("-") not in SORTS:
        errors.append(
            _("The list cannot be sorted by “%(value)s”; use name, code, population or area. It is sorted by code.")
            % {"value": sort}
        )
        sort = ""
    return {"kind": kind, "province": province, "q": params.get("q", "").strip(), "sort": sort}, errors


def filtered_regions(filters, provinces):
    """The regions of ``filters`` (from :func:`read_filters`): kabupaten and kota unless a kind is
    given, in a province, matching a part of the name or code, sorted."""
    regions = Region.objects.select_related("province")
    if filters["kind"]:
        regions = regions.filter(kind=filters["kind"])
    else:
        regions = regions.filter(kind__in=KABKOTA_KINDS)
    if filters["province"]:
        regions = regions.filter(province=provinces[filters["province"]])
    if filters["q"]:
        regions = regions.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
    sort = filters["sort"] or "code"
    fields = SORTS[sort.lstrip("-")]
    if sort.startswith("-"):
        regions = regions.order_by(*(f"-{field}" for field in fields))
    else:
        regions = regions.order_by(*fields)
    return regions


def registry_row(region):
    """The registry's values of one region for an export, in the order of :data:`EXPORT_HEADER`."""
    return (
        region.code,
        region.name,
        region.kind,
        region.province.code if region.province else "",
        region.province.name if region.province else "",
        region.island_group,
        region.time_zone,
        region.population,
        region.area_km2,
        region.figures_as_of,
    )


def provinces_by_code():
    """{code: province} of every province, by code."""
    return {province.code: province for province in Region.objects.provinces().order_by("code")}


def map_view_box(shape, margin=0.06):
    """The SVG view box of a region's outline with a margin around it, or None without one."""
    if shape is None:
        return None
    try:
        min_x, min_y, width, height = (float(value) for value in shape.outline_view_box.split())
    except ValueError:
        return None
    if not (width and height):
        return None
    pad = max(width, height) * margin
    return f"{min_x - pad:.0f} {min_y - pad:.0f} {width + 2 * pad:.0f} {height + 2 * pad:.0f}"
