"""Screening pages of a phase: runs, a new run, results, explanation, what-if, comparison,
confirmation and the invitation list. Unconfirmed runs are the ministry's (ScreeningRun scoper).
The ministry's pages of eligibility rules and requirement checklists are at the end."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from kotacerdas import decision
from kotacerdas.accounts.permissions import has_permission, permission, scope
from kotacerdas.indicators.models import Indicator
from kotacerdas.lib.export import refuse_format, table_response
from kotacerdas.lib.inputs import YEAR_MAX, YEAR_MIN, bounded_int, finite_float, fraction
from kotacerdas.lib.jobs.services import enqueue
from kotacerdas.lib.language import program_gettext
from kotacerdas.lib.numbers import NumberError, parse_number
from kotacerdas.lib.tabular import TableError
from kotacerdas.program.services import demo_notice, phase_or_404
from kotacerdas.regions.models import KABKOTA_KINDS, Region
from kotacerdas.regions.services import filtered_regions

from . import rules
from .services import explanation as explanations
from .services import invitation
from .services import runs as ranking
from .tasks import screen_regions
from .forms import ChecklistImportForm, RequirementForm, ThresholdRuleForm
from .models import METHOD_LABELS, NORMALIZATION_LABELS, AdministrativeCheck, EligibilityRule, RuleKind, ScreeningRun


def _run(request, year, run_id, action="view_screening_results"):
    phase = phase_or_404(year)
    run = scope(ScreeningRun.objects.filter(phase=phase, pk=run_id), request.user, action).select_related("phase").first()
    if run is None:
        raise Http404(_("There is no such screening run."))
    return phase, run


@permission("view_screening_results")
def run_list(request, year):
    phase = phase_or_404(year)
    # The listing needs no run's arrays (tens of MB at 83,763 regions).
    runs = scope(ScreeningRun.objects.filter(phase=phase).defer("inputs", "outputs"), request.user,
                 "view_screening_results")
    return render(request, "screening/run_list.html", {
        "phase": phase, "runs": runs, "rules": EligibilityRule.objects.filter(phase=phase).select_related("indicator"),
        "can_run": has_permission(request.user, "run_screening"),
    })


def _float(text, default=None):
    """A number from a query string, written either way ("0,25" or "0.25"); ``default`` otherwise."""
    if text is None:
        return default
    try:
        return float(parse_number(text))
    except NumberError:
        return default


# More units than this are screened by a task worker (the 514 kabupaten/kota stay in the request).
INLINE_SCREENING_UNITS = 5000


@permission("run_screening")
def run_create(request, year):
    phase = phase_or_404(year)
    indicators = list(Indicator.objects.all())
    errors, data = [], request.POST if request.method == "POST" else None
    if data is not None:
        criteria = data.getlist("criteria")
        pairwise_text = data.get("pairwise", "").strip()
        try:
            pairwise = None
            if data.get("weighting") == "ahp":
                pairwise = [[fraction(cell, _("pairwise comparisons"), minimum=0) for cell in line.split()]
                            for line in pairwise_text.splitlines() if line.strip()]
            weights = [finite_float(data.get(f"w_{code}") or 1.0, _("weight of %(code)s") % {"code": code}, minimum=0)
                       for code in criteria]
            # The engine checks the remaining fields (data year, size, seed, samples) itself.
            options = dict(
                criteria=criteria, weights=weights, pairwise=pairwise, data_year=data.get("data_year") or phase.year - 1,
                normalization=data.get("normalization") or None, method=data.get("method", "saw"),
                shortlist_size=data.get("shortlist_size") or None,
                spread={key: data.get(key) for key in ranking.SPREAD_RULES},
                seed=data.get("seed") or None,
                samples=data.get("samples") or ranking.DEFAULT_SAMPLES, label=data.get("label", ""),
            )
            # At village scale (tens of thousands of units) the run goes to a task worker.
            if Region.objects.filter(kind__in=KABKOTA_KINDS).count() > getattr(settings, "KOTACERDAS_INLINE_SCREENING_UNITS", INLINE_SCREENING_UNITS):
                progress = enqueue(screen_regions, phase.pk, options, request.user.pk, user=request.user,
                                   label=_("Screening run of %(phase)s") % {"phase": phase.name})
                return redirect("task-progress", task_id=progress.task_id)
            run = ranking.run_screening(phase, **options, user=request.user)
        except (ValidationError, ValueError) as exc:
            errors = getattr(exc, "messages", None) or [str(exc)]
        else:
            return redirect("screening:run", year=phase.year, run_id=run.pk)
    return render(request, "screening/run_form.html", {
        "phase": phase, "indicators": indicators, "errors": errors, "data": data,
        "methods": [(m, METHOD_LABELS.get(m, m)) for m in ranking.METHODS],
        "normalizations": [(n, NORMALIZATION_LABELS.get(n, n)) for n in decision.NORMALIZATION_METHODS],
        "default_year": phase.year - 1, "default_size": phase.invited_target or phase.quota,
    }, status=400 if errors else 200)


RESULTS_PAGE_SIZE = 100


@permission("view_screening_results")
def run_detail(request, year, run_id):
    """A run: its inputs, its ranking page by page (searchable by region name or code), its
    excluded regions; ``?format=csv|xlsx`` exports every result of the run."""
    phase, run = _run(request, year, run_id)
    notice = invitation.synthetic_notice(run)
    file_format = request.GET.get("format", "").strip()
    if file_format:
        results = ranking.run_results(run, with_regions=True)
        if (refused := refuse_format(file_format)):
            return refused
        header = ("rank", "code", "name", "score", "in_shortlist", "why", "probability", "stability", "excluded_by")
        rows = [(r.rank, r.region.code, r.region.name, r.score, r.in_shortlist, r.shortlist_reason, r.probability,
                 r.stability, r.excluded_by) for r in results]
        return table_response(f"screening-{phase.year}-run-{run.pk}", header, rows, file_format, notice=notice)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=run.criteria)}
    q = request.GET.get("q", "").strip()
    matching = None
    if q:
        matching = Region.objects.filter(Q(name__icontains=q) | Q(code__startswith=q)).values_list("pk", flat=True)
    page = Paginator(ranking.RankedResults(run, region_ids=matching), RESULTS_PAGE_SIZE).get_page(
        request.GET.get("page"))
    regions = Region.objects.in_bulk([r.region_id for r in page])
    for result in page:
        result.region = regions[result.region_id]
    return render(request, "screening/run_detail.html", {
        "phase": phase, "run": run, "notice": notice, "q": q, "page": page,
        "ranked": page.object_list, "excluded": ranking.run_results(run, ranked=False, with_regions=True),
        "criteria": [(indicators.get(code), code, weight) for code, weight in zip(run.criteria, run.weights)],
        "can_run": has_permission(request.user, "run_screening"),
        "other_runs": scope(ScreeningRun.objects.filter(phase=phase).exclude(pk=run.pk).defer("inputs", "outputs"),
                            request.user, "view_screening_results"),
    })


@permission("view_screening_results")
def region_explanation(request, year, run_id, code):
    phase, run = _run(request, year, run_id)
    region = get_object_or_404(Region, code=code)
    explanation = explanations.explain_region(run, region)
    if explanation is None:
        raise Http404(_("This region was not screened in this run."))
    return render(request, "screening/region_explanation.html", {
        "phase": phase, "run": run, "region": region, "e": explanation, "notice": invitation.synthetic_notice(run),
    })


@permission("run_screening")
def what_if(request, year, run_id):
    phase, run = _run(request, year, run_id, "run_screening")
    weights = [_float(request.GET.get(f"w_{code}"), weight) for code, weight in zip(run.criteria, run.weights)]
    try:
        outcome = ranking.what_if(run, weights)
    except ranking.ScreeningError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages), content_type="text/plain; charset=utf-8")
    regions = {r.pk: r for r in Region.objects.filter(pk__in=outcome["moved_in"] | outcome["moved_out"])}
    context = {
        "phase": phase, "run": run, "notice": invitation.synthetic_notice(run),
        "weights": list(zip(run.criteria, weights, outcome["weights"], run.weights)),
        "moved_in": sorted((regions[pk] for pk in outcome["moved_in"]), key=lambda r: outcome["ranks"][r.pk]),
        "moved_out": sorted((regions[pk] for pk in outcome["moved_out"]), key=lambda r: outcome["ranks"][r.pk]),
        "ranks": outcome["ranks"], "shortlist_count": len(outcome["shortlist"]),
    }
    template = "screening/what_if.html#changes" if request.htmx else "screening/what_if.html"
    return render(request, template, context)


@permission("view_screening_results")
def compare(request, year):
    phase = phase_or_404(year)
    runs = scope(ScreeningRun.objects.filter(phase=phase).defer("inputs", "outputs"), request.user,
                 "view_screening_results")
    first = runs.filter(pk=_run_id(request.GET.get("first"))).first()
    second = runs.filter(pk=_run_id(request.GET.get("second"))).first()
    rows = ranking.compare_runs(first, second) if first and second else None
    return render(request, "screening/compare.html", {"phase": phase, "runs": runs, "first": first, "second": second, "rows": rows})


@require_POST
@permission("run_screening")
def confirm(request, year, run_id):
    phase, run = _run(request, year, run_id, "run_screening")
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Nothing was changed: tick the box to confirm that you understand what cannot be undone."))
        return redirect("screening:run", year=phase.year, run_id=run.pk)
    try:
        invitation.confirm_run(run, request.user)
    except ranking.ScreeningError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The run is confirmed and its shortlist invited."))
    return redirect("screening:run", year=phase.year, run_id=run.pk)


@permission("run_screening")
def invitations(request, year, run_id):
    phase, run = _run(request, year, run_id, "run_screening")
    file_format = request.GET.get("format", "xlsx")
    if (refused := refuse_format(file_format)):
        return refused
    return table_response(f"invitations-{phase.year}-run-{run.pk}", invitation.INVITATION_HEADER,
                          invitation.invitation_rows(run), file_format, notice=invitation.synthetic_notice(run))


# --- eligibility rules and checklists (the ministry) --------------------------------------------

CHECKLIST_PAGE_SIZE = 50


def _run_id(text):
    """A run's number from a query string; 0 (no run) for anything else (``nan``, ``1e999``, 10^30)."""
    try:
        return bounded_int(text or 0, "run", minimum=0)
    except ValidationError:
        return 0


def _data_year(request, phase):
    try:
        return bounded_int(request.GET.get("data_year") or phase.year - 1, _("data year"), minimum=YEAR_MIN, maximum=YEAR_MAX)
    except ValidationError:
        return phase.year - 1


@permission("manage_eligibility")
def rule_list(request, year):
    """The phase's rules with what they exclude now, and the forms that add one."""
    phase = phase_or_404(year)
    locked_by = rules.confirmed_run(phase)
    threshold_form, requirement_form = ThresholdRuleForm(), RequirementForm()
    errors, status = [], 200
    if request.method == "POST":
        which = request.POST.get("form")
        if which not in ("threshold", "requirement"):
            return HttpResponseBadRequest(_("Say which rule to add (form=threshold or form=requirement)."),
                                          content_type="text/plain; charset=utf-8")
        form = ThresholdRuleForm(request.POST) if which == "threshold" else RequirementForm(request.POST)
        if which == "threshold":
            threshold_form = form
        else:
            requirement_form = form
        if locked_by is not None:
            errors, status = [rules.locked_message(locked_by)], 409
        elif form.is_valid():
            data = form.cleaned_data
            try:
                if which == "threshold":
                    rule = rules.add_threshold(phase, indicator=data["indicator"], operator=data["operator"],
                                               threshold=data["threshold"], category=data["category"], user=request.user)
                else:
                    rule = rules.add_requirement(phase, data["requirement"], user=request.user)
            except rules.RulesLocked as exc:
                errors, status = exc.messages, 409
            except ranking.ScreeningError as exc:
                form.add_error(None, exc)
                status = 400
            else:
                messages.success(request, _("The rule “%(rule)s” was added.") % {"rule": rule.describe()})
                return redirect("screening:rules", year=phase.year)
        else:
            status = 400
    data_year = _data_year(request, phase)
    counts = rules.exclusion_counts(phase, data_year)
    phase_rules = EligibilityRule.objects.filter(phase=phase).select_related("indicator").annotate(
        met_count=Count("checks", filter=Q(checks__met=True)), check_count=Count("checks"))
    return render(request, "screening/rule_list.html", {
        "phase": phase, "locked_by": locked_by, "locked_message": rules.locked_message(locked_by) if locked_by else "",
        "errors": errors, "threshold_form": threshold_form, "requirement_form": requirement_form,
        "rules": [(rule, counts["rules"][rule.pk]) for rule in phase_rules], "counts": counts, "data_year": data_year,
    }, status=status)


def _rule(phase, rule_id, kind=None):
    rule = EligibilityRule.objects.filter(phase=phase, pk=rule_id).select_related("indicator", "phase").first()
    if rule is None or (kind is not None and rule.kind != kind):
        raise Http404(_("This phase has no such rule.") if kind is None else _("This phase has no such requirement."))
    return rule


@permission("manage_eligibility")
def rule_delete(request, year, rule_id):
    """A confirmation page; the rule and its checklist go only on a POST from it."""
    phase = phase_or_404(year)
    rule = _rule(phase, rule_id)
    locked_by = rules.confirmed_run(phase)
    status = 200
    if request.method == "POST":
        if locked_by is None:
            try:
                described = rule.describe()
                rules.delete_rule(rule, user=request.user)
            except rules.RulesLocked:
                locked_by = rules.confirmed_run(phase)
            else:
                messages.success(request, _("The rule “%(rule)s” was removed.") % {"rule": described})
                return redirect("screening:rules", year=phase.year)
        status = 409
    return render(request, "screening/rule_delete.html", {
        "phase": phase, "rule": rule, "check_count": rule.checks.count(),
        "locked_message": rules.locked_message(locked_by) if locked_by else "",
    }, status=status)


def _checklist_regions(request):
    """The kabupaten/kota of the checklist, searched and filtered like the region list."""
    provinces = {province.code: province for province in Region.objects.provinces().order_by("code")}
    province = request.GET.get("province", "").strip()
    errors = []
    if province and province not in provinces:
        errors.append(_("There is no province with code “%(value)s”; the list is not filtered by province.")
                      % {"value": province})
        province = ""
    filters = {"kind": "", "province": province, "q": request.GET.get("q", "").strip(), "sort": ""}
    return filtered_regions(filters, provinces), filters, provinces, errors


def _checklist_page(request, phase, rule, *, errors=(), import_errors=(), import_form=None, status=200):
    regions, filters, provinces, filter_errors = _checklist_regions(request)
    page = Paginator(regions, CHECKLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    checks = {c.region_id: c for c in AdministrativeCheck.objects.filter(rule=rule, region__in=[r.pk for r in page])}
    locked_by = rules.confirmed_run(phase)
    summary = AdministrativeCheck.objects.filter(rule=rule, region__kind__in=KABKOTA_KINDS).aggregate(
        met_count=Count("pk", filter=Q(met=True)), not_met_count=Count("pk", filter=Q(met=False)))
    return render(request, "screening/checklist.html", {
        "phase": phase, "rule": rule, "page": page, "rows": [(region, checks.get(region.pk)) for region in page],
        "filters": filters, "provinces": provinces.values(), "filter_errors": filter_errors, "errors": errors,
        "import_errors": import_errors, "import_form": import_form or ChecklistImportForm(),
        "locked_message": rules.locked_message(locked_by) if locked_by else "", "summary": summary,
        "total": Region.objects.kabkota().count(), "is_demo": phase.is_demo,
        "export_query": "".join(f"{urlencode({key: value})}&" for key, value in filters.items() if value),
    }, status=status)


@permission("manage_eligibility")
def checklist(request, year, rule_id):
    """The checklist of one requirement: every kabupaten/kota, met or not with a note; a POST
    saves the answers of the regions on the page."""
    phase = phase_or_404(year)
    rule = _rule(phase, rule_id, RuleKind.REQUIREMENT)
    file_format = request.GET.get("format", "").strip()
    if file_format:
        if (refused := refuse_format(file_format)):
            return refused
        regions, _filters, _provinces, _errors = _checklist_regions(request)
        return table_response(f"checklist-{phase.year}-rule-{rule.pk}", rules.CHECKLIST_COLUMNS,
                              rules.checklist_rows(rule, regions), file_format, notice=demo_notice(phase))
    if request.method != "POST":
        return _checklist_page(request, phase, rule)
    entries = [(code, request.POST.get(f"met-{code}", ""), request.POST.get(f"note-{code}", ""))
               for code in request.POST.getlist("region")]
    try:
        changes = rules.checklist_changes(entries)
        counts = rules.apply_checks(rule, changes, user=request.user,
                                    reason=program_gettext(gettext_noop("edited on the checklist page")))
    except rules.RulesLocked as exc:
        return _checklist_page(request, phase, rule, errors=exc.messages, status=409)
    except ValidationError as exc:
        return _checklist_page(request, phase, rule, errors=exc.messages, status=400)
    messages.success(request, _("Saved: %(created)s new, %(changed)s changed, %(removed)s no longer recorded.") % counts)
    return redirect(request.get_full_path())


@require_POST
@permission("manage_eligibility")
def checklist_import(request, year, rule_id):
    """Upload a checklist file; a file with any error writes nothing and lists every bad cell."""
    phase = phase_or_404(year)
    rule = _rule(phase, rule_id, RuleKind.REQUIREMENT)
    form = ChecklistImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _checklist_page(request, phase, rule, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        counts = rules.import_checklist(rule, upload, user=request.user, name=upload.name)
    except rules.RulesLocked as exc:
        return _checklist_page(request, phase, rule, errors=exc.messages, import_form=form, status=409)
    except TableError as exc:
        return _checklist_page(request, phase, rule, import_errors=[str(e) for e in exc.errors], import_form=form,
                               status=400)
    messages.success(request, _(
        "Imported %(rows)s rows: %(created)s new, %(changed)s changed; %(skipped)s rows without a met value were left "
        "as they were.") % counts)
    return redirect("screening:checklist", year=phase.year, rule_id=rule.pk)
