"""A mentor replaced in a region keeps the mentor grant (the record the assessment panel's
"mentored this region" conflict reads) but loses the region's plans with the assignment."""

import pytest

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.accounts.permissions import scope
from kotacerdas.masterplans.models import MasterPlan
from kotacerdas.masterplans.services import mentors_of
from kotacerdas.mentoring import services as mentoring
from kotacerdas.mentoring.tests.helpers import BANJAR, region, small_cohort

from .helpers import make_plan

pytestmark = pytest.mark.django_db


def _reaches(user, action):
    return scope(MasterPlan.objects.all(), user, action).filter(region__code=BANJAR).exists()


def test_the_replaced_mentor_loses_the_plan_and_the_new_one_gains_it(reference_data, carol):
    _cohort, mentors, assignments = small_cohort(carol)
    make_plan(BANJAR)
    ivan = mentors["ivan"].user
    assert _reaches(carol, "review_masterplans") and _reaches(carol, "view_masterplans")
    assert not _reaches(ivan, "review_masterplans")
    assert set(mentors_of(region(BANJAR))) == {carol}

    mentoring.swap_mentor(assignments["carol"], mentors["ivan"], reason="moved abroad")

    assert not _reaches(carol, "review_masterplans") and not _reaches(carol, "view_masterplans")
    assert not _reaches(carol, "comment_masterplans")
    assert _reaches(ivan, "review_masterplans")
    assert set(mentors_of(region(BANJAR))) == {ivan}
    # The grant stays: a later panel still sees that carol mentored Banjar.
    assert RoleGrant.objects.filter(user=carol, role=Role.MENTOR, region__code=BANJAR).exists()


def test_a_mentor_assigned_again_after_being_replaced_reaches_the_plan_again(reference_data, carol):
    cohort, mentors, assignments = small_cohort(carol)
    make_plan(BANJAR)
    replacement = mentoring.swap_mentor(assignments["carol"], mentors["ivan"], reason="leave")
    mentoring.swap_mentor(replacement, mentors["carol"], reason="back from leave")
    assert _reaches(carol, "review_masterplans")
    assert not _reaches(mentors["ivan"].user, "review_masterplans")
