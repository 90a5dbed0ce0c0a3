"""The indicator catalogue (public), an indicator's values, and imports (the ministry)."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kotacerdas.accounts.permissions import permission
from kotacerdas.lib.export import refuse_format, table_response
from kotacerdas.lib.jobs.services import enqueue
from kotacerdas.lib.numbers import format_number
from kotacerdas.lib.svg import histogram
from kotacerdas.lib.tabular import TableError

from .models import ImportBatch, Indicator, IndicatorValue
from .services import import_values
from .tasks import import_stored_file

# Files larger than this are imported by a task worker; the page follows the task's progress.
INLINE_IMPORT_BYTES = 1024 * 1024


def synthetic_notice():
    return _("Synthetic values: marked values are invented for the demo from a fixed seed, not published figures.")


@permission("view_public")
def indicator_list(request):
    return render(request, "indicators/indicator_list.html", {"indicators": Indicator.objects.all()})


@permission("view_public")
def indicator_detail(request, code):
    indicator = get_object_or_404(Indicator, code=code)
    years = sorted(set(IndicatorValue.objects.filter(indicator=indicator).values_list("year", flat=True)), reverse=True)
    try:
        year = int(request.GET.get("year") or (years[0] if years else 0))
    except ValueError:
        raise Http404(_("Not a year.")) from None
    values = IndicatorValue.objects.filter(indicator=indicator, year=year).select_related("region").order_by("region__code")
    has_synthetic = values.filter(synthetic=True).exists()
    file_format = request.GET.get("format", "").strip()
    if file_format:
        if (refused := refuse_format(file_format)):
            return refused
        rows = [(v.region.code, v.region.name, v.year, v.value, v.category, "yes" if v.synthetic else "no") for v in values]
        return table_response(f"{indicator.code}-{year}", ("region_code", "region_name", "year", "value", "category", "synthetic"),
                              rows, file_format, notice=synthetic_notice() if has_synthetic else None)
    page = Paginator(values, 100).get_page(request.GET.get("page"))
    numbers = [v for v in values.values_list("value", flat=True) if v is not None]
    chart = histogram(
        numbers, _("How the values of %(indicator)s spread in %(year)s") % {"indicator": indicator.name, "year": year},
        _("%(count)s regions, from %(low)s to %(high)s.") % {
            "count": len(numbers), "low": format_number(min(numbers)) if numbers else "–", "high": format_number(max(numbers)) if numbers else "–"},
    )
    return render(request, "indicators/indicator_detail.html", {
        "indicator": indicator, "years": years, "year": year, "page": page, "histogram": chart,
        "synthetic_notice": synthetic_notice() if has_synthetic else None,
    })


@permission("manage_indicators")
def import_page(request):
    errors = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors = [_("Choose a CSV or XLSX file.")]
        elif upload.size > getattr(settings, "KOTACERDAS_INLINE_IMPORT_BYTES", INLINE_IMPORT_BYTES):
            stored = default_storage.save(f"imports/indicators/{upload.name}", upload)
            progress = enqueue(import_stored_file, stored, request.user.pk, upload.name, user=request.user,
                               label=_("Import of %(name)s") % {"name": upload.name})
            return redirect("task-progress", task_id=progress.task_id)
        else:
            try:
                batch = import_values(upload, user=request.user, name=upload.name)
            except TableError as exc:
                errors = [str(error) for error in exc.errors]
            else:
                return redirect("indicators:import-detail", pk=batch.pk)
    return render(request, "indicators/import.html", {
        "errors": errors, "batches": ImportBatch.objects.select_related("created_by")[:50],
        "status": 400 if errors else 200,
    }, status=400 if errors else 200)


@permission("manage_indicators")
def import_detail(request, pk):
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=pk)
    replaced = batch.replaced.select_related("region", "indicator")[:1000]
    return render(request, "indicators/import_detail.html", {"batch": batch, "replaced": replaced})
