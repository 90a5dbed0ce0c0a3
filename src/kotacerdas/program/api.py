"""Phases: ``GET /api/v1/phases`` lists them; ``GET /api/v1/phases/{year}`` gives one phase with
its stages, the number of regions in each status and the selected regions.

A demo phase (invented content) says so: ``is_demo`` is true and its detail carries a
``notice``.
"""

import datetime
from typing import List, Optional

from django.db.models import Count, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from pydantic import create_model

from .models import STAGE_ORDER, Participation, Phase, Status

router = Router(tags=["phases"])


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
    **{status: (int, Field(0, description=str(label))) for status, label in Status.choices},
)


class PhaseDetailOut(PhaseOut):
    source: str
    stages: List[StageOut]
    counts: StatusCounts
    selected: List[SelectedRegionOut]
    notice: Optional[str] = Field(
        None, description="Present on a demo phase: says that its content is invented."
    )


def demo_notice():
    return _("Demo data: this phase and everything in it are invented for demonstration, not real.")


@router.get("", response=List[PhaseOut], summary="List phases")
def list_phases(request):
    return Phase.objects.annotate(
        selected_count=Count("participations", filter=Q(participations__status=Status.SELECTED))
    ).order_by("year")


@router.get(
    "/{year}",
    response=PhaseDetailOut,
    exclude_unset=True,
    summary="One phase with its stages, counts and selected regions",
)
def get_phase(request, year: int = Path(..., ge=0, le=32767, description="The phase's year.")):
    phase = Phase.objects.filter(year=year).first()
    if phase is None:
        raise Http404(_("There is no phase in %(year)s.") % {"year": year})
    counts = dict.fromkeys(Status.values, 0)
    for row in (
        Participation.objects.filter(phase=phase).values("status").annotate(n=Count("pk")).order_by()
    ):
        counts[row["status"]] = row["n"]
    selected = (
        Participation.objects.filter(phase=phase, status=Status.SELECTED)
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
        "selected_count": counts[Status.SELECTED],
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
        result["notice"] = demo_notice()
    return result
