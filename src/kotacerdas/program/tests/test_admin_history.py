"""The ministry's admin: every model's pages load, history is visible, and a participation's
status changes only within the program's rules and with a reason."""

import pytest
from django.urls import reverse

from kotacerdas.program.models import Participation, Phase, PhaseStage, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(reference_data):
    return Region.objects.kabkota().filter(participations__isnull=True).order_by("code").first()


def objects():
    return {
        "regions_region": Region.objects.get(code="63.71"),
        "program_phase": Phase.objects.get(year=2017),
        "program_participation": Participation.objects.filter(status=ParticipationStatus.SELECTED).order_by("pk").first(),
    }


@pytest.mark.parametrize("model", ["regions_region", "program_phase", "program_participation"])
def test_admin_pages_load(admin_client, reference_data, model):
    obj = objects()[model]
    for url in (
        reverse(f"admin:{model}_changelist"),
        reverse(f"admin:{model}_change", args=[obj.pk]),
        reverse(f"admin:{model}_history", args=[obj.pk]),
        reverse(f"admin:{model}_add"),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize(
    "query",
    [
        {"q": "banjar"},
        {"q": "63.71"},
        {"kind__exact": "kota"},
        {"island_group__exact": "kalimantan"},
        {"province__id__exact": "PROVINCE"},
    ],
)
def test_region_changelist_search_and_filters(admin_client, reference_data, query):
    province = Region.objects.get(code="63")
    query = {key: (str(province.pk) if value == "PROVINCE" else value) for key, value in query.items()}
    response = admin_client.get(reverse("admin:regions_region_changelist"), query)
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


def test_participation_changelist_filters_and_search(admin_client, reference_data):
    phase = Phase.objects.get(year=2018)
    url = reverse("admin:program_participation_changelist")
    response = admin_client.get(url, {"phase__id__exact": phase.pk, "status__exact": "selected"})
    assert response.context["cl"].result_count == 50
    response = admin_client.get(url, {"q": "Kota Jambi"})
    assert response.context["cl"].result_count == 1


def test_phase_change_page_has_the_stage_inline(admin_client, english, reference_data):
    phase = Phase.objects.get(year=2017)
    response = admin_client.get(reverse("admin:program_phase_change", args=[phase.pk]))
    assert "stages-TOTAL_FORMS" in response.content.decode()


def change_data(participation, status, reason, source=None):
    return {
        "status": status,
        "source": participation.source if source is None else source,
        "reason": reason,
    }


def test_status_change_is_kept_in_the_history_with_the_reason(admin_client, admin_user, english, newcomer):
    phase = Phase.objects.get(year=2018)
    participation = set_status(newcomer, phase, ParticipationStatus.ELIGIBLE, reason="screening")
    url = reverse("admin:program_participation_change", args=[participation.pk])
    response = admin_client.post(url, change_data(participation, ParticipationStatus.INVITED, "Ranked 12th in the 2018 screening"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.INVITED
    latest = participation.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == admin_user
    assert latest.history_change_reason == "Ranked 12th in the 2018 screening"

    history = admin_client.get(reverse("admin:program_participation_history", args=[participation.pk]))
    html = history.content.decode()
    assert "Ranked 12th in the 2018 screening" in html
    assert "ministry" in html  # who
    assert "invited" in html.lower()


def test_adding_a_participation_goes_through_the_service(admin_client, admin_user, newcomer):
    phase = Phase.objects.get(year=2018)
    response = admin_client.post(
        reverse("admin:program_participation_add"),
        {"phase": phase.pk, "region": newcomer.pk, "status": ParticipationStatus.ELIGIBLE, "source": "", "reason": "screening list"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    participation = Participation.objects.get(phase=phase, region=newcomer)
    record = participation.history.get()
    assert (record.history_user, record.history_change_reason) == (admin_user, "screening list")


def test_a_reason_is_required(admin_client, english, newcomer):
    phase = Phase.objects.get(year=2018)
    participation = set_status(newcomer, phase, ParticipationStatus.ELIGIBLE, reason="screening")
    url = reverse("admin:program_participation_change", args=[participation.pk])
    response = admin_client.post(url, change_data(participation, ParticipationStatus.INVITED, ""))
    assert response.status_code == 200
    assert "reason" in response.context["adminform"].form.errors
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ELIGIBLE
    assert participation.history.count() == 1


def test_the_form_refuses_selecting_beyond_the_quota(admin_client, english, newcomer):
    phase = Phase.objects.get(year=2017)
    participation = set_status(newcomer, phase, ParticipationStatus.ASSESSED, reason="assessed")
    url = reverse("admin:program_participation_change", args=[participation.pk])
    response = admin_client.post(url, change_data(participation, ParticipationStatus.SELECTED, "one more"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "already has 25 selected regions, its whole quota" in html
    participation.refresh_from_db()
    assert participation.status == ParticipationStatus.ASSESSED
    assert participation.history.count() == 1


def test_the_form_refuses_a_region_selected_earlier(admin_client, english, reference_data):
    selected = Participation.objects.filter(phase__year=2017, status=ParticipationStatus.SELECTED).order_by("pk").first().region
    phase = Phase.objects.get(year=2018)
    before = Participation.history.count()
    response = admin_client.post(
        reverse("admin:program_participation_add"),
        {"phase": phase.pk, "region": selected.pk, "status": ParticipationStatus.INVITED, "source": "", "reason": "invite"},
    )
    assert response.status_code == 200
    assert "was already selected in Tahap I 2017 and cannot be a candidate in Tahap II 2018" in response.content.decode()
    assert not Participation.objects.filter(phase=phase, region=selected).exists()
    assert Participation.history.count() == before


def test_participations_cannot_be_deleted_in_the_admin(admin_client, reference_data):
    participation = Participation.objects.order_by("pk").first()
    response = admin_client.get(reverse("admin:program_participation_delete", args=[participation.pk]))
    assert response.status_code == 403


def test_phase_and_stage_changes_are_in_their_history(admin_client, admin_user, english, reference_data):
    phase = Phase.objects.get(year=2019)
    url = reverse("admin:program_phase_change", args=[phase.pk])
    stage = phase.stages.get()
    data = {
        "year": phase.year,
        "name": phase.name,
        "quota": phase.quota,
        "invited_target": "150",
        "assessed_target": "",
        "selection_complete": "",
        "source": phase.source,
        "stages-TOTAL_FORMS": "1",
        "stages-INITIAL_FORMS": "1",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
        "stages-0-id": stage.pk,
        "stages-0-phase": phase.pk,
        "stages-0-stage": stage.stage,
        "stages-0-starts_on": "2019-05-15",
        "stages-0-ends_on": "2019-05-15",
        "stages-0-note": "MoU signed in Jakarta",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert PhaseStage.objects.get(pk=stage.pk).note == "MoU signed in Jakarta"
    assert stage.history.order_by("-history_id").first().history_user == admin_user
    latest = phase.history.order_by("-history_id").first()
    assert (latest.invited_target, latest.history_user) == (150, admin_user)
    html = admin_client.get(reverse("admin:program_phase_history", args=[phase.pk])).content.decode()
    assert "ministry" in html  # who
    assert "150" in html  # after
