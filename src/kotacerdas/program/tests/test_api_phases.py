"""GET /api/v1/phases and /api/v1/phases/{year}."""

import datetime

import pytest

from kotacerdas.program.models import Phase, PhaseStage, Stage, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db


def get(client, url):
    response = client.get(url)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


@pytest.fixture
def demo_phase(reference_data):
    phase = Phase.objects.create(
        year=2027, name="Tahap Demo 2027", quota=3, invited_target=5, assessed_target=4, is_demo=True
    )
    PhaseStage.objects.create(
        phase=phase, stage=Stage.SELECTION, starts_on=datetime.date(2027, 5, 10), ends_on=datetime.date(2027, 5, 14)
    )
    PhaseStage.objects.create(
        phase=phase, stage=Stage.SCREENING, starts_on=datetime.date(2027, 1, 11), ends_on=datetime.date(2027, 2, 12)
    )
    regions = list(
        Region.objects.kabkota().exclude(participations__status=ParticipationStatus.SELECTED).order_by("code")[:4]
    )
    set_status(regions[0], phase, ParticipationStatus.SELECTED, reason="demo", source="invented")
    set_status(regions[1], phase, ParticipationStatus.NOT_SELECTED, reason="demo")
    set_status(regions[2], phase, ParticipationStatus.INVITED, reason="demo")
    set_status(regions[3], phase, ParticipationStatus.INVITED, reason="demo")
    return phase


def test_list(client, reference_data):
    response = get(client, "/api/v1/phases")
    assert response.status_code == 200
    assert response.json() == [
        {
            "year": 2017,
            "name": "Tahap I 2017",
            "quota": 25,
            "invited_target": 80,
            "assessed_target": 80,
            "is_demo": False,
            "selection_complete": True,
            "selected_count": 25,
        },
        {
            "year": 2018,
            "name": "Tahap II 2018",
            "quota": 50,
            "invited_target": 165,
            "assessed_target": 120,
            "is_demo": False,
            "selection_complete": True,
            "selected_count": 50,
        },
        {
            "year": 2019,
            "name": "Tahap III 2019",
            "quota": 25,
            "invited_target": None,
            "assessed_target": None,
            "is_demo": False,
            "selection_complete": False,
            "selected_count": 6,
        },
    ]


def test_list_includes_a_demo_phase_flagged(client, demo_phase):
    phases = get(client, "/api/v1/phases").json()
    assert [phase["year"] for phase in phases] == [2017, 2018, 2019, 2027]
    assert phases[-1]["is_demo"] is True
    assert phases[-1]["selected_count"] == 1


def test_detail_of_a_real_phase(client, reference_data):
    body = get(client, "/api/v1/phases/2017").json()
    assert body["year"] == 2017
    assert body["quota"] == 25
    assert body["is_demo"] is False
    assert body["selection_complete"] is True
    assert body["source"]
    assert body["stages"] == [{"stage": "assessment", "starts_on": "2017-05-02", "ends_on": "2017-05-03"}]
    assert body["counts"] == {status: 0 for status in ParticipationStatus.values} | {"selected": 25}
    assert len(body["selected"]) == 25
    assert set(body["selected"][0]) == {"code", "name", "source"}
    codes = [region["code"] for region in body["selected"]]
    assert codes == sorted(codes)
    assert "Kota Jambi" in {region["name"] for region in body["selected"]}
    assert all(region["source"] for region in body["selected"])
    assert "notice" not in body


def test_detail_of_an_incomplete_phase(client, reference_data):
    body = get(client, "/api/v1/phases/2019").json()
    assert body["selection_complete"] is False
    assert body["counts"]["selected"] == 6
    assert len(body["selected"]) == 6
    assert body["invited_target"] is None


def test_detail_of_a_demo_phase_says_so(client, demo_phase, settings):
    settings.LANGUAGE_CODE = "en"
    body = get(client, "/api/v1/phases/2027").json()
    assert body["is_demo"] is True
    assert "demo" in body["notice"].lower()
    assert body["counts"] == {
        "eligible": 0,
        "ineligible": 0,
        "invited": 2,
        "assessed": 0,
        "selected": 1,
        "not_selected": 1,
        "withdrawn": 0,
    }
    # Stages come in the program's order, not in the order they were entered.
    assert [stage["stage"] for stage in body["stages"]] == ["screening", "selection"]
    assert body["selected"] == [
        {"code": body["selected"][0]["code"], "name": body["selected"][0]["name"], "source": "invented"}
    ]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/phases/abc", 422),
        ("/api/v1/phases/1999", 404),
        ("/api/v1/phases/-1", 422),
        ("/api/v1/phases/99999999999999999999", 422),
        ("/api/v1/phases/2017.5", 422),
    ],
)
def test_bad_years_are_json_errors(client, reference_data, url, status):
    response = get(client, url)
    assert response.status_code == status
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/nothing-here", "/api/v1/phases/2017/extra", "/api/v1/regions/63/children/x", "/api/v1/"],
)
def test_unknown_api_paths_are_json_404s(client, url, settings):
    assert settings.DEBUG is False
    response = get(client, url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"} or response.json()["detail"]
