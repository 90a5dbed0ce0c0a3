"""The phases of the program: a list, and each phase with its timeline, counts and selected
regions (exportable as CSV or XLSX); the registry's list of regions with the phase that selected
each (filter, search, sort, export)."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseBadRequest
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from kotacerdas.accounts.permissions import permission
from kotacerdas.lib.export import format_error, refuse_format, table_response
from kotacerdas.regions import services as registry

from .forms import PhaseForm
from .models import STAGE_ORDER, Participation, Phase, ParticipationStatus
from .services import demo_notice, phase_or_404, selected_phase_by_region

EXPORT_HEADER = ("code", "name", "province_code", "province", "source")


def incomplete_notice(phase, known):
    return _(
        "The published list of this phase is incomplete: %(known)s of %(quota)s known."
    ) % {"known": known, "quota": phase.quota}


def phases_with_counts():
    """Every phase by year, each with ``selected_count`` (the list page's rows)."""
    return Phase.objects.annotate(
        selected_count=Count("participations", filter=Q(participations__status=ParticipationStatus.SELECTED))
    ).order_by("year")


@permission("view_public")
def phase_list(request):
    return render(request, "program/phase_list.html", {"phases": phases_with_counts()})


@permission("manage_program")
@require_http_methods(["GET", "POST"])
def phase_create(request):
    """A new phase by the ministry, "selection list complete" left unticked: nothing is written
    unless the whole form is valid."""
    form = PhaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            phase = form.save()
        return redirect("program:phase-detail", phase.year)
    return render(request, "program/phase_form.html", {"form": form}, status=400 if form.errors else 200)


@permission("view_public")
def phase_detail(request, year, template="program/phase_detail.html", extra_context=None):
    phase = phase_or_404(year)
    selected = list(
        Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED)
        .select_related("region", "region__province")
        .order_by("region__code")
    )
    notices = []
    if phase.is_demo:
        notices.append(demo_notice(phase))
    if not phase.selection_complete:
        notices.append(incomplete_notice(phase, len(selected)))

    file_format = request.GET.get("format", "").strip()
    if file_format:
        if (refused := refuse_format(file_format)):
            return refused
        rows = [
            (
                p.region.code,
                p.region.name,
                p.region.province.code if p.region.province_id else "",
                p.region.province.name if p.region.province_id else "",
                p.source,
            )
            for p in selected
        ]
        return table_response(
            f"phase-{phase.year}-selected",
            EXPORT_HEADER,
            rows,
            file_format,
            notice=" ".join(notices) or None,
        )

    counts = dict.fromkeys(ParticipationStatus.values, 0)
    for row in (
        Participation.objects.filter(phase=phase).values("status").annotate(n=Count("pk")).order_by()
    ):
        counts[row["status"]] = row["n"]
    stages = sorted(phase.stages.all(), key=lambda s: STAGE_ORDER.get(s.stage, len(STAGE_ORDER)))
    return render(
        request,
        template,
        {
            **(extra_context or {}),
            "phase": phase,
            "stages": stages,
            "counts": [(label, counts[value]) for value, label in ParticipationStatus.choices],
            "selected": selected,
            "selected_count": len(selected),
            "demo_notice": demo_notice(phase),
            "incomplete_notice": None if phase.selection_complete else incomplete_notice(phase, len(selected)),
        },
    )


# --- the list of regions ------------------------------------------------------------------------

REGION_EXPORT_HEADER = (*registry.EXPORT_HEADER, "selected_in_phase", "selected_in_year", "selected_in_demo_phase")


def _export_regions(regions, file_format):
    regions = list(regions)
    selected = selected_phase_by_region([region.pk for region in regions])
    rows = []
    for region in regions:
        phase = selected.get(region.pk)
        rows.append((
            *registry.registry_row(region),
            phase.name if phase else "",
            phase.year if phase else "",
            ("yes" if phase.is_demo else "no") if phase else "",
        ))
    notice = None
    if any(phase.is_demo for phase in selected.values()):
        notice = _(
            "DEMO: this table contains selections in a demo phase; they are invented for demonstration and are not program decisions."
        )
    return table_response("regions", REGION_EXPORT_HEADER, rows, file_format, notice=notice)


@permission("view_public")
def region_list(request):
    provinces = registry.provinces_by_code()
    filters, errors = registry.read_filters(request.GET, provinces)
    regions = registry.filtered_regions(filters, provinces)

    file_format = request.GET.get("format", "").strip()
    if file_format:
        if (message := format_error(file_format)):
            errors.append(message)
        if errors:
            return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
        return _export_regions(regions, file_format)

    page = Paginator(regions, registry.PAGE_SIZE).get_page(request.GET.get("page"))
    selected = selected_phase_by_region([region.pk for region in page])
    rows = [(region, selected.get(region.pk)) for region in page]
    return render(
        request,
        "program/region_list.html",
        {
            "page": page,
            "rows": rows,
            "count": page.paginator.count,
            "filters": filters,
            "errors": errors,
            "provinces": provinces.values(),
            "kinds": [(kind.value, kind.label) for kind in registry.LIST_KINDS],
            # The export links carry the valid filters only, so they never lead to an error.
            "export_query": "".join(f"{urlencode({key: value})}&" for key, value in filters.items() if value),
        },
    )
