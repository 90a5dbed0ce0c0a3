"""Agency progress in an evaluation round: per region in scope, the programs of its adopted plan
planned by the round's year, those reported running or done, the implementation ratio per smart
city dimension and overall; a region without an adopted plan is flagged; the same on the page
and through the API, for the ministry, the region's operators and mentors only."""

from decimal import Decimal

import pytest

from kotacerdas.accounts.services import create_token
from kotacerdas.masterplans import services as plans
from kotacerdas.masterplans.tests.helpers import add_program, adopted_plan, make_mentor

from .helpers import BANJAR, BARITO_KUALA, TANAH_LAUT, make_round

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _programs(plan):
    return {p.owner_agency.kind.code: p for p in plan.programs.select_related("owner_agency__kind")}


def progress_round(dave):
    """Banjar's adopted plan (2026-2030: a governance quick win by Diskominfo, an environment
    program by DLH) with 2027's progress reported: governance running, environment still planned;
    Tanah Laut and Barito Kuala have no adopted plan."""
    plan = adopted_plan(BANJAR)
    programs = _programs(plan)
    plans.record_progress(programs["diskominfo"], 2027, status="running", realisation=40, user=dave)
    plans.record_progress(programs["dlh"], 2027, status="planned", user=dave)
    return make_round(2027, 1, codes=(BANJAR, BARITO_KUALA, TANAH_LAUT)), plan


def test_the_ratio_per_dimension_is_running_or_done_over_planned_and_a_region_without_plan_is_flagged(dave):
    from kotacerdas.evaluation.progress import round_progress

    evaluation, plan = progress_round(dave)
    rows = {row.region.code: row for row in round_progress(evaluation)}
    banjar = rows[BANJAR]
    assert banjar.plan == plan and (banjar.planned, banjar.reported, banjar.going, banjar.ratio) == (2, 2, 1, Decimal("50.00"))
    by_code = {d.code: (d.planned, d.going, d.ratio) for d in banjar.dimensions}
    assert by_code["GOV"] == (1, 1, Decimal("100.00")) and by_code["ENV"] == (1, 0, Decimal("0.00"))
    assert by_code["ECO"] == (0, 0, None)  # nothing planned: no ratio, not 0%
    assert [code for code, row in rows.items() if not row.has_plan] == [TANAH_LAUT, BARITO_KUALA]
    assert rows[TANAH_LAUT].ratio is None and rows[TANAH_LAUT].dimensions == []


def test_nine_of_ten_programs_running_or_done_give_90_percent(dave):
    from kotacerdas.evaluation.progress import round_progress
    from kotacerdas.masterplans.tests.helpers import make_plan

    plan = make_plan(BANJAR)
    for number in range(10):
        add_program(plan, name=f"Program {number}", element_code="GOV-PS", agency="diskominfo", start_year=2026, end_year=2030)
    plans.submit(plan)
    plans.forward(plan)
    plans.approve(plan)
    import datetime

    plan = plans.adopt(plan, regulation_kind="perbup", regulation_number="1/2026", regulation_date=datetime.date(2026, 1, 5))
    for number, program in enumerate(plan.programs.order_by("name")):
        plans.record_progress(program, 2028, status="stopped" if number == 0 else ("done" if number % 2 else "running"), user=dave)
    evaluation = make_round(2028, 1, codes=(BANJAR,))
    (banjar,) = round_progress(evaluation)
    assert (banjar.going, banjar.planned, banjar.ratio) == (9, 10, Decimal("90.00"))


def test_programs_starting_after_the_round_year_are_not_planned_yet(dave):
    from kotacerdas.evaluation.progress import round_progress

    evaluation, plan = progress_round(dave)
    # A later draft is not the adopted plan; programs of the adopted one starting in 2029 do not count in 2027.
    later = plans.new_version(plan)
    add_program(later, name="Program 2029", element_code="ECO-IN", agency="bappeda", start_year=2029, end_year=2030)
    (banjar,) = round_progress(evaluation, region_ids=[plan.region_id])
    assert banjar.plan == plan and banjar.planned == 2


def test_the_page_shows_each_role_its_regions(client, alice, bob, carol, dave, erin):
    evaluation, _plan = progress_round(dave)
    make_mentor(carol)
    url = f"/evaluation/{evaluation.pk}/progress/"
    seen = {}
    for name, user in {"ministry": alice, "assessor": bob, "mentor": carol, "operator": dave, "other operator": erin}.items():
        client.force_login(user)
        response = client.get(url)
        page = response.content.decode()
        seen[name] = (response.status_code, [code for code in (BANJAR, BARITO_KUALA, TANAH_LAUT) if f'data-region="{code}"' in page])
    assert seen == {"ministry": (200, [BANJAR, BARITO_KUALA, TANAH_LAUT]), "assessor": (403, []), "mentor": (200, [BANJAR]),
                    "operator": (200, [BANJAR]), "other operator": (200, [BARITO_KUALA])}
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "2 regions have no adopted master plan" in page and "50.00%" in page
    client.logout()
    assert client.get(url).status_code == 302


def test_an_operator_whose_region_is_not_in_the_round_finds_nothing(client, dave, erin):
    evaluation = make_round(2027, 1, codes=(BANJAR,))
    client.force_login(erin)
    assert client.get(f"/evaluation/{evaluation.pk}/progress/").status_code == 404


def test_the_api_mirrors_the_page(client, alice, bob, dave, erin):
    evaluation, plan = progress_round(dave)
    url = f"/api/v1/evaluation/rounds/{evaluation.pk}/progress"
    answer = client.get(url, HTTP_AUTHORIZATION=f"Bearer {create_token(alice, 't')[1]}").json()
    assert answer["count"] == 3
    banjar = next(item for item in answer["items"] if item["region_code"] == BANJAR)
    assert (banjar["has_plan"], banjar["plan_id"], banjar["planned"], banjar["going"], Decimal(banjar["ratio"])) == (True, plan.pk, 2, 1, Decimal("50.00"))
    governance = next(d for d in banjar["dimensions"] if d["code"] == "GOV")
    assert (governance["planned"], governance["going"], Decimal(governance["ratio"])) == (1, 1, Decimal("100.00"))
    assert [item["region_code"] for item in answer["items"] if not item["has_plan"]] == [TANAH_LAUT, BARITO_KUALA]
    operator = client.get(url, HTTP_AUTHORIZATION=f"Bearer {create_token(dave, 't')[1]}").json()
    assert [item["region_code"] for item in operator["items"]] == [BANJAR]
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {create_token(bob, 't')[1]}").status_code == 403
    assert client.get(url).status_code == 401
    assert client.get(f"/api/v1/evaluation/rounds/{evaluation.pk + 999}/progress",
                      HTTP_AUTHORIZATION=f"Bearer {create_token(alice, 't')[1]}").status_code == 404
