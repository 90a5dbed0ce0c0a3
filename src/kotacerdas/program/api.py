"""Phases and participations.

``GET /api/v1/phases`` lists the phases; ``GET /api/v1/phases/{year}`` gives one phase with its
stages, the number of regions in each status and the selected regions.

``GET /api/v1/regions`` lists the registry's units (kabupaten and kota unless ``kind`` says
otherwise) with the phase that selected each, paginated as ``{"items": [...], "count": N}``;
``GET /api/v1/regions/{code}`` gives one unit with its participation in every phase.

A demo phase (invented content) says so: ``is_demo`` is true and its detail carries a
``notice``.
"""

import datetime
from typing import List, Literal, Optional

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import create_model

from kotacerdas.accounts.permissions import ApiPermission
from kotacerdas.lib.api import MAX_LIMIT, MAX_OFFSET
from kotacerdas.regions.models import KABKOTA_KINDS, Region

from .models import STAGE_ORDER, Participation, Phase, ParticipationStatus
from .services import demo_notice, phase_or_404, selected_phase_by_region

router = Router(tags=["phases"])
regions_router = Router(tags=["regions"])


class PhaseOut(Schema):
    year: int
    name: str
    quota: int
    invited_target: Optional[int] = None
    assessed_target: Optional[int] = None
    is_demo: bool = Field(..., description="Invented content for demonstration, not a real phase.")
    selection_complete: bool = Field(
        ..., description="False when the published list of selected regions is only partly known."
    )
    selected_count: int


class StageOut(Schema):
    stage: str
    starts_on: Optional[datetime.date] = None
    ends_on: Optional[datetime.date] = None


class SelectedRegionOut(Schema):
    code: str
    name: str
    source: str


# One key per status, zero included.
StatusCounts = create_model(
    "StatusCounts",
    __base__=Schema,
    **{status: (int, Field(0, description=str(label))) for status, label in ParticipationStatus.choices},
)


class PhaseDetailOut(PhaseOut):
    source: str
    stages: List[StageOut]
    counts: StatusCounts
    selected: List[SelectedRegionOut]
    notice: Optional[str] = Field(
        None, description="Present on a demo phase: says that its content is invented."
    )


@router.get("", response=List[PhaseOut], summary="List phases")
def list_phases(request):
    return Phase.objects.annotate(
        selected_count=Count("participations", filter=Q(participations__status=ParticipationStatus.SELECTED))
    ).order_by("year")


@router.get(
    "/{year}",
    response=PhaseDetailOut,
    exclude_unset=True,
    summary="One phase with its stages, counts and selected regions",
)
def get_phase(request, year: int = Path(..., ge=0, le=32767, description="The phase's year.")):
    phase = phase_or_404(year)
    counts = dict.fromkeys(ParticipationStatus.values, 0)
    for row in (
        Participation.objects.filter(phase=phase).values("status").annotate(n=Count("pk")).order_by()
    ):
        counts[row["status"]] = row["n"]
    selected = (
        Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED)
        .select_related("region")
        .order_by("region__code")
    )
    stages = sorted(phase.stages.all(), key=lambda s: STAGE_ORDER.get(s.stage, len(STAGE_ORDER)))
    result = {
        "year": phase.year,
        "name": phase.name,
        "quota": phase.quota,
        "invited_target": phase.invited_target,
        "assessed_target": phase.assessed_target,
        "is_demo": phase.is_demo,
        "selection_complete": phase.selection_complete,
        "selected_count": counts[ParticipationStatus.SELECTED],
        "source": phase.source,
        "stages": [
            {"stage": s.stage, "starts_on": s.starts_on, "ends_on": s.ends_on} for s in stages
        ],
        "counts": counts,
        "selected": [
            {"code": p.region.code, "name": p.region.name, "source": p.source} for p in selected
        ],
    }
    if phase.is_demo:
        result["notice"] = demo_notice(phase)
    return result


# --- regions with their participation -----------------------------------------------------------

class RegionOut(Schema):
    code: str = Field(..., examples=["63.03"])
    name: str
    kind: str = Field(..., description="provinsi, kabupaten or kota")
    province_code: Optional[str] = None
    province_name: Optional[str] = None
    island_group: str
    time_zone: str = Field(..., description="WIB, WITA or WIT")
    population: Optional[int] = None
    area_km2: Optional[float] = None
    selected_in: Optional[int] = Field(
        None, description="Year of the phase that selected this region, if any."
    )
    selected_in_demo: bool = Field(
        False, description="True when that phase is a demo phase (invented content)."
    )


class ParticipationOut(Schema):
    year: int
    phase: str
    is_demo: bool
    status: str
    source: str


class RegionDetailOut(RegionOut):
    figures_as_of: Optional[datetime.date] = None
    parent: Optional[str] = Field(None, description="Code of the parent unit.")
    participations: List[ParticipationOut]


class RegionFilters(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="How many items (at most 1000).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")
    kind: Optional[Literal["provinsi", "kabupaten", "kota"]] = Field(
        None, description="Unit kind; kabupaten and kota together when omitted."
    )
    province: Optional[str] = Field(None, description="Province code, e.g. 63.")
    q: Optional[str] = Field(None, description="Case-insensitive part of the name or code.")


class RegionPage(Schema):
    items: List[RegionOut]
    count: int


def _region_out(region, phase):
    return {
        "code": region.code,
        "name": region.name,
        "kind": region.kind,
        "province_code": region.province.code if region.province_id else None,
        "province_name": region.province.name if region.province_id else None,
        "island_group": region.island_group,
        "time_zone": region.time_zone,
        "population": region.population,
        "area_km2": region.area_km2,
        "selected_in": phase.year if phase else None,
        "selected_in_demo": bool(phase and phase.is_demo),
    }


@regions_router.get("", response=RegionPage, summary="List regions")
def list_regions(request, filters: Query[RegionFilters]):
    """``limit`` (1–1000, default 50) and ``offset``; answers ``{"items": [...], "count": N}``."""
    regions = Region.objects.select_related("province")
    if filters.kind:
        regions = regions.filter(kind=filters.kind)
    else:
        regions = regions.filter(kind__in=KABKOTA_KINDS)
    if filters.province:
        regions = regions.filter(province__code=filters.province.strip())
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        regions = regions.filter(Q(name__icontains=text) | Q(code__icontains=text))
    regions = regions.order_by("code")
    page = list(regions[filters.offset:filters.offset + filters.limit])
    selected = selected_phase_by_region([region.pk for region in page])
    return {"items": [_region_out(region, selected.get(region.pk)) for region in page], "count": regions.count()}


@regions_router.get("/{code}", response=RegionDetailOut, summary="One region with its participation")
def get_region(request, code: str):
    region = Region.objects.select_related("province", "parent").filter(code=code).first()
    if region is None:
        raise Http404(_("No region has the code %(code)s.") % {"code": code})
    participations = Participation.objects.filter(region=region).select_related("phase").order_by("phase__year")
    return {
        **_region_out(region, selected_phase_by_region([region.pk]).get(region.pk)),
        "figures_as_of": region.figures_as_of,
        "parent": region.parent.code if region.parent_id else None,
        "participations": [
            {"year": p.phase.year, "phase": p.phase.name, "is_demo": p.phase.is_demo, "status": p.status, "source": p.source}
            for p in participations
        ],
    }


class PhaseIn(Schema):
    year: int = Field(..., description="The phase's year (one phase per year).")
    name: str = Field(..., max_length=200)
    quota: int = Field(..., description="How many regions the phase selects.")
    invited_target: Optional[int] = None
    assessed_target: Optional[int] = None
    is_demo: bool = Field(False, description="Invented content for demonstration.")
    source: str = Field("", max_length=5000, description="Where the phase's facts were published.")


@router.post("", response={201: PhaseOut}, auth=ApiPermission("manage_program"),
             summary="Create a phase (the ministry); its selection list starts incomplete")
def create_phase(request, payload: PhaseIn):
    """The twin of the new-phase page: the same form (every field checked, nothing written
    unless all are right)."""
    from django.db import transaction

    from .forms import PhaseForm

    form = PhaseForm({key: "" if value is None else value for key, value in payload.dict().items()})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    with transaction.atomic():
        phase = form.save()
    return Status(201, {**{name: getattr(phase, name) for name in PhaseOut.model_fields if name != "selected_count"},
                        "selected_count": 0})
