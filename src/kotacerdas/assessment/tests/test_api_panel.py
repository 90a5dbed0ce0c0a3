"""The ministry's assessment pages through the API: conflicts of interest, opening a panel, its
state, assignment, swaps, sessions and rubric, the selection (propose, confirm) and MoUs. The same
services and permission (manage_panel) as the pages; the one error shape naming the field;
nothing changed on refusal; an assessor (or any other role) is refused."""

import datetime

import pytest

from kotacerdas.assessment.models import Assessor, DeclaredConflict, Mou, PanelAssignment, PanelState, Session
from kotacerdas.accounts.tests.helpers import bearer
from kotacerdas.program.models import Participation, ParticipationStatus

from .helpers import small_panel
from .test_results_and_selection import closed_panel  # noqa: F401 (a fixture)

API = "/api/v1/assessment"


def fields(response):
    return {item["field"] for item in response.json()["errors"]}


def send(client, method, url, body, user):
    return client.generic(method, url, __import__("json").dumps(body), content_type="application/json", **bearer(user))


def test_the_ministry_records_a_conflict_of_interest(client, alice, bob):
    assessor = small_panel(bob)[1]["bob"].assessor
    url = f"{API}/assessors/{assessor.pk}/conflicts"
    response = send(client, "POST", url, {"region_code": "63.03", "reason": "Lahir di Banjar"}, alice)
    assert response.status_code == 201, response.content
    assert DeclaredConflict.objects.filter(assessor=assessor, region__code="63.03").exists()
    assert fields(send(client, "POST", url, {"region_code": "63.05", "reason": " "}, alice)) == {"reason"}
    assert fields(send(client, "POST", url, {"region_code": "99.99", "reason": "x"}, alice)) == {"region_code"}
    assert send(client, "POST", url, {"region_code": "63.05", "reason": "x"}, bob).status_code == 403
    assert DeclaredConflict.objects.filter(assessor=assessor).count() == 1


def test_a_panel_opens_once_and_never_for_a_phase_already_decided(client, alice, bob):
    panel, _ = small_panel(bob)
    response = send(client, "POST", f"{API}/panels", {"year": panel.phase.year}, alice)
    assert response.status_code == 201 and response.json()["state"] == "scoring"
    refused = send(client, "POST", f"{API}/panels", {"year": 2017}, alice)
    assert refused.status_code == 400 and "selection recorded" in refused.json()["detail"]
    assert send(client, "POST", f"{API}/panels", {"year": 2040}, alice).status_code == 404
    assert send(client, "POST", f"{API}/panels", {"year": panel.phase.year}, bob).status_code == 403


def test_the_ministry_assigns_changes_the_rubric_then_opens_scoring(client, alice, bob):
    panel, _ = small_panel(bob, state=PanelState.PREPARING)
    year = panel.phase.year
    assert send(client, "POST", f"{API}/{year}/panel/assignments", {}, alice).json()["assigned"] == 4
    aspect = panel.aspects.first()
    changed = send(client, "PUT", f"{API}/{year}/panel/aspects/{aspect.pk}",
                   {"name": "Anggaran", "weight": 2, "descriptors": ["1", "2", "3", "4", "5"]}, alice)
    assert changed.status_code == 200 and changed.json()["weight"] == 2
    short = send(client, "PUT", f"{API}/{year}/panel/aspects/{aspect.pk}", {"weight": 2, "descriptors": ["1"]}, alice)
    assert short.status_code == 422 and fields(short) == {"descriptors"}
    bad_state = send(client, "POST", f"{API}/{year}/panel/state", {"state": "nope"}, alice)
    assert bad_state.status_code == 400
    assert send(client, "POST", f"{API}/{year}/panel/state", {"state": "scoring"}, alice).json()["state"] == "scoring"
    locked = send(client, "PUT", f"{API}/{year}/panel/aspects/{aspect.pk}", {"weight": 3, "descriptors": list("12345")}, alice)
    assert locked.status_code == 400 and "locked" in locked.json()["detail"]
    aspect.refresh_from_db()
    assert aspect.weight == 2


def test_the_ministry_swaps_an_assessor_and_schedules_a_session(client, alice, bob):
    panel, assignments = small_panel(bob)
    year = panel.phase.year
    frank = Assessor.objects.get(user__username="frank")
    url = f"{API}/{year}/panel/assignments/{assignments['bob'].pk}/swap"
    assert fields(send(client, "POST", url, {"assessor": 999999, "reason": "sakit"}, alice)) == {"assessor"}
    response = send(client, "POST", url, {"assessor": frank.pk, "reason": "sakit"}, alice)
    assert response.status_code == 200, response.content
    assert PanelAssignment.objects.get(pk=assignments["bob"].pk).assessor == frank
    session = send(client, "PUT", f"{API}/{year}/panel/sessions/63.01", {"starts_at": "2027-08-01T09:00:00", "room": "R1"}, alice)
    assert session.status_code == 200, session.content
    # Tanah Laut is in WITA (UTC+8): 09:00 there is 01:00 UTC.
    assert Session.objects.get(panel=panel).starts_at == datetime.datetime(2027, 8, 1, 1, 0, tzinfo=datetime.timezone.utc)
    not_candidate = send(client, "PUT", f"{API}/{year}/panel/sessions/11.01", {"starts_at": "2027-08-01T09:00:00"}, alice)
    assert not_candidate.status_code == 400 and Session.objects.count() == 1


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_no_other_role_runs_the_panel(client, role_users, role, bob):
    panel, assignments = small_panel(bob)
    year, user = panel.phase.year, role_users[role]
    assert send(client, "POST", f"{API}/{year}/panel/state", {"state": "closed", "reason": "x"}, user).status_code == 403
    assert send(client, "POST", f"{API}/{year}/panel/assignments", {}, user).status_code == 403
    assert send(client, "POST", f"{API}/{year}/selection", {}, user).status_code == 403
    panel.refresh_from_db()
    assert panel.state == PanelState.SCORING


def test_the_ministry_proposes_confirms_and_records_an_mou(client, alice, closed_panel):  # noqa: F811
    year = closed_panel.phase.year
    proposal = send(client, "POST", f"{API}/{year}/selection", {"min_kota": 0}, alice)
    assert proposal.status_code == 200, proposal.content
    assert proposal.json()["selected"] == ["11.01", "11.72", "32.02"] and not proposal.json()["confirmed"]
    missing = send(client, "POST", f"{API}/{year}/selection/confirm", {"letter_number": "KEP/1"}, alice)
    assert missing.status_code == 422 and fields(missing) == {"letter_date"}
    confirmed = send(client, "POST", f"{API}/{year}/selection/confirm", {"letter_number": "KEP/1", "letter_date": "2027-10-01"}, alice)
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"]
    assert Participation.objects.filter(phase=closed_panel.phase, status=ParticipationStatus.SELECTED).count() == 3
    again = send(client, "POST", f"{API}/{year}/selection/confirm", {"letter_number": "KEP/2", "letter_date": "2027-10-02"}, alice)
    assert again.status_code == 400 and "already confirmed" in again.json()["detail"]
    mou = {"signed_on": "2027-11-01", "place": "Jakarta", "number": "MoU/1", "signatories": "Bupati, Menteri"}
    recorded = client.post(f"{API}/{year}/mou/11.01", mou, **bearer(alice))
    assert recorded.status_code == 200, recorded.content
    assert Mou.objects.get(region__code="11.01").number == "MoU/1"
    not_selected = client.post(f"{API}/{year}/mou/73.72", mou, **bearer(alice))
    assert not_selected.status_code == 400 and "not selected" in not_selected.json()["detail"]
    assert client.post(f"{API}/{year}/mou/11.72", mou, **bearer(alice.__class__.objects.get(username="rater0"))).status_code == 403
    assert Mou.objects.count() == 1


def test_a_selection_needs_a_closed_panel_and_a_proposal_before_confirming(client, alice, bob):
    panel, _ = small_panel(bob)
    year = panel.phase.year
    refused = send(client, "POST", f"{API}/{year}/selection", {}, alice)
    assert refused.status_code == 400 and "Close the panel" in refused.json()["detail"]
    confirm = send(client, "POST", f"{API}/{year}/selection/confirm", {"letter_number": "K", "letter_date": "2027-10-01"}, alice)
    assert confirm.status_code == 409
