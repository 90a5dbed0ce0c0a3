"""Programs: the horizon rule, the plan's period, quick wins, budgets and agency-scoped grants."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.masterplans import services
from kotacerdas.masterplans.models import horizon_for

from .helpers import add_program, agencies_of, element, make_plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "start, end, horizon",
    [(2026, 2026, "short"), (2026, 2027, "medium"), (2026, 2030, "medium"), (2026, 2031, "long"), (2026, 2035, "long"),
     (2026, 2036, None), (2027, 2026, None)],
)
def test_the_horizon_follows_from_the_span_of_years(start, end, horizon):
    assert horizon_for(start, end) == horizon


def test_a_saved_program_carries_the_horizon_of_its_years_whatever_is_given(english):
    plan = make_plan(start_year=2026, end_year=2035)
    assert add_program(plan, start_year=2026, end_year=2026).horizon == "short"
    assert add_program(plan, name="b", start_year=2026, end_year=2030, horizon="short").horizon == "medium"
    assert add_program(plan, name="c", start_year=2026, end_year=2035).horizon == "long"


def test_a_program_outside_the_plan_period_or_over_ten_years_is_refused(english):
    plan = make_plan(start_year=2026, end_year=2030)
    with pytest.raises(ValidationError) as refused:
        add_program(plan, start_year=2025, end_year=2026)
    assert "within the plan's period 2026–2030" in str(refused.value.message_dict["start_year"])
    with pytest.raises(ValidationError) as refused:
        add_program(plan, start_year=2028, end_year=2027)
    assert "end year comes before" in str(refused.value.message_dict["end_year"])
    assert plan.programs.count() == 0


def test_a_quick_win_needs_its_visible_result_and_due_date(english):
    plan = make_plan()
    with pytest.raises(ValidationError) as refused:
        add_program(plan, quick_win=True, visible_result="", due_date=None)
    assert set(refused.value.message_dict) == {"visible_result", "due_date"}


def test_budget_years_must_lie_within_the_program_and_sources_are_known(english):
    plan = make_plan()
    with pytest.raises(ValidationError) as refused:
        add_program(plan, start_year=2026, end_year=2027, budgets=[(2028, "apbd", 1), (2026, "lottery", 5)])
    messages = " ".join(refused.value.message_dict["budgets"])
    assert "2028 is outside" in messages and "Unknown budget source lottery" in messages


def test_an_agency_of_another_region_cannot_own_a_program(english):
    plan = make_plan()
    other = agencies_of("63.04")["dlh"]
    with pytest.raises(ValidationError) as refused:
        services.save_program(plan, {"name": "x", "element": element("ENV-PS"), "owner_agency": other, "start_year": 2026, "end_year": 2026})
    assert "owner_agency" in refused.value.message_dict


def test_an_operator_with_an_agency_grant_edits_only_that_agencys_programs(dave, english):
    plan = make_plan()
    agencies = agencies_of()
    theirs = add_program(plan, name="Sistem informasi kesehatan", element_code="LIV-KS", agency="dinkes")
    RoleGrant.objects.filter(user=dave).update(agency=agencies["diskominfo"])
    assert services.operator_agencies(dave, plan.region) == {agencies["diskominfo"].pk}
    add_program(plan, name="Satu data", element_code="GOV-KP", agency="diskominfo", user=dave)
    with pytest.raises(ValidationError, match="your own agency"):
        add_program(plan, name="Puskesmas online", element_code="LIV-KS", agency="dinkes", user=dave)
    with pytest.raises(ValidationError, match="your own agency"):
        services.delete_program(theirs, user=dave)
    with pytest.raises(ValidationError, match="your own agency"):
        services.update_plan(plan, {"vision": "x"}, user=dave)
    RoleGrant.objects.create(user=dave, role=Role.OPERATOR, region=plan.region)
    assert services.operator_agencies(dave, plan.region) is None


def test_coverage_flags_elements_without_programs_and_dimensions_without_quick_wins(english):
    plan = make_plan()
    add_program(plan, element_code="GOV-PS", quick_win=True, budgets=[(2026, "apbd", 300), (2026, "csr", 200)])
    add_program(plan, name="b", element_code="ENV-PS")
    rows = {row["dimension"].code: row for row in services.coverage(plan)}
    assert len(rows) == 6 and all(len(row["cells"]) == 3 for row in rows.values())
    assert rows["GOV"]["has_quick_win"] and not rows["ENV"]["has_quick_win"]
    assert {c["element"].code: (c["programs"], c["budget"]) for c in rows["GOV"]["cells"]}["GOV-PS"] == (1, 500)
    assert [e.code for e in services.element_gaps(plan)] == [
        "GOV-BM", "GOV-KP", "BRA-PW", "BRA-BS", "BRA-WK", "ECO-IN", "ECO-KR", "ECO-TK", "LIV-TR", "LIV-KS", "LIV-MB",
        "SOC-KM", "SOC-EB", "SOC-KA", "ENV-PL", "ENV-PE",
    ]
    assert [d.code for d in services.quick_win_gaps(plan)] == ["BRA", "ECO", "LIV", "SOC", "ENV"]
    from kotacerdas.masterplans import charts

    svg = charts.coverage_matrix(plan)
    assert svg.count('stroke="#b0413e"') == 16 and svg.count("no quick win") == 5
