"""The demo's mentoring: built for a demo phase only, once; one region behind schedule; the demo
mentors log in with the printed password; every institution it invents is flagged demo."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from kotacerdas.mentoring.demo import DEMO_PASSWORD, build_demo_mentoring
from kotacerdas.mentoring.models import Cohort, CouncilMember, MentorInstitution
from kotacerdas.mentoring.services import CellStatus, board
from kotacerdas.program.models import Phase

from .helpers import phase_with_selection

pytestmark = pytest.mark.django_db


def test_the_demo_mentors_its_cohort_with_one_region_behind_schedule(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    phase = phase_with_selection(("63.03", "63.04", "63.01"))
    today = datetime.date(2033, 6, 1)
    cohort, created = build_demo_mentoring(phase, today=today)
    assert created
    _bimteks, rows = board(cohort, today=today)
    assert [row.region.code for row in rows if row.behind_schedule] == ["63.04"]
    statuses = {row.region.code: [c.status for c in row.cells] for row in rows}
    assert statuses["63.03"] == [CellStatus.DONE, CellStatus.DONE, CellStatus.MISSING, CellStatus.UPCOMING]
    assert not MentorInstitution.objects.filter(is_demo=False).exists()
    assert CouncilMember.objects.filter(council__region__code="63.03", position="pembina").count() == 1
    users = get_user_model().objects
    for username in ("mentor", "demo-mentor-02", "demo-mentor-10", "operator-mentored"):
        assert users.get(username=username).check_password(DEMO_PASSWORD)
    assert build_demo_mentoring(phase, today=today) == (cohort, False)


def test_a_real_phase_never_gets_demo_mentoring(reference_data):
    real = Phase.objects.get(year=2017)
    with pytest.raises(ValueError):
        build_demo_mentoring(real)
    assert not Cohort.objects.filter(phase=real).exists()
