"""The region's institutions: kept by its operator; names and positions public, contact details
never on the public page or the API."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.accounts.services import create_token
from kotacerdas.mentoring import services
from kotacerdas.mentoring.models import CouncilMember

from .helpers import BANJAR, region

pytestmark = pytest.mark.django_db


def test_members_are_public_without_their_contact_details(reference_data, client):
    services.add_council_member(region(BANJAR), name="H. Saidi Mansyur", position="pembina", office="Bupati", email="bupati@example.org", phone="0811")
    services.add_team_member(region(BANJAR), name="Rina", role="chair", sector="academia", office="ULM", email="rina@example.org")
    page = client.get(f"/mentoring/regions/{BANJAR}/institutions/").content.decode()
    api = client.get(f"/api/v1/regions/{BANJAR}/institutions").json()
    assert "H. Saidi Mansyur" in page and "Pembina" in page
    for text in (page, str(api)):
        assert "example.org" not in text and "0811" not in text
    assert api["council"] == [{"name": "H. Saidi Mansyur", "position": "pembina", "agency": None, "office": "Bupati"}]
    assert api["team"][0]["sector"] == "academia"


def test_a_position_outside_the_decree_list_is_refused(reference_data):
    with pytest.raises(ValidationError) as refused:
        services.add_council_member(region(BANJAR), name="X", position="ketua")
    assert "position" in refused.value.message_dict
    assert not CouncilMember.objects.exists()


def test_a_team_has_one_chair(reference_data):
    services.add_team_member(region(BANJAR), name="A", role="chair")
    with pytest.raises(ValidationError, match="already has a Chair"):
        services.add_team_member(region(BANJAR), name="B", role="chair")


def test_an_operator_adds_members_to_their_own_region_only(reference_data, client, dave, erin):
    body = {"name": "Rudi", "position": "anggota"}
    for user, expected in ((dave, 200), (erin, 404)):
        secret = create_token(user, "t")[1]
        response = client.post(
            f"/api/v1/regions/{BANJAR}/institutions/council/members", body, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        assert response.status_code == expected
    assert list(CouncilMember.objects.values_list("name", flat=True)) == ["Rudi"]


def test_the_regions_public_page_lists_the_council_without_contact_details(reference_data, client):
    services.add_council_member(region(BANJAR), name="H. Saidi Mansyur", position="pembina", email="bupati@example.org", phone="0811")
    page = client.get(f"/regions/{BANJAR}/").content.decode()
    assert 'data-section="institutions"' in page and "H. Saidi Mansyur" in page
    assert "bupati@example.org" not in page and "0811" not in page
    assert 'data-section="institutions"' not in client.get("/regions/63.04/").content.decode()
