"""The last page actions of a master plan through the API: removing a draft's program (the
region's operator), adopting an approved plan (the ministry) and resolving a comment thread.
The pages' services, forms and permissions; the one error shape; nothing changed on refusal."""

import pytest

from kotacerdas.accounts.tests.helpers import bearer
from kotacerdas.masterplans import services
from kotacerdas.masterplans.models import MasterPlan, PlanStatus

from .helpers import add_program, make_mentor, make_plan

ADOPTION = {"regulation_kind": "perbup", "regulation_number": "12/2026", "regulation_date": "2026-03-01"}


@pytest.fixture
def approved(english):
    plan = make_plan()
    add_program(plan, quick_win=True)
    services.submit(plan)
    services.forward(plan)
    services.approve(plan)
    return plan


def test_the_operator_removes_a_program_from_their_draft(client, dave, erin, english):
    plan = make_plan()
    program = add_program(plan, user=dave)
    url = f"/api/v1/masterplans/{plan.pk}/programs/{program.pk}"
    assert client.delete(url, **bearer(erin)).status_code == 404  # another region's operator
    assert client.delete(url, **bearer(dave)).status_code == 204
    assert not plan.programs.exists()
    assert client.delete(url, **bearer(dave)).status_code == 404


def test_a_program_of_a_plan_under_review_stays(client, dave, english):
    plan = make_plan()
    program = add_program(plan, user=dave)
    services.submit(plan, user=dave)
    response = client.delete(f"/api/v1/masterplans/{plan.pk}/programs/{program.pk}", **bearer(dave))
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert plan.programs.filter(pk=program.pk).exists()


def test_the_ministry_adopts_an_approved_plan(client, alice, approved):
    bad = client.post(f"/api/v1/masterplans/{approved.pk}/adopt", {**ADOPTION, "regulation_kind": "nope"}, **bearer(alice))
    assert bad.status_code == 400 and {e["field"] for e in bad.json()["errors"]} == {"regulation_kind"}
    assert MasterPlan.objects.get(pk=approved.pk).status == PlanStatus.APPROVED
    response = client.post(f"/api/v1/masterplans/{approved.pk}/adopt", ADOPTION, **bearer(alice))
    assert response.status_code == 200 and response.json()["status"] == PlanStatus.ADOPTED


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_only_the_ministry_adopts(client, role_users, role, approved):
    assert client.post(f"/api/v1/masterplans/{approved.pk}/adopt", ADOPTION, **bearer(role_users[role])).status_code == 403
    assert MasterPlan.objects.get(pk=approved.pk).status == PlanStatus.APPROVED


def test_a_thread_is_resolved_by_the_region_and_its_mentor_not_by_an_assessor(client, carol, dave, bob, english):
    make_mentor(carol)
    plan = make_plan()
    comment = services.add_comment(plan, author=carol, body="Tambahkan target")
    url = f"/api/v1/masterplans/{plan.pk}/comments/{comment.pk}/resolve"
    assert client.post(url, **bearer(bob)).status_code == 403
    response = client.post(url, **bearer(dave))
    assert response.status_code == 200 and response.json()["open"] is False
    comment.refresh_from_db()
    assert comment.resolved_by == dave
    assert client.post(f"/api/v1/masterplans/{plan.pk}/comments/999999/resolve", **bearer(dave)).status_code == 404
