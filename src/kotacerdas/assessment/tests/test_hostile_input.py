"""Panel settings that are not numbers or out of range are refused on the page and nothing is
stored (the tester stored weight inf and per_candidate 10^12, and got 500s on nan and -5)."""

import pytest

from kotacerdas.assessment.models import Panel, PanelState
from kotacerdas.assessment.tests.helpers import small_panel


@pytest.mark.parametrize("field, value", [
    ("weight_assessment", "nan"), ("weight_questionnaire", "inf"), ("weight_screening", "1e999"),
    ("weight_assessment", "-1"), ("per_candidate", "-5"), ("per_candidate", str(10**12)), ("per_candidate", "nan"),
])
def test_a_panel_setting_out_of_range_is_refused_and_nothing_changes(client, alice, bob, field, value):
    panel, _assignments = small_panel(bob, state=PanelState.PREPARING)
    client.force_login(alice)
    data = {"action": "settings", "per_candidate": "2", "weight_assessment": "1", "weight_questionnaire": "0",
            "weight_screening": "0", field: value}
    response = client.post(f"/assessment/panels/{panel.phase.year}/", data, follow=True)
    assert response.status_code == 200
    stored = Panel.objects.get(pk=panel.pk)
    assert (stored.per_candidate, stored.weight_assessment, stored.weight_questionnaire, stored.weight_screening) == (2, 1.0, 0.0, 0.0)


def test_an_aspect_weight_that_is_not_finite_is_refused(client, alice, bob):
    panel, _assignments = small_panel(bob, state=PanelState.PREPARING)
    aspect = panel.aspects.first()
    client.force_login(alice)
    client.post(f"/assessment/panels/{panel.phase.year}/", {"action": "aspect", "aspect": aspect.pk, "weight": "inf"})
    aspect.refresh_from_db()
    assert aspect.weight != float("inf")


def test_the_settings_service_checks_what_the_page_and_the_api_send(bob, alice, english):
    """The one place the panel's settings are checked (assessment.services.panel_setup.update_panel_settings):
    a value as typed, "0,5" too; a bad one names its field and changes nothing."""
    from django.core.exceptions import ValidationError

    from kotacerdas.assessment.services import panel_setup

    panel, _assignments = small_panel(bob, state=PanelState.PREPARING)
    panel_setup.update_panel_settings(panel, per_candidate="3", weights={"weight_assessment": "0,5"},
                                   conflicts={"conflict_mentored": True}, user=alice)
    stored = Panel.objects.get(pk=panel.pk)
    assert (stored.per_candidate, stored.weight_assessment, stored.conflict_mentored) == (3, 0.5, True)
    with pytest.raises(ValidationError) as refused:
        panel_setup.update_panel_settings(panel, per_candidate="4", weights={"weight_screening": "lima"}, user=alice)
    assert "screening" in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        panel_setup.update_panel_settings(panel, weights={"weight_everything": "1"}, user=alice)
    assert "weight_everything" in refused.value.messages[0]
    assert Panel.objects.get(pk=panel.pk).per_candidate == 3
