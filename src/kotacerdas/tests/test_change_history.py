"""The ministry admin sees who changed what, when, from what to what; the public does not."""

import pytest

from kotacerdas.program.models import Phase, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region


def test_the_public_is_sent_to_the_login_page(client, reference_data):
    response = client.get("/history/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_admin_sees_a_status_change_with_who_why_before_and_after(admin_client, admin_user, reference_data):
    phase = Phase.objects.create(year=2030, name="Tahap Uji 2030", quota=5, is_demo=True)
    region = Region.objects.get(code="63.04")  # Kabupaten Barito Kuala, never selected
    set_status(region, phase, ParticipationStatus.ELIGIBLE, user=admin_user, reason="passed screening")
    set_status(region, phase, ParticipationStatus.INVITED, user=admin_user, reason="top of the ranking")
    response = admin_client.get("/history/?kind=participation")
    text = response.content.decode()
    assert response.status_code == 200
    assert "top of the ranking" in text and "ministry" in text
    assert "Kabupaten Barito Kuala" in text
    first_row = text[text.index("<tbody>") : text.index("</tr>", text.index("<tbody>"))]
    assert "top of the ranking" in first_row  # newest first
    # Statuses by their labels in the reader's language, not the stored codes.
    assert "Eligible → Invited" in first_row


def test_a_region_edit_shows_its_before_and_after(admin_client, admin_user, reference_data):
    region = Region.objects.get(code="63.03")
    region.name = "Kabupaten Banjar (uji)"
    region._history_user = admin_user
    region.save()
    text = admin_client.get("/history/?kind=region").content.decode()
    assert "Kabupaten Banjar → Kabupaten Banjar (uji)" in text


ASSESSMENT_MODELS = ("assessor", "panel", "aspect", "declaredconflict", "panelassignment", "session", "score",
                     "selection", "mou")


def test_every_model_with_a_history_is_a_choice_of_the_history_page(admin_client):
    from simple_history.models import registered_models

    from kotacerdas.history import tracked_models

    tracked = tracked_models()
    # Every model with a history; the history of a many-to-many link (an auto-created model)
    # is read with the model that holds the link.
    assert {model for _label, model in tracked.values()} == {
        model for model in registered_models.values() if not model._meta.auto_created}
    assert {f"assessment.{name}" for name in ASSESSMENT_MODELS} <= set(tracked)
    text = admin_client.get("/history/").content.decode()
    for key, (label, _model) in tracked.items():
        assert f'<option value="{key}"' in text, key
        assert admin_client.get(f"/history/?kind={key}").status_code == 200


def test_changes_of_the_assessment_appear_on_the_history_page(admin_client, bob, reference_data, english):
    from kotacerdas.assessment.tests.helpers import small_panel

    panel, assignments = small_panel(bob)
    everything = admin_client.get("/history/").content.decode()
    for key, subject in (("assessment.assessor", str(assignments["bob"].assessor)),
                         ("assessment.panel", str(panel)),
                         ("assessment.panelassignment", str(assignments["frank"]))):
        text = admin_client.get(f"/history/?kind={key}").content.decode()
        body = text[text.index("<tbody>"):text.index("</tbody>")]
        assert subject in body, key
    assert "Assessors" in everything and "Assessment panels" in everything


def test_a_password_change_is_recorded_but_its_hash_is_never_shown(admin_client, admin_user):
    admin_user.set_password("another-long-password-2")
    admin_user.save()
    admin_client.force_login(admin_user)  # the new password ends the old session
    assert admin_user.history.count() >= 2
    text = admin_client.get("/history/?kind=auth.user").content.decode()
    body = text[text.index("<tbody>"):text.index("</tbody>")]
    assert admin_user.username in body and "pbkdf2" not in body and "argon2" not in body


@pytest.mark.indonesian
def test_a_status_change_reads_in_indonesian_on_an_indonesian_page(admin_client, admin_user, reference_data):
    phase = Phase.objects.create(year=2031, name="Tahap Uji 2031", quota=5, is_demo=True)
    region = Region.objects.get(code="63.04")
    set_status(region, phase, ParticipationStatus.ASSESSED, user=admin_user, reason="dinilai")
    set_status(region, phase, ParticipationStatus.SELECTED, user=admin_user, reason="terpilih")
    admin_client.cookies["django_language"] = "id"
    text = admin_client.get("/history/?kind=participation").content.decode()
    assert "Dinilai → Terpilih" in text and "assessed → selected" not in text
