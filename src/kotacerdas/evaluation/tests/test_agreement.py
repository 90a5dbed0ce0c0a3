"""Agreement and calibration of the verification panel on the round's page: Krippendorff's alpha
per dimension from the submitted scores (checked against the ``krippendorff`` package on the
same regions x assessors matrix) and each assessor's leniency or severity, the outlying one
flagged; the ministry sees it, nobody else."""

from decimal import Decimal

import krippendorff
import numpy as np
import pytest

from kotacerdas.assessment.models import PanelAssignment, PanelState
from kotacerdas.assessment.services.assessor_pool import register_assessor
from kotacerdas.assessment.services.score_sheets import save_scores
from kotacerdas.assessment.services.panel_setup import set_state
from kotacerdas.evaluation import services

from .helpers import BALIKPAPAN, BANJAR, BARITO_KUALA, TANAH_LAUT, make_round, region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CODES = (BANJAR, BARITO_KUALA, TANAH_LAUT, BALIKPAPAN)
# Every dimension of a region gets the same base score from bob and grace; heidi scores one point
# higher everywhere (a lenient assessor), ivan only Banjar and Tanah Laut, like bob.
BASE = {BANJAR: 2, BARITO_KUALA: 3, TANAH_LAUT: 4, BALIKPAPAN: 1}


def scored_panel(bob, django_user_model):
    evaluation = make_round(2032, 1, codes=CODES)
    panel = services.create_verification_panel(evaluation, per_candidate=3)
    people = {"bob": bob}
    for name in ("grace", "heidi", "ivan"):
        people[name] = django_user_model.objects.create_user(name, f"{name}@example.org", "a-long-password-1")
    offset = {"bob": 0, "grace": 0, "heidi": 1, "ivan": 0}
    codes = {"bob": CODES, "grace": CODES, "heidi": CODES, "ivan": (BANJAR, TANAH_LAUT)}
    assignments = []
    for name, user in people.items():
        assessor = register_assessor(user, institution="UI")
        for code in codes[name]:
            assignments.append((PanelAssignment.objects.create(panel=panel, region=region(code), assessor=assessor), user, offset[name]))
    set_state(panel, PanelState.SCORING)
    aspects = list(panel.aspects.all())
    for assignment, user, plus in assignments:
        save_scores(assignment, {a.pk: (BASE[assignment.region.code] + plus, "") for a in aspects}, user=user, submit=True)
    return evaluation


def test_alpha_per_dimension_is_krippendorffs_on_the_regions_by_assessors_matrix(bob, django_user_model):
    evaluation = scored_panel(bob, django_user_model)
    agreement = services.verification_agreement(evaluation)
    # Regions in code order (63.01, 63.03, 63.04, 64.71) x assessors bob, grace, heidi, ivan.
    nan = np.nan
    matrix = np.array([[4, 4, 5, 4], [2, 2, 3, 2], [3, 3, 4, nan], [1, 1, 2, nan]])
    expected = krippendorff.alpha(reliability_data=matrix.T, level_of_measurement="interval")
    alphas = {aspect.code: alpha for aspect, alpha, _low in agreement.aspects}
    assert list(alphas) == ["baseline", "output", "outcome", "impact", "quick_win"]
    assert all(alpha == pytest.approx(expected, abs=1e-12) for alpha in alphas.values())
    assert 0.8 < expected < 1  # heidi's offset costs some agreement, not all


def test_the_lenient_assessor_is_flagged_with_their_deviation_in_index_points(bob, django_user_model):
    evaluation = scored_panel(bob, django_user_model)
    rows = {assessor.user.username: (deviation, flagged, rated) for assessor, deviation, _score, flagged, rated
            in services.verification_agreement(evaluation).assessors}
    # heidi: one point above the mean of the others on each of her four regions.
    assert rows["heidi"] == (pytest.approx(1.0), True, 4)
    # bob: 2 - (2 + 3 + 2) / 3 = -1/3 on Banjar and Tanah Laut (four assessors), 3 - (3 + 4) / 2 = -1/2
    # on Barito Kuala and Balikpapan (three): a mean of -5/12, within the panel.
    assert rows["bob"][0] == pytest.approx(-5 / 12) and not rows["bob"][1] and rows["ivan"][2] == 2


def test_low_agreement_is_flagged_below_the_panels_threshold(bob, django_user_model):
    evaluation = scored_panel(bob, django_user_model)
    from kotacerdas.assessment.models import Panel

    panel = Panel.objects.get(round=evaluation.round)
    panel.agreement_threshold = 0.99
    panel.save()
    assert all(low for _aspect, _alpha, low in services.verification_agreement(evaluation).aspects)


def test_the_round_page_shows_it_to_the_ministry_only(client, alice, bob, django_user_model):
    evaluation = scored_panel(bob, django_user_model)
    services.store_verification_results(evaluation)
    services.publish_round(evaluation)
    client.force_login(alice)
    page = client.get(f"/evaluation/{evaluation.pk}/").content.decode()
    assert "Verification panel: agreement and calibration" in page
    assert 'data-assessor="heidi" class="warning"' in page and "more lenient than the panel" in page
    assert 'data-aspect="baseline"' in page
    client.force_login(bob)
    assert "agreement-assessors" not in client.get(f"/evaluation/{evaluation.pk}/").content.decode()
    client.logout()
    assert "agreement-assessors" not in client.get(f"/evaluation/{evaluation.pk}/").content.decode()


def test_without_a_panel_there_is_nothing_to_show(alice):
    evaluation = make_round(2032, 1, codes=CODES)
    assert services.verification_agreement(evaluation) is None


def test_the_index_still_uses_the_plain_mean(bob, django_user_model):
    evaluation = scored_panel(bob, django_user_model)
    services.store_verification_results(evaluation)
    # Banjar: (2 + 2 + 3 + 2) / 4 = 2.25 on every dimension, so the index is 2.25.
    assert evaluation.results.get(region__code=BANJAR).index == Decimal("2.25")
