"""The work of the master plan stage, as functions of plain arguments, each in one transaction.

Views and API operations check the role (accounts.permissions) and call these; these check the
state of the plan (only a draft or a returned plan is edited; an approved one never changes) and
the operator's agency (an agency-scoped grant edits only its agency's programs).
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.lib.files import checked_upload
from kotacerdas.lib.tabular import CellError, TableError, read_sheets, read_table
from kotacerdas.regions.models import Agency

from .models import (
    EDITABLE_STATUSES, PLAN_MAX_YEARS, PLAN_MIN_YEARS, BudgetSource, Comment, Dimension, Element, Kpi,
    MasterPlan, PlanStatus, Program, ProgramBudget, ProgressRecord, ReadinessFinding, RpjmdPeriod,
    Section, Taxonomy, horizon_for,
)

TAXONOMY_CSV = Path(settings.PACKAGE_DIR) / "data" / "taxonomy_smart_city_2017.csv"
DEFAULT_TAXONOMY = "gerakan-100-smart-city"

GIFFINGER = {"economy", "people", "governance", "mobility", "environment", "living"}
ISO37120_THEMES = {
    "economy", "education", "energy", "environment_climate", "finance", "governance", "health",
    "housing", "population_social", "recreation", "safety", "solid_waste", "sport_culture",
    "telecommunication", "transportation", "agriculture_food", "urban_planning", "wastewater", "water",
}


class PlanRefused(ValidationError):
    """An action the plan's state or the user's grant does not allow (shown to the user)."""


# Uploaded files of the stage, taken through lib.files (type by content, size limit, generated
# storage name): the signed regulation is a PDF; progress evidence a document or a photo.
SIGNED_REGULATION_TYPES = (".pdf",)
EVIDENCE_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".docx")
UPLOAD_MAX_BYTES = 10 * 1024 * 1024


def _checked_upload(uploaded, field, allowed):
    """lib.files.checked_upload, a refusal being :class:`PlanRefused` naming ``field``."""
    try:
        return checked_upload(uploaded, allowed, UPLOAD_MAX_BYTES, field=field)
    except ValidationError as exc:
        raise PlanRefused(exc.message_dict) from None


# --- taxonomy -----------------------------------------------------------------------------------

TAXONOMY_COLUMNS = ("taxonomy", "version", "kind", "code", "dimension", "name", "name_en", "giffinger", "iso37120")


def _split(text):
    return [part.strip() for part in text.split(";") if part.strip()]


@transaction.atomic
def load_taxonomy(path_or_file=TAXONOMY_CSV, name=None):
    """Load a taxonomy file (columns :data:`TAXONOMY_COLUMNS`); a loaded (code, version) is kept
    as it is. Returns the taxonomy. Every wrong cell is named; nothing is saved from a bad file."""
    table = read_table(path_or_file, TAXONOMY_COLUMNS, name=name)
    errors, dimensions, elements, seen = [], [], [], {}
    keys = {(row["taxonomy"], row["version"]) for _line, row in table.rows}
    if len(keys) != 1:
        raise TableError(table.source, [CellError(2, "taxonomy", _("a file holds exactly one taxonomy and version"))])
    (code, version), = keys
    for line, row in table.rows:
        if row["kind"] not in ("dimension", "element"):
            errors.append(CellError(line, "kind", _("write dimension or element")))
            continue
        if not row["code"]:
            errors.append(CellError(line, "code", _("a code is required")))
        elif row["code"] in seen:
            errors.append(CellError(line, "code", _("code %(code)s already used on row %(row)s") % {"code": row["code"], "row": seen[row["code"]]}))
        seen.setdefault(row["code"], line)
        for column in ("name", "name_en"):
            if not row[column]:
                errors.append(CellError(line, column, _("a name is required")))
        if row["kind"] == "dimension":
            dimensions.append((line, row))
            continue
        for column, allowed in (("giffinger", GIFFINGER), ("iso37120", ISO37120_THEMES)):
            unknown = [value for value in _split(row[column]) if value not in allowed]
            if unknown:
                errors.append(CellError(line, column, _("unknown value(s): %s") % ", ".join(unknown)))
        elements.append((line, row))
    dimension_codes = {row["code"] for _line, row in dimensions}
    for line, row in elements:
        if row["dimension"] not in dimension_codes:
            errors.append(CellError(line, "dimension", _("no dimension %s in the file") % (row["dimension"] or "-")))
    if errors:
        raise TableError(table.source, errors)
    existing = Taxonomy.objects.filter(code=code, version=version).first()
    if existing:
        return existing
    taxonomy = Taxonomy.objects.create(code=code, version=version, source=Path(table.source).name)
    by_code = {}
    for order, (_line, row) in enumerate(dimensions):
        by_code[row["code"]] = Dimension.objects.create(
            taxonomy=taxonomy, code=row["code"], name=row["name"], name_en=row["name_en"], order=order
        )
    for order, (_line, row) in enumerate(elements):
        Element.objects.create(
            taxonomy=taxonomy, dimension=by_code[row["dimension"]], code=row["code"], name=row["name"],
            name_en=row["name_en"], giffinger=";".join(_split(row["giffinger"])),
            iso37120=";".join(_split(row["iso37120"])), order=order,
        )
    return taxonomy


def default_taxonomy():
    """The newest version of the program's taxonomy, loaded from the shipped file if missing."""
    taxonomy = Taxonomy.objects.filter(code=DEFAULT_TAXONOMY).order_by("-version").first()
    return taxonomy or load_taxonomy()


def taxonomy_tree(taxonomy):
    """[(dimension, [elements])] in order."""
    elements = {}
    for element in taxonomy.elements.all():
        elements.setdefault(element.dimension_id, []).append(element)
    return [(dimension, elements.get(dimension.pk, [])) for dimension in taxonomy.dimensions.all()]


# --- who may edit what --------------------------------------------------------------------------


def operator_agencies(user, region):
    """None when ``user`` edits every program of ``region``; else the ids of the agencies their
    agency-scoped grants name (empty: not an operator of the region)."""
    if user is None or not user.is_authenticated:
        return set()
    grants = list(RoleGrant.objects.filter(user=user, role=Role.OPERATOR, region=region).values_list("agency_id", flat=True))
    if any(agency_id is None for agency_id in grants):
        return None
    return set(grants)


def mentors_of(region):
    from django.contrib.auth import get_user_model

    from kotacerdas.mentoring.models import MentorAssignment

    # A mentor replaced in the region keeps the grant (the conflict record) but not the work.
    replaced = MentorAssignment.objects.filter(region=region, ended_at__isnull=False).exclude(
        mentor__user__in=MentorAssignment.objects.filter(region=region, ended_at__isnull=True).values("mentor__user")
    ).values("mentor__user")
    return get_user_model().objects.filter(
        role_grants__role=Role.MENTOR, role_grants__region=region, is_active=True
    ).exclude(pk__in=replaced).distinct()


def operators_of(region):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        role_grants__role=Role.OPERATOR, role_grants__region=region, is_active=True
    ).distinct()


def _check_editable(plan):
    if not plan.is_editable:
        raise PlanRefused(
            _("This version is %(status)s and cannot be edited; start a new version to change it.")
            % {"status": plan.get_status_display()}
        )


def _check_agency(user, plan, agency):
    agencies = operator_agencies(user, plan.region) if user is not None else None
    if agencies is not None and (agency is None or agency.pk not in agencies):
        raise PlanRefused(_("Your grant covers only the programs of your own agency."))


def _who(instance, user):
    instance._history_user = user if user is not None and getattr(user, "is_authenticated", False) else None
    return instance


# --- plans --------------------------------------------------------------------------------------


def period_warnings(plan):
    """Translated warnings about the plan's period (length and the region's RPJMD period)."""
    warnings = []
    years = plan.end_year - plan.start_year + 1
    rpjmd = RpjmdPeriod.objects.filter(region=plan.region).first()
    if rpjmd is None:
        warnings.append(_("The region has not recorded its RPJMD period."))
    elif plan.start_year > rpjmd.start_year or plan.end_year < rpjmd.end_year:
        warnings.append(
            _("The plan (%(start)s–%(end)s) does not cover the RPJMD period %(rstart)s–%(rend)s.")
            % {"start": plan.start_year, "end": plan.end_year, "rstart": rpjmd.start_year, "rend": rpjmd.end_year}
        )
    if not PLAN_MIN_YEARS <= years <= PLAN_MAX_YEARS:
        warnings.append(_("A master plan covers 5 to 10 years."))
    return warnings


def _check_period(start_year, end_year):
    years = end_year - start_year + 1
    if not PLAN_MIN_YEARS <= years <= PLAN_MAX_YEARS:
        raise PlanRefused({"end_year": _("A master plan covers 5 to 10 years (this period has %(years)s).") % {"years": years}})


@transaction.atomic
def record_rpjmd(region, start_year, end_year, *, regulation="", user=None):
    """The region's RPJMD period, as its operator records it (a five-year plan, Permendagri
    86/2017), against which every master plan's period is checked."""
    if end_year - start_year + 1 != 5:
        raise PlanRefused({"rpjmd_end_year": _("An RPJMD covers five years.")})
    period = RpjmdPeriod.objects.filter(region=region).first() or RpjmdPeriod(region=region)
    period.start_year, period.end_year, period.regulation = start_year, end_year, regulation or period.regulation
    _who(period, user).save()
    return period


PLAN_TEXT_FIELDS = (
    "title", "vision", "missions", "targets", "strengths", "weaknesses", "opportunities", "threats",
    "gap_analysis", "integration_architecture", "network", "data_centre", "operation_room",
)


@transaction.atomic
def create_plan(region, *, start_year, end_year, user=None, title="", is_demo=False, taxonomy=None):
    """A new draft (version 1, or the next version) for ``region``."""
    _check_period(start_year, end_year)
    if MasterPlan.objects.filter(region=region, status__in=[*EDITABLE_STATUSES, PlanStatus.SUBMITTED, PlanStatus.FORWARDED]).exists():
        raise PlanRefused(_("%(region)s already has a plan in progress.") % {"region": region})
    version = (MasterPlan.objects.filter(region=region).order_by("-version").values_list("version", flat=True).first() or 0) + 1
    plan = MasterPlan(
        region=region, taxonomy=taxonomy or default_taxonomy(), version=version, start_year=start_year,
        end_year=end_year, is_demo=is_demo,
        title=title or _("Smart city master plan of %(region)s %(start)s–%(end)s") % {"region": region.name, "start": start_year, "end": end_year},
    )
    _who(plan, user).save()
    return plan


@transaction.atomic
def update_plan(plan, values, *, user=None, findings=None):
    """Change the chapters of a draft: ``values`` maps :data:`PLAN_TEXT_FIELDS` and the period;
    ``findings`` (when given) replaces the readiness findings with (area, finding, rating) rows."""
    plan = MasterPlan.objects.select_for_update().get(pk=plan.pk)
    _check_editable(plan)
    if user is not None and operator_agencies(user, plan.region) is not None:
        raise PlanRefused(_("Your grant covers only the programs of your own agency."))
    for field in PLAN_TEXT_FIELDS:
        if field in values:
            setattr(plan, field, values[field])
    start, end = int(values.get("start_year", plan.start_year)), int(values.get("end_year", plan.end_year))
    _check_period(start, end)
    outside = plan.programs.filter(Q(start_year__lt=start) | Q(end_year__gt=end)).values_list("name", flat=True)[:5]
    if outside:
        raise PlanRefused({"end_year": _("These programs fall outside the new period: %s") % ", ".join(outside)})
    plan.start_year, plan.end_year = start, end
    _who(plan, user).save()
    if findings is not None:
        plan.findings.all().delete()
        for area, finding, rating in findings:
            finding_row = ReadinessFinding(plan=plan, area=area, finding=finding, rating=rating)
            finding_row.full_clean(exclude=["plan"])
            _who(finding_row, user).save()
    return plan


# --- programs -----------------------------------------------------------------------------------

PROGRAM_FIELDS = ("name", "description", "element", "owner_agency", "start_year", "end_year", "quick_win", "due_date", "visible_result")


def check_program(plan, values):
    """Field errors of a program's values (a dict of field -> message list); empty when valid."""
    errors = {}
    start, end = values.get("start_year"), values.get("end_year")
    if not values.get("name"):
        errors["name"] = [_("A program needs a name.")]
    element = values.get("element")
    if element is None:
        errors["element"] = [_("Choose the element of the program.")]
    elif element.taxonomy_id != plan.taxonomy_id:
        errors["element"] = [_("This element is not in the plan's taxonomy.")]
    agency = values.get("owner_agency")
    if agency is None:
        errors["owner_agency"] = [_("Choose the owner agency.")]
    elif agency.region_id != plan.region_id:
        errors["owner_agency"] = [_("The owner agency must be one of the region's agencies.")]
    for agency in values.get("supporting_agencies") or ():
        if agency.region_id != plan.region_id:
            errors["supporting_agencies"] = [_("Supporting agencies must be the region's agencies.")]
    if start is None or end is None:
        errors["end_year"] = [_("Give the start and end year.")]
    else:
        if end < start:
            errors["end_year"] = [_("The end year comes before the start year.")]
        elif horizon_for(start, end) is None:
            errors["end_year"] = [_("A program spans at most 10 years (here %(span)s).") % {"span": end - start + 1}]
        if start < plan.start_year or end > plan.end_year:
            errors.setdefault("start_year", []).append(
                _("The years must lie within the plan's period %(start)s–%(end)s.") % {"start": plan.start_year, "end": plan.end_year}
            )
    if values.get("quick_win"):
        if not values.get("visible_result"):
            errors["visible_result"] = [_("A quick win says what result people will see.")]
        if not values.get("due_date"):
            errors["due_date"] = [_("A quick win has a due date (within 12 months of adoption).")]
    return errors


def _budgets_and_kpis_errors(program_years, budgets, kpis):
    errors = {}
    start, end = program_years
    seen = set()
    for year, source, amount in budgets:
        if source not in BudgetSource.values:
            errors.setdefault("budgets", []).append(_("Unknown budget source %s.") % source)
        if start is not None and not start <= year <= end:
            errors.setdefault("budgets", []).append(_("Budget year %(year)s is outside the program's years.") % {"year": year})
        if amount < 0:
            errors.setdefault("budgets", []).append(_("A budget cannot be negative."))
        if (year, source) in seen:
            errors.setdefault("budgets", []).append(_("Budget for %(year)s from %(source)s given twice.") % {"year": year, "source": source})
        seen.add((year, source))
    for kpi in kpis:
        if not kpi.get("name") or not kpi.get("unit"):
            errors.setdefault("kpis", []).append(_("A KPI needs a name and a unit."))
    return errors


@transaction.atomic
def save_program(plan, values, *, user=None, program=None, budgets=None, kpis=None):
    """Create or change a program of a draft. ``values``: :data:`PROGRAM_FIELDS` plus
    ``supporting_agencies``; ``budgets``: (year, source, amount) rows; ``kpis``: dicts with name,
    unit, baseline, targets {year: value}. Both replace the program's own when given."""
    plan = MasterPlan.objects.select_for_update().get(pk=plan.pk)
    _check_editable(plan)
    if program is not None:
        _check_agency(user, plan, program.owner_agency)
    _check_agency(user, plan, values.get("owner_agency"))
    errors = check_program(plan, values)
    errors.update(_budgets_and_kpis_errors((values.get("start_year"), values.get("end_year")), budgets or (), kpis or ()))
    if errors:
        raise PlanRefused(errors)
    program = program or Program(plan=plan, lineage=uuid.uuid4().hex)
    for field in PROGRAM_FIELDS:
        if field in values:
            setattr(program, field, values[field])
    if not program.quick_win:
        program.due_date, program.visible_result = None, ""
    program.horizon = horizon_for(program.start_year, program.end_year)
    _who(program, user).save()
    if "supporting_agencies" in values:
        program.supporting_agencies.set(values["supporting_agencies"])
    if budgets is not None:
        program.budgets.all().delete()
        for year, source, amount in budgets:
            _who(ProgramBudget(program=program, year=year, source=source, amount=amount), user).save()
    if kpis is not None:
        program.kpis.all().delete()
        for kpi in kpis:
            _who(Kpi(program=program, name=kpi["name"], unit=kpi["unit"], baseline=kpi.get("baseline"),
                     targets={str(k): v for k, v in (kpi.get("targets") or {}).items()}), user).save()
    return program


@transaction.atomic
def delete_program(program, *, user=None):
    plan = MasterPlan.objects.select_for_update().get(pk=program.plan_id)
    _check_editable(plan)
    _check_agency(user, plan, program.owner_agency)
    _who(program, user).delete()


@transaction.atomic
def record_progress(program, year, *, status, realisation=None, budget_spent=None, note="", evidence=None, user=None):
    """The yearly progress of a program of an adopted plan, reported by its owning agency (an
    operator whose grant names the agency, or the region's operator); the plan itself is not
    touched. Refused with the field named: a plan not adopted, a year outside the program's
    years, a realisation outside 0-100, another agency's program."""
    if program.plan.status != PlanStatus.ADOPTED:
        raise PlanRefused(_("Progress is reported on the programs of an adopted plan."))
    if user is not None:
        _check_agency(user, program.plan, program.owner_agency)
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise PlanRefused({"year": [_("Give the year as a number.")]}) from None
    if not program.plan.start_year <= year <= program.plan.end_year:
        raise PlanRefused({"year": [_("The year must lie within the plan's period (%(start)s-%(end)s).")
                                    % {"start": program.plan.start_year, "end": program.plan.end_year}]})
    stored = _checked_upload(evidence, "evidence", EVIDENCE_TYPES) if evidence is not None else None
    record = ProgressRecord.objects.select_for_update().filter(program=program, year=year).first() or ProgressRecord(program=program, year=year)
    record.status, record.realisation, record.budget_spent, record.note = status, realisation, budget_spent, note or ""
    record.reported_by = user if user is not None and user.is_authenticated else None
    if stored is not None:
        record.evidence = stored
    record.full_clean()
    _who(record, user).save()
    return record


def progress_rows(plan, year):
    """Every program of ``plan`` (in taxonomy order) with its progress record for ``year`` (None
    when not yet reported)."""
    programs = list(plan.programs.select_related("element__dimension", "owner_agency")
                    .order_by("element__dimension__order", "element__order", "start_year", "name"))
    records = {r.program_id: r for r in ProgressRecord.objects.filter(program__plan=plan, year=year).select_related("reported_by")}
    return [(program, records.get(program.pk)) for program in programs]


def may_report_progress(user, program):
    """Whether ``user`` reports the progress of ``program`` (its plan in their report scope is
    checked by the caller): the region's operator or one whose grant names the owning agency."""
    agencies = operator_agencies(user, program.plan.region)
    return agencies is None or program.owner_agency_id in agencies


# --- workflow -----------------------------------------------------------------------------------


def _transition(plan, allowed_from, status, user, reason, **fields):
    plan = MasterPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in allowed_from:
        raise PlanRefused(
            _("A plan that is %(status)s cannot be %(action)s.") % {"status": plan.get_status_display(), "action": reason}
        )
    plan.status = status
    for field, value in fields.items():
        setattr(plan, field, value)
    plan._change_reason = reason
    _who(plan, user).save()
    return plan


def quick_win_gaps(plan):
    """The dimensions of the plan's taxonomy without a quick win."""
    covered = set(plan.programs.filter(quick_win=True).values_list("element__dimension_id", flat=True))
    return [d for d in plan.taxonomy.dimensions.all() if d.pk not in covered]


def element_gaps(plan):
    covered = set(plan.programs.values_list("element_id", flat=True))
    return [e for e in plan.taxonomy.elements.all() if e.pk not in covered]


@transaction.atomic
def submit(plan, *, user=None):
    """The operator submits the draft for the mentors' review (it needs at least one program)."""
    if not plan.programs.exists():
        raise PlanRefused(_("Add at least one program before submitting."))
    plan = _transition(plan, EDITABLE_STATUSES, PlanStatus.SUBMITTED, user, "submitted", submitted_at=timezone.now())
    from kotacerdas.accounts.services import notify

    for mentor in mentors_of(plan.region):
        notify(mentor, "masterplans/email/submitted", {"plan": plan})
    return plan


@transaction.atomic
def return_plan(plan, *, user=None):
    plan = _transition(plan, (PlanStatus.SUBMITTED, PlanStatus.FORWARDED), PlanStatus.RETURNED, user, "returned")
    from kotacerdas.accounts.services import notify

    for operator in operators_of(plan.region):
        notify(operator, "masterplans/email/returned", {"plan": plan})
    return plan


@transaction.atomic
def forward(plan, *, user=None):
    """The mentors forward a reviewed plan to the ministry; open comments must be resolved first."""
    if plan.comments.filter(thread__isnull=True, resolved_at__isnull=True).exists():
        raise PlanRefused(_("Resolve the open comments before forwarding the plan."))
    return _transition(plan, (PlanStatus.SUBMITTED,), PlanStatus.FORWARDED, user, "forwarded")


@transaction.atomic
def approve(plan, *, user=None):
    return _transition(plan, (PlanStatus.FORWARDED,), PlanStatus.APPROVED, user, "approved",
                       approved_at=timezone.now(), approved_by=user if user is not None and user.is_authenticated else None)


def _add_months(date, months):
    month = date.month - 1 + months
    year, month = date.year + month // 12, month % 12 + 1
    import calendar

    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def adopt(plan, *, regulation_kind, regulation_number, regulation_date, signed_file=None, user=None):
    """Record the regulation that adopted an approved plan; every quick win must be due within
    12 months of it."""
    errors = {}
    if not regulation_kind:
        errors["regulation_kind"] = [_("Choose the kind of regulation.")]
    if not regulation_number:
        errors["regulation_number"] = [_("Give the regulation's number.")]
    if regulation_date is None:
        errors["regulation_date"] = [_("Give the regulation's date.")]
    else:
        limit = _add_months(regulation_date, 12)
        late = plan.programs.filter(quick_win=True).filter(Q(due_date__gt=limit) | Q(due_date__isnull=True)).values_list("name", flat=True)
        if late:
            errors["regulation_date"] = [_("These quick wins are not due within 12 months of adoption: %s") % ", ".join(late)]
    stored = None
    if signed_file is not None:
        try:
            stored = _checked_upload(signed_file, "signed_file", SIGNED_REGULATION_TYPES)
        except PlanRefused as exc:
            errors.update(exc.message_dict)
    if errors:
        raise PlanRefused(errors)
    fields = dict(regulation_kind=regulation_kind, regulation_number=regulation_number, regulation_date=regulation_date, adopted_at=timezone.now())
    if stored is not None:
        # Written to storage when the plan row is saved, that is only once the state allowed it.
        fields["signed_file"] = stored
    return _transition(plan, (PlanStatus.APPROVED,), PlanStatus.ADOPTED, user, "adopted", **fields)


@transaction.atomic
def new_version(plan, *, user=None):
    """A new draft copied from ``plan`` (chapters, findings, programs with their budgets and
    KPIs); ``plan`` itself is left as it is."""
    source = MasterPlan.objects.get(pk=plan.pk)
    if MasterPlan.objects.filter(region=source.region, status__in=[*EDITABLE_STATUSES, PlanStatus.SUBMITTED, PlanStatus.FORWARDED]).exists():
        raise PlanRefused(_("%(region)s already has a plan in progress.") % {"region": source.region})
    version = MasterPlan.objects.filter(region=source.region).order_by("-version").values_list("version", flat=True).first() + 1
    copy = MasterPlan(
        region=source.region, taxonomy=source.taxonomy, version=version, based_on=source, is_demo=source.is_demo,
        start_year=source.start_year, end_year=source.end_year,
        **{field: getattr(source, field) for field in PLAN_TEXT_FIELDS},
    )
    _who(copy, user).save()
    for finding in source.findings.all():
        _who(ReadinessFinding(plan=copy, area=finding.area, finding=finding.finding, rating=finding.rating), user).save()
    for program in source.programs.prefetch_related("supporting_agencies", "budgets", "kpis"):
        new = Program(plan=copy, **{f: getattr(program, f) for f in ("lineage", "horizon", *PROGRAM_FIELDS)})
        _who(new, user).save()
        new.supporting_agencies.set(program.supporting_agencies.all())
        for budget in program.budgets.all():
            _who(ProgramBudget(program=new, year=budget.year, source=budget.source, amount=budget.amount), user).save()
        for kpi in program.kpis.all():
            _who(Kpi(program=new, name=kpi.name, unit=kpi.unit, baseline=kpi.baseline, targets=kpi.targets), user).save()
    return copy


# --- review comments ----------------------------------------------------------------------------


@transaction.atomic
def add_comment(plan, *, author, body, section=Section.GENERAL, program=None, thread=None):
    """A mentor's (or the operator's reply to a) comment; the region's operators are notified of
    a mentor's comment."""
    if not body.strip():
        raise PlanRefused({"body": [_("Write a comment.")]})
    if section not in Section.values:
        raise PlanRefused({"section": [_("Unknown section.")]})
    if program is not None and program.plan_id != plan.pk:
        raise PlanRefused({"program": [_("This program is not in this plan.")]})
    if thread is not None and (thread.plan_id != plan.pk or thread.thread_id is not None):
        raise PlanRefused({"thread": [_("Reply to a thread of this plan.")]})
    comment = Comment(plan=plan, section=thread.section if thread else section, program=thread.program if thread else program,
                      thread=thread, author=author, body=body.strip())
    _who(comment, author).save()
    if author.role_grants.filter(role=Role.MENTOR).exists():
        from kotacerdas.accounts.services import notify

        for operator in operators_of(plan.region):
            notify(operator, "masterplans/email/comment", {"plan": plan, "comment": comment})
    return comment


@transaction.atomic
def resolve_comment(comment, *, user=None):
    if comment.thread_id is not None:
        comment = comment.thread
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.resolved_by = user
        _who(comment, user).save()
    return comment


# --- version difference -------------------------------------------------------------------------

DIFF_FIELDS = ("name", "description", "element", "owner_agency", "start_year", "end_year", "horizon", "quick_win", "due_date", "visible_result")


def _program_facts(program):
    facts = {field: getattr(program, field) for field in DIFF_FIELDS}
    facts["element"] = program.element.code
    facts["owner_agency"] = str(program.owner_agency)
    facts["supporting_agencies"] = ", ".join(sorted(str(a) for a in program.supporting_agencies.all()))
    facts["budget"] = "; ".join(f"{b.year} {b.source} {b.amount}" for b in program.budgets.all())
    facts["kpis"] = "; ".join(f"{k.name} ({k.unit}) {k.baseline} → {k.targets}" for k in program.kpis.all())
    return facts


def diff_versions(old, new):
    """Programs added, removed and changed (field, before, after) from ``old`` to ``new``, and the
    chapters that changed (both read as stored now)."""
    old, new = MasterPlan.objects.get(pk=old.pk), MasterPlan.objects.get(pk=new.pk)

    def programs(plan):
        rows = plan.programs.select_related("element", "owner_agency").prefetch_related("supporting_agencies", "budgets", "kpis")
        return {p.lineage: p for p in rows}

    before, after = programs(old), programs(new)
    labels = {f.name: f.verbose_name for f in Program._meta.get_fields() if hasattr(f, "verbose_name")}
    labels.update({"budget": _("budget"), "kpis": _("KPIs")})
    changed = []
    for lineage in before.keys() & after.keys():
        a, b = _program_facts(before[lineage]), _program_facts(after[lineage])
        fields = [(str(labels.get(k, k)), a[k], b[k]) for k in a if a[k] != b[k]]
        if fields:
            changed.append((after[lineage], fields))
    chapters = [
        (str(MasterPlan._meta.get_field(f).verbose_name), getattr(old, f), getattr(new, f))
        for f in (*PLAN_TEXT_FIELDS, "start_year", "end_year") if getattr(old, f) != getattr(new, f)
    ]
    return {
        "added": sorted((after[k] for k in after.keys() - before.keys()), key=lambda p: p.name),
        "removed": sorted((before[k] for k in before.keys() - after.keys()), key=lambda p: p.name),
        "changed": sorted(changed, key=lambda row: row[0].name),
        "chapters": chapters,
    }


# --- coverage and budget ------------------------------------------------------------------------


def coverage(plan):
    """The 6 × 3 matrix: per dimension its elements with program count and budget, and whether
    the dimension has a quick win."""
    from django.db.models import Count, Sum

    counts = dict(plan.programs.values_list("element_id").annotate(n=Count("id")).values_list("element_id", "n"))
    budgets = dict(
        ProgramBudget.objects.filter(program__plan=plan).values_list("program__element_id").annotate(total=Sum("amount")).values_list("program__element_id", "total")
    )
    quick = set(plan.programs.filter(quick_win=True).values_list("element__dimension_id", flat=True))
    rows = []
    for dimension, elements in taxonomy_tree(plan.taxonomy):
        cells = [{"element": e, "programs": counts.get(e.pk, 0), "budget": budgets.get(e.pk, 0) or 0} for e in elements]
        rows.append({"dimension": dimension, "cells": cells, "has_quick_win": dimension.pk in quick})
    return rows


def budget_by_year(plan):
    """{dimension: {year: amount}} over the plan's years."""
    from django.db.models import Sum

    totals = {}
    rows = ProgramBudget.objects.filter(program__plan=plan).values_list("program__element__dimension_id", "year").annotate(total=Sum("amount"))
    for dimension_id, year, total in rows:
        totals.setdefault(dimension_id, {})[year] = total
    return [(d, totals.get(d.pk, {})) for d in plan.taxonomy.dimensions.all()]


# --- program library ----------------------------------------------------------------------------


def library(*, text="", dimension="", element="", agency_kind="", horizon=""):
    """Programs of every adopted plan, filtered; ranked by full-text relevance on PostgreSQL, a
    case-insensitive search of name and description elsewhere."""
    from django.db import connection

    programs = Program.objects.filter(plan__status=PlanStatus.ADOPTED).select_related(
        "plan__region", "element__dimension", "owner_agency__kind"
    )
    if dimension:
        programs = programs.filter(element__dimension__code=dimension)
    if element:
        programs = programs.filter(element__code=element)
    if agency_kind:
        programs = programs.filter(owner_agency__kind__code=agency_kind)
    if horizon:
        programs = programs.filter(horizon=horizon)
    text = text.strip()
    if text and connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        # "simple": no stemming, so Indonesian and English words both match as written.
        vector = SearchVector("name", weight="A", config="simple") + SearchVector("description", weight="B", config="simple")
        query = SearchQuery(text, config="simple", search_type="websearch")
        return programs.annotate(rank=SearchRank(vector, query)).filter(rank__gt=0).order_by("-rank", "name")
    if text:
        for word in text.split():
            programs = programs.filter(Q(name__icontains=word) | Q(description__icontains=word))
    return programs.order_by("plan__region__code", "name")


# --- import and export (XLSX) -------------------------------------------------------------------

PROGRAM_COLUMNS = ("ref", "name", "description", "element", "owner_agency", "supporting_agencies", "start_year", "end_year", "quick_win", "due_date", "visible_result")
BUDGET_COLUMNS = ("ref", "year", "source", "amount")
KPI_COLUMNS = ("ref", "kpi", "unit", "baseline", "year", "target")
YES = {"1", "true", "yes", "ya", "y", "x"}
NO = {"", "0", "false", "no", "tidak", "n"}


def _int(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value == int(value) else None


def _number(text):
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _date(text):
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def read_program_file(plan, upload, *, name=None):
    """Read a programs workbook (sheets programs, budgets, kpis) and check every cell against the
    plan; returns the programs to save or raises :class:`TableError` naming every cell at fault."""
    source = name or getattr(upload, "name", "programs.xlsx")
    if hasattr(upload, "seek"):
        upload.seek(0)
    tables = read_sheets(upload, {
        "programs": (PROGRAM_COLUMNS, True), "budgets": (BUDGET_COLUMNS, False), "kpis": (KPI_COLUMNS, False),
    }, name=source)
    elements = {e.code: e for e in plan.taxonomy.elements.all()}
    agencies = {}
    for agency in Agency.objects.filter(region=plan.region):
        agencies[agency.name.casefold()] = agency
        if agency.short_name:
            agencies.setdefault(agency.short_name.casefold(), agency)
    errors, programs = [], {}

    def error(sheet, line, column, message):
        errors.append(CellError(line, f"{sheet}.{column}", message))

    for line, row in tables["programs"].rows:
        ref = row["ref"]
        if not ref:
            error("programs", line, "ref", _("a reference is required"))
        elif ref in programs:
            error("programs", line, "ref", _("reference %s is used twice") % ref)
        values = {"name": row["name"], "description": row["description"], "visible_result": row["visible_result"]}
        if not row["name"]:
            error("programs", line, "name", _("a name is required"))
        values["element"] = elements.get(row["element"])
        if values["element"] is None:
            error("programs", line, "element", _("unknown element %s") % (row["element"] or "-"))
        values["owner_agency"] = agencies.get(row["owner_agency"].casefold())
        if values["owner_agency"] is None:
            error("programs", line, "owner_agency", _("no agency %s in the region") % (row["owner_agency"] or "-"))
        supporting = []
        for label in _split(row["supporting_agencies"]):
            agency = agencies.get(label.casefold())
            if agency is None:
                error("programs", line, "supporting_agencies", _("no agency %s in the region") % label)
            else:
                supporting.append(agency)
        values["supporting_agencies"] = supporting
        for column in ("start_year", "end_year"):
            values[column] = _int(row[column])
            if values[column] is None:
                error("programs", line, column, _("write a year, e.g. 2026"))
        flag = row["quick_win"].casefold()
        if flag not in YES | NO:
            error("programs", line, "quick_win", _("write yes or no"))
        values["quick_win"] = flag in YES
        values["due_date"] = _date(row["due_date"]) if row["due_date"] else None
        if row["due_date"] and values["due_date"] is None:
            error("programs", line, "due_date", _("write a date as YYYY-MM-DD"))
        if values["element"] is not None and values["owner_agency"] is not None and values["start_year"] and values["end_year"]:
            for field, messages in check_program(plan, values).items():
                for message in messages:
                    error("programs", line, field, message)
        programs.setdefault(ref, {"values": values, "line": line, "budgets": [], "kpis": {}})
    for line, row in tables["budgets"].rows:
        program = programs.get(row["ref"])
        year, amount = _int(row["year"]), _int(row["amount"])
        if program is None:
            error("budgets", line, "ref", _("no program %s on the programs sheet") % (row["ref"] or "-"))
        if year is None:
            error("budgets", line, "year", _("write a year, e.g. 2026"))
        if row["source"] not in BudgetSource.values:
            error("budgets", line, "source", _("write one of %s") % ", ".join(BudgetSource.values))
        if amount is None or amount < 0:
            error("budgets", line, "amount", _("write an amount in rupiah (a whole number, not negative)"))
        if program is not None and year is not None:
            values = program["values"]
            if values["start_year"] and values["end_year"] and not values["start_year"] <= year <= values["end_year"]:
                error("budgets", line, "year", _("%(year)s is outside the program's years") % {"year": year})
            if any(y == year and s == row["source"] for y, s, _a in program["budgets"]):
                error("budgets", line, "source", _("this year and source are given twice for the program"))
            program["budgets"].append((year, row["source"], amount))
    for line, row in tables["kpis"].rows:
        program = programs.get(row["ref"])
        if program is None:
            error("kpis", line, "ref", _("no program %s on the programs sheet") % (row["ref"] or "-"))
        for column in ("kpi", "unit"):
            if not row[column]:
                error("kpis", line, column, _("required"))
        baseline = _number(row["baseline"]) if row["baseline"] else None
        if row["baseline"] and baseline is None:
            error("kpis", line, "baseline", _("write a number"))
        year = _int(row["year"]) if row["year"] else None
        if row["year"] and year is None:
            error("kpis", line, "year", _("write a year, e.g. 2026"))
        target = _number(row["target"]) if row["target"] else None
        if row["target"] and target is None:
            error("kpis", line, "target", _("write a number"))
        if program is not None:
            kpi = program["kpis"].setdefault(row["kpi"], {"name": row["kpi"], "unit": row["unit"], "baseline": baseline, "targets": {}})
            if year is not None and target is not None:
                kpi["targets"][str(year)] = float(target)
    if errors:
        raise TableError(source, errors)
    return list(programs.values())


@dataclass(frozen=True)
class ImportResult:
    """What an import did to a draft: programs added, changed in place (keeping their identity and
    review comments), left as they were, and removed."""

    added: int
    changed: int
    unchanged: int
    removed: int

    @property
    def imported(self):
        return self.added + self.changed + self.unchanged


@transaction.atomic
def import_programs(plan, upload, *, user=None, name=None):
    """Replace the draft's programs (or, for an agency-scoped operator, their agency's) with those
    of a workbook; a file with any wrong cell is refused whole. A program of the file that stands
    for one of the draft's (:func:`_match_programs`) changes it in place. Returns an
    :class:`ImportResult`."""
    plan = MasterPlan.objects.select_for_update().get(pk=plan.pk)
    _check_editable(plan)
    rows = read_program_file(plan, upload, name=name)
    agencies = operator_agencies(user, plan.region) if user is not None else None
    if agencies is not None:
        outside = [CellError(r["line"], "programs.owner_agency", _("your grant covers only your own agency")) for r in rows if r["values"]["owner_agency"].pk not in agencies]
        if outside:
            raise TableError(name or getattr(upload, "name", "programs.xlsx"), outside)
    return _write_programs(plan, rows, user, agencies)


def _name_key(name, dimension_id):
    return " ".join(name.split()).casefold(), dimension_id


def _match_programs(existing, rows):
    """Pair each row of an import with the draft's program it stands for, or None: the program of
    the same name (case and spacing aside) in the same dimension, one of the same element first.
    Programs have no code of their own in the program's guidance and the sheet's ``ref`` only ties
    its three sheets together, so the name within its dimension is the key a region keeps when it
    exports its plan, edits the workbook and imports it again; a renamed program reads as one
    removed and one added. Returns (pairs, the draft's programs no row stands for)."""
    pool = {}
    for program in existing:
        pool.setdefault(_name_key(program.name, program.element.dimension_id), []).append(program)
    pairs = []
    for row in rows:
        element = row["values"]["element"]
        candidates = pool.get(_name_key(row["values"]["name"], element.dimension_id), [])
        match = next((p for p in candidates if p.element_id == element.pk), candidates[0] if candidates else None)
        if match is not None:
            candidates.remove(match)
        pairs.append((row, match))
    return pairs, [program for candidates in pool.values() for program in candidates]


def _row_fields(values):
    """A program's own columns (attribute names) from an import row's values."""
    quick = values["quick_win"]
    return {
        "name": values["name"], "description": values["description"], "element_id": values["element"].pk,
        "owner_agency_id": values["owner_agency"].pk, "start_year": values["start_year"], "end_year": values["end_year"],
        "horizon": horizon_for(values["start_year"], values["end_year"]), "quick_win": quick,
        "due_date": values["due_date"] if quick else None, "visible_result": values["visible_result"] if quick else "",
    }


def _budget_facts(budgets):
    return sorted((b[0], b[1], int(b[2])) for b in budgets)


def _kpi_facts(kpis):
    return [(k["name"], k["unit"], None if k["baseline"] is None else Decimal(k["baseline"]),
             sorted((str(y), float(t)) for y, t in k["targets"].items())) for k in kpis]


def _chunks(items, size=500):
    items = list(items)
    return [items[start : start + size] for start in range(0, len(items), size)]


def _write_programs(plan, rows, user, agencies):
    """Bulk writes with their history rows (who and when, as simple_history records them): the
    draft's programs no row stands for are deleted, the ones a row stands for are changed in place
    where they differ (their budgets, KPIs and supporting agencies replaced only when those
    differ), the other rows are added with a new lineage."""
    existing_programs = plan.programs.all() if agencies is None else plan.programs.filter(owner_agency_id__in=agencies)
    history_user = user if user is not None and user.is_authenticated else None
    when = timezone.now()
    existing = list(existing_programs.select_related("element"))
    pairs, leftover = _match_programs(existing, rows)
    if leftover and len(leftover) == len(existing):
        _delete_programs(existing_programs, history_user)
    else:
        for chunk in _chunks(p.pk for p in leftover):
            _delete_programs(Program.objects.filter(pk__in=chunk), history_user)
    through = Program.supporting_agencies.through
    current = {"budgets": {}, "kpis": {}, "links": {}}
    if any(match is not None for _row, match in pairs):
        for budget in ProgramBudget.objects.filter(program__in=existing_programs).order_by("pk"):
            current["budgets"].setdefault(budget.program_id, []).append((budget.year, budget.source, budget.amount))
        for kpi in Kpi.objects.filter(program__in=existing_programs).order_by("pk"):
            current["kpis"].setdefault(kpi.program_id, []).append(
                {"name": kpi.name, "unit": kpi.unit, "baseline": kpi.baseline, "targets": kpi.targets})
        for program_id, agency_id in through.objects.filter(program__in=existing_programs).values_list("program_id", "agency_id"):
            current["links"].setdefault(program_id, set()).add(agency_id)
    added, updated, replaced = [], [], {"budgets": set(), "kpis": set(), "links": set()}
    unchanged = 0
    for row, program in pairs:
        fields = _row_fields(row["values"])
        if program is None:
            added.append((Program(plan=plan, lineage=uuid.uuid4().hex, **fields), row))
            continue
        differs = [field for field, value in fields.items() if getattr(program, field) != value]
        for field in differs:
            setattr(program, field, fields[field])
        if differs:
            updated.append(program)
        children = {
            "budgets": _budget_facts(current["budgets"].get(program.pk, [])) != _budget_facts(row["budgets"]),
            "kpis": _kpi_facts(current["kpis"].get(program.pk, [])) != _kpi_facts(row["kpis"].values()),
            "links": current["links"].get(program.pk, set()) != {a.pk for a in row["values"]["supporting_agencies"]},
        }
        for kind, differ in children.items():
            if differ:
                replaced[kind].add(program.pk)
        if not differs and not any(children.values()):
            unchanged += 1
    if updated:
        Program.objects.bulk_update(updated, list(_row_fields(pairs[0][0]["values"])), batch_size=500)
        _write_history(Program, updated, history_user, when, "~")
    new_programs = [program for program, _row in added]
    Program.objects.bulk_create(new_programs, batch_size=2000)
    # bulk_create returns primary keys on SQLite and PostgreSQL alike.
    _write_history(Program, new_programs, history_user, when, "+")
    for kind, model in (("budgets", ProgramBudget), ("kpis", Kpi), ("links", through)):
        for chunk in _chunks(replaced[kind]):
            queryset = model.objects.filter(program_id__in=chunk)
            if kind != "links":
                _deletion_history(model, queryset, history_user, when)
            queryset._raw_delete(queryset.db)
    links, budgets, kpis = [], [], []
    targets = [(program, row, True) for program, row in added]
    targets += [(program, row, False) for row, program in pairs if program is not None]
    for program, row, new in targets:
        if new or program.pk in replaced["links"]:
            links += [through(program_id=program.pk, agency_id=a.pk) for a in row["values"]["supporting_agencies"]]
        if new or program.pk in replaced["budgets"]:
            budgets += [ProgramBudget(program=program, year=y, source=s, amount=a) for y, s, a in row["budgets"]]
        if new or program.pk in replaced["kpis"]:
            kpis += [Kpi(program=program, name=k["name"], unit=k["unit"], baseline=k["baseline"], targets=k["targets"]) for k in row["kpis"].values()]
    through.objects.bulk_create(links, batch_size=5000)
    for model, objects in ((ProgramBudget, budgets), (Kpi, kpis)):
        model.objects.bulk_create(objects, batch_size=5000)
        _write_history(model, objects, history_user, when, "+")
    changed = len({p.pk for p in updated} | replaced["budgets"] | replaced["kpis"] | replaced["links"])
    return ImportResult(added=len(added), changed=changed, unchanged=unchanged, removed=len(leftover))


def _write_history(model, rows, user, when, history_type):
    """The historical rows simple_history writes on saving ("+") or deleting ("-") each of
    ``rows``, inserted with one prepared statement (executemany): building Django's multi-row
    INSERT took most of the time of a 10,000-program import (bench/masterplans.py)."""
    from django.db import connection

    history = model.history.model
    fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    special = {"history_date": when, "history_type": history_type, "history_change_reason": None,
               "history_user_id": user.pk if user is not None else None}
    table = connection.ops.quote_name(history._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    params = [
        [f.get_db_prep_save(special[f.attname] if f.attname in special else getattr(row, f.attname), connection) for f in fields]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 5000):
            cursor.executemany(sql, params[start : start + 5000])


def _deletion_history(model, queryset, user, when):
    _write_history(model, list(queryset.iterator(chunk_size=2000)), user, when, "-")


def _delete_programs(programs, user):
    """Delete a draft's programs with their budgets, KPIs and agency links, recording each
    deletion in the history as a one-by-one delete would, in a few statements instead of one
    per row and signal (measured: replacing 10,000 programs took minutes one by one,
    bench/masterplans.py). Comments on them stay on the plan; a draft's programs have no
    progress records (only adopted plans do, which are never edited)."""
    when = timezone.now()
    budgets = ProgramBudget.objects.filter(program__in=programs)
    kpis = Kpi.objects.filter(program__in=programs)
    for model, queryset in ((ProgramBudget, budgets), (Kpi, kpis), (Program, programs)):
        _deletion_history(model, queryset, user, when)
    Comment.objects.filter(program__in=programs).update(program=None)
    links = Program.supporting_agencies.through.objects.filter(program__in=programs)
    # _raw_delete: Django's own single DELETE statement, without the per-row collector and signals
    # (the history rows are written above).
    for queryset in (links, budgets, kpis, programs):
        queryset._raw_delete(queryset.db)


def program_workbook(plan=None, *, template=False):
    """The programs of ``plan`` as a workbook in the import's shape (sheets programs, budgets,
    kpis), plus a sheet listing the taxonomy; ``template`` leaves the data sheets empty."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheets = {name: workbook.create_sheet(name) for name in ("programs", "budgets", "kpis", "elements")}
    sheets["programs"].append(list(PROGRAM_COLUMNS))
    sheets["budgets"].append(list(BUDGET_COLUMNS))
    sheets["kpis"].append(list(KPI_COLUMNS))
    sheets["elements"].append(["dimension", "element", "name", "name_en"])
    taxonomy = plan.taxonomy if plan else default_taxonomy()
    for element in taxonomy.elements.select_related("dimension"):
        sheets["elements"].append([element.dimension.code, element.code, element.name, element.name_en])
    if plan is not None and plan.is_demo:
        sheets["elements"].append([_("DEMO: invented content")])
    if plan is not None and not template:
        rows = plan.programs.select_related("element", "owner_agency").prefetch_related("supporting_agencies", "budgets", "kpis")
        for number, program in enumerate(rows, start=1):
            ref = f"P{number}"
            sheets["programs"].append([
                ref, program.name, program.description, program.element.code, program.owner_agency.name,
                "; ".join(a.name for a in program.supporting_agencies.all()), program.start_year, program.end_year,
                "yes" if program.quick_win else "no", program.due_date.isoformat() if program.due_date else "", program.visible_result,
            ])
            for budget in program.budgets.all():
                sheets["budgets"].append([ref, budget.year, budget.source, budget.amount])
            for kpi in program.kpis.all():
                for year, target in sorted(kpi.targets.items()) or [("", "")]:
                    sheets["kpis"].append([ref, kpi.name, kpi.unit, "" if kpi.baseline is None else float(kpi.baseline), year, target])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
