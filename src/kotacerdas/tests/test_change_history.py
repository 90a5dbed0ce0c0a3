"""The ministry admin sees who changed what, when, from what to what; the public does not."""

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
    assert "eligible" in first_row and "invited" in first_row


def test_a_region_edit_shows_its_before_and_after(admin_client, admin_user, reference_data):
    region = Region.objects.get(code="63.03")
    region.name = "Kabupaten Banjar (uji)"
    region._history_user = admin_user
    region.save()
    text = admin_client.get("/history/?kind=region").content.decode()
    assert "Kabupaten Banjar → Kabupaten Banjar (uji)" in text
