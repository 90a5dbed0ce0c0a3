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


def test_a_phase_run_before_the_platform_shows_its_published_history_not_work_to_start(logged_in, alice):
    html = logged_in(alice).get("/start/").content.decode()
    board_2017 = html.split('data-link="phase-2017"')[1].split("</table>")[0]
    assert "not started" not in board_2017 and 'class="next"' not in board_2017
    assert "held before the platform" in board_2017 and "invited: 80" in board_2017
    assert "Makassar" in board_2017  # the national MoU event of 2017
    phase = next(p for p in logged_in(alice).get("/api/v1/me/workspace").json()["phases"] if p["year"] == 2017)
    assert all(stage["done"] and not stage["next"] for stage in phase["stages"])
    assert phase["stages"][0]["counts"] == {"invited": 80}
    page = logged_in(alice).get("/phases/2017/").content.decode()
    assert 'data-note="historical"' in page and "not started" not in page
    assert "Invited (published figure)" in page


def test_a_real_phase_run_on_the_platform_is_not_taken_for_a_historical_one(logged_in, alice):
    from kotacerdas.program.models import ParticipationStatus
    from kotacerdas.program.services import set_status
    from kotacerdas.regions.models import Region
    from kotacerdas.screening.demo import load_demo_indicators
    from kotacerdas.screening.tests.helpers import make_run

    phase = Phase.objects.create(year=2038, name="Tahap 2038", quota=3)
    set_status(Region.objects.get(code="63.05"), phase, ParticipationStatus.SELECTED, reason="recorded by hand")
    # Selected regions and nothing run here: the published history of a phase run elsewhere.
    assert 'data-note="historical"' in logged_in(alice).get("/phases/2038/").content.decode()
    load_demo_indicators()
    make_run(phase, samples=50)
    html = logged_in(alice).get("/phases/2038/").content.decode()
    assert 'data-note="historical"' not in html and "runs made" in html


def test_the_phase_list_links_each_published_decision(client, reference_data, bob):
    import datetime

    from kotacerdas.assessment import selection as selecting
    from kotacerdas.assessment.models import PanelState
    from kotacerdas.assessment.services.panel_setup import set_state
    from kotacerdas.assessment.tests.conftest import score_all

    panel, assignments = small_panel(bob)
    html = client.get("/phases/").content.decode()
    year = panel.phase.year
    assert f'data-link="decision-{year}"' not in html
    assert f'<td data-decision="{year}">not published</td>' in html
    # The phases run before the platform link their published list.
    assert 'href="/phases/2018/#selected" data-link="decision-2018"' in html

    for assignment in assignments.values():
        score_all(assignment, 3)
    set_state(panel, PanelState.CLOSED)
    Phase.objects.filter(pk=panel.phase.pk).update(quota=1)
    selecting.confirm_selection(selecting.propose_selection(panel, {}), letter_number="B-1", letter_date=datetime.date(2027, 5, 14))
    html = client.get("/phases/").content.decode()
    assert f'href="/assessment/decisions/{year}/" data-link="decision-{year}"' in html
    assert client.get(f"/assessment/decisions/{year}/").status_code == 200


def test_an_operator_sees_the_bimtek_outputs_due_from_the_region(logged_in, dave):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from kotacerdas.mentoring import services as mentoring
    from kotacerdas.mentoring.tests.helpers import BANJAR, region, small_cohort

    cohort, _mentors, _assignments = small_cohort()
    today = timezone.localdate()
    second = cohort.bimteks.get(number=2)
    # Held a month ago: its outputs were due 14 days after it ended.
    mentoring.schedule_bimtek(second, starts_on=today - datetime.timedelta(days=31), ends_on=today - datetime.timedelta(days=30), place="Martapura")
    outputs = list(second.outputs.all())
    assert outputs
    data = logged_in(dave).get("/api/v1/me/workspace").json()
    assert data["bimtek_outputs_due"] == 1 and data["bimtek_outputs_overdue"] == 1
    html = logged_in(dave).get("/start/").content.decode()
    row = html.split('data-todo="bimtek-output"')[1].split("</tr>")[0]
    assert f'href="/mentoring/{cohort.phase.year}/regions/{BANJAR}/"' in row and f"<td class=\"number\">{len(outputs)}</td>" in row
    assert 'class="overdue"' in html
    for output in outputs:
        mentoring.upload_output(output, region(BANJAR), SimpleUploadedFile("hasil.pdf", b"%PDF-1.4\n"))
    assert logged_in(dave).get("/api/v1/me/workspace").json()["bimtek_outputs_due"] == 0


def test_an_operator_sees_what_the_master_plan_waits_for(logged_in, dave, carol):
    import datetime

    from django.utils import timezone

    from kotacerdas.masterplans import services as plans
    from kotacerdas.masterplans.tests.helpers import add_program, make_mentor, make_plan
    from kotacerdas.mentoring.tests.helpers import small_cohort

    def tasks():
        return logged_in(dave).get("/api/v1/me/workspace").json()["master_plan_tasks"]

    assert tasks() == []  # Banjar is selected in no phase with mentoring yet
    small_cohort(carol)
    assert tasks() == [{"region": "63.03", "kind": "start"}]
    assert 'href="/masterplans/regions/63.03/"' in logged_in(dave).get("/start/").content.decode()

    year = timezone.localdate().year
    plan = make_plan("63.03", start_year=year, end_year=year + 4)
    assert tasks() == [{"region": "63.03", "kind": "draft"}]
    add_program(plan)
    add_program(plan, name="Bank sampah digital", element_code="ENV-PS", agency="dlh")
    plans.submit(plan)
    assert tasks() == []  # with the mentors now
    make_mentor(carol)
    plans.add_comment(plan, author=carol, body="Tambahkan target tahunan.")
    plans.return_plan(plan)
    assert tasks() == [{"region": "63.03", "kind": "returned"}]
    html = logged_in(dave).get("/start/").content.decode()
    assert "Returned for changes: 1 open review comments to answer" in html

    for comment in plan.comments.all():
        plans.resolve_comment(comment)
    plans.submit(plan)
    plans.forward(plan)
    plans.approve(plan)
    plan = plans.adopt(plan, regulation_kind="perbup", regulation_number="7/2026", regulation_date=datetime.date(year, 1, 2))
    assert tasks() == [{"region": "63.03", "kind": "progress"}]
    html = logged_in(dave).get("/start/").content.decode()
    assert f"Progress of {year} to report: 2 of 2 running programs." in html
    assert f'href="/masterplans/{plan.pk}/progress/?year={year}"' in html
    for program in plan.programs.all():
        plans.record_progress(program, year, status="running", realisation=40)
    assert tasks() == []


@pytest.mark.indonesian
def test_a_refused_page_says_so_in_indonesian_with_a_way_back(client, dave):
    client.cookies["django_language"] = "id"
    client.force_login(dave)
    answer = client.get("/phases/new/")
    assert answer.status_code == 403
    html = answer.content.decode()
    assert "Tidak diizinkan" in html and 'href="/start/"' in html and "Forbidden" not in html
    assert client.get("/phases/new/", HTTP_ACCEPT="application/json").json() == {"detail": "Tidak diizinkan"}
