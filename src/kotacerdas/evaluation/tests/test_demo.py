import pytest

from kotacerdas.evaluation.demo import build_demo_evaluation
from kotacerdas.evaluation.models import FollowUp, Result

from .helpers import BALIKPAPAN, BANJAR, BARITO_KUALA, SAMARINDA, TANAH_LAUT, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_phase(reference_data):
    from kotacerdas.program.models import Participation, ParticipationStatus, Phase

    phase = Phase.objects.create(year=2036, name="Tahap Demo 2036", quota=5, is_demo=True)
    for code in (BANJAR, BARITO_KUALA, TANAH_LAUT, BALIKPAPAN, SAMARINDA):
        Participation.objects.create(phase=phase, region=region(code), status=ParticipationStatus.SELECTED)
    return phase


def test_the_demo_has_a_published_round_a_tie_improvement_and_follow_up_items(demo_phase):
    first, second = build_demo_evaluation(demo_phase)
    assert first.round.is_demo and second.round.is_demo and (first.year, second.year) == (2037, 2037)
    first.refresh_from_db()
    assert first.is_published and not second.is_published
    ranks = list(Result.objects.filter(round=first).values_list("national_rank", flat=True))
    assert len(ranks) == 5 and len(set(ranks)) < len(ranks)  # a shared rank
    assert all(r.improvement is not None and r.improvement >= 0 for r in Result.objects.filter(round=second))
    assert FollowUp.objects.filter(answered_in=second).count() == 5
    # Running it again changes nothing.
    assert [r.pk for r in build_demo_evaluation(demo_phase)] == [first.pk, second.pk]
    assert Result.objects.filter(round=first).count() == 5
