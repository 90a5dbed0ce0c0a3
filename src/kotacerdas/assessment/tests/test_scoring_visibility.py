"""An assessor scores only their own candidates, never sees another assessor's scores before
submitting their own, sees the panel's after, and scores lock when the panel closes."""

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.accounts.permissions import scope
from kotacerdas.accounts.services import create_token
from kotacerdas.assessment.models import PanelState, Score
from kotacerdas.assessment.services import AssessmentRefused
from kotacerdas.assessment.services.score_sheets import save_scores
from kotacerdas.assessment.services.panel_setup import set_state

from .conftest import score_all


def test_an_assessor_scores_their_candidate_on_the_page(client, bob, assignments):
    client.force_login(bob)
    assignment = assignments["bob"]
    page = client.get(f"/assessment/{assignment.pk}/").content.decode()
    assert "No questionnaire yet" in page and "No screening result yet" in page
    data = {f"score-{a.pk}": "4" for a in assignment.panel.aspects.all()}
    data["comment-" + str(assignment.panel.aspects.first().pk)] = "clear commitment"
    client.post(f"/assessment/{assignment.pk}/", {**data, "submit": "1"})
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None and assignment.scores.count() == 7


def test_an_assessor_cannot_open_or_score_a_candidate_not_assigned_to_them(client, bob, assignments):
    client.force_login(bob)
    other = assignments["frank"]
    assert client.get(f"/assessment/{other.pk}/").status_code == 404
    assert client.post(f"/assessment/{other.pk}/", {"score-1": "5"}).status_code == 404
    with pytest.raises(PermissionDenied):
        save_scores(other, {other.panel.aspects.first().pk: (5, "")}, user=bob)
    assert not other.scores.exists()


def test_others_scores_stay_hidden_until_the_assessor_submits(client, bob, assignments):
    score_all(assignments["grace_first"], 2)  # grace has submitted for bob's candidate
    score_all(assignments["bob"], 4, submit=False)
    visible = scope(Score.objects.all(), bob, "score_candidates")
    assert set(visible.values_list("assignment__assessor__user__username", flat=True)) == {"bob"}
    client.force_login(bob)
    assert "grace" not in client.get(f"/assessment/{assignments['bob'].pk}/").content.decode()
    score_all(assignments["bob"], 4)
    visible = scope(Score.objects.all(), bob, "score_candidates")
    assert set(visible.values_list("assignment__assessor__user__username", flat=True)) == {"bob", "grace"}
    # Never another candidate's panel, even after submitting.
    score_all(assignments["frank"], 3)
    assert not visible.filter(assignment__region=assignments["frank"].region).exists()
    assert "grace" in client.get(f"/assessment/{assignments['bob'].pk}/").content.decode()


def test_submitted_scores_lock_and_closing_the_panel_locks_everything(panel, assignments):
    score_all(assignments["bob"], 4)
    with pytest.raises(AssessmentRefused, match="locked"):
        score_all(assignments["bob"], 1, submit=False)
    set_state(panel, PanelState.CLOSED, reason="three assessments missing")
    with pytest.raises(AssessmentRefused, match="closed"):
        score_all(assignments["frank"], 3, submit=False)


def test_scores_out_of_range_are_refused(assignments):
    with pytest.raises(AssessmentRefused):
        score_all(assignments["bob"], 6, submit=False)
    with pytest.raises(AssessmentRefused, match="every aspect"):
        save_scores(assignments["bob"], {}, user=assignments["bob"].assessor.user, submit=True)


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')[1]}"}


def test_the_api_lets_an_assessor_write_only_their_own_assignment(client, bob, assignments):
    headers = _token(bob)
    body = {"scores": [{"aspect": code, "value": 3} for code in assignments["bob"].panel.aspects.values_list("code", flat=True)], "submit": True}
    ok = client.put(f"/api/v1/assessment/assignments/{assignments['bob'].pk}/scores", body, content_type="application/json", **headers)
    assert ok.status_code == 200 and len(ok.json()) == 7
    refused = client.put(f"/api/v1/assessment/assignments/{assignments['frank'].pk}/scores", body, content_type="application/json", **headers)
    assert refused.status_code == 404
    mine = client.get("/api/v1/assessment/assignments", **headers).json()
    assert [a["id"] for a in mine] == [assignments["bob"].pk]


def test_the_api_hides_other_scores_before_submission(client, bob, assignments):
    score_all(assignments["grace_first"], 2)
    headers = _token(bob)
    early = client.get(f"/api/v1/assessment/assignments/{assignments['bob'].pk}/scores", **headers).json()
    assert early == []
    assert client.get(f"/api/v1/assessment/assignments/{assignments['grace_first'].pk}/scores", **headers).status_code == 404
    assert client.get("/api/v1/assessment/2027/scores", **headers).status_code == 403


def test_an_assessor_sees_their_own_schedule(client, bob, panel, assignments):
    import datetime
    import zoneinfo

    from kotacerdas.assessment.services.allocation import schedule_session

    region = assignments["bob"].region  # Kalimantan Selatan: WITA
    schedule_session(
        panel, region, starts_at=datetime.datetime(2027, 4, 6, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar")), room="Room 2"
    )
    client.force_login(bob)
    page = client.get("/assessment/").content.decode()
    assert "2027-04-06 09:00" in page and "WITA" in page and "Room 2" in page
    assert assignments["frank"].region.name not in page
