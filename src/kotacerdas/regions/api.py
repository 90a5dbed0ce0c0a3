"""Regions: the kabupaten/kota (and provinces) of the registry, with their program status.

``GET /api/v1/regions`` lists units (kabupaten and kota unless ``kind`` says otherwise), paginated
as ``{"items": [...], "count": N}``; ``GET /api/v1/regions/{code}`` gives one unit with its
participation in every phase.
"""

import datetime
from typing import List, Literal, Optional

from django.db.models import BooleanField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from kotacerdas.lib.api import BoundedPagination
from kotacerdas.program.models import Participation, Status

from .models import KABKOTA_KINDS, Region

router = Router(tags=["regions"])

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
    kind: Optional[Literal["provinsi", "kabupaten", "kota"]] = Field(
        None, description="Unit kind; kabupaten and kota together when omitted."
    )
    province: Optional[str] = Field(None, description="Province code, e.g. 63.")
    q: Optional[str] = Field(None, description="Case-insensitive part of the name or code.")


def _annotated(queryset):
    # A real phase first (the rules allow one selection per region; demo data never hides a real one).
    selection = Participation.objects.filter(region=OuterRef("pk"), status=Status.SELECTED).order_by(
        "phase__is_demo", "phase__year"
    )
    return queryset.select_related("province", "parent").annotate(
        province_code=F("province__code"),
        province_name=F("province__name"),
        selected_in=Subquery(selection.values("phase__year")[:1]),
        selected_in_demo=Coalesce(
            Subquery(selection.values("phase__is_demo")[:1]),
            Value(False),
            output_field=BooleanField(),
        ),
    )


@router.get("", response=List[RegionOut], summary="List regions")
@paginate(BoundedPagination)
def list_regions(request, filters: Query[RegionFilters]):
    regions = Region.objects.all()
    if filters.kind:
        regions = regions.filter(kind=filters.kind)
    else:
        regions = regions.filter(kind__in=KABKOTA_KINDS)
    if filters.province:
        regions = regions.filter(province__code=filters.province.strip())
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        regions = regions.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return _annotated(regions).order_by("code")


@router.get("/{code}", response=RegionDetailOut, summary="One region with its participation")
def get_region(request, code: str):
    region = _annotated(Region.objects.filter(code=code)).first()
    if region is None:
        raise Http404(_("No region has the code %(code)s.") % {"code": code})
    participations = (
        Participation.objects.filter(region=region)
        .select_related("phase")
        .order_by("phase__year")
    )
    return {
        **RegionOut.model_validate(region).model_dump(),
        "figures_as_of": region.figures_as_of,
        "parent": region.parent.code if region.parent_id else None,
        "participations": [
            {
                "year": p.phase.year,
                "phase": p.phase.name,
                "is_demo": p.phase.is_demo,
                "status": p.status,
                "source": p.source,
            }
            for p in participations
        ],
    }
