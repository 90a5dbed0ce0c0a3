"""Screening pages of a phase: runs, a new run, results, explanation, what-if, comparison,
confirmation and the invitation list. Unconfirmed runs are the ministry's (ScreeningRun scoper)."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas import decision
from kotacerdas.accounts.permissions import has_permission, permission, scope
from kotacerdas.indicators.models import Indicator
from kotacerdas.lib.export import CONTENT_TYPES, table_response
from kotacerdas.program.models import Phase
from kotacerdas.regions.models import Region

from . import services
from .models import EligibilityRule, RunResult, ScreeningRun


def _phase(year):
    phase = Phase.objects.filter(year=year).first()
    if phase is None:
        raise Http404(_("There is no phase in %(year)s.") % {"year": year})
    return phase


def _run(request, year, run_id, action="view_screening_results"):
    phase = _phase(year)
    run = scope(ScreeningRun.objects.filter(phase=phase, pk=run_id), request.user, action).select_related("phase").first()
    if run is None:
        raise Http404(_("There is no such screening run."))
    return phase, run


@permission("view_screening_results")
def run_list(request, year):
    phase = _phase(year)
    runs = scope(ScreeningRun.objects.filter(phase=phase), request.user, "view_screening_results")
    return render(request, "screening/run_list.html", {
        "phase": phase, "runs": runs, "rules": EligibilityRule.objects.filter(phase=phase).select_related("indicator"),
        "can_run": has_permission(request.user, "run_screening"),
    })


def _float(text, default=None):
    try:
        return float(text)
    except (TypeError, ValueError):
        return default


@permission("run_screening")
def run_create(request, year):
    phase = _phase(year)
    indicators = list(Indicator.objects.all())
    errors, data = [], request.POST if request.method == "POST" else None
    if data is not None:
        criteria = data.getlist("criteria")
        pairwise_text = data.get("pairwise", "").strip()
        try:
            pairwise = None
            if data.get("weighting") == "ahp":
                pairwise = [[_parse_number(cell) for cell in line.split()] for line in pairwise_text.splitlines() if line.strip()]
            weights = [_float(data.get(f"w_{code}"), 1.0) for code in criteria]
            run = services.run_screening(
                phase, criteria=criteria, weights=weights, pairwise=pairwise, data_year=int(data.get("data_year") or phase.year - 1),
                normalization=data.get("normalization") or None, method=data.get("method", "saw"),
                shortlist_size=int(data.get("shortlist_size") or 0) or None,
                spread={key: data.get(key) for key in services.SPREAD_RULES},
                seed=int(data["seed"]) if data.get("seed") else None,
                samples=int(data.get("samples") or services.DEFAULT_SAMPLES), user=request.user, label=data.get("label", ""),
            )
        except (services.ScreeningError, ValueError) as exc:
            errors = getattr(exc, "messages", None) or [str(exc)]
        else:
            return redirect("screening-run", year=phase.year, run_id=run.pk)
    return render(request, "screening/run_form.html", {
        "phase": phase, "indicators": indicators, "errors": errors, "data": data,
        "methods": services.METHODS, "normalizations": decision.NORMALIZATION_METHODS,
        "default_year": phase.year - 1, "default_size": phase.invited_target or phase.quota,
    }, status=400 if errors else 200)


def _parse_number(cell):
    if "/" in cell:
        top, bottom = cell.split("/", 1)
        return float(top) / float(bottom)
    return float(cell)


@permission("view_screening_results")
def run_detail(request, year, run_id):
    phase, run = _run(request, year, run_id)
    results = list(run.results.select_related("region", "region__province").order_by("rank", "region__code"))
    notice = services.synthetic_notice(run)
    file_format = request.GET.get("format", "").strip()
    if file_format:
        if file_format not in CONTENT_TYPES:
            return HttpResponseBadRequest(_("“%(value)s” is not an export format; use csv or xlsx.") % {"value": file_format},
                                          content_type="text/plain; charset=utf-8")
        header = ("rank", "code", "name", "score", "in_shortlist", "why", "probability", "stability", "excluded_by")
        rows = [(r.rank, r.region.code, r.region.name, r.score, r.in_shortlist, r.shortlist_reason, r.probability,
                 r.stability, r.excluded_by) for r in results]
        return table_response(f"screening-{phase.year}-run-{run.pk}", header, rows, file_format, notice=notice)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=run.criteria)}
    return render(request, "screening/run_detail.html", {
        "phase": phase, "run": run, "notice": notice,
        "ranked": [r for r in results if r.rank is not None], "excluded": [r for r in results if r.rank is None],
        "criteria": [(indicators.get(code), code, weight) for code, weight in zip(run.criteria, run.weights)],
        "can_run": has_permission(request.user, "run_screening"),
        "other_runs": scope(ScreeningRun.objects.filter(phase=phase).exclude(pk=run.pk), request.user, "view_screening_results"),
    })


@permission("view_screening_results")
def region_explanation(request, year, run_id, code):
    phase, run = _run(request, year, run_id)
    region = get_object_or_404(Region, code=code)
    explanation = services.explain_region(run, region)
    if explanation is None:
        raise Http404(_("This region was not screened in this run."))
    return render(request, "screening/region_explanation.html", {
        "phase": phase, "run": run, "region": region, "e": explanation, "notice": services.synthetic_notice(run),
    })


@permission("run_screening")
def what_if(request, year, run_id):
    phase, run = _run(request, year, run_id, "run_screening")
    weights = [_float(request.GET.get(f"w_{code}"), weight) for code, weight in zip(run.criteria, run.weights)]
    try:
        outcome = services.what_if(run, weights)
    except services.ScreeningError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
    regions = {r.pk: r for r in Region.objects.filter(pk__in=outcome["moved_in"] | outcome["moved_out"])}
    context = {
        "phase": phase, "run": run, "notice": services.synthetic_notice(run),
        "weights": list(zip(run.criteria, weights, outcome["weights"], run.weights)),
        "moved_in": sorted((regions[pk] for pk in outcome["moved_in"]), key=lambda r: outcome["ranks"][r.pk]),
        "moved_out": sorted((regions[pk] for pk in outcome["moved_out"]), key=lambda r: outcome["ranks"][r.pk]),
        "ranks": outcome["ranks"], "shortlist_count": len(outcome["shortlist"]),
    }
    template = "screening/what_if.html#changes" if request.htmx else "screening/what_if.html"
    return render(request, template, context)


@permission("view_screening_results")
def compare(request, year):
    phase = _phase(year)
    runs = scope(ScreeningRun.objects.filter(phase=phase), request.user, "view_screening_results")
    first = runs.filter(pk=_float(request.GET.get("first"), 0) or 0).first()
    second = runs.filter(pk=_float(request.GET.get("second"), 0) or 0).first()
    rows = services.compare_runs(first, second) if first and second else None
    return render(request, "screening/compare.html", {"phase": phase, "runs": runs, "first": first, "second": second, "rows": rows})


@require_POST
@permission("run_screening")
def confirm(request, year, run_id):
    phase, run = _run(request, year, run_id, "run_screening")
    try:
        services.confirm_run(run, request.user)
    except services.ScreeningError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The run is confirmed and its shortlist invited."))
    return redirect("screening-run", year=phase.year, run_id=run.pk)


@permission("run_screening")
def invitations(request, year, run_id):
    phase, run = _run(request, year, run_id, "run_screening")
    file_format = request.GET.get("format", "xlsx")
    if file_format not in CONTENT_TYPES:
        return HttpResponseBadRequest(_("“%(value)s” is not an export format; use csv or xlsx.") % {"value": file_format},
                                      content_type="text/plain; charset=utf-8")
    return table_response(f"invitations-{phase.year}-run-{run.pk}", services.INVITATION_HEADER,
                          services.invitation_rows(run), file_format, notice=services.synthetic_notice(run))
