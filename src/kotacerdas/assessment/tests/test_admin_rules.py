"""The Django admin obeys the assessment's rules (the outside tester, as the ministry admin, added
an assignment against a declared conflict, deleted a published decision and edited a closed
panel's weights). Every check goes through the admin's own URLs."""

import pytest
from django.utils import timezone

from kotacerdas.assessment.services import assessor_pool
from kotacerdas.assessment.models import PanelAssignment, DeclaredConflict, Panel, PanelState, Score, Selection
from kotacerdas.assessment.tests.helpers import small_panel
from kotacerdas.regions.models import Region


@pytest.fixture
def closed(bob):
    panel, assignments = small_panel(bob)
    Panel.objects.filter(pk=panel.pk).update(state=PanelState.CLOSED)
    panel.refresh_from_db()
    return panel, assignments


def test_an_assignment_cannot_be_added_against_a_declared_conflict(admin_client, bob):
    panel, assignments = small_panel(bob, state=PanelState.PREPARING)
    assessor = assignments["frank"].assessor
    region = Region.objects.get(code="63.01")
    assessor_pool.declare_conflict(assessor, region, "Former consultant")
    before = PanelAssignment.objects.count()
    response = admin_client.post("/admin/assessment/panelassignment/add/", {"panel": panel.pk, "region": region.pk, "assessor": assessor.pk})
    assert response.status_code == 403
    assert PanelAssignment.objects.count() == before
    change = admin_client.post(f"/admin/assessment/panelassignment/{assignments['frank'].pk}/change/",
                               {"panel": panel.pk, "region": region.pk, "assessor": assessor.pk})
    assert change.status_code == 403
    assert PanelAssignment.objects.get(pk=assignments["frank"].pk).region.code == "63.04"


def test_a_declared_conflict_cannot_be_deleted_in_the_admin(admin_client, bob):
    _panel, assignments = small_panel(bob)
    conflict = assessor_pool.declare_conflict(assignments["frank"].assessor, Region.objects.get(code="63.01"), "Relative")
    response = admin_client.post(f"/admin/assessment/declaredconflict/{conflict.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert DeclaredConflict.objects.filter(pk=conflict.pk).exists()


def test_a_published_decision_cannot_be_deleted(admin_client, alice, closed):
    panel, _assignments = closed
    selection = Selection.objects.create(panel=panel, rules={}, snapshot={"rows": []}, letter_number="B-1/2027",
                                         confirmed_at=timezone.now(), confirmed_by=alice)
    response = admin_client.post(f"/admin/assessment/selection/{selection.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    bulk = admin_client.post("/admin/assessment/selection/", {"action": "delete_selected", "_selected_action": [selection.pk], "post": "yes"})
    assert bulk.status_code in (200, 302)
    assert Selection.objects.filter(pk=selection.pk).exists()


def test_a_closed_panels_weights_cannot_be_edited(admin_client, closed):
    panel, _assignments = closed
    response = admin_client.post(f"/admin/assessment/panel/{panel.pk}/change/", {
        "phase": panel.phase_id, "per_candidate": 2, "weight_assessment": 0.1, "weight_questionnaire": 5,
        "weight_screening": 0, "aspects-TOTAL_FORMS": 0, "aspects-INITIAL_FORMS": 0,
    })
    assert response.status_code == 403
    panel.refresh_from_db()
    assert panel.weight_assessment == 1.0 and panel.weight_questionnaire == 0.0
    assert admin_client.post(f"/admin/assessment/panel/{panel.pk}/delete/", {"post": "yes"}).status_code == 403


def test_a_preparing_panel_stays_editable_in_the_admin(admin_client, bob):
    panel, _assignments = small_panel(bob, state=PanelState.PREPARING)
    assert admin_client.get(f"/admin/assessment/panel/{panel.pk}/change/").status_code == 200
    assert b'name="weight_assessment"' in admin_client.get(f"/admin/assessment/panel/{panel.pk}/change/").content


def test_scores_are_read_only_in_the_admin(admin_client, bob):
    _panel, assignments = small_panel(bob)
    aspect = assignments["bob"].panel.aspects.first()
    score = Score.objects.create(assignment=assignments["bob"], aspect=aspect, value=3)
    assert admin_client.post(f"/admin/assessment/score/{score.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Score.objects.filter(pk=score.pk).exists()
