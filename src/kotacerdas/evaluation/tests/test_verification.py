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
