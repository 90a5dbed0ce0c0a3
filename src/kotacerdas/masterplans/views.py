"""Pages of the master plan stage: a region's plans, a plan with its charts, programs and review
threads, the workflow buttons, version differences, import/export and the program library."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.lib.files import stored_attachment
from kotacerdas.accounts.permissions import has_permission, permission, scope
from kotacerdas.lib.export import CONTENT_TYPES
from kotacerdas.lib.tabular import TableError
from kotacerdas.regions.models import AgencyKind, Region

from . import charts, services
from .forms import ProgressForm, AdoptForm, CommentForm, FindingFormSet, ImportForm, LibraryForm, NewPlanForm, PlanForm, ProgramForm
from .models import Comment, Horizon, MasterPlan, PlanStatus, ProgressRecord, RpjmdPeriod


def _plan(request, pk, action="view_masterplans"):
    return get_object_or_404(scope(MasterPlan.objects.select_related("region", "taxonomy"), request.user, action), pk=pk)


def _refused(request, exc):
    if isinstance(exc, TableError):
        messages.error(request, str(exc))
    else:
        messages.error(request, " ".join(exc.messages))


def _can(request, action, plan):
    return has_permission(request.user, action, plan)


@permission("view_masterplans")
def plan_index(request):
    plans = scope(MasterPlan.objects.select_related("region"), request.user, "view_masterplans").order_by("region__code", "-version")
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(request, "masterplans/index.html", {"page": page})


@permission("view_masterplans")
def region_plans(request, code):
    region = get_object_or_404(Region, code=code)
    plans = scope(region.masterplans.all(), request.user, "view_masterplans")
    form = NewPlanForm(request.POST or None)
    can_create = has_permission(request.user, "edit_masterplans") and services.operator_agencies(request.user, region) is None
    if request.method == "POST":
        if not can_create:
            raise Http404
        if form.is_valid():
            try:
                plan = services.create_plan(region, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _refused(request, exc)
            else:
                return redirect("masterplans:plan", pk=plan.pk)
    return render(request, "masterplans/region.html", {"region": region, "plans": plans, "form": form, "can_create": can_create})


@permission("view_masterplans")
def signed_regulation(request, pk):
    """The signed regulation of a plan, for whoever may read the plan."""
    plan = _plan(request, pk)
    return stored_attachment(plan.signed_file)


@permission("view_masterplans")
def plan_detail(request, pk):
    plan = _plan(request, pk)
    programs = list(
        plan.programs.select_related("element__dimension", "owner_agency").prefetch_related("budgets", "supporting_agencies")
        .order_by("element__dimension__order", "element__order", "start_year", "name")
    )
    rows = services.coverage(plan)
    comments = []
    can_see_comments = _can(request, "comment_masterplans", plan)
    can_comment = can_see_comments and not plan.is_final
    if can_see_comments:
        comments = list(plan.comments.filter(thread__isnull=True).select_related("author", "program").prefetch_related("replies__author"))
    agencies = services.operator_agencies(request.user, plan.region)
    context = {
        "plan": plan, "programs": programs, "coverage": rows,
        "matrix": charts.coverage_matrix(plan, rows), "budget": charts.budget_chart(plan), "roadmap": charts.roadmap(plan, programs),
        "warnings": services.period_warnings(plan), "missing_quick_wins": services.quick_win_gaps(plan),
        "missing_elements": services.element_gaps(plan), "comments": comments, "comment_form": CommentForm(),
        "can_edit": plan.is_editable and _can(request, "edit_masterplans", plan),
        "can_edit_chapters": plan.is_editable and _can(request, "edit_masterplans", plan) and agencies is None,
        "editable_agencies": agencies,
        "can_review": plan.status == PlanStatus.SUBMITTED and _can(request, "review_masterplans", plan),
        "can_comment": can_comment,
        "can_view_progress": _can(request, "view_progress", plan),
        "can_approve": plan.status == PlanStatus.FORWARDED and _can(request, "approve_masterplans", plan),
        "can_adopt": plan.status == PlanStatus.APPROVED and _can(request, "approve_masterplans", plan),
        "can_new_version": plan.is_final and _can(request, "edit_masterplans", plan),
        "adopt_form": AdoptForm(), "import_form": ImportForm(),
        "versions": scope(plan.region.masterplans.exclude(pk=plan.pk), request.user, "view_masterplans"),
    }
    return render(request, "masterplans/plan.html", context)


@permission("edit_masterplans")
def plan_edit(request, pk):
    plan = _plan(request, pk, "edit_masterplans")
    rpjmd = RpjmdPeriod.objects.filter(region=plan.region).first()
    form = PlanForm(request.POST or None, instance=MasterPlan.objects.get(pk=plan.pk),
                    initial={"rpjmd_start_year": rpjmd and rpjmd.start_year, "rpjmd_end_year": rpjmd and rpjmd.end_year})
    initial = [{"area": f.area, "finding": f.finding, "rating": f.rating} for f in plan.findings.all()]
    findings = FindingFormSet(request.POST or None, initial=initial, prefix="finding")
    if request.method == "POST" and form.is_valid() and findings.is_valid():
        rows = [(f["area"], f["finding"], f["rating"]) for f in findings.cleaned_data if f and not f.get("DELETE")]
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data.get("rpjmd_start_year") and data.get("rpjmd_end_year"):
                    services.record_rpjmd(plan.region, data["rpjmd_start_year"], data["rpjmd_end_year"], user=request.user)
                services.update_plan(plan, data, user=request.user, findings=rows)
        except ValidationError as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect("masterplans:plan", pk=plan.pk)
    return render(request, "masterplans/plan_edit.html", {"plan": plan, "form": form, "findings": findings})


def _program_form_page(request, plan, program=None):
    agencies = services.operator_agencies(request.user, plan.region)
    form = ProgramForm(request.POST or None, instance=program, plan=plan, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            services.save_program(plan, values, user=request.user, program=program,
                                  budgets=values["budget_lines"], kpis=values["kpi_lines"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                _refused(request, exc)
        else:
            messages.success(request, _("The program is saved."))
            return redirect("masterplans:plan", pk=plan.pk)
    return render(request, "masterplans/program_form.html", {"plan": plan, "form": form, "program": program})


@permission("edit_masterplans")
def program_new(request, pk):
    return _program_form_page(request, _plan(request, pk, "edit_masterplans"))


@permission("edit_masterplans")
def program_edit(request, pk, program_id):
    plan = _plan(request, pk, "edit_masterplans")
    return _program_form_page(request, plan, get_object_or_404(plan.programs, pk=program_id))


@permission("edit_masterplans")
@require_POST
def program_delete(request, pk, program_id):
    plan = _plan(request, pk, "edit_masterplans")
    try:
        services.delete_program(get_object_or_404(plan.programs, pk=program_id), user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("masterplans:plan", pk=plan.pk)


# The workflow: (action of the permission table, service) per transition name.
TRANSITIONS = {
    "submit": ("edit_masterplans", services.submit),
    "return": ("review_masterplans", services.return_plan),
    "forward": ("review_masterplans", services.forward),
    "approve": ("approve_masterplans", services.approve),
    "new-version": ("edit_masterplans", services.new_version),
}


@permission("view_masterplans")
@require_POST
def transition(request, pk, name):
    if name not in TRANSITIONS:
        raise Http404
    action, service = TRANSITIONS[name]
    if not has_permission(request.user, action):
        raise Http404
    plan = _plan(request, pk, action)
    try:
        result = service(plan, user=request.user)
    except ValidationError as exc:
        _refused(request, exc)
        return redirect("masterplans:plan", pk=plan.pk)
    return redirect("masterplans:plan", pk=result.pk)


@permission("approve_masterplans")
@require_POST
def adopt(request, pk):
    plan = _plan(request, pk, "approve_masterplans")
    form = AdoptForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("masterplans:plan", pk=plan.pk)
    try:
        services.adopt(plan, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("masterplans:plan", pk=plan.pk)


@permission("comment_masterplans")
@require_POST
def comment(request, pk):
    plan = _plan(request, pk, "comment_masterplans")
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        program = plan.programs.filter(pk=data["program"]).first() if data["program"] else None
        thread = plan.comments.filter(pk=data["thread"]).first() if data["thread"] else None
        try:
            services.add_comment(plan, author=request.user, body=data["body"], section=data["section"] or "general",
                                 program=program, thread=thread)
        except ValidationError as exc:
            _refused(request, exc)
    else:
        messages.error(request, _("Write a comment."))
    return redirect("masterplans:plan", pk=plan.pk)


@permission("comment_masterplans")
@require_POST
def resolve(request, pk, comment_id):
    plan = _plan(request, pk, "comment_masterplans")
    services.resolve_comment(get_object_or_404(Comment, plan=plan, pk=comment_id), user=request.user)
    return redirect("masterplans:plan", pk=plan.pk)


@permission("view_masterplans")
def diff(request, pk, other):
    new, old = _plan(request, pk), _plan(request, other)
    if new.region_id != old.region_id:
        raise Http404
    return render(request, "masterplans/diff.html", {"old": old, "new": new, "diff": services.diff_versions(old, new)})


@permission("edit_masterplans")
@require_POST
def import_programs(request, pk):
    plan = _plan(request, pk, "edit_masterplans")
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a workbook (.xlsx) to import."))
        return redirect("masterplans:plan", pk=plan.pk)
    try:
        result = services.import_programs(plan, request.FILES["file"], user=request.user)
    except (ValidationError, TableError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(count)s programs imported: %(added)s added, %(changed)s changed, %(unchanged)s unchanged, %(removed)s removed.") % {
            "count": result.imported, "added": result.added, "changed": result.changed, "unchanged": result.unchanged, "removed": result.removed})
    return redirect("masterplans:plan", pk=plan.pk)


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@permission("view_masterplans")
def template_xlsx(request):
    return _xlsx(services.program_workbook(template=True), "masterplan-programs-template")


@permission("view_masterplans")
def export_xlsx(request, pk):
    plan = _plan(request, pk)
    return _xlsx(services.program_workbook(plan), f"masterplan-{plan.region.code}-v{plan.version}")


@permission("view_masterplans")
def export_pdf(request, pk):
    from .documents import plan_pdf

    plan = _plan(request, pk)
    response = HttpResponse(plan_pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="masterplan-{plan.region.code}-v{plan.version}.pdf"'
    return response


@permission("view_masterplans")
def program_library(request):
    form = LibraryForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    programs = services.library(
        text=data.get("q", ""), dimension=data.get("dimension", ""), element=data.get("element", ""),
        agency_kind=data.get("agency_kind", ""), horizon=data.get("horizon", ""),
    )
    taxonomy = services.default_taxonomy()
    return render(request, "masterplans/library.html", {
        "form": form, "page": Paginator(programs, 50).get_page(request.GET.get("page")),
        "tree": services.taxonomy_tree(taxonomy), "agency_kinds": AgencyKind.objects.all(), "horizons": Horizon.choices,
    })


@permission("view_masterplans")
def taxonomy(request):
    taxonomy = services.default_taxonomy()
    return render(request, "masterplans/taxonomy.html", {"taxonomy": taxonomy, "tree": services.taxonomy_tree(taxonomy)})


def _progress_year(request, plan):
    from django.utils import timezone

    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, plan.start_year), plan.end_year)


@permission("view_progress")
def progress(request, pk):
    """The yearly progress of an adopted plan's programs: each owning agency reports its own
    (an operator whose grant names the agency, or the region's operator); the ministry and the
    region's mentors and operators read it."""
    plan = _plan(request, pk, "view_progress")
    year = _progress_year(request, plan)
    can_report = _can(request, "report_progress", plan)
    form = None
    if request.method == "POST":
        if not can_report:
            raise Http404
        form = ProgressForm(request.POST, request.FILES)
        program = plan.programs.filter(pk=request.POST.get("program") or 0).first()
        if program is None or not services.may_report_progress(request.user, program):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.record_progress(program, year, status=data["status"], realisation=data["realisation"],
                                         budget_spent=data["budget_spent"], note=data["note"], evidence=data["evidence"],
                                         user=request.user)
            except ValidationError as exc:
                _refused(request, exc)
            else:
                messages.success(request, _("The progress of %(program)s is saved.") % {"program": program.name})
                return redirect(f"{request.path}?year={year}")
        else:
            messages.error(request, _("%(program)s: %(errors)s") % {
                "program": program.name,
                "errors": "; ".join(f"{form.fields[f].label if f in form.fields else f}: {' '.join(e)}" for f, e in form.errors.items()),
            })
    rows = []
    for program, record in services.progress_rows(plan, year):
        editable = can_report and services.may_report_progress(request.user, program)
        initial = {"program": program.pk}
        if record is not None:
            initial.update(status=record.status, realisation=record.realisation, budget_spent=record.budget_spent, note=record.note)
        rows.append({"program": program, "record": record,
                     "form": ProgressForm(initial=initial, auto_id=f"id_{program.pk}_%s") if editable else None})
    context = {"plan": plan, "year": year, "rows": rows, "years": range(plan.start_year, plan.end_year + 1),
               "reported": sum(1 for r in rows if r["record"] is not None)}
    return render(request, "masterplans/progress.html", context)


@permission("view_progress")
def progress_evidence(request, pk, program_id, year):
    """The evidence of a program's progress in a year, for whoever reads the plan's progress."""
    plan = _plan(request, pk, "view_progress")
    record = get_object_or_404(ProgressRecord, program__plan=plan, program_id=program_id, year=year)
    return stored_attachment(record.evidence)
