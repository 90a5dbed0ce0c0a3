"""Agencies (OPD) through the API: the same service functions and actions as the pages."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.accounts.services import create_token
from kotacerdas.regions.models import Agency

pytestmark = pytest.mark.django_db


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 't')[1]}"}


def test_an_operator_keeps_their_own_regions_agencies_through_the_api(reference_data, client, dave, erin):
    base = "/api/v1/regions/63.03/agencies"
    added = client.post(base, {"name": "Badan Perencanaan Pembangunan Daerah", "short_name": "Bappeda"},
                        content_type="application/json", **_bearer(dave))
    assert added.status_code == 200 and added.json()["short_name"] == "Bappeda"
    agency_id = added.json()["id"]
    twice = client.post(base, {"name": "badan perencanaan pembangunan daerah"}, content_type="application/json", **_bearer(dave))
    assert twice.status_code == 400 and "already has an agency" in str(twice.json())
    renamed = client.put(f"{base}/{agency_id}", {"name": "Bappelitbangda", "short_name": "Bappelitbangda"},
                         content_type="application/json", **_bearer(dave))
    assert renamed.json()["name"] == "Bappelitbangda"
    # Another region's operator neither adds nor removes here; everyone reads the names.
    assert client.post(base, {"name": "X"}, content_type="application/json", **_bearer(erin)).status_code == 404
    assert client.delete(f"{base}/{agency_id}", **_bearer(erin)).status_code == 404
    assert [a["name"] for a in client.get(base).json()] == ["Bappelitbangda"]
    assert client.delete(f"{base}/{agency_id}", **_bearer(dave)).json() == []
    assert len(client.post("/api/v1/regions/63.03/default-agencies", **_bearer(dave)).json()) > 5


def test_the_ministry_imports_agency_lists_and_a_bad_row_writes_nothing(reference_data, client, alice):
    def csv(text):
        return SimpleUploadedFile("opd.csv", text.encode())

    url = "/api/v1/regions/agencies/import"
    bad = client.post(url, {"file": csv("region_code,name\n63.03,Bappeda Banjar\n99.99,Bappeda Entah\n")}, **_bearer(alice))
    assert bad.status_code == 400 and "99.99" in str(bad.json()) and "3" in str(bad.json())
    assert not Agency.objects.exists()
    good = client.post(url, {"file": csv("region_code,name,short_name\n63.03,Bappeda Banjar,Bappeda\n63.04,Bappeda Barito Kuala,Bappeda\n")},
                       **_bearer(alice))
    assert good.json() == {"created": 2, "updated": 0}
