"""The verification runs on the assessment engine: a panel of the evaluation round scoring the
five dimensions 0-5 (and the six smart city dimensions), the Baseline context shown to the
assessor, and the results computed from the submitted scores."""

from decimal import Decimal

import pytest

from kotacerdas.assessment.models import PanelAssignment, PanelState
from kotacerdas.assessment.services import AssessmentRefused
from kotacerdas.assessment.services.assessor_pool import register_assessor
from kotacerdas.assessment.services.score_sheets import save_scores
from kotacerdas.assessment.services.panel_setup import set_state
from kotacerdas.evaluation import services

from .helpers import BANJAR, TANAH_LAUT, make_round, region, scores, store

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def verification(bob, django_user_model):
    previous = make_round(2031, 1, codes=(BANJAR, TANAH_LAUT))
    store(previous, {BANJAR: scores("2.00", "2.00", "2.00", "2.00", "2.00")})
    services.add_finding(previous, region(BANJAR), "recommendation", "Tetapkan Perbup masterplan")
    evaluation = make_round(2031, 2, codes=(BANJAR, TANAH_LAUT))
    panel = services.create_verification_panel(evaluation, smart_city=True)
    grace = django_user_model.objects.create_user("grace", "grace@example.org", "a-long-password-1")
    first = PanelAssignment.objects.create(panel=panel, region=region(BANJAR), assessor=register_assessor(bob, institution="UI"))
    second = PanelAssignment.objects.create(panel=panel, region=region(BANJAR), assessor=register_assessor(grace, institution="ITB"))
    set_state(panel, PanelState.SCORING)
    return evaluation, panel, first, second, grace


def test_an_assessor_scores_0_to_5_seeing_the_previous_result_and_its_follow_up(client, bob, django_user_model):
    evaluation, panel, first, _second, _grace = verification(bob, django_user_model)
    assert panel.round == evaluation.round and panel.phase is None and panel.aspects.count() == 11
    client.force_login(bob)
    page = client.get(f"/evaluation/verification/{first.pk}/").content.decode()
    assert "Tetapkan Perbup masterplan" in page and "2.00" in page
    aspects = list(panel.aspects.order_by("order"))
    data = {f"aspect-{a.pk}": "0" if a.code == "quick_win" else "3" for a in aspects}
    response = client.post(f"/evaluation/verification/{first.pk}/", {**data, "submit": "1"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.submitted_at is not None
    assert first.scores.get(aspect__code="quick_win").value == 0


def test_a_score_above_5_is_refused(bob, django_user_model):
    _evaluation, panel, first, _second, _grace = verification(bob, django_user_model)
    aspect = panel.aspects.get(code="baseline")
    with pytest.raises(AssessmentRefused, match="from 0 to 5"):
        save_scores(first, {aspect.pk: (6, "")}, user=bob)


def test_another_assessors_verification_is_not_found(client, bob, django_user_model):
    _evaluation, _panel, _first, second, _grace = verification(bob, django_user_model)
    client.force_login(bob)
    assert client.get(f"/evaluation/verification/{second.pk}/").status_code == 404


def test_the_results_are_the_means_of_the_submitted_scores(bob, django_user_model):
    evaluation, panel, first, second, grace = verification(bob, django_user_model)
    aspects = list(panel.aspects.order_by("order"))
    with pytest.raises(services.EvaluationRefused, match="No region has submitted"):
        services.store_verification_results(evaluation)
    save_scores(first, {a.pk: (3, "") for a in aspects}, user=bob, submit=True)
    save_scores(second, {a.pk: (4 if a.code == "outcome" else 3, "") for a in aspects}, user=grace, submit=True)
    services.store_verification_results(evaluation)
    result = evaluation.results.get(region__code=BANJAR)
    # Outcome (3 + 4) / 2 = 3.50; index 0.3 + 0.6 + 1.05 + 0.6 + 0.6 = 3.15; improvement over 2.00.
    assert (result.outcome, result.index, result.improvement, result.origin) == (Decimal("3.50"), Decimal("3.15"), Decimal("1.15"), "verification")
    assert result.smart_city_scores["governance"] == "3.00"


def test_an_assessor_finds_their_interviews_in_the_regions_time_zone(client, bob, django_user_model):
    import datetime

    from kotacerdas.assessment.services.allocation import schedule_session

    evaluation, panel, first, _second, grace = verification(bob, django_user_model)
    # Kabupaten Banjar keeps WITA (UTC+8): 02:00 UTC is 10:00 there.
    schedule_session(panel, region(BANJAR), starts_at=datetime.datetime(2031, 9, 1, 2, 0, tzinfo=datetime.timezone.utc), room="Ruang Rapat Bupati")
    client.force_login(bob)
    page = client.get("/evaluation/verification/").content.decode()
    assert f'href="/evaluation/verification/{first.pk}/"' in page and "2031-09-01 10:00 WITA" in page and "Ruang Rapat Bupati" in page
    assert evaluation.round.name in page
    # The selection's list keeps to the selection panels; the start page links to this scoring page.
    assert f"/assessment/{first.pk}/" not in client.get("/assessment/").content.decode()
    assert f"/evaluation/verification/{first.pk}/" in client.get("/start/").content.decode()
    client.force_login(grace)
    assert f'href="/evaluation/verification/{first.pk}/"' not in client.get("/evaluation/verification/").content.decode()


def _pool(bob, django_user_model):
    """bob and grace in the assessor pool; grace mentors Banjar (a conflict of interest)."""
    from kotacerdas.accounts.models import Role, RoleGrant

    grace = django_user_model.objects.create_user("grace", "grace@example.org", "a-long-password-1")
    register_assessor(bob, institution="UI")
    register_assessor(grace, institution="ITB")
    RoleGrant.objects.create(user=grace, role=Role.MENTOR, region=region(BANJAR))
    return grace


def test_the_ministry_starts_the_verification_without_conflicts_of_interest(client, alice, bob, dave, django_user_model):
    grace = _pool(bob, django_user_model)
    evaluation = make_round(2031, 1, codes=(BANJAR, TANAH_LAUT))
    url = f"/evaluation/{evaluation.pk}/verification-panel/"
    client.force_login(dave)
    assert client.post(url, {"per_candidate": "1"}).status_code == 403
    client.force_login(alice)
    assert client.post(url, {"per_candidate": "0"}).status_code == 302
    assert not PanelAssignment.objects.filter(panel__round=evaluation.round).exists()
    assert client.post(url, {"per_candidate": "1", "smart_city": "on"}).status_code == 302
    panel = evaluation.round.panel
    assigned = {(a.region.code, a.assessor.user.username) for a in panel.assignments.select_related("region", "assessor__user")}
    assert len(assigned) == 2 and (BANJAR, grace.username) not in assigned  # grace mentors Banjar
    assert panel.state == PanelState.SCORING and panel.aspects.count() == 11
    page = client.get(f"/evaluation/{evaluation.pk}/").content.decode()
    assert "0 of 2 verifications submitted" in page
    # Once started it is not started again (the assignments stay).
    response = client.post(url, {"per_candidate": "2"}, follow=True)
    assert "has started already" in response.content.decode()
    assert {(a.region.code, a.assessor.user.username) for a in panel.assignments.select_related("region", "assessor__user")} == assigned


def test_the_api_starts_the_verification_and_computes_the_results(client, alice, bob, django_user_model):
    from kotacerdas.accounts.services import create_token

    grace = _pool(bob, django_user_model)
    evaluation = make_round(2031, 1, codes=(BANJAR, TANAH_LAUT))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    base = f"/api/v1/evaluation/rounds/{evaluation.pk}"
    assert client.post(f"{base}/verification-panel", {"per_candidate": 9}, content_type="application/json", **auth).status_code == 422
    refused = client.post(f"{base}/verification-results", content_type="application/json", **auth)
    assert refused.status_code == 400 and "No region has submitted" in refused.json()["detail"]
    answer = client.post(f"{base}/verification-panel", {"per_candidate": 1}, content_type="application/json", **auth).json()
    assert (answer["state"], answer["assignments"], answer["submitted"]) == ("scoring", 2, 0)
    for assignment in PanelAssignment.objects.filter(panel_id=answer["panel_id"]).select_related("assessor__user"):
        user = bob if assignment.assessor.user == bob else grace
        save_scores(assignment, {a.pk: (3, "") for a in assignment.panel.aspects.all()}, user=user, submit=True)
    assert client.post(f"{base}/verification-results", content_type="application/json", **auth).json() == {"count": 2}
    assert set(evaluation.results.values_list("index", flat=True)) == {Decimal("3.00")}
    assessor = {"HTTP_AUTHORIZATION": f"Bearer {create_token(bob, 't')[1]}"}
    assert client.post(f"{base}/verification-results", content_type="application/json", **assessor).status_code == 403


def test_the_ministry_schedules_an_interview_in_the_regions_local_time(client, alice, bob, django_user_model):
    import datetime

    from kotacerdas.assessment.models import Session

    _pool(bob, django_user_model)
    evaluation = make_round(2031, 1, codes=(BANJAR, TANAH_LAUT))
    url = f"/evaluation/{evaluation.pk}/verification-interviews/"
    client.force_login(alice)
    refused = client.post(url, {"region": BANJAR, "starts_at": "2031-09-01T10:00", "room": "Aula"}, follow=True).content.decode()
    assert "Start the verification before scheduling interviews" in refused
    services.start_verification(evaluation, per_candidate=1, user=alice)
    # Bad input: a region outside the round, neither room nor link, no time; nothing is stored.
    assert "64.71 is not in this round" in client.post(url, {"region": "64.71", "starts_at": "2031-09-01T10:00", "room": "Aula"}, follow=True).content.decode()
    assert "Give a room or a video link" in client.post(url, {"region": BANJAR, "starts_at": "2031-09-01T10:00"}, follow=True).content.decode()
    assert "Starts at" in client.post(url, {"region": BANJAR, "starts_at": "besok pagi", "room": "Aula"}, follow=True).content.decode()
    assert not Session.objects.exists()
    page = client.post(url, {"region": BANJAR, "starts_at": "2031-09-01T10:00", "room": "Aula Bupati"}, follow=True).content.decode()
    session = Session.objects.get(region__code=BANJAR)
    # Banjar keeps WITA (UTC+8): 10:00 there is 02:00 UTC.
    assert session.starts_at == datetime.datetime(2031, 9, 1, 2, 0, tzinfo=datetime.timezone.utc)
    assert "2031-09-01 10:00 WITA" in page and "Aula Bupati" in page


def test_the_api_schedules_an_interview(client, alice, bob, django_user_model):
    import datetime

    from kotacerdas.accounts.services import create_token

    _pool(bob, django_user_model)
    evaluation = make_round(2031, 1, codes=(BANJAR, TANAH_LAUT))
    services.start_verification(evaluation, per_candidate=1, user=alice)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {create_token(alice, 't')[1]}"}
    base = f"/api/v1/evaluation/rounds/{evaluation.pk}/verification-interviews"
    answer = client.put(f"{base}/{BANJAR}", {"starts_at": "2031-09-01T10:00:00", "video_link": "https://meet.example.org/banjar"},
                        content_type="application/json", **auth)
    assert answer.status_code == 200 and answer.json()["time_zone"] == "WITA"
    assert datetime.datetime.fromisoformat(answer.json()["starts_at"]) == datetime.datetime(2031, 9, 1, 2, 0, tzinfo=datetime.timezone.utc)
    assert client.put(f"{base}/64.71", {"starts_at": "2031-09-01T10:00:00", "room": "Aula"}, content_type="application/json", **auth).status_code == 404
    refused = client.put(f"{base}/{BANJAR}", {"starts_at": "2031-09-01T10:00:00"}, content_type="application/json", **auth)
    assert refused.status_code == 400 and "room or a video link" in refused.json()["detail"]
