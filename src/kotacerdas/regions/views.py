"""The region list (filter, search, sort, export) and each region's page."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kotacerdas.lib.export import CONTENT_TYPES, table_response
from kotacerdas.program.models import Participation, Status

from .models import KABKOTA_KINDS, Kind, Region, RegionShape
from kotacerdas.accounts.permissions import permission

PAGE_SIZE = 50
LIST_KINDS = (Kind.KABUPATEN, Kind.KOTA, Kind.PROVINSI)
SORTS = {
    "name": ("name", "code"),
    "code": ("code",),
    "population": ("population", "code"),
    "area": ("area_km2", "code"),
}
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
    "selected_in_phase",
    "selected_in_year",
    "selected_in_demo_phase",
)


def _filters(params, provinces):
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


def selections_of(region_ids):
    """{region id: phase} of the phase in which each region was selected (a real phase first)."""
    selected = {}
    rows = (
        Participation.objects.filter(status=Status.SELECTED, region_id__in=region_ids)
        .select_related("phase")
        .order_by("phase__is_demo", "phase__year")
    )
    for participation in rows:
        selected.setdefault(participation.region_id, participation.phase)
    return selected


def _export(regions, file_format):
    regions = list(regions)
    selected = selections_of([region.pk for region in regions])
    rows = []
    for region in regions:
        phase = selected.get(region.pk)
        rows.append(
            (
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
                phase.name if phase else "",
                phase.year if phase else "",
                ("yes" if phase.is_demo else "no") if phase else "",
            )
        )
    notice = None
    if any(phase.is_demo for phase in selected.values()):
        notice = _(
            "DEMO: this table contains selections in a demo phase; they are invented for demonstration and are not program decisions."
        )
    return table_response("regions", EXPORT_HEADER, rows, file_format, notice=notice)


@permission("view_public")
def region_list(request):
    provinces = {province.code: province for province in Region.objects.provinces().order_by("code")}
    filters, errors = _filters(request.GET, provinces)
    regions = filtered_regions(filters, provinces)

    file_format = request.GET.get("format", "").strip()
    if file_format:
        if file_format not in CONTENT_TYPES:
            errors.append(
                _("“%(value)s” is not an export format; use csv or xlsx.") % {"value": file_format}
            )
        if errors:
            return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
        return _export(regions, file_format)

    page = Paginator(regions, PAGE_SIZE).get_page(request.GET.get("page"))
    selected = selections_of([region.pk for region in page])
    rows = [(region, selected.get(region.pk)) for region in page]
    return render(
        request,
        "regions/region_list.html",
        {
            "page": page,
            "rows": rows,
            "count": page.paginator.count,
            "filters": filters,
            "errors": errors,
            "provinces": provinces.values(),
            "kinds": [(kind.value, kind.label) for kind in LIST_KINDS],
            # The export links carry the valid filters only, so they never lead to an error.
            "export_query": "".join(f"{urlencode({key: value})}&" for key, value in filters.items() if value),
        },
    )


@permission("view_public")
def region_detail(request, code):
    region = get_object_or_404(Region.objects.select_related("province", "parent"), code=code)
    shape = RegionShape.objects.filter(region=region).first()
    province = region.province if region.province_id and region.province_id != region.pk else None
    province_shape = None
    if province is not None and shape is not None:
        # The province's coarse map outline drawn faintly behind, for context only (a few KB).
        province_shape = RegionShape.objects.filter(region=province).only("map_path").first()

    view_box = None
    if shape is not None:
        try:
            min_x, min_y, width, height = (float(value) for value in shape.outline_view_box.split())
        except ValueError:
            min_x = min_y = width = height = None
        if width and height:
            pad = max(width, height) * 0.06
            view_box = f"{min_x - pad:.0f} {min_y - pad:.0f} {width + 2 * pad:.0f} {height + 2 * pad:.0f}"

    members = []
    if region.kind == Kind.PROVINSI:
        children = list(Region.objects.filter(parent=region).order_by("code"))
        selected = selections_of([child.pk for child in children])
        members = [(child, selected.get(child.pk)) for child in children]

    participations = []
    for participation in (
        Participation.objects.filter(region=region).select_related("phase").order_by("phase__year")
    ):
        changes = participation.history.select_related("history_user").order_by("history_date", "history_id")
        participations.append((participation, list(changes)))

    return render(
        request,
        "regions/region_detail.html",
        {
            "region": region,
            "shape": shape,
            "view_box": view_box,
            "province": province,
            "province_shape": province_shape,
            "members": members,
            "participations": participations,
            "has_demo": any(participation.phase.is_demo for participation, _changes in participations),
        },
    )


# --- agencies (OPD) -------------------------------------------------------------------------------


@permission("manage_agencies")
def agency_list(request, code):
    """A region's agencies: its operator adds, renames and removes them; the ministry too."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from kotacerdas.accounts.permissions import scope

    from . import services
    from .models import Agency, AgencyKind

    region = get_object_or_404(scope(Region.objects.all(), request.user, "manage_agencies"), code=code)
    if request.method == "POST":
        try:
            if "delete" in request.POST:
                agency = get_object_or_404(Agency, region=region, pk=request.POST.get("delete"))
                services.delete_agency(agency, user=request.user)
            elif "defaults" in request.POST:
                services.adopt_default_agencies(region, user=request.user)
            else:
                agency = None
                if request.POST.get("agency"):
                    agency = get_object_or_404(Agency, region=region, pk=request.POST["agency"])
                services.save_agency(
                    region, name=request.POST.get("name", ""), short_name=request.POST.get("short_name", ""),
                    kind=request.POST.get("kind", "") or None, agency=agency, user=request.user,
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The list of agencies is saved."))
            return redirect("region-agencies", code=region.code)
    return render(
        request,
        "regions/agencies.html",
        {
            "region": region,
            "agencies": region.agencies.select_related("kind"),
            "kinds": AgencyKind.objects.all(),
        },
    )


@permission("import_agencies")
def agency_import(request):
    """The ministry imports agency lists of many regions from XLSX or CSV (one transaction)."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from kotacerdas.lib.tabular import TableError

    from .services import import_agencies

    errors = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose a file to import.")]
        else:
            try:
                created, updated = import_agencies(upload, name=upload.name, user=request.user)
            except TableError as exc:
                errors = [str(error) for error in exc.errors]
            else:
                messages.success(
                    request, _("%(created)s agencies added, %(updated)s changed.") % {"created": created, "updated": updated}
                )
                return redirect("agency-import")
    return render(request, "regions/agency_import.html", {"errors": errors})
