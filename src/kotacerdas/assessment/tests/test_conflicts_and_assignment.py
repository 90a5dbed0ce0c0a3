"""Conflicts of interest are never assigned, by the solver or by hand; swaps are recorded."""

import pytest
from django.contrib.auth import get_user_model

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.assessment.models import Assessor, PanelAssignment, PanelState
from kotacerdas.assessment.services import AssessmentRefused
from kotacerdas.assessment.services.allocation import assign_panel, swap_assessor
from kotacerdas.assessment.services.assessor_pool import conflict_reasons, declare_conflict, register_assessor
from kotacerdas.assessment.tests.helpers import small_panel
from kotacerdas.regions.models import Region


def _assessor(username, **kwargs):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "a-long-password-1")
    return register_assessor(user, institution=kwargs.pop("institution", "UI"), **kwargs)


def test_the_automatic_rules_and_declarations_give_their_reasons(bob):
    panel, _ = small_panel(bob, state=PanelState.PREPARING)
    tanah_laut = Region.objects.get(code="63.01")
    neighbour = _assessor("henry", home_region=Region.objects.get(code="63.01"))
    assert set(conflict_reasons(panel, neighbour, tanah_laut)) == {"same home province", "same home region"}
    mentor = _assessor("ivy")
    RoleGrant.objects.create(user=mentor.user, role=Role.MENTOR, region=tanah_laut)
    assert conflict_reasons(panel, mentor, tanah_laut) == ["mentored this region before"]
    declared = _assessor("jack")
    declare_conflict(declared, tanah_laut, "former consultant of the regency")
    assert conflict_reasons(panel, declared, tanah_laut) == ["declared conflict of interest"]
    panel.conflict_same_province = panel.conflict_same_region = panel.conflict_mentored = False
    assert conflict_reasons(panel, neighbour, tanah_laut) == [] and conflict_reasons(panel, mentor, tanah_laut) == []


def test_the_solver_assigns_k_assessors_each_without_conflicts_and_evenly(bob):
    panel, _ = small_panel(bob, state=PanelState.PREPARING)
    PanelAssignment.objects.filter(panel=panel).delete()
    kalsel = Region.objects.get(code="63.01").province
    local = [_assessor(f"local{i}", home_province=kalsel) for i in range(2)]
    for i in range(3):
        _assessor(f"far{i}", expertise=["budget", "security"])
    panel.per_candidate = 3
    panel.save()
    count = assign_panel(panel)
    assert count == 6
    assert not PanelAssignment.objects.filter(panel=panel, assessor__in=local).exists()
    per_assessor = [a.assignments.filter(panel=panel).count() for a in Assessor.objects.exclude(pk__in=[x.pk for x in local])]
    assert sum(per_assessor) == 6 and max(per_assessor) - min(per_assessor) <= 1


def test_an_infeasible_assignment_is_refused_with_the_reason(bob):
    panel, _ = small_panel(bob, state=PanelState.PREPARING)
    panel.per_candidate = 10
    panel.save()
    with pytest.raises(AssessmentRefused, match="No assignment"):
        assign_panel(panel)


def test_a_manual_swap_is_recorded_and_refused_when_it_creates_a_conflict(alice, panel, assignments):
    assignment = assignments["bob"]
    conflicted = _assessor("kate", home_province=assignment.region.province)
    with pytest.raises(AssessmentRefused, match="conflict of interest"):
        swap_assessor(assignment, conflicted, user=alice, reason="bob is ill")
    replacement = _assessor("liam")
    swap_assessor(assignment, replacement, user=alice, reason="bob is ill")
    latest = assignment.history.first()
    assert latest.assessor_id == replacement.pk and latest.history_change_reason == "bob is ill"
    assert latest.history_user == alice


def test_the_panel_page_swaps_and_shows_refusals(client, alice, panel, assignments):
    client.force_login(alice)
    conflicted = _assessor("mia", home_province=assignments["frank"].region.province)
    response = client.post(
        f"/assessment/panels/{panel.phase.year}/",
        {"action": "swap", "assignment": assignments["frank"].pk, "assessor": conflicted.pk, "reason": "x"},
        follow=True,
    )
    assert "conflict of interest" in response.content.decode()
    assignments["frank"].refresh_from_db()
    assert assignments["frank"].assessor.user.username == "frank"
