"""The ministry's screening writes through the API, twins of the rules, checklist, new-run and
confirm pages: the same service functions, the same permission, the one error shape naming the
field (or the entry of a list, or the row and column of a file), nothing written on refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.accounts.tests.helpers import bearer
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.screening.demo import DEMO_CRITERIA, DEMO_DATA_YEAR
from kotacerdas.screening.models import AdministrativeCheck, EligibilityRule, RuleKind, RunStatus, ScreeningRun

from .helpers import make_run

RULES = "/api/v1/phases/2027/eligibility-rules"
RUNS = "/api/v1/phases/2027/screening-runs"


@pytest.fixture
def requirement(phase):
    return EligibilityRule.objects.create(phase=phase, kind=RuleKind.REQUIREMENT, requirement="SK tim smart city")


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", **bearer(user))


def fields(response):
    return {item["field"] for item in response.json()["errors"]}


# --- rules --------------------------------------------------------------------------------------

def test_the_ministry_adds_a_threshold_rule(client, phase, alice):
    response = post(client, RULES, {"kind": "threshold", "indicator": "ipm", "operator": ">=", "threshold": 60}, alice)
    assert response.status_code == 201, response.content
    rule = EligibilityRule.objects.get(phase=phase)
    assert (rule.indicator.code, rule.operator, rule.threshold) == ("ipm", ">=", 60.0)
    assert response.json()["id"] == rule.pk and response.json()["failing_now"] >= 0


def test_a_threshold_outside_the_indicators_range_names_the_field_and_adds_nothing(client, phase, alice):
    response = post(client, RULES, {"kind": "threshold", "indicator": "ipm", "operator": ">=", "threshold": 1000}, alice)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and fields(response) == {"threshold"} and "outside the valid range" in body["detail"]
    assert not EligibilityRule.objects.filter(phase=phase).exists()


def test_an_unknown_indicator_is_named(client, phase, alice):
    response = post(client, RULES, {"kind": "threshold", "indicator": "nope", "operator": ">="}, alice)
    assert response.status_code == 400 and fields(response) == {"indicator"}


def test_the_ministry_adds_and_removes_a_requirement(client, phase, alice):
    response = post(client, RULES, {"kind": "requirement", "requirement": "Surat minat"}, alice)
    assert response.status_code == 201
    rule_id = response.json()["id"]
    again = post(client, RULES, {"kind": "requirement", "requirement": "surat minat"}, alice)
    assert again.status_code == 400 and fields(again) == {"requirement"}
    assert client.delete(f"{RULES}/{rule_id}", **bearer(alice)).status_code == 204
    assert not EligibilityRule.objects.filter(pk=rule_id).exists()
    assert client.delete(f"{RULES}/{rule_id}", **bearer(alice)).status_code == 404


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_no_other_role_changes_the_rules(client, phase, requirement, role_users, role):
    user = role_users[role]
    assert post(client, RULES, {"kind": "requirement", "requirement": "X"}, user).status_code == 403
    assert client.delete(f"{RULES}/{requirement.pk}", **bearer(user)).status_code == 403
    assert post(client, RULES, {"kind": "requirement", "requirement": "X"}, user).json()["code"] == "permission_denied"
    assert EligibilityRule.objects.filter(phase=phase).count() == 1


def test_without_a_token_the_answer_is_401(client, phase):
    response = client.post(RULES, {"kind": "requirement", "requirement": "X"}, content_type="application/json")
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_rules_are_locked_once_a_run_is_confirmed(client, phase, alice):
    make_run(phase, confirm=True, samples=0)
    requirement = EligibilityRule.objects.create(phase=phase, kind=RuleKind.REQUIREMENT, requirement="SK")
    response = post(client, RULES, {"kind": "requirement", "requirement": "Another"}, alice)
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert client.delete(f"{RULES}/{requirement.pk}", **bearer(alice)).status_code == 409
    checklist = client.put(f"{RULES}/{requirement.pk}/checklist", {"checks": [{"region_code": "63.03", "met": True}]},
                           content_type="application/json", **bearer(alice))
    assert checklist.status_code == 409
    assert EligibilityRule.objects.filter(phase=phase).count() == 1 and not AdministrativeCheck.objects.exists()


# --- checklists ---------------------------------------------------------------------------------

def put_checks(client, rule, checks, user):
    return client.put(f"{RULES}/{rule.pk}/checklist", {"checks": checks}, content_type="application/json", **bearer(user))


def test_the_ministry_records_a_checklist(client, requirement, alice):
    response = put_checks(client, requirement, [{"region_code": "63.03", "met": True, "note": "SK 2026"},
                                                {"region_code": "63.04", "met": False}], alice)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 2
    checks = {c.region.code: (c.met, c.note) for c in AdministrativeCheck.objects.filter(rule=requirement)}
    assert checks == {"63.03": (True, "SK 2026"), "63.04": (False, "")}
    # An entry without a note keeps the stored note.
    response = put_checks(client, requirement, [{"region_code": "63.03", "met": False},
                                                {"region_code": "63.04", "met": False, "note": "belum"}], alice)
    assert response.json()["changed"] == 2
    checks = {c.region.code: (c.met, c.note) for c in AdministrativeCheck.objects.filter(rule=requirement)}
    assert checks == {"63.03": (False, "SK 2026"), "63.04": (False, "belum")}


def test_a_bad_entry_is_named_by_its_index_and_nothing_is_written(client, requirement, alice):
    response = put_checks(client, requirement, [{"region_code": "63.03", "met": True},
                                                {"region_code": "63", "met": True},
                                                {"region_code": "63.03", "met": False}], alice)
    assert response.status_code == 400
    assert fields(response) == {"checks.1.region_code", "checks.2.region_code"}
    assert not AdministrativeCheck.objects.exists()


def test_a_threshold_rule_has_no_checklist(client, phase, alice):
    rule = make_threshold(phase)
    assert put_checks(client, rule, [{"region_code": "63.03", "met": True}], alice).status_code == 404


def make_threshold(phase):
    from kotacerdas.indicators.models import Indicator
    from kotacerdas.screening import rules

    return rules.add_threshold(phase, indicator=Indicator.objects.get(code="ipm"), operator=">=", threshold=50)


def test_the_ministry_imports_a_checklist_file_and_a_bad_cell_is_named(client, requirement, alice):
    good = SimpleUploadedFile("c.csv", b"region_code,met,note\n63.03,ya,ok\n63.04,tidak,\n")
    response = client.post(f"{RULES}/{requirement.pk}/checklist/import", {"file": good}, **bearer(alice))
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == 2 and AdministrativeCheck.objects.filter(rule=requirement).count() == 2
    bad = SimpleUploadedFile("c.csv", b"region_code,met\n63.05,mungkin\n")
    response = client.post(f"{RULES}/{requirement.pk}/checklist/import", {"file": bad}, **bearer(alice))
    assert response.status_code == 400
    assert fields(response) == {"met"} and "row 2" in response.json()["detail"]
    assert AdministrativeCheck.objects.filter(rule=requirement).count() == 2
    wrong_kind = SimpleUploadedFile("c.pdf", b"%PDF")
    response = client.post(f"{RULES}/{requirement.pk}/checklist/import", {"file": wrong_kind}, **bearer(alice))
    assert response.status_code == 400 and fields(response) == {"file"}


def test_an_operator_may_not_record_a_checklist(client, requirement, dave):
    assert put_checks(client, requirement, [{"region_code": "63.03", "met": True}], dave).status_code == 403
    assert not AdministrativeCheck.objects.exists()


# --- runs ---------------------------------------------------------------------------------------

RUN = {"criteria": list(DEMO_CRITERIA), "weights": list(DEMO_CRITERIA.values()), "data_year": DEMO_DATA_YEAR,
       "shortlist_size": 80, "seed": 7, "samples": 0, "label": "API"}


def test_the_ministry_creates_and_confirms_a_run(client, phase, alice):
    response = post(client, RUNS, RUN, alice)
    assert response.status_code == 201, response.content
    run = ScreeningRun.objects.get(pk=response.json()["id"])
    assert run.status == RunStatus.DRAFT and run.label == "API" and run.seed == 7
    assert client.get(f"{RUNS}/{run.pk}").status_code == 404  # a draft is the ministry's
    response = post(client, f"{RUNS}/{run.pk}/confirm", {}, alice)
    assert response.status_code == 200 and response.json()["status"] == RunStatus.CONFIRMED
    invited = Participation.objects.filter(phase=phase, status=ParticipationStatus.INVITED).count()
    assert invited == run.results.filter(in_shortlist=True).count() > 0
    second = post(client, RUNS, RUN, alice).json()["id"]
    refused = post(client, f"{RUNS}/{second}/confirm", {}, alice)
    assert refused.status_code == 409 and f"#{run.pk}" in refused.json()["detail"]


def test_a_run_with_an_unknown_criterion_is_refused_and_nothing_is_stored(client, phase, alice):
    response = post(client, RUNS, {**RUN, "criteria": ["ipm", "nope"], "weights": [1, 1]}, alice)
    assert response.status_code == 400 and "nope" in response.json()["detail"]
    missing = post(client, RUNS, {"weights": [1]}, alice)
    assert missing.status_code == 422 and fields(missing) == {"criteria"}
    assert not ScreeningRun.objects.exists()


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_only_the_ministry_runs_and_confirms(client, phase, role_users, role):
    run = make_run(phase, samples=0)
    assert post(client, RUNS, RUN, role_users[role]).status_code == 403
    assert post(client, f"{RUNS}/{run.pk}/confirm", {}, role_users[role]).status_code == 403
    assert ScreeningRun.objects.get().status == RunStatus.DRAFT
