"""Open data: every public table of the program at stable addresses under ``/data/``.

Each table is a *resource* of one Frictionless data package (``/data/datapackage.json``,
https://specs.frictionlessdata.io/data-package/): its columns with types, units and meanings,
its sources and its licence. A resource is downloadable as CSV (UTF-8, no byte order mark, a
decimal point, the header on the first line, as the Tabular Data Resource spec expects), XLSX and
JSON. Only real data goes here: rows of demo phases (``is_demo``) are left out of every table, so
nothing invented can be mistaken for a published fact.

Answers carry an ``ETag`` (the SHA-256 of the body) and a ``Last-Modified`` taken from the data
itself (the newest change in the tables behind the resource, from their change log), so a client
polling every day downloads only what changed, and every app server answers alike.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from django.db.models import Max

from kotacerdas.evaluation.models import SMART_CITY_DIMENSIONS, Origin, Result
from kotacerdas.lib.export import neutralise
from kotacerdas.masterplans.models import MasterPlan, PlanStatus, Program, ProgressRecord
from kotacerdas.mentoring.models import MentorAssignment, MentorInstitution
from kotacerdas.program.models import Participation, Phase, ParticipationStatus
from kotacerdas.regions.models import KABKOTA_KINDS, Kind, Region
from kotacerdas.screening.models import RunStatus, ScreeningRun

# The platform's own tables (phases, selections, runs) are published under CC BY 4.0; the
# registry's tables keep the MIT licence of the data they come from (data/SOURCES.md).
PLATFORM_LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
REGISTRY_LICENCE = {
    "name": "MIT",
    "title": "MIT License (cahyadsn/wilayah, cahyadsn/wilayah_boundaries)",
    "path": "https://opensource.org/license/mit",
}
REGISTRY_SOURCES = [
    {"title": "cahyadsn/wilayah (Kepmendagri No. 300.2.2-2138 Tahun 2025)", "path": "https://github.com/cahyadsn/wilayah"},
]
PROGRAM_SOURCES = [
    {"title": "Gerakan Menuju 100 Smart City: published selections (see /data-sources/)", "path": "/data-sources/"},
]


@dataclass(frozen=True)
class Field:
    """One column: its name, Frictionless type, meaning, and unit where it has one."""

    name: str
    type: str
    description: str
    unit: str = ""

    def descriptor(self):
        out = {"name": self.name, "type": self.type, "description": self.description}
        if self.unit:
            out["unit"] = self.unit
        return out


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple
    rows: object  # () -> iterable of tuples in the order of ``fields``
    changed: object  # () -> datetime or None: the newest change of the data behind it
    primary_key: tuple = ()
    licence: dict = field(default_factory=lambda: PLATFORM_LICENCE)
    sources: tuple = ()

    def descriptor(self):
        schema = {"fields": [column.descriptor() for column in self.fields]}
        if self.primary_key:
            schema["primaryKey"] = list(self.primary_key)
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "path": f"{self.name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "profile": "tabular-data-resource",
            "schema": schema,
            "licenses": [self.licence],
            "sources": list(self.sources),
        }


def _newest(*values):
    found = [value for value in values if value is not None]
    return max(found) if found else None


def _history_changed(*models):
    """The newest entry of the change log of ``models`` (django-simple-history)."""
    return _newest(*(model.history.aggregate(newest=Max("history_date"))["newest"] for model in models))


def _number(value):
    return None if value is None else float(value)


# --- the tables ---------------------------------------------------------------------------------


def _region_rows():
    regions = Region.objects.filter(kind__in=KABKOTA_KINDS).select_related("province").order_by("code")
    for region in regions:
        yield (
            region.code, region.name, region.kind, region.province.code, region.province.name,
            region.island_group, region.time_zone, region.population, _number(region.area_km2),
            region.figures_as_of,
        )


def _province_rows():
    for region in Region.objects.filter(kind=Kind.PROVINSI).order_by("code"):
        yield (
            region.code, region.name, region.island_group, region.time_zone, region.population,
            _number(region.area_km2), region.figures_as_of,
        )


def _phase_rows():
    phases = Phase.objects.filter(is_demo=False).order_by("year")
    for phase in phases:
        selected = phase.participations.filter(status=ParticipationStatus.SELECTED).count()
        yield (
            phase.year, phase.name, phase.quota, phase.invited_target, phase.assessed_target,
            selected, phase.selection_complete, phase.source,
        )


def _selection_rows():
    participations = (
        Participation.objects.filter(phase__is_demo=False, status=ParticipationStatus.SELECTED)
        .select_related("phase", "region", "region__province")
        .order_by("phase__year", "region__code")
    )
    for participation in participations:
        region = participation.region
        yield (
            participation.phase.year, region.code, region.name, region.province.code,
            region.province.name, participation.source,
        )


def _screening_run_rows():
    runs = (
        ScreeningRun.objects.filter(phase__is_demo=False, status=RunStatus.CONFIRMED)
        .select_related("phase")
        .defer("inputs", "outputs")
        .order_by("phase__year", "id")
    )
    for run in runs:
        yield (
            run.id, run.phase.year, run.confirmed_at, run.data_year, run.method, run.normalization,
            run.weighting, ";".join(run.criteria), ";".join(f"{weight:.6g}" for weight in run.weights),
            run.shortlist_size, run.eligible_count, run.excluded_count, run.engine_version,
        )


def published_results():
    """Evaluation results the public may read: published rounds that are not demo rounds, and no
    invented (demo) rows. The dashboard and the region profile read the same set."""
    return Result.objects.filter(
        round__published_at__isnull=False, round__round__is_demo=False
    ).exclude(origin=Origin.DEMO)


def _evaluation_rows():
    results = published_results().select_related("round__round", "region__province").order_by(
        "round__round__year", "round__round__stage", "region__code"
    )
    for result in results:
        evaluation_round = result.round.round
        region = result.region
        dimensions = result.smart_city_scores or {}
        yield (
            evaluation_round.year, evaluation_round.stage, region.code, region.name, region.province.code,
            _number(result.index), result.weight_version, _number(result.previous_index),
            _number(result.improvement), result.national_rank, result.province_rank,
            *(_number(result.scores()[name]) for name in ("baseline", "output", "outcome", "impact", "quick_win")),
            *(_number(dimensions.get(name)) if dimensions.get(name) not in (None, "") else None for name in SMART_CITY_DIMENSIONS),
            result.origin, result.letter_number,
        )


def adopted_programs():
    """Programs of adopted, real master plans (drafts and plans under review are not public)."""
    return Program.objects.filter(plan__status=PlanStatus.ADOPTED, plan__is_demo=False)


def _program_rows():
    programs = adopted_programs().select_related(
        "plan__region", "element__dimension", "owner_agency"
    ).order_by("plan__region__code", "plan__version", "id")
    latest = {}
    for record in ProgressRecord.objects.filter(program__in=adopted_programs()).order_by("year", "id"):
        latest[record.program_id] = record
    budgets = {}
    for program_id, amount in adopted_programs().values_list("id", "budgets__amount"):
        budgets[program_id] = budgets.get(program_id, 0) + (amount or 0)
    for program in programs:
        plan = program.plan
        progress = latest.get(program.id)
        yield (
            program.id, plan.region.code, plan.region.name, plan.version, plan.start_year, plan.end_year,
            plan.adopted_at, program.element.dimension.code, program.element.code, program.name,
            str(program.owner_agency), program.start_year, program.end_year, program.horizon,
            program.quick_win, program.due_date, budgets.get(program.id, 0),
            progress.year if progress else None, progress.status if progress else None,
            _number(progress.realisation) if progress and progress.realisation is not None else None,
        )


def _institution_rows():
    mentored = {}
    for institution_id, region_id in MentorAssignment.objects.filter(
        cohort__phase__is_demo=False, mentor__institution__is_demo=False
    ).values_list("mentor__institution_id", "region_id"):
        mentored.setdefault(institution_id, set()).add(region_id)
    for institution in MentorInstitution.objects.filter(is_demo=False).order_by("name"):
        yield (
            institution.id, institution.name, institution.short_name,
            institution.mentors.count(), len(mentored.get(institution.id, ())),
        )


RESOURCES = (
    Resource(
        name="regions",
        title="Kabupaten and kota of Indonesia",
        description="The 514 kabupaten/kota with their Kemendagri codes, province, time zone and latest figures.",
        fields=(
            Field("code", "string", "Kemendagri code (PP.KK)"),
            Field("name", "string", "Name"),
            Field("kind", "string", "kabupaten or kota"),
            Field("province_code", "string", "Kemendagri code of the province"),
            Field("province_name", "string", "Name of the province"),
            Field("island_group", "string", "Island group, from the first digit of the province code"),
            Field("time_zone", "string", "WIB, WITA or WIT"),
            Field("population", "integer", "Population at figures_as_of", "people"),
            Field("area_km2", "number", "Area", "km2"),
            Field("figures_as_of", "date", "Date of the population and area figures"),
        ),
        rows=_region_rows,
        changed=lambda: _history_changed(Region),
        primary_key=("code",),
        licence=REGISTRY_LICENCE,
        sources=tuple(REGISTRY_SOURCES),
    ),
    Resource(
        name="provinces",
        title="Provinces of Indonesia",
        description="The 38 provinces with their Kemendagri codes and latest figures.",
        fields=(
            Field("code", "string", "Kemendagri code (PP)"),
            Field("name", "string", "Name"),
            Field("island_group", "string", "Island group"),
            Field("time_zone", "string", "WIB, WITA or WIT"),
            Field("population", "integer", "Population at figures_as_of", "people"),
            Field("area_km2", "number", "Area", "km2"),
            Field("figures_as_of", "date", "Date of the population and area figures"),
        ),
        rows=_province_rows,
        changed=lambda: _history_changed(Region),
        primary_key=("code",),
        licence=REGISTRY_LICENCE,
        sources=tuple(REGISTRY_SOURCES),
    ),
    Resource(
        name="phases",
        title="Phases of the program",
        description="Each yearly selection phase with its quota, published targets and the number of regions selected.",
        fields=(
            Field("year", "integer", "Year of the phase"),
            Field("name", "string", "Name"),
            Field("quota", "integer", "Regions to select", "regions"),
            Field("invited_target", "integer", "Candidates to invite (published)", "regions"),
            Field("assessed_target", "integer", "Candidates to assess (published)", "regions"),
            Field("selected", "integer", "Regions recorded as selected", "regions"),
            Field("selection_complete", "boolean", "Whether the published list of selected regions is known in full"),
            Field("source", "string", "Where the figures were published"),
        ),
        rows=_phase_rows,
        changed=lambda: _history_changed(Phase, Participation),
        primary_key=("year",),
        sources=tuple(PROGRAM_SOURCES),
    ),
    Resource(
        name="selections",
        title="Regions selected in each phase",
        description="One row per region selected in a phase, with the source of the fact.",
        fields=(
            Field("phase_year", "integer", "Year of the phase"),
            Field("region_code", "string", "Kemendagri code of the kabupaten/kota"),
            Field("region_name", "string", "Name of the kabupaten/kota"),
            Field("province_code", "string", "Kemendagri code of the province"),
            Field("province_name", "string", "Name of the province"),
            Field("source", "string", "Where the selection was published"),
        ),
        rows=_selection_rows,
        changed=lambda: _history_changed(Participation),
        primary_key=("phase_year", "region_code"),
        sources=tuple(PROGRAM_SOURCES),
    ),
    Resource(
        name="screening-runs",
        title="Confirmed screening runs",
        description="The confirmed ranking run of each phase: method, weights and version, so it can be re-run.",
        fields=(
            Field("run_id", "integer", "Identifier of the run"),
            Field("phase_year", "integer", "Year of the phase"),
            Field("confirmed_at", "datetime", "When the run was confirmed"),
            Field("data_year", "integer", "Year of the indicator values used"),
            Field("method", "string", "Ranking method"),
            Field("normalization", "string", "Normalisation of the indicators"),
            Field("weighting", "string", "How the weights were set (direct or AHP)"),
            Field("criteria", "string", "Indicator codes, separated by semicolons"),
            Field("weights", "string", "Weights in the order of the criteria, separated by semicolons"),
            Field("shortlist_size", "integer", "Regions called to assessment", "regions"),
            Field("eligible_count", "integer", "Eligible regions", "regions"),
            Field("excluded_count", "integer", "Regions excluded by the eligibility rules", "regions"),
            Field("engine_version", "string", "Version of the decision engine"),
        ),
        rows=_screening_run_rows,
        changed=lambda: ScreeningRun.objects.filter(phase__is_demo=False).aggregate(newest=Max("confirmed_at"))["newest"],
        primary_key=("run_id",),
    ),
    Resource(
        name="evaluation-results",
        title="Published evaluation results",
        description="The index of each region in each published evaluation round, its parts, improvement and ranks.",
        fields=(
            Field("year", "integer", "Year of the evaluation round"),
            Field("stage", "integer", "Stage of the round in its year (tahap)"),
            Field("region_code", "string", "Kemendagri code of the kabupaten/kota"),
            Field("region_name", "string", "Name of the kabupaten/kota"),
            Field("province_code", "string", "Kemendagri code of the province"),
            Field("index", "number", "Evaluation index (0-5)", "points"),
            Field("weight_version", "string", "Version of the weight set the index was computed with"),
            Field("previous_index", "number", "Index of the region's previous round", "points"),
            Field("improvement", "number", "Index minus the previous index", "points"),
            Field("national_rank", "integer", "Standard competition rank among all regions of the round"),
            Field("province_rank", "integer", "Standard competition rank within the province"),
            Field("baseline", "number", "Baseline score (0-5)", "points"),
            Field("output", "number", "Output score (0-5)", "points"),
            Field("outcome", "number", "Outcome score (0-5)", "points"),
            Field("impact", "number", "Impact score (0-5)", "points"),
            Field("quick_win", "number", "Quick win score (0-5)", "points"),
            *(Field(f"smart_{name}", "number", f"Verification score of smart {name} (0-5), when scored", "points") for name in SMART_CITY_DIMENSIONS),
            Field("origin", "string", "verification, import (a published result) or manual"),
            Field("letter_number", "string", "Number of the result letter"),
        ),
        rows=_evaluation_rows,
        changed=lambda: _newest(
            published_results().aggregate(newest=Max("updated_at"))["newest"],
            published_results().aggregate(newest=Max("round__published_at"))["newest"],
        ),
        primary_key=("year", "stage", "region_code"),
        sources=tuple(PROGRAM_SOURCES),
    ),
    Resource(
        name="programs",
        title="Programs of adopted master plans",
        description="Every program of an adopted smart city master plan, with its dimension, owner agency, horizon, budget and latest progress.",
        fields=(
            Field("program_id", "integer", "Identifier of the program"),
            Field("region_code", "string", "Kemendagri code of the kabupaten/kota"),
            Field("region_name", "string", "Name of the kabupaten/kota"),
            Field("plan_version", "integer", "Version of the master plan"),
            Field("plan_start_year", "integer", "First year of the plan"),
            Field("plan_end_year", "integer", "Last year of the plan"),
            Field("plan_adopted_at", "datetime", "When the plan was adopted"),
            Field("dimension", "string", "Smart city dimension code"),
            Field("element", "string", "Element code of the taxonomy"),
            Field("name", "string", "Name of the program"),
            Field("owner_agency", "string", "Regional agency (OPD) that owns the program"),
            Field("start_year", "integer", "First year of the program"),
            Field("end_year", "integer", "Last year of the program"),
            Field("horizon", "string", "short, medium or long"),
            Field("quick_win", "boolean", "Whether the program is a quick win"),
            Field("due_date", "date", "Due date of a quick win"),
            Field("budget", "integer", "Planned budget over all years and sources", "rupiah"),
            Field("progress_year", "integer", "Year of the latest progress report"),
            Field("progress_status", "string", "planned, running, done or stopped, as last reported"),
            Field("realisation", "number", "Realisation in the latest progress report", "percent"),
        ),
        rows=_program_rows,
        changed=lambda: _history_changed(MasterPlan, Program, ProgressRecord),
        primary_key=("program_id",),
        sources=tuple(PROGRAM_SOURCES),
    ),
    Resource(
        name="institutions",
        title="Mentor institutions",
        description="Universities, agencies and firms whose experts mentor the regions, with the number of mentors and regions mentored in the real cohorts.",
        fields=(
            Field("institution_id", "integer", "Identifier of the institution"),
            Field("name", "string", "Name"),
            Field("short_name", "string", "Short name"),
            Field("mentors", "integer", "Mentors registered from the institution", "people"),
            Field("regions_mentored", "integer", "Regions of real cohorts mentored by its mentors", "regions"),
        ),
        rows=_institution_rows,
        changed=lambda: _history_changed(MentorInstitution, MentorAssignment),
        primary_key=("institution_id",),
        sources=tuple(PROGRAM_SOURCES),
    ),
)

BY_NAME = {resource.name: resource for resource in RESOURCES}
FORMATS = ("csv", "xlsx", "json")


def package_descriptor(base_title="kotacerdas"):
    """The Frictionless data package describing every resource (paths relative to it)."""
    return {
        "name": "kotacerdas-open-data",
        "title": f"{base_title}: open data of the smart city program",
        "description": (
            "Public tables of Gerakan Menuju 100 Smart City: regions, provinces, phases, selections, "
            "screening runs, evaluation results, programs of adopted master plans and mentor "
            "institutions. Real data only; demonstration content is never included."
        ),
        "profile": "tabular-data-package",
        "licenses": [PLATFORM_LICENCE],
        "resources": [resource.descriptor() for resource in RESOURCES],
    }


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return neutralise(value)


def _json_value(value):
    if isinstance(value, (datetime,)) or (hasattr(value, "isoformat") and not isinstance(value, (int, float, str))):
        return _csv_value(value)
    return value


def render(resource, file_format):
    """The body of ``resource`` in ``file_format`` and its content type."""
    header = [column.name for column in resource.fields]
    rows = list(resource.rows())
    if file_format == "csv":
        from kotacerdas.lib.export import neutralise

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            # A name typed as "=HYPERLINK(...)" stays text in a spreadsheet (lib.export.neutralise).
            writer.writerow([neutralise(_csv_value(value)) for value in row])
        return buffer.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    if file_format == "json":
        items = [dict(zip(header, (_json_value(value) for value in row))) for row in rows]
        body = {"name": resource.name, "count": len(items), "items": items}
        return json.dumps(body, ensure_ascii=False).encode("utf-8"), "application/json"
    if file_format == "xlsx":
        from kotacerdas.lib.export import xlsx_bytes

        cells = [[_csv_value(value) if not isinstance(value, (int, float)) or isinstance(value, bool) else value for value in row] for row in rows]
        return xlsx_bytes(resource.name, header, cells), (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    raise ValueError(file_format)


def etag(body):
    return '"' + hashlib.sha256(body).hexdigest() + '"'
