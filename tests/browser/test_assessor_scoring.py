"""An assessor logs in, opens their schedule, scores their candidate and submits; then sees the
panel's scores for that candidate."""

import re

import pytest

from kotacerdas.conftest import ROLE_PASSWORD, bob, reference_data  # noqa: F401

pytestmark = pytest.mark.browser


def test_an_assessor_scores_a_candidate(live_server, bob, page):  # noqa: F811
    from kotacerdas.assessment.models import PanelAssignment
    from kotacerdas.assessment.services.score_sheets import save_scores
    from kotacerdas.assessment.tests.helpers import small_panel

    _panel, assignments = small_panel(bob)
    grace = assignments["grace_first"]
    save_scores(grace, {a.pk: (2, "") for a in grace.panel.aspects.all()}, user=grace.assessor.user, submit=True)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name='username']", "bob")
    page.fill("input[name='password']", ROLE_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/start/$"))

    page.locator("header nav a[href='/assessment/']").click()
    region = assignments["bob"].region
    page.locator(f"tr[data-candidate='{region.code}'] a").click()
    page.wait_for_url(re.compile(r"/assessment/\d+/$"))
    assert page.locator("[data-section='questionnaire'] .empty").count() == 1
    assert page.locator("table.panel-scores").count() == 0  # nothing of grace's before submitting
    for row in page.locator("table.rubric tbody tr").all():
        row.locator("select").select_option("4")
    page.locator("table.rubric tbody tr").first.locator("textarea").fill("Strong commitment")
    page.locator("[data-action='submit']").click()
    page.wait_for_load_state("load")
    assert page.locator("table.panel-scores tbody tr").count() == 2
    assignment = PanelAssignment.objects.get(pk=assignments["bob"].pk)
    assert assignment.submitted_at is not None
    assert set(assignment.scores.values_list("value", flat=True)) == {4} and assignment.scores.count() == 7
