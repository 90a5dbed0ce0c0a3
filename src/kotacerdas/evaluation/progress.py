"""Agency progress in an evaluation round: for every region in the round's scope, its adopted
master plan's programs planned to have started by the round's year, how many of them their
owning agencies reported running or done for that year, and the implementation ratio per smart
city dimension and overall (running or done ÷ planned, 9 of 10 = 90.00%).

The progress records themselves are reported on the master plan's progress page (masterplans
owns them, beside the plan); this module only reads them for the round. A region in scope
without an adopted plan is listed and flagged, never dropped or counted as 0%.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import get_language

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.accounts.permissions import MINISTRY, roles_of
from kotacerdas.masterplans.models import Dimension, MasterPlan, PlanStatus, Program, ProgressRecord, ProgressStatus
from kotacerdas.regions.models import Region

from .scoring import implementation_ratio

GOING = (ProgressStatus.RUNNING, ProgressStatus.DONE)


@dataclass
class DimensionProgress:
    code: str
    name: str
    planned: int = 0
    going: int = 0
    reported: int = 0

    @property
    def ratio(self):
        return implementation_ratio(self.going, self.planned)


@dataclass
class RegionProgress:
    region: Region
    plan: MasterPlan | None
    dimensions: list = field(default_factory=list)

    @property
    def has_plan(self):
        return self.plan is not None

    @property
    def planned(self):
        return sum(d.planned for d in self.dimensions)

    @property
    def going(self):
        return sum(d.going for d in self.dimensions)

    @property
    def reported(self):
        return sum(d.reported for d in self.dimensions)

    @property
    def ratio(self):
        return implementation_ratio(self.going, self.planned)


def visible_region_ids(user, evaluation):
    """The regions of the round whose progress ``user`` reads: all of them for the ministry, the
    regions of their operator and mentor grants for the others (as masterplans.scoping reads
    ``view_progress``)."""
    in_scope = evaluation.regions.all()
    if MINISTRY in roles_of(user):
        return set(in_scope.values_list("id", flat=True))
    granted = RoleGrant.objects.filter(user=user, role__in=(Role.OPERATOR, Role.MENTOR), region__isnull=False).values("region_id")
    return set(in_scope.filter(id__in=granted).values_list("id", flat=True))


def round_progress(evaluation, region_ids=None):
    """One :class:`RegionProgress` per region in the round's scope (or in ``region_ids``), in code
    order; the dimensions follow the taxonomy of the region's adopted plan."""
    year = evaluation.year
    regions = evaluation.regions.select_related("province").order_by("code")
    if region_ids is not None:
        regions = regions.filter(id__in=region_ids)
    regions = list(regions)
    plans = {}
    # The adopted version in force for the year (the latest adopted one when several are).
    for plan in (MasterPlan.objects.filter(region__in=[r.pk for r in regions], status=PlanStatus.ADOPTED)
                 .order_by("region_id", "-version")):
        plans.setdefault(plan.region_id, plan)
    programs = Program.objects.filter(plan__in=list(plans.values()), start_year__lte=year)
    statuses = dict(ProgressRecord.objects.filter(program__in=programs, year=year).values_list("program_id", "status"))
    counts = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for program_id, plan_id, dimension_id in programs.values_list("id", "plan_id", "element__dimension_id"):
        planned_going_reported = counts[plan_id][dimension_id]
        planned_going_reported[0] += 1
        planned_going_reported[1] += statuses.get(program_id) in GOING
        planned_going_reported[2] += program_id in statuses
    english = not (get_language() or "id").startswith("id")
    dimensions = defaultdict(list)
    for dimension in Dimension.objects.filter(taxonomy__in={p.taxonomy_id for p in plans.values()}).order_by("order"):
        dimensions[dimension.taxonomy_id].append(dimension)
    out = []
    for region in regions:
        plan = plans.get(region.pk)
        row = RegionProgress(region=region, plan=plan)
        if plan is not None:
            for dimension in dimensions[plan.taxonomy_id]:
                planned, going, reported = counts[plan.pk].get(dimension.pk, (0, 0, 0))
                row.dimensions.append(DimensionProgress(dimension.code, dimension.name_en if english else dimension.name,
                                                        planned, going, reported))
        out.append(row)
    return out
