"""The ministry edits the rubric before scoring starts, never after."""

import pytest

from kotacerdas.assessment.models import PanelState
from kotacerdas.assessment.services import AssessmentRefused
from kotacerdas.assessment.services.panel_setup import update_aspect
from kotacerdas.assessment.tests.helpers import small_panel


def test_a_new_panel_has_the_programs_seven_aspects_on_a_five_level_scale(bob):
    panel, _ = small_panel(bob, state=PanelState.PREPARING)
    codes = list(panel.aspects.values_list("code", flat=True))
    assert codes == ["commitment", "policy", "vision", "budget", "infrastructure", "integration", "security"]
    assert all(len(a.descriptors) == 5 for a in panel.aspects.all())


def test_the_rubric_can_be_edited_before_scoring(bob):
    panel, _ = small_panel(bob, state=PanelState.PREPARING)
    aspect = panel.aspects.get(code="budget")
    update_aspect(aspect, weight=2.5, descriptors=["a", "b", "c", "d", "e"])
    aspect.refresh_from_db()
    assert aspect.weight == 2.5 and aspect.descriptors[4] == "e"


def test_the_rubric_is_locked_once_scoring_starts(panel):
    aspect = panel.aspects.get(code="budget")
    with pytest.raises(AssessmentRefused, match="locked"):
        update_aspect(aspect, weight=9)
    aspect.refresh_from_db()
    assert aspect.weight == 1.0


def test_the_panel_page_refuses_a_rubric_change_after_scoring_started(client, alice, panel):
    client.force_login(alice)
    aspect = panel.aspects.get(code="budget")
    client.post(f"/assessment/panels/{panel.phase.year}/", {"action": "aspect", "aspect": aspect.pk, "name": "X", "weight": "7"})
    aspect.refresh_from_db()
    assert (aspect.name, aspect.weight) != ("X", 7)


def test_a_real_phase_never_gets_a_panel(reference_data):
    from kotacerdas.assessment.services.panel_setup import ensure_panel
    from kotacerdas.program.models import Phase

    with pytest.raises(AssessmentRefused):
        ensure_panel(Phase.objects.get(year=2017))
