"""The ministry creates a phase on its page (no admin), the phase page links each stage, and
each role's start page (and /api/v1/me/workspace) says what is theirs to do."""

import pytest

from kotacerdas.assessment.tests.helpers import small_panel
from kotacerdas.program.models import Phase


@pytest.fixture
def logged_in(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def test_the_new_phase_form_leaves_selection_complete_unticked(logged_in, alice):
    page = logged_in(alice).get("/phases/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="selection_complete"' in html
    assert 'name="selection_complete" checked' not in html and "checked" not in html.split('name="selection_complete"')[1].split(">")[0]


def test_the_ministry_creates_a_phase_and_lands_on_its_page(logged_in, alice):
    answer = logged_in(alice).post("/phases/new/", {"year": 2031, "name": "Tahap 2031", "quota": 30, "invited_target": 60, "assessed_target": 50})
    assert answer.status_code == 302 and answer["Location"] == "/phases/2031/"
    phase = Phase.objects.get(year=2031)
    assert phase.quota == 30 and phase.selection_complete is False
    page = logged_in(alice).get("/phases/2031/")
    assert page.status_code == 200
    html = page.content.decode()
    # The phase page links its screening, questionnaires and panel pages for the ministry.
    assert 'href="/phases/2031/screening/"' in html
    assert 'href="/assessment/panels/"' in html
    assert 'href="/questionnaires/forms/"' in html


@pytest.mark.parametrize("data, field", [
    ({"year": 2032, "name": "X", "quota": 0}, "quota"),
    ({"year": 2033, "name": "X", "quota": 5, "invited_target": 10, "assessed_target": 20}, "assessed_target"),
    ({"year": "", "name": "X", "quota": 5}, "year"),
])
def test_a_bad_phase_is_refused_naming_the_field_and_nothing_is_written(logged_in, alice, data, field):
    before = Phase.objects.count()
    answer = logged_in(alice).post("/phases/new/", data)
    assert answer.status_code == 400
    assert f'name="{field}"' in answer.content.decode() and 'class="error"' in answer.content.decode()
    assert Phase.objects.count() == before


def test_a_duplicate_year_is_refused(logged_in, alice):
    Phase.objects.create(year=2034, name="A", quota=3)
    answer = logged_in(alice).post("/phases/new/", {"year": 2034, "name": "B", "quota": 3})
    assert answer.status_code == 400
    assert Phase.objects.get(year=2034).name == "A"


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_only_the_ministry_may_create_a_phase(logged_in, role_users, role):
    client = logged_in(role_users[role])
    assert client.get("/phases/new/").status_code == 403
    assert client.post("/phases/new/", {"year": 2035, "name": "X", "quota": 3}).status_code == 403
    assert not Phase.objects.filter(year=2035).exists()


def test_the_public_phase_page_shows_no_ministry_link(client, reference_data):
    Phase.objects.create(year=2036, name="Tahap 2036", quota=3)
    html = client.get("/phases/2036/").content.decode()
    assert "/assessment/panels/" not in html and "/questionnaires/forms/" not in html
    assert 'href="/phases/2036/screening/"' in html
    # The export of the selected list still answers at the same address.
    assert client.get("/phases/2036/?format=csv").status_code == 200


def test_login_lands_on_the_start_page(client, alice):
    answer = client.post("/accounts/login/", {"username": "alice", "password": "a-long-password-1"})
    assert answer.status_code == 302 and answer["Location"] == "/start/"


def test_the_ministry_board_lists_phases_with_stage_states_and_a_next_action(logged_in, alice):
    Phase.objects.create(year=2037, name="Tahap 2037", quota=3)
    html = logged_in(alice).get("/start/").content.decode()
    assert "Tahap 2037" in html and 'href="/phases/new/"' in html
    assert 'data-stage="screening" class="next"' in html
    data = logged_in(alice).get("/api/v1/me/workspace").json()
    phase = next(p for p in data["phases"] if p["year"] == 2037)
    assert [s["key"] for s in phase["stages"]] == ["screening", "questionnaire", "assessment", "decision", "mou"]
    assert phase["stages"][0]["next"] is True and phase["stages"][0]["counts"] == {"runs": 0, "invited": 0}


def test_an_assessor_sees_the_candidates_still_to_score(logged_in, bob):
    from kotacerdas.assessment.models import PanelAssignment
    from kotacerdas.assessment.tests.conftest import score_all

    small_panel(bob)
    mine = list(PanelAssignment.objects.filter(assessor__user=bob))
    html = logged_in(bob).get("/start/").content.decode()
    assert html.count('data-todo="score"') == len(mine) > 0
    assert logged_in(bob).get("/api/v1/me/workspace").json()["candidates_to_score"] == len(mine)
    score_all(mine[0], 3)
    assert logged_in(bob).get("/api/v1/me/workspace").json()["candidates_to_score"] == len(mine) - 1


def test_an_operator_and_a_mentor_see_their_regions(logged_in, dave, carol):
    data = logged_in(dave).get("/api/v1/me/workspace").json()
    assert data["roles"] == ["operator"] and data["operated_regions"] == ["63.03"]
    assert data["open_questionnaires"] == 0 and data["returned_submissions"] == 0
    html = logged_in(dave).get("/start/").content.decode()
    assert "No questionnaire is open for your region." in html
    data = logged_in(carol).get("/api/v1/me/workspace").json()
    assert data["roles"] == ["mentor"] and "mentored_regions" in data


def test_the_workspace_api_wants_credentials(client, reference_data):
    assert client.get("/api/v1/me/workspace").status_code == 401
