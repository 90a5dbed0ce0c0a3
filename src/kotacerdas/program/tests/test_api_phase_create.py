"""Creating a phase through the API, the twin of the new-phase page: the same form, the
ministry only, every bad field named, nothing written on refusal."""

import pytest

from kotacerdas.accounts.tests.helpers import bearer
from kotacerdas.program.models import Phase

PHASE = {"year": 2033, "name": "Tahap 2033", "quota": 20, "invited_target": 60, "source": "Rencana"}


def test_the_ministry_creates_a_phase_with_its_list_incomplete(client, alice):
    response = client.post("/api/v1/phases", PHASE, content_type="application/json", **bearer(alice))
    assert response.status_code == 201, response.content
    assert response.json()["selection_complete"] is False and response.json()["year"] == 2033
    phase = Phase.objects.get(year=2033)
    assert (phase.quota, phase.invited_target, phase.is_demo) == (20, 60, False)
    assert client.get("/api/v1/phases/2033").status_code == 200


def test_a_year_already_taken_and_a_negative_quota_are_named(client, alice):
    taken = client.post("/api/v1/phases", {**PHASE, "year": 2017}, content_type="application/json", **bearer(alice))
    assert taken.status_code == 400 and {e["field"] for e in taken.json()["errors"]} == {"year"}
    negative = client.post("/api/v1/phases", {**PHASE, "quota": -1}, content_type="application/json", **bearer(alice))
    assert negative.status_code == 400 and {e["field"] for e in negative.json()["errors"]} == {"quota"}
    assert not Phase.objects.filter(year=2033).exists()


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_only_the_ministry_creates_phases(client, role_users, role):
    response = client.post("/api/v1/phases", PHASE, content_type="application/json", **bearer(role_users[role]))
    assert response.status_code == 403 and not Phase.objects.filter(year=2033).exists()
