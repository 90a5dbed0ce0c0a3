"""Confirming a run invites its shortlist (with history) and exports the invitation list."""

import io

import pytest
from openpyxl import load_workbook

from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.screening.models import RunStatus
from kotacerdas.screening.services.runs import ScreeningError
from kotacerdas.screening.services.invitation import confirm_run

from .helpers import demo_phase, make_run


@pytest.fixture
def run(reference_data):
    return make_run(demo_phase(), shortlist_size=12)


def test_confirming_invites_the_shortlist_with_history(admin_client, admin_user, run):
    response = admin_client.post(f"/phases/2027/screening/{run.pk}/confirm/", {"confirm": "yes"})
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.CONFIRMED and run.confirmed_by == admin_user
    invited = Participation.objects.filter(phase=run.phase, status=ParticipationStatus.INVITED)
    assert set(invited.values_list("region_id", flat=True)) == set(run.results.filter(in_shortlist=True).values_list("region_id", flat=True))
    history = invited.first().history.first()
    assert history.history_user == admin_user and f"#{run.pk}" in history.history_change_reason


def test_a_second_run_of_the_phase_cannot_be_confirmed(run):
    confirm_run(run)
    with pytest.raises(ScreeningError):
        confirm_run(make_run(run.phase, shortlist_size=5))


def test_a_region_further_along_keeps_its_status(run):
    from kotacerdas.program.services import set_status

    first = run.results.filter(in_shortlist=True).select_related("region").first()
    set_status(first.region, run.phase, ParticipationStatus.ASSESSED, reason="test")
    confirm_run(run)
    assert Participation.objects.get(phase=run.phase, region=first.region).status == ParticipationStatus.ASSESSED


def test_the_invitation_list_is_an_xlsx_with_the_synthetic_notice(admin_client, run):
    response = admin_client.get(f"/phases/2027/screening/{run.pk}/invitations/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "Synthetic data" in rows[0][0]
    assert rows[1][:3] == ("rank", "code", "name") and len(rows) == 2 + 12


def test_only_the_ministry_confirms(client, run, role_users):
    client.force_login(role_users["assessor"])
    assert client.post(f"/phases/2027/screening/{run.pk}/confirm/").status_code in (403, 404)
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT


def test_the_run_page_exports_csv_with_the_notice(client, run):
    confirm_run(run)
    text = client.get(f"/phases/2027/screening/{run.pk}/?format=csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].strip('"').startswith("Synthetic data")
