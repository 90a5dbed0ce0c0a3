"""Irreversible actions ask for confirmation on the server, not only in the browser: starting
the scoring, closing the panel (refused with missing scores unless the ministry gives a reason),
reopening a mistaken close (with a reason, until a decision based on it is published) and
publishing the decision."""

import pytest

from kotacerdas.assessment.services import panel_setup
from kotacerdas.assessment.models import Panel, PanelState
from kotacerdas.assessment.services import AssessmentRefused
from kotacerdas.assessment.tests.conftest import score_all
from kotacerdas.assessment.tests.helpers import small_panel


def state_of(panel):
    return Panel.objects.get(pk=panel.pk).state


@pytest.fixture
def ministry(client, alice):
    client.force_login(alice)
    return client


def test_starting_the_scoring_without_the_confirmation_changes_nothing(ministry, bob):
    panel, _ = small_panel(bob, state=PanelState.PREPARING)
    year = panel.phase.year
    page = ministry.get(f"/assessment/panels/{year}/").content.decode()
    assert "locks the rubric" in page and 'name="confirm"' in page
    answer = ministry.post(f"/assessment/panels/{year}/", {"action": "state", "state": "scoring"}, follow=True)
    assert "tick the box to confirm" in answer.content.decode()
    assert state_of(panel) == PanelState.PREPARING
    ministry.post(f"/assessment/panels/{year}/", {"action": "state", "state": "scoring", "confirm": "yes"})
    assert state_of(panel) == PanelState.SCORING


def test_closing_with_missing_scores_is_refused_without_a_reason(ministry, bob):
    panel, assignments = small_panel(bob)
    score_all(assignments["bob"], 4)
    year = panel.phase.year
    page = ministry.get(f"/assessment/panels/{year}/").content.decode()
    assert "3 of 4 assessments are not submitted." in page
    answer = ministry.post(f"/assessment/panels/{year}/", {"action": "state", "state": "closed", "confirm": "yes"}, follow=True)
    assert "3 of 4 assessments are not submitted" in answer.content.decode()
    assert state_of(panel) == PanelState.SCORING
    # Without the confirmation, even with a reason: nothing changes.
    ministry.post(f"/assessment/panels/{year}/", {"action": "state", "state": "closed", "reason": "deadline"})
    assert state_of(panel) == PanelState.SCORING
    ministry.post(f"/assessment/panels/{year}/", {"action": "state", "state": "closed", "confirm": "yes", "reason": "Two assessors withdrew"})
    assert state_of(panel) == PanelState.CLOSED
    assert Panel.history.filter(id=panel.pk).first().history_change_reason == "Two assessors withdrew"


def test_a_complete_panel_closes_without_a_reason(bob):
    panel, assignments = small_panel(bob)
    for assignment in assignments.values():
        score_all(assignment, 3)
    assert panel_setup.set_state(panel, PanelState.CLOSED).state == PanelState.CLOSED


def test_a_mistaken_close_is_reopened_with_a_reason_until_the_decision_is_published(ministry, bob):
    from kotacerdas.assessment import selection as selecting

    panel, assignments = small_panel(bob)
    for assignment in assignments.values():
        score_all(assignment, 3)
    panel_setup.set_state(panel, PanelState.CLOSED)
    with pytest.raises(AssessmentRefused, match="reason"):
        panel_setup.set_state(panel, PanelState.SCORING)
    year = panel.phase.year
    ministry.post(f"/assessment/panels/{year}/", {"action": "state", "state": "scoring", "confirm": "yes", "reason": "Closed a day early"})
    assert state_of(panel) == PanelState.SCORING
    assert Panel.history.filter(id=panel.pk).first().history_change_reason == "Closed a day early"

    panel_setup.set_state(panel, PanelState.CLOSED)
    phase = panel.phase
    phase.quota = 1
    phase.save()
    selection = selecting.propose_selection(panel, {})
    # Publishing asks for the confirmation too.
    answer = ministry.post(f"/assessment/panels/{year}/selection/", {"action": "confirm", "letter_number": "B-1", "letter_date": "2027-05-14"}, follow=True)
    assert "Nothing was published" in answer.content.decode()
    selection.refresh_from_db()
    assert selection.confirmed_at is None
    selecting.confirm_selection(selection, letter_number="B-1", letter_date=__import__("datetime").date(2027, 5, 14))
    with pytest.raises(AssessmentRefused, match="published"):
        panel_setup.set_state(panel, PanelState.SCORING, reason="too late")
    assert state_of(panel) == PanelState.CLOSED
    assert "Reopen the panel" not in ministry.get(f"/assessment/panels/{year}/").content.decode()


def test_an_overlong_reason_is_refused_naming_the_limit(bob):
    panel, _ = small_panel(bob)
    with pytest.raises(AssessmentRefused, match="100 characters"):
        panel_setup.set_state(panel, PanelState.CLOSED, reason="x" * 101)
    assert state_of(panel) == PanelState.SCORING
