"""Assigning mentors: decision.assign gives every region its mentors, never a conflicted pair;
swaps keep a reason and are refused on a conflict; the mentor role grant is what assessment's
"mentored this region" conflict reads."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.mentoring import services
from kotacerdas.mentoring.models import MentorAssignment

from .helpers import BANJAR, BARITO_KUALA, TANAH_LAUT, phase_with_selection, region, user

pytestmark = pytest.mark.django_db


def _mentors(count, **kwargs):
    institution = services.ensure_institution("Universitas Uji")
    return [services.register_mentor(user(f"mentor{i}"), institution=institution, **kwargs) for i in range(count)]


def test_every_region_gets_its_mentors_with_even_loads_and_role_grants(reference_data):
    cohort = services.ensure_cohort(phase_with_selection((BANJAR, BARITO_KUALA, TANAH_LAUT)))
    mentors = _mentors(3)
    created = services.assign_mentors(cohort)
    assert len(created) == 3 * cohort.mentors_per_region
    per_region = {}
    loads = {}
    for a in created:
        per_region.setdefault(a.region.code, set()).add(a.mentor_id)
        loads[a.mentor_id] = loads.get(a.mentor_id, 0) + 1
    assert {code: len(ids) for code, ids in per_region.items()} == {BANJAR: 2, BARITO_KUALA: 2, TANAH_LAUT: 2}
    assert sorted(loads.values()) == [2, 2, 2]
    for a in created:
        assert RoleGrant.objects.filter(user=a.mentor.user, role=Role.MENTOR, region=a.region).exists()
    assert len(mentors) == 3


def test_a_mentor_is_never_assigned_their_home_region_or_a_declared_conflict(reference_data):
    cohort = services.ensure_cohort(phase_with_selection((BANJAR, BARITO_KUALA, TANAH_LAUT)))
    home, declared, free = _mentors(3)
    home.home_region = region(BANJAR)
    home.save()
    services.declare_conflict(declared, region(BARITO_KUALA), "sibling works at Bappeda")
    created = services.assign_mentors(cohort)
    pairs = {(a.mentor_id, a.region.code) for a in created}
    assert (home.pk, BANJAR) not in pairs
    assert (declared.pk, BARITO_KUALA) not in pairs
    # Banjar can only have declared and free; Barito Kuala only home and free.
    assert {m for m, code in pairs if code == BANJAR} == {declared.pk, free.pk}
    assert {m for m, code in pairs if code == BARITO_KUALA} == {home.pk, free.pk}


def test_an_impossible_assignment_is_refused_naming_the_region(reference_data):
    cohort = services.ensure_cohort(phase_with_selection((BANJAR, BARITO_KUALA)))
    first, second = _mentors(2)
    services.declare_conflict(first, region(BANJAR), "former staff")
    with pytest.raises(ValidationError, match="Kabupaten Banjar") as refused:
        services.assign_mentors(cohort)
    assert "No assignment satisfies" in refused.value.messages[0]
    assert not MentorAssignment.objects.filter(cohort=cohort).exists()
    assert not RoleGrant.objects.filter(role=Role.MENTOR, region__isnull=False).exists()


def test_a_swap_keeps_the_reason_and_a_conflicting_swap_is_refused(reference_data):
    cohort = services.ensure_cohort(phase_with_selection((BANJAR,)))
    old, conflicted, new = _mentors(3)
    conflicted.home_region = region(BANJAR)
    conflicted.save()
    assignment = services.assign_mentor(cohort, region(BANJAR), old)
    with pytest.raises(ValidationError, match="home region"):
        services.swap_mentor(assignment, conflicted, reason="moved")
    with pytest.raises(ValidationError, match="Say why"):
        services.swap_mentor(assignment, new, reason=" ")
    assignment.refresh_from_db()
    assert assignment.ended_at is None
    replacement = services.swap_mentor(assignment, new, reason="sabbatical abroad")
    assignment.refresh_from_db()
    assert assignment.ended_at is not None and assignment.end_reason == "sabbatical abroad"
    assert assignment.replaced_by == replacement
    assert assignment.history.first().history_change_reason == "sabbatical abroad"
    # The old mentor's grant stays: they mentored the region (assessment's conflict rule).
    assert RoleGrant.objects.filter(user=old.user, role=Role.MENTOR, region=region(BANJAR)).exists()


def test_assessment_sees_the_mentor_grant_as_a_conflict(reference_data):
    from kotacerdas.assessment.services.assessor_pool import conflict_reasons, register_assessor
    from kotacerdas.assessment.services.panel_setup import ensure_panel
    from kotacerdas.program.models import Phase

    cohort = services.ensure_cohort(phase_with_selection((BANJAR,)))
    (mentor,) = _mentors(1)
    services.assign_mentor(cohort, region(BANJAR), mentor)
    later = Phase.objects.create(year=2040, name="Tahap 2040", quota=5, is_demo=True)
    panel = ensure_panel(later)
    assessor = register_assessor(mentor.user, institution="Universitas Uji")
    assert "mentored this region before" in conflict_reasons(panel, assessor, region(BANJAR))
    assert conflict_reasons(panel, assessor, region(TANAH_LAUT)) == []


def test_a_region_not_selected_in_the_phase_has_no_mentoring(reference_data):
    cohort = services.ensure_cohort(phase_with_selection((BANJAR,)))
    (mentor,) = _mentors(1)
    with pytest.raises(ValidationError, match="Kabupaten Tanah Laut is not selected in .*no mentoring"):
        services.assign_mentor(cohort, region(TANAH_LAUT), mentor)


def test_a_phase_without_selection_has_no_cohort(reference_data):
    from kotacerdas.program.models import Phase

    phase = Phase.objects.create(year=2041, name="Tahap 2041", quota=5, is_demo=True)
    with pytest.raises(ValidationError, match="no selected region"):
        services.ensure_cohort(phase)


def test_a_new_cohort_has_four_bimtek_with_the_default_agendas_and_outputs(reference_data):
    cohort = services.ensure_cohort(phase_with_selection((BANJAR,)))
    bimteks = list(cohort.bimteks.all())
    assert [b.number for b in bimteks] == [1, 2, 3, 4]
    assert "SWOT" in bimteks[0].agenda and "quick win" in bimteks[2].agenda
    assert [o.name for o in bimteks[3].outputs.all()] == ["Dokumen masterplan final"]


def test_the_api_records_a_training_of_trainers(reference_data, client, alice):
    from kotacerdas.accounts.services import create_token
    from kotacerdas.mentoring.models import TrainingOfTrainers
    from kotacerdas.mentoring.tests.helpers import YEAR, small_cohort

    _cohort, mentors, _assignments = small_cohort()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    url = f"/api/v1/phases/{YEAR}/cohort/training"
    unknown = client.post(url, {"held_on": "2033-01-20", "place": "Jakarta", "mentor_ids": [mentors["carol"].pk, 999999]},
                          content_type="application/json", **headers)
    assert unknown.status_code == 400 and "999999" in str(unknown.json())
    assert not TrainingOfTrainers.objects.exists()
    done = client.post(url, {"held_on": "2033-01-20", "place": "Jakarta", "mentor_ids": [mentors["carol"].pk]},
                       content_type="application/json", **headers)
    assert done.status_code == 200 and done.json()["place"] == "Jakarta"
    assert list(TrainingOfTrainers.objects.get().attendees.all()) == [mentors["carol"]]
