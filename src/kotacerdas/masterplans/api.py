"""``/api/v1/…`` for master plans: a region's plans, one plan with its programs, the taxonomy,
the program library, and the write operations of the pages (same services, same rules)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Dict, List, Optional

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from kotacerdas.accounts.permissions import ApiPermission, api_user, scope
from kotacerdas.lib.tabular import TableError
from kotacerdas.lib.api import ErrorOut, error_body, validation_errors
from kotacerdas.regions.models import Agency, Region

from . import services
from .models import Element, MasterPlan

regions_router = Router(tags=["master plans"])
router = Router(tags=["master plans"])
taxonomy_router = Router(tags=["master plans"])


class PlanSummaryOut(Schema):
    id: int
    region: str
    version: int
    status: str
    start_year: int
    end_year: int
    title: str
    demo: bool


class BudgetOut(Schema):
    year: int
    source: str
    amount: int


class KpiOut(Schema):
    name: str
    unit: str
    baseline: Optional[float]
    targets: Dict[str, float]


class ProgramOut(Schema):
    id: int
    name: str
    description: str
    dimension: str
    element: str
    agency: str
    supporting_agencies: List[str]
    start_year: int
    end_year: int
    horizon: str
    budget: int
    budgets: List[BudgetOut]
    kpis: List[KpiOut]
    quick_win: bool
    due_date: Optional[date]
    visible_result: str
    status: str


class PlanOut(PlanSummaryOut):
    vision: str
    missions: List[str]
    warnings: List[str]
    regulation_kind: str
    regulation_number: str
    regulation_date: Optional[date]
    programs: List[ProgramOut]


class ElementOut(Schema):
    code: str
    name: str
    name_en: str
    giffinger: List[str]
    iso37120: List[str]


class DimensionOut(Schema):
    code: str
    name: str
    name_en: str
    elements: List[ElementOut]


class TaxonomyOut(Schema):
    code: str
    version: str
    dimensions: List[DimensionOut]


class LibraryProgramOut(Schema):
    id: int
    plan: int
    region: str
    name: str
    dimension: str
    element: str
    agency: str
    agency_kind: Optional[str]
    start_year: int
    end_year: int
    horizon: str
    quick_win: bool
    demo: bool


class NewPlanIn(Schema):
    start_year: int
    end_year: int


class BudgetIn(Schema):
    year: int
    source: str
    amount: int


class KpiIn(Schema):
    name: str
    unit: str
    baseline: Optional[float] = None
    targets: Dict[str, float] = {}


class ProgramIn(Schema):
    name: str
    description: str = ""
    element: str
    agency: str
    supporting_agencies: List[str] = []
    start_year: int
    end_year: int
    quick_win: bool = False
    due_date: Optional[date] = None
    visible_result: str = ""
    budgets: List[BudgetIn] = []
    kpis: List[KpiIn] = []


class CommentIn(Schema):
    body: str
    section: str = "general"
    program: Optional[int] = None
    thread: Optional[int] = None


class CommentOut(Schema):
    id: int
    section: str
    program: Optional[int]
    body: str
    open: bool


class ProgramImportOut(Schema):
    imported: int
    added: int
    changed: int
    unchanged: int
    removed: int


class ProgressIn(Schema):
    status: str
    realisation: Optional[float] = None
    budget_spent: Optional[int] = None
    note: str = ""


class ProgressOut(Schema):
    program: int
    name: str
    dimension: str
    element: str
    agency: str
    year: int
    reported: bool
    status: Optional[str]
    realisation: Optional[float]
    budget_spent: Optional[int]
    note: str
    evidence: bool
    reported_at: Optional[datetime]


def _summary(plan):
    return PlanSummaryOut(id=plan.pk, region=plan.region.code, version=plan.version, status=plan.status,
                          start_year=plan.start_year, end_year=plan.end_year, title=plan.title, demo=plan.is_demo)


def _program_out(program, status):
    budgets = list(program.budgets.all())
    return ProgramOut(
        id=program.pk, name=program.name, description=program.description, dimension=program.element.dimension.code,
        element=program.element.code, agency=program.owner_agency.name,
        supporting_agencies=[a.name for a in program.supporting_agencies.all()], start_year=program.start_year,
        end_year=program.end_year, horizon=program.horizon, budget=sum(b.amount for b in budgets),
        budgets=[BudgetOut(year=b.year, source=b.source, amount=b.amount) for b in budgets],
        kpis=[KpiOut(name=k.name, unit=k.unit, baseline=None if k.baseline is None else float(k.baseline), targets=k.targets) for k in program.kpis.all()],
        quick_win=program.quick_win, due_date=program.due_date, visible_result=program.visible_result, status=status,
    )


def _refusal(exc):
    if isinstance(exc, TableError):
        return Status(400, error_body(400, [("file", str(e)) for e in exc.errors], detail=str(exc)))
    return Status(400, error_body(400, validation_errors(exc)))


@regions_router.get("/{code}/masterplans", response=List[PlanSummaryOut], summary="A region's master plans (adopted ones for the public)")
def region_plans(request, code: str):
    region = get_object_or_404(Region, code=code)
    plans = scope(region.masterplans.select_related("region"), api_user(request), "view_masterplans")
    return [_summary(p) for p in plans]


@regions_router.post("/{code}/masterplans", response={201: PlanSummaryOut, 400: ErrorOut}, auth=ApiPermission("edit_masterplans"),
                     summary="Start a draft master plan (the region's operator)")
def create_plan(request, code: str, payload: NewPlanIn):
    region = get_object_or_404(Region, code=code)
    if services.operator_agencies(request.auth, region) is not None:
        raise Http404
    try:
        plan = services.create_plan(region, start_year=payload.start_year, end_year=payload.end_year, user=request.auth)
    except ValidationError as exc:
        return _refusal(exc)
    return Status(201, _summary(plan))


def _plan(request, plan_id, action="view_masterplans", user=None):
    return get_object_or_404(scope(MasterPlan.objects.select_related("region"), user or api_user(request), action), pk=plan_id)


@router.get("/library", response=List[LibraryProgramOut], summary="Programs of every adopted plan (text, dimension, element, agency kind, horizon)")
def program_library(request, q: str = "", dimension: str = "", element: str = "", agency_kind: str = "", horizon: str = "", limit: int = 100, offset: int = 0):
    limit = max(1, min(limit, 500))
    programs = services.library(text=q, dimension=dimension, element=element, agency_kind=agency_kind, horizon=horizon)
    return [
        LibraryProgramOut(
            id=p.pk, plan=p.plan_id, region=p.plan.region.code, name=p.name, dimension=p.element.dimension.code,
            element=p.element.code, agency=p.owner_agency.name, agency_kind=p.owner_agency.kind.code if p.owner_agency.kind else None,
            start_year=p.start_year, end_year=p.end_year, horizon=p.horizon, quick_win=p.quick_win, demo=p.plan.is_demo,
        )
        for p in programs[offset : offset + limit]
    ]


@router.get("/{plan_id}", response=PlanOut, summary="A master plan with its programs")
def get_plan(request, plan_id: int):
    plan = _plan(request, plan_id)
    programs = plan.programs.select_related("element__dimension", "owner_agency").prefetch_related("budgets", "kpis", "supporting_agencies", "progress")
    out = []
    for program in programs:
        progress = sorted(program.progress.all(), key=lambda r: r.year)
        out.append(_program_out(program, progress[-1].status if progress else "planned"))
    return PlanOut(
        **_summary(plan).dict(), vision=plan.vision, missions=plan.mission_list, warnings=services.period_warnings(plan),
        regulation_kind=plan.regulation_kind, regulation_number=plan.regulation_number, regulation_date=plan.regulation_date,
        programs=out,
    )


def _program_values(plan, payload):
    element = Element.objects.filter(taxonomy=plan.taxonomy, code=payload.element).first()
    agencies = {a.name: a for a in Agency.objects.filter(region=plan.region)}
    errors = {}
    if element is None:
        errors["element"] = [f"unknown element {payload.element}"]
    if payload.agency not in agencies:
        errors["agency"] = [f"no agency {payload.agency} in the region"]
    unknown = [name for name in payload.supporting_agencies if name not in agencies]
    if unknown:
        errors["supporting_agencies"] = [f"no agency {name} in the region" for name in unknown]
    if errors:
        raise services.PlanRefused(errors)
    return {
        "name": payload.name, "description": payload.description, "element": element, "owner_agency": agencies[payload.agency],
        "supporting_agencies": [agencies[n] for n in payload.supporting_agencies], "start_year": payload.start_year,
        "end_year": payload.end_year, "quick_win": payload.quick_win, "due_date": payload.due_date, "visible_result": payload.visible_result,
    }


@router.post("/{plan_id}/programs", response={201: ProgramOut, 400: ErrorOut}, auth=ApiPermission("edit_masterplans"), summary="Add a program to a draft")
def add_program(request, plan_id: int, payload: ProgramIn):
    plan = _plan(request, plan_id, "edit_masterplans", request.auth)
    try:
        program = services.save_program(
            plan, _program_values(plan, payload), user=request.auth,
            budgets=[(b.year, b.source, b.amount) for b in payload.budgets], kpis=[k.dict() for k in payload.kpis],
        )
    except ValidationError as exc:
        return _refusal(exc)
    return Status(201, _program_out(program, "planned"))


@router.post("/{plan_id}/import", response={200: ProgramImportOut, 400: ErrorOut}, auth=ApiPermission("edit_masterplans"),
             summary="Replace a draft's programs with those of a workbook (refused whole when any cell is wrong)")
def import_programs(request, plan_id: int, file: File[UploadedFile]):
    plan = _plan(request, plan_id, "edit_masterplans", request.auth)
    try:
        result = services.import_programs(plan, file, user=request.auth, name=file.name)
    except (ValidationError, TableError) as exc:
        return _refusal(exc)
    return ProgramImportOut(imported=result.imported, added=result.added, changed=result.changed,
                            unchanged=result.unchanged, removed=result.removed)


TRANSITIONS = {
    "submit": ("edit_masterplans", services.submit),
    "return": ("review_masterplans", services.return_plan),
    "forward": ("review_masterplans", services.forward),
    "approve": ("approve_masterplans", services.approve),
    "new-version": ("edit_masterplans", services.new_version),
}


def _transition(name):
    action, service = TRANSITIONS[name]

    def operation(request, plan_id: int):
        plan = _plan(request, plan_id, action, request.auth)
        try:
            result = service(plan, user=request.auth)
        except ValidationError as exc:
            return _refusal(exc)
        return _summary(result)

    operation.__name__ = f"plan_{name.replace('-', '_')}"
    router.post(f"/{{plan_id}}/{name}", response={200: PlanSummaryOut, 400: ErrorOut}, auth=ApiPermission(action),
                summary=f"Workflow: {name}")(operation)


for _name in TRANSITIONS:
    _transition(_name)


@router.post("/{plan_id}/comments", response={201: CommentOut, 400: ErrorOut}, auth=ApiPermission("comment_masterplans"),
             summary="Comment on a section or a program (mentors; operators reply)")
def add_comment(request, plan_id: int, payload: CommentIn):
    plan = _plan(request, plan_id, "comment_masterplans", request.auth)
    program = plan.programs.filter(pk=payload.program).first() if payload.program else None
    thread = plan.comments.filter(pk=payload.thread).first() if payload.thread else None
    try:
        comment = services.add_comment(plan, author=request.auth, body=payload.body, section=payload.section, program=program, thread=thread)
    except ValidationError as exc:
        return _refusal(exc)
    return Status(201, CommentOut(id=comment.pk, section=comment.section, program=comment.program_id, body=comment.body, open=comment.is_open))


@taxonomy_router.get("", response=TaxonomyOut, summary="The dimensions and elements of master plans, with their mappings")
def get_taxonomy(request):
    taxonomy = services.default_taxonomy()
    return TaxonomyOut(code=taxonomy.code, version=taxonomy.version, dimensions=[
        DimensionOut(code=d.code, name=d.name, name_en=d.name_en, elements=[
            ElementOut(code=e.code, name=e.name, name_en=e.name_en, giffinger=services._split(e.giffinger), iso37120=services._split(e.iso37120))
            for e in elements
        ])
        for d, elements in services.taxonomy_tree(taxonomy)
    ])


def _progress_out(program, year, record):
    return ProgressOut(
        program=program.pk, name=program.name, dimension=program.element.dimension.code, element=program.element.code,
        agency=program.owner_agency.name, year=year, reported=record is not None, status=record and record.status,
        realisation=None if record is None or record.realisation is None else float(record.realisation),
        budget_spent=record and record.budget_spent, note=record.note if record else "",
        evidence=bool(record and record.evidence), reported_at=record and record.reported_at,
    )


@router.get("/{plan_id}/progress", response=List[ProgressOut], auth=ApiPermission("view_progress"),
            summary="The yearly progress of an adopted plan's programs (ministry, the region's operators and mentors)")
def get_progress(request, plan_id: int, year: int):
    plan = _plan(request, plan_id, "view_progress", request.auth)
    return [_progress_out(program, year, record) for program, record in services.progress_rows(plan, year)]


@router.put("/{plan_id}/programs/{program_id}/progress/{year}", response={200: ProgressOut, 400: ErrorOut},
            auth=ApiPermission("report_progress"),
            summary="Report a program's progress for a year (its owning agency's operator or the region's operator)")
def report_progress(request, plan_id: int, program_id: int, year: int, payload: ProgressIn):
    plan = _plan(request, plan_id, "report_progress", request.auth)
    program = get_object_or_404(plan.programs.select_related("element__dimension", "owner_agency", "plan__region"), pk=program_id)
    if not services.may_report_progress(request.auth, program):
        raise Http404
    realisation = None if payload.realisation is None else Decimal(str(payload.realisation))
    try:
        record = services.record_progress(program, year, status=payload.status, realisation=realisation,
                                          budget_spent=payload.budget_spent, note=payload.note, user=request.auth)
    except ValidationError as exc:
        return _refusal(exc)
    return _progress_out(program, record.year, record)


@router.post("/{plan_id}/adopt", response={200: PlanSummaryOut, 400: ErrorOut}, auth=ApiPermission("approve_masterplans"),
             summary="Record the regulation that adopted an approved plan (multipart: regulation_kind, regulation_number, "
                     "regulation_date, optional 'signed_file')")
def adopt_plan(request, plan_id: int, regulation_kind: str = Form(..., max_length=40),
               regulation_number: str = Form(..., max_length=120), regulation_date: date = Form(...),
               signed_file: UploadedFile = File(None)):
    """The adopt page's form and service."""
    from .forms import AdoptForm

    plan = _plan(request, plan_id, "approve_masterplans", request.auth)
    form = AdoptForm({"regulation_kind": regulation_kind, "regulation_number": regulation_number,
                      "regulation_date": regulation_date.isoformat()}, {"signed_file": signed_file} if signed_file else {})
    if not form.is_valid():
        return _refusal(ValidationError(form.errors.as_data()))
    try:
        plan = services.adopt(plan, user=request.auth, **form.cleaned_data)
    except ValidationError as exc:
        return _refusal(exc)
    return _summary(plan)


@router.delete("/{plan_id}/programs/{program_id}", response={204: None, 400: ErrorOut}, auth=ApiPermission("edit_masterplans"),
               summary="Remove a program from a draft")
def delete_program(request, plan_id: int, program_id: int):
    plan = _plan(request, plan_id, "edit_masterplans", request.auth)
    program = get_object_or_404(plan.programs, pk=program_id)
    try:
        services.delete_program(program, user=request.auth)
    except ValidationError as exc:
        return _refusal(exc)
    return Status(204, None)


@router.post("/{plan_id}/comments/{comment_id}/resolve", response={200: CommentOut}, auth=ApiPermission("comment_masterplans"),
             summary="Resolve a review thread")
def resolve_comment(request, plan_id: int, comment_id: int):
    plan = _plan(request, plan_id, "comment_masterplans", request.auth)
    comment = services.resolve_comment(get_object_or_404(plan.comments, pk=comment_id), user=request.auth)
    return CommentOut(id=comment.pk, section=comment.section, program=comment.program_id, body=comment.body, open=comment.is_open)
