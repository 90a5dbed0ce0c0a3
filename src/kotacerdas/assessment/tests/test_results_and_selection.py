"""Results (raw, calibrated, agreement, outliers), selection with spread and tie rules, the
confirmed decision (statuses with history, PDF, public page, CSV, API) and MoUs."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from kotacerdas.assessment import selection as selecting
from kotacerdas.assessment.services import allocation, assessor_pool, outcomes, panel_setup
from kotacerdas.assessment.services import AssessmentRefused
from kotacerdas.assessment.models import PanelAssignment, PanelState
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region

from .conftest import score_all

# Six candidates in different island groups and kinds (codes of 2025).
CODES = ["11.01", "11.72", "32.02", "32.78", "51.01", "73.72"]


@pytest.fixture
def closed_panel(bob):
    from kotacerdas.assessment.tests.helpers import small_panel

    panel, _ = small_panel(bob, state=PanelState.PREPARING)
    panel.assignments.all().delete()
    phase = panel.phase
    phase.quota = 3
    phase.save()
    for code in ("63.01", "63.04"):
        Participation.objects.filter(phase=phase, region__code=code).delete()
    regions = [Region.objects.get(code=code) for code in CODES]
    for region in regions:
        set_status(region, phase, ParticipationStatus.INVITED, reason="test")
    users = [get_user_model().objects.create_user(f"rater{i}", f"r{i}@example.org", "x-long-password-1") for i in range(3)]
    assessors = [assessor_pool.register_assessor(u, institution="UI") for u in users]
    panel.per_candidate = 3
    panel.save()
    allocation.assign_panel(panel, assessors=assessors)
    panel_setup.set_state(panel, PanelState.SCORING)
    # Scores 5, 4, 3, 3, 2, 1 for the candidates in CODES order, the same from every rater.
    values = dict(zip(CODES, [5, 4, 3, 3, 2, 1]))
    for assignment in PanelAssignment.objects.filter(panel=panel).select_related("region"):
        score_all(assignment, values[assignment.region.code])
    panel_setup.set_state(panel, PanelState.CLOSED)
    return panel


def test_results_give_raw_and_calibrated_scores_and_agreement(closed_panel):
    results = outcomes.compute_results(closed_panel)
    by_code = {c.region.code: c for c in results.candidates}
    assert by_code["11.01"].raw == pytest.approx(5.0) and by_code["73.72"].raw == pytest.approx(1.0)
    assert by_code["11.01"].rank == 1 and by_code["32.02"].rank == by_code["32.78"].rank == 3
    assert all(alpha == pytest.approx(1.0) and not low for _a, alpha, low in results.aspects)
    assert results.components == {"questionnaire": False, "screening": False}
    assert not any(flagged for *_rest, flagged, _n in results.assessors)


def test_the_plain_ranking_fills_the_quota_with_ties_broken_by_the_stated_rule(closed_panel):
    selection = selecting.propose_selection(closed_panel, {})
    chosen = [r["code"] for r in selection.snapshot["rows"] if r["selected"]]
    # 32.02 and 32.78 tie (3.0); equal calibrated scores, so the lower code wins.
    assert chosen == ["11.01", "11.72", "32.02"]
    # Stored with the decision in the program language (Indonesian).
    assert "kode wilayah yang lebih kecil" in selection.snapshot["tie_break"]


def test_one_per_island_group_displaces_the_weakest_and_says_whom(closed_panel):
    phase = closed_panel.phase
    phase.quota = 4
    phase.save()
    selection = selecting.propose_selection(closed_panel, {"min_per_island_group": 1})
    chosen = [r["code"] for r in selection.snapshot["rows"] if r["selected"]]
    assert sorted(chosen) == ["11.01", "32.02", "51.01", "73.72"]
    displaced = {rule["key"]: (rule["displaced"], rule["brought_in"]) for rule in selection.snapshot["rules"]}
    assert displaced["island:bali_nusa_tenggara"] == (["32.78"], ["51.01"])
    assert displaced["island:sulawesi"] == (["11.72"], ["73.72"])
    assert displaced["island:sumatra"] == ([], [])


def test_rules_that_cannot_hold_are_refused(closed_panel):
    with pytest.raises(AssessmentRefused, match="No selection"):
        selecting.propose_selection(closed_panel, {"min_per_island_group": 1})


def test_a_kota_balance_rule_brings_in_a_kota_and_names_the_displaced(closed_panel):
    # Kota among the candidates: 11.72, 32.78, 73.72; kabupaten: 11.01, 32.02, 51.01.
    selection = selecting.propose_selection(closed_panel, {"min_kota": 2})
    chosen = [r["code"] for r in selection.snapshot["rows"] if r["selected"]]
    assert sorted(chosen) == ["11.01", "11.72", "32.78"]
    rule = selection.snapshot["rules"][0]
    assert rule["displaced"] == ["32.02"] and rule["brought_in"] == ["32.78"]


def test_confirming_sets_statuses_with_history_and_publishes_the_decision(client, alice, closed_panel):
    selection = selecting.propose_selection(closed_panel, {})
    selection = selecting.confirm_selection(selection, letter_number="B-1/2027", letter_date=datetime.date(2027, 5, 14), user=alice)
    phase = closed_panel.phase
    statuses = dict(Participation.objects.filter(phase=phase).values_list("region__code", "status"))
    assert [c for c, s in statuses.items() if s == ParticipationStatus.SELECTED] == ["11.01", "11.72", "32.02"]
    assert sum(s == ParticipationStatus.NOT_SELECTED for s in statuses.values()) == 3
    history = Participation.objects.get(phase=phase, region__code="11.01").history.all()
    assert [h.status for h in history[:2]] == ["selected", "assessed"] and history[0].history_user == alice
    with pytest.raises(AssessmentRefused):
        selecting.confirm_selection(selection, letter_number="again", letter_date=datetime.date(2027, 5, 15))

    page = client.get("/assessment/decisions/2027/").content.decode()
    assert "B-1/2027" in page and "Demo phase" in page
    csv = client.get("/assessment/decisions/2027/?format=csv").content.decode("utf-8-sig")
    assert "11.01" in csv and "32.78" not in csv
    api = client.get("/api/v1/phases/2027").json()
    assert sorted(r["code"] for r in api["selected"]) == ["11.01", "11.72", "32.02"]
    decision = client.get("/api/v1/assessment/2027/decision").json()
    assert decision["letter_number"] == "B-1/2027" and len(decision["selected"]) == 3

    source = selecting.decision_typst(selection)
    names = [Region.objects.get(code=c).name for c in ("11.01", "11.72", "32.02")]
    assert all(name in source for name in names) and "B\\-1\\/2027" in source
    pdf = client.get("/assessment/decisions/2027/decision.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_no_decision_is_published_before_confirmation(client, closed_panel):
    selecting.propose_selection(closed_panel, {})
    assert client.get("/assessment/decisions/2027/").status_code == 404
    assert client.get("/api/v1/assessment/2027/decision").status_code == 404


def test_results_export_as_xlsx(client, alice, closed_panel):
    client.force_login(alice)
    response = client.get("/assessment/panels/2027/results/?format=xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"


def test_an_mou_is_recorded_for_a_selected_region_only(alice, closed_panel):
    from django.core.files.base import ContentFile

    selection = selecting.propose_selection(closed_panel, {})
    selecting.confirm_selection(selection, letter_number="B-1", letter_date=datetime.date(2027, 5, 14))
    phase = closed_panel.phase
    mou = selecting.record_mou(
        phase, Region.objects.get(code="11.01"), signed_on=datetime.date(2027, 6, 1), place="Jakarta",
        number="MoU-1", signatories="Bupati\nMenteri", document=ContentFile(b"%PDF-1.4", name="mou.pdf"), user=alice,
    )
    assert mou.document.name.endswith(".pdf")
    # Only a PDF by its content, stored under a generated name (not the uploader's).
    assert "mou" not in mou.document.name.rsplit("/", 1)[1]
    from django.core.exceptions import ValidationError

    for bad in (ContentFile(b"<html><script>alert(1)</script>", name="mou.pdf"), ContentFile(b"<svg/>", name="mou.svg")):
        with pytest.raises(ValidationError):
            selecting.record_mou(phase, Region.objects.get(code="11.01"), signed_on=datetime.date(2027, 6, 1), place="Jakarta",
                                 number="MoU-1", signatories="x", document=bad, user=alice)
    with pytest.raises(AssessmentRefused):
        selecting.record_mou(
            phase, Region.objects.get(code="73.72"), signed_on=datetime.date(2027, 6, 1), place="Jakarta",
            number="MoU-2", signatories="x",
        )


def test_the_signed_mou_is_downloaded_by_the_ministry_and_the_regions_operator_only(client, alice, bob, dave, closed_panel):
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from kotacerdas.accounts.models import RoleGrant

    selection = selecting.propose_selection(closed_panel, {})
    selecting.confirm_selection(selection, letter_number="B-1", letter_date=datetime.date(2027, 5, 14))
    mou = selecting.record_mou(
        closed_panel.phase, Region.objects.get(code="11.01"), signed_on=datetime.date(2027, 6, 1), place="Jakarta",
        number="MoU-1", signatories="Bupati\nMenteri", document=ContentFile(b"%PDF-1.4 signed", name="mou.pdf"), user=alice,
    )
    operator = get_user_model().objects.create_user("op1101", "op1101@example.org", "a-long-password-1")
    RoleGrant.objects.create(user=operator, role="operator", region=Region.objects.get(code="11.01"))
    url = f"/assessment/mou/{mou.pk}/document/"

    client.force_login(alice)
    page = client.get("/assessment/panels/2027/mou/").content.decode()
    assert url in page and "/media/" not in page
    for user in (alice, operator):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 signed"
        assert response["Content-Disposition"].startswith("attachment") and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(dave)  # the operator of another region: as if it did not exist
    assert client.get(url).status_code == 404
    client.force_login(bob)  # an assessor
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
