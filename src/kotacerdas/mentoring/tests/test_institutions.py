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


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 't')[1]}"}


def test_the_api_keeps_the_team_secretariat_forums_and_decrees_as_the_page_does(reference_data, client, dave):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kotacerdas.mentoring.models import ForumMeeting, ImplementationTeam, Secretariat, TeamMember
    from kotacerdas.regions.models import Agency

    headers = _bearer(dave)
    base = f"/api/v1/regions/{BANJAR}/institutions"
    bappeda = Agency.objects.create(region=region(BANJAR), name="Badan Perencanaan Pembangunan Daerah", short_name="Bappeda")
    team = client.post(f"{base}/team/members", {"name": "Rina", "role": "chair", "sector": "academia", "email": "rina@example.org"},
                       content_type="application/json", **headers)
    assert team.status_code == 200 and team.json()["team"][0]["name"] == "Rina"
    assert "example.org" not in team.content.decode()
    # A second chair is refused by the service, with the same message as on the page.
    second = client.post(f"{base}/team/members", {"name": "Budi", "role": "chair"}, content_type="application/json", **headers)
    assert second.status_code == 400 and "already has a Chair" in str(second.json())
    assert TeamMember.objects.count() == 1

    secretariat = client.put(f"{base}/secretariat", {"agency_id": bappeda.pk, "head": "Ir. Sari"}, content_type="application/json", **headers)
    assert secretariat.status_code == 200 and secretariat.json()["secretariat_host"] == str(bappeda)
    assert Secretariat.objects.get(region__code=BANJAR).head == "Ir. Sari"

    decree = client.post(f"{base}/team/decree", {"decree_number": "188/45/2033", "decree_date": "2033-02-01",
                                                 "file": SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n")}, **headers)
    assert decree.status_code == 200, decree.content
    assert decree.json()["team_decree"] == {"number": "188/45/2033", "date": "2033-02-01"}
    assert ImplementationTeam.objects.get(region__code=BANJAR).decree_file

    forum = client.post(f"{base}/forums", {"title": "Forum OPD", "starts_at": "2033-04-02T09:00", "decisions": "Quick win: e-parkir",
                                           "file": SimpleUploadedFile("notulen.pdf", b"%PDF-1.4\n")}, **headers)
    assert forum.status_code == 200, forum.content
    meeting = ForumMeeting.objects.get()
    assert forum.json()["has_minutes"] is True
    assert meeting.starts_at.isoformat() == "2033-04-02T01:00:00+00:00"  # 09:00 WITA, Banjar's own time

    member = TeamMember.objects.get()
    assert client.delete(f"{base}/team/members/{member.pk}", **headers).json()["team"] == []
    assert client.delete(f"{base}/elsewhere/members/1", **headers).status_code == 404


def test_the_api_refuses_another_regions_agency_and_writes_nothing(reference_data, client, dave):
    from kotacerdas.regions.models import Agency

    foreign = Agency.objects.create(region=region("63.04"), name="Dinas Kominfo Barito Kuala", short_name="Diskominfo")
    response = client.put(f"/api/v1/regions/{BANJAR}/institutions/secretariat", {"agency_id": foreign.pk},
                          content_type="application/json", **_bearer(dave))
    assert response.status_code == 400 and "another region" in str(response.json())
    from kotacerdas.mentoring.models import Secretariat

    assert not Secretariat.objects.exists()


def test_forum_minutes_and_decrees_download_for_the_regions_operator_and_the_ministry_only(reference_data, client, alice, dave, erin, carol):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = services.record_forum(region(BANJAR), title="Forum", starts_at=datetime.datetime(2033, 4, 2, 1, tzinfo=datetime.timezone.utc),
                                    minutes=SimpleUploadedFile("notulen.pdf", b"%PDF-1.4 minutes\n"))
    bare = services.record_forum(region(BANJAR), title="No minutes", starts_at=datetime.datetime(2033, 5, 2, 1, tzinfo=datetime.timezone.utc))
    url = f"/mentoring/regions/{BANJAR}/institutions/forums/{meeting.pk}/minutes"
    for user, expected in ((dave, 200), (alice, 200), (erin, 404), (carol, 403)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == expected, user
        if expected == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 minutes\n"
            assert response["X-Content-Type-Options"] == "nosniff" and "attachment" in response["Content-Disposition"]
    client.force_login(dave)
    assert client.get(f"/mentoring/regions/{BANJAR}/institutions/forums/{bare.pk}/minutes").status_code == 404
    page = client.get(f"/mentoring/regions/{BANJAR}/institutions/manage/").content.decode()
    assert url in page
    client.logout()
    assert client.get(url).status_code == 302  # to the login page
    assert url not in client.get(f"/mentoring/regions/{BANJAR}/institutions/").content.decode()


def test_the_operator_reaches_agencies_and_institutions_from_the_navigation(reference_data, client, alice, dave):
    client.force_login(dave)
    page = client.get("/").content.decode()
    assert f'href="/regions/{BANJAR}/agencies/"' in page and f'href="/mentoring/regions/{BANJAR}/institutions/manage/"' in page
    assert 'data-nav="agency-import"' not in page
    client.force_login(alice)
    assert 'href="/regions/agencies/import/"' in client.get("/").content.decode()
