"""An assessor logs in, finds their verification of a region in an evaluation round in their
schedule (the navigation's "My verifications"), opens it, reads the
previous result and the follow-up of its recommendations, scores the five dimensions 0-5 and
submits; the round's result is then computed from the submitted scores."""

import re
from decimal import Decimal

import pytest

from kotacerdas.conftest import ROLE_PASSWORD, bob, reference_data  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_assessor_scores_an_evaluation(live_server, bob, page):  # noqa: F811
    from kotacerdas.assessment.models import PanelAssignment, PanelState
    from kotacerdas.assessment.services.assessor_pool import register_assessor
    from kotacerdas.assessment.services.panel_setup import set_state
    from kotacerdas.evaluation import services
    from kotacerdas.evaluation.tests.helpers import BANJAR, make_round, region, scores, store

    previous = make_round(2031, 1, codes=(BANJAR,))
    store(previous, {BANJAR: scores("2.00", "2.00", "2.00", "2.00", "2.00")})
    services.add_finding(previous, region(BANJAR), "recommendation", "Tetapkan Perbup masterplan")
    evaluation = make_round(2031, 2, codes=(BANJAR,))
    panel = services.create_verification_panel(evaluation)
    assignment = PanelAssignment.objects.create(panel=panel, region=region(BANJAR), assessor=register_assessor(bob, institution="UI"))
    set_state(panel, PanelState.SCORING)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name='username']", "bob")
    page.fill("input[name='password']", ROLE_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/start/$"))
    # From the navigation to the schedule of verifications, then to the region.
    page.locator("nav a[data-nav='verifications']").click()
    page.wait_for_url(re.compile(r"/evaluation/verification/$"))
    page.locator(f"table.verifications a[href='/evaluation/verification/{assignment.pk}/']").click()
    page.wait_for_url(re.compile(rf"/evaluation/verification/{assignment.pk}/$"))
    assert "Tetapkan Perbup masterplan" in page.locator(".baseline-context").inner_text()
    for row in page.locator("table.verification tbody tr").all():
        row.locator("select").select_option("4")
    page.locator("button[name='submit']").click()
    page.wait_for_load_state("load")
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None and set(assignment.scores.values_list("value", flat=True)) == {4}
    services.store_verification_results(evaluation)
    result = evaluation.results.get()
    assert (result.index, result.improvement) == (Decimal("4.00"), Decimal("2.00"))
