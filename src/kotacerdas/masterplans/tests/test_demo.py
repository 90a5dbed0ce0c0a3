"""The demo plans: for the demo phase's selected regions, from a fixed seed, created once."""

import pytest

from kotacerdas.masterplans import services
from kotacerdas.masterplans.demo import build_demo_masterplans
from kotacerdas.masterplans.models import MasterPlan, PlanStatus
from kotacerdas.program.models import Participation, ParticipationStatus as Status, Phase
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_phase(carol):
    phase = Phase.objects.create(year=2031, name="Tahap Demo", quota=4, is_demo=True)
    for region in Region.objects.kabkota().order_by("code")[:4]:
        Participation.objects.create(phase=phase, region=region, status=Status.SELECTED)
    carol.username = "mentor"
    carol.save()
    return phase


def test_the_demo_plans_are_adopted_except_one_under_review_and_one_draft(demo_phase):
    assert build_demo_masterplans(demo_phase) == 4
    plans = list(MasterPlan.objects.order_by("region__code"))
    assert [p.status for p in plans] == ["adopted", "adopted", "submitted", "draft"]
    assert all(p.is_demo for p in plans)
    for plan in plans:
        assert 36 <= plan.programs.count() <= 40
        assert services.element_gaps(plan) == []
    for plan in plans[:3]:
        assert services.quick_win_gaps(plan) == []
    assert [d.code for d in services.quick_win_gaps(plans[3])] == ["ENV"]
    assert plans[2].comments.filter(resolved_at__isnull=True).count() == 2
    assert build_demo_masterplans(demo_phase) == 0
    assert MasterPlan.objects.count() == 4


def test_the_demo_is_the_same_from_the_same_seed(demo_phase):
    build_demo_masterplans(demo_phase)
    first = sorted(MasterPlan.objects.get(status=PlanStatus.DRAFT).programs.values_list("name", "start_year", "end_year"))
    MasterPlan.objects.all().delete()
    build_demo_masterplans(demo_phase)
    assert sorted(MasterPlan.objects.get(status=PlanStatus.DRAFT).programs.values_list("name", "start_year", "end_year")) == first
