"""The ministry's pages of eligibility rules: thresholds and requirements added with clear field
errors, removal only after a confirmation, each requirement's checklist ticked, uploaded (every
bad row named, nothing written) and exported, every change in the history, and nothing changed
once the phase has a confirmed run."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from openpyxl import load_workbook

from kotacerdas.indicators.models import Indicator, IndicatorValue
from kotacerdas.lib.language import program_gettext
from kotacerdas.lib.tabular import TableError
from kotacerdas.lib.testing import xlsx_upload
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.regions.models import Region
from kotacerdas.screening import rules
from kotacerdas.screening.demo import DEMO_DATA_YEAR
from kotacerdas.screening.models import AdministrativeCheck, EligibilityRule, RuleKind
from kotacerdas.screening.services.runs import run_results

from .helpers import make_run

RULES = "/phases/2027/screening/rules/"


@pytest.fixture
def requirement(phase):
    return EligibilityRule.objects.create(phase=phase, kind=RuleKind.REQUIREMENT, requirement="SK tim smart city")


def checklist_url(rule):
    return f"{RULES}{rule.pk}/checklist/"


def upload(text, name="checklist.csv"):
    return SimpleUploadedFile(name, text.encode())


def add_threshold(client, **fields):
    return client.post(RULES, {"form": "threshold", **fields})


def checks_of(rule):
    return {c.region.code: (c.met, c.note) for c in AdministrativeCheck.objects.filter(rule=rule).select_related("region")}


def earlier_selected():
    return set(Participation.objects.filter(status=ParticipationStatus.SELECTED, phase__year__lt=2027).values_list("region_id", flat=True))


# --- adding rules -------------------------------------------------------------------------------

def test_the_ministry_adds_a_threshold_on_a_category(admin_client, phase):
    response = add_threshold(admin_client, indicator="fiscal_capacity_category", operator=">=", category="Sedang")
    assert response.status_code == 302 and response["Location"] == RULES
    rule = EligibilityRule.objects.get(phase=phase)
    assert (rule.kind, rule.operator, rule.category, rule.threshold) == (RuleKind.THRESHOLD, ">=", "sedang", None)
    page = admin_client.get(RULES).content.decode()
    assert "The rule “fiscal_capacity_category &gt;= sedang” was added." in page
    assert "fiscal_capacity_category &gt;= sedang" in page


def test_the_ministry_adds_a_numeric_threshold(admin_client, phase):
    assert add_threshold(admin_client, indicator="ekppd_score", operator="<=", threshold="3.5").status_code == 302
    rule = EligibilityRule.objects.get(phase=phase)
    assert (rule.indicator.code, rule.operator, rule.threshold, rule.category) == ("ekppd_score", "<=", 3.5, "")
    assert rule.describe() == "ekppd_score <= 3.5"


def test_the_ministry_adds_an_administrative_requirement_with_an_empty_checklist(admin_client, phase):
    response = admin_client.post(RULES, {"form": "requirement", "requirement": "  Surat minat kepala daerah "})
    assert response.status_code == 302
    rule = EligibilityRule.objects.get(phase=phase)
    assert (rule.kind, rule.requirement, rule.checks.count()) == (RuleKind.REQUIREMENT, "Surat minat kepala daerah", 0)
    page = admin_client.get(RULES).content.decode()
    assert f'href="{checklist_url(rule)}"' in page and "0 met, 0 recorded" in page


@pytest.mark.parametrize("fields, field, words", [
    ({"indicator": "happiness", "operator": ">=", "threshold": "1"}, "indicator", "“happiness” is not an indicator of the catalogue"),
    ({"operator": ">=", "threshold": "1"}, "indicator", "Choose an indicator of the catalogue"),
    ({"indicator": "fiscal_capacity_category", "operator": ">=", "category": "lumayan"}, "category",
     "“lumayan” is not a category of fiscal_capacity_category; use one of: sangat rendah, rendah, sedang, tinggi, sangat tinggi"),
    ({"indicator": "fiscal_capacity_category", "operator": ">="}, "category", "Choose a category of fiscal_capacity_category"),
    ({"indicator": "fiscal_capacity_category", "operator": ">=", "category": "sedang", "threshold": "3"}, "threshold",
     "has categories, not numbers"),
    ({"indicator": "ipm", "operator": ">=", "threshold": "170"}, "threshold", "170 is outside the valid range of ipm (0 to 100)"),
    ({"indicator": "spbe_index", "operator": "<=", "threshold": "-1"}, "threshold", "outside the valid range of spbe_index (0 to 5)"),
    ({"indicator": "ipm", "operator": ">="}, "threshold", "Give a number for ipm"),
    ({"indicator": "ipm", "operator": ">=", "threshold": "tujuh puluh"}, "threshold", "“tujuh puluh” is not a number"),
    ({"indicator": "ipm", "operator": ">=", "threshold": "70", "category": "sedang"}, "category", "ipm is a number, not categories"),
    ({"indicator": "ipm", "operator": "=", "threshold": "70"}, "operator", "Choose “at least” (>=) or “at most” (<=)"),
])
def test_a_bad_threshold_is_refused_with_the_field_at_fault(admin_client, phase, fields, field, words):
    response = add_threshold(admin_client, **fields)
    assert response.status_code == 400
    errors = response.context["threshold_form"].errors
    assert list(errors) == [field] and words in errors[field][0]
    assert escape(errors[field][0]) in response.content.decode()
    assert not EligibilityRule.objects.exists()


def test_an_indicator_without_an_upper_bound_takes_any_number_above_its_lower_bound(admin_client, phase):
    assert add_threshold(admin_client, indicator="population", operator=">=", threshold="250000").status_code == 302
    assert add_threshold(admin_client, indicator="population", operator=">=", threshold="-1").status_code == 400


@pytest.mark.parametrize("name, words", [
    ("", "Give the requirement's name."),
    ("   ", "Give the requirement's name."),
    ("x" * 201, "at most 200 characters"),
])
def test_a_requirement_needs_a_name(admin_client, phase, name, words):
    response = admin_client.post(RULES, {"form": "requirement", "requirement": name})
    assert response.status_code == 400
    assert words in response.context["requirement_form"].errors["requirement"][0]
    assert not EligibilityRule.objects.exists()


def test_the_same_rule_is_not_added_twice(admin_client, phase, requirement):
    response = admin_client.post(RULES, {"form": "requirement", "requirement": "sk TIM smart city"})
    assert response.status_code == 400
    assert "already has the requirement" in response.context["requirement_form"].errors["requirement"][0]
    assert add_threshold(admin_client, indicator="ipm", operator=">=", threshold="60").status_code == 302
    response = add_threshold(admin_client, indicator="ipm", operator=">=", threshold="60.0")
    assert response.status_code == 400
    assert response.context["threshold_form"].non_field_errors() == ["This phase already has the rule ipm >= 60."]
    assert EligibilityRule.objects.count() == 2


def test_a_post_must_say_which_rule_it_adds(admin_client, phase):
    assert admin_client.post(RULES, {"requirement": "SK"}).status_code == 400


# --- what the rules exclude ---------------------------------------------------------------------

def test_a_run_after_a_threshold_is_added_excludes_the_regions_below_it_with_that_rule(admin_client, phase):
    assert add_threshold(admin_client, indicator="ekppd_score", operator=">=", threshold="2.8").status_code == 302
    values = dict(IndicatorValue.objects.filter(indicator__code="ekppd_score", year=DEMO_DATA_YEAR).values_list("region_id", "value"))
    kabkota = set(Region.objects.kabkota().values_list("pk", flat=True))
    failing = {pk for pk in kabkota if values.get(pk) is None or values[pk] < 2.8}
    expected = failing - earlier_selected()
    assert expected and len(expected) < len(kabkota)

    run = make_run(phase)
    excluded = {r.region_id for r in run.results.all() if r.excluded_by.startswith("ekppd_score >= 2.8")}
    assert excluded == expected
    ranked = {r.region_id for r in run_results(run, ranked=True)}
    assert len(ranked) == run.eligible_count and not ranked & failing

    rule = EligibilityRule.objects.get(phase=phase)
    counts = admin_client.get(RULES).context["counts"]
    assert counts["rules"][rule.pk] == {"excluded": len(expected), "failing": len(failing)}
    assert counts["excluded"] == run.excluded_count and counts["earlier"] == len(earlier_selected() & kabkota)


def test_a_requirement_excludes_every_region_not_recorded_as_meeting_it(admin_client, phase, requirement):
    banjar, barito = Region.objects.get(code="63.03"), Region.objects.get(code="63.04")
    AdministrativeCheck.objects.create(rule=requirement, region=banjar, met=True)
    AdministrativeCheck.objects.create(rule=requirement, region=barito, met=False)
    counts = admin_client.get(RULES).context["counts"]
    total = Region.objects.kabkota().count()
    assert counts["rules"][requirement.pk]["failing"] == total - 1
    assert counts["rules"][requirement.pk]["excluded"] == total - 1 - len(earlier_selected() - {banjar.pk})


def test_the_api_lists_the_rules_with_what_they_exclude_as_the_page_counts_them(admin_client, phase, requirement):
    banjar = Region.objects.get(code="63.03")
    AdministrativeCheck.objects.create(rule=requirement, region=banjar, met=True)
    assert add_threshold(admin_client, indicator="ekppd_score", operator=">=", threshold="2.8").status_code == 302
    threshold = EligibilityRule.objects.get(phase=phase, kind=RuleKind.THRESHOLD)
    page = admin_client.get(RULES).context["counts"]["rules"]
    listed = {rule["id"]: rule for rule in admin_client.get("/api/v1/phases/2027/eligibility-rules").json()}
    assert listed[threshold.pk] == {
        "id": threshold.pk, "kind": "threshold", "description": "ekppd_score >= 2.8", "indicator": "ekppd_score",
        "operator": ">=", "threshold": 2.8, "category": "", "requirement": "",
        "excluded_now": page[threshold.pk]["excluded"], "failing_now": page[threshold.pk]["failing"]}
    assert (listed[requirement.pk]["kind"], listed[requirement.pk]["requirement"]) == ("requirement", "SK tim smart city")
    assert listed[requirement.pk]["failing_now"] == page[requirement.pk]["failing"] == Region.objects.kabkota().count() - 1
    earlier = admin_client.get("/api/v1/phases/2027/eligibility-rules?data_year=2000").json()
    assert {r["id"]: r["failing_now"] for r in earlier}[threshold.pk] == Region.objects.kabkota().count()  # no values
    assert admin_client.get("/api/v1/phases/1999/eligibility-rules").status_code == 404


# --- removing a rule ----------------------------------------------------------------------------

def test_a_rule_is_removed_only_after_its_confirmation_page(admin_client, phase, requirement):
    AdministrativeCheck.objects.create(rule=requirement, region=Region.objects.get(code="63.03"), met=True)
    url = f"{RULES}{requirement.pk}/delete/"
    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Remove the rule “requirement: SK tim smart city”" in text and "Its checklist of 1 region goes with it." in text
    assert 'method="post"' in text and EligibilityRule.objects.filter(pk=requirement.pk).exists()
    response = admin_client.post(url)
    assert response.status_code == 302 and response["Location"] == RULES
    assert not EligibilityRule.objects.filter(pk=requirement.pk).exists() and not AdministrativeCheck.objects.exists()


def test_the_rules_page_links_to_the_confirmation_not_to_a_deletion(admin_client, phase, requirement):
    page = admin_client.get(RULES).content.decode()
    assert f'href="{RULES}{requirement.pk}/delete/"' in page


def test_a_rule_of_another_phase_is_not_found(admin_client, phase):
    other = EligibilityRule.objects.create(phase=Participation.objects.first().phase, kind=RuleKind.REQUIREMENT, requirement="SK")
    assert admin_client.get(f"{RULES}{other.pk}/delete/").status_code == 404
    assert admin_client.get(checklist_url(other)).status_code == 404


# --- nothing changes once a run is confirmed ----------------------------------------------------

def test_rules_and_checklists_cannot_change_after_a_confirmed_run(admin_client, phase):
    run = make_run(phase, confirm=True)
    requirement = EligibilityRule.objects.create(phase=phase, kind=RuleKind.REQUIREMENT, requirement="SK tim smart city")
    banjar = Region.objects.get(code="63.03")
    AdministrativeCheck.objects.create(rule=requirement, region=banjar, met=True, note="SK 2027")
    message = f"Screening run #{run.pk} of this phase is confirmed"

    page = admin_client.get(RULES)
    assert page.status_code == 200 and message in page.content.decode()
    assert 'data-form="threshold"' not in page.content.decode() and "/delete/" not in page.content.decode()

    refused = [
        add_threshold(admin_client, indicator="ipm", operator=">=", threshold="60"),
        admin_client.post(RULES, {"form": "requirement", "requirement": "Perda SPBE"}),
        admin_client.post(f"{RULES}{requirement.pk}/delete/"),
        admin_client.post(checklist_url(requirement), {"region": "63.03", "met-63.03": "no", "note-63.03": ""}),
        admin_client.post(f"{checklist_url(requirement)}import/", {"file": upload("region_code,met\n63.03,tidak\n")}),
    ]
    for response in refused:
        assert response.status_code == 409 and message in response.content.decode()
    assert list(EligibilityRule.objects.filter(phase=phase)) == [requirement]
    assert checks_of(requirement) == {"63.03": (True, "SK 2027")}
    with pytest.raises(rules.RulesLocked):
        rules.add_requirement(phase, "Perda SPBE")
    with pytest.raises(rules.RulesLocked):
        rules.delete_rule(requirement)
    with pytest.raises(rules.RulesLocked):
        rules.apply_checks(requirement, {banjar.pk: (False, "")})
    delete_page = admin_client.get(f"{RULES}{requirement.pk}/delete/").content.decode()
    assert message in delete_page and "Yes, remove the rule" not in delete_page
    # Django's admin refuses the same changes (an admin is staff and could otherwise go round).
    assert admin_client.post(f"/admin/screening/eligibilityrule/{requirement.pk}/delete/", {"post": "yes"}).status_code == 403
    form = admin_client.get(f"/admin/screening/eligibilityrule/{requirement.pk}/change/").content.decode()
    assert 'type="submit"' not in form or 'name="_save"' not in form
    assert EligibilityRule.objects.filter(pk=requirement.pk).exists()
    assert checks_of(requirement) == {"63.03": (True, "SK 2027")}


# --- the checklist: ticking, search, upload, export ---------------------------------------------

def test_the_checklist_lists_every_kabupaten_and_kota_with_search_and_pages(admin_client, phase, requirement):
    page = admin_client.get(checklist_url(requirement))
    assert page.status_code == 200
    assert page.context["page"].paginator.count == Region.objects.kabkota().count()
    assert len(page.context["rows"]) == 50
    found = admin_client.get(checklist_url(requirement) + "?q=banjar").context["rows"]
    assert {region.code for region, _check in found} >= {"63.03", "63.71"}
    in_province = admin_client.get(checklist_url(requirement) + "?province=63").context["rows"]
    assert {region.province.code for region, _check in in_province} == {"63"}


def test_the_ministry_ticks_met_or_not_with_a_note(admin_client, admin_user, phase, requirement):
    url = checklist_url(requirement) + "?q=63.0"
    response = admin_client.post(url, {
        "region": ["63.03", "63.04", "63.05"],
        "met-63.03": "yes", "note-63.03": "SK Bupati 12/2026",
        "met-63.04": "no", "note-63.04": "no letter of interest",
        "met-63.05": "", "note-63.05": "",
    })
    assert response.status_code == 302 and response["Location"] == url
    assert checks_of(requirement) == {"63.03": (True, "SK Bupati 12/2026"), "63.04": (False, "no letter of interest")}
    text = admin_client.get(url).content.decode()
    assert "Saved: 2 new, 0 changed, 0 no longer recorded." in text
    assert "1 of 514 kabupaten/kota meet the requirement, 1 do not" in text.replace("\n", " ")

    admin_client.post(url, {"region": ["63.03", "63.04"], "met-63.03": "yes", "note-63.03": "SK Bupati 12/2026",
                            "met-63.04": "", "note-63.04": ""})
    assert checks_of(requirement) == {"63.03": (True, "SK Bupati 12/2026")}
    history = AdministrativeCheck.history.filter(rule_id=requirement.pk).order_by("history_date", "history_id")
    assert [(h.region.code, h.history_type, h.history_user) for h in history] == [
        ("63.03", "+", admin_user), ("63.04", "+", admin_user), ("63.04", "-", admin_user)]


def test_a_bad_tick_saves_nothing(admin_client, phase, requirement):
    response = admin_client.post(checklist_url(requirement), {
        "region": ["63.03", "63"], "met-63.03": "yes", "met-63": "yes"})
    assert response.status_code == 400 and "“63” is not a kabupaten or kota code." in response.content.decode()
    response = admin_client.post(checklist_url(requirement), {"region": ["63.03"], "met-63.03": "perhaps"})
    assert response.status_code == 400 and "is not met, not met or not recorded" in response.content.decode()
    assert not AdministrativeCheck.objects.exists()


def test_a_threshold_has_no_checklist(admin_client, phase):
    rule = EligibilityRule.objects.create(phase=phase, kind=RuleKind.THRESHOLD, operator=">=", threshold=60,
                                          indicator=Indicator.objects.get(code="ipm"))
    assert admin_client.get(checklist_url(rule)).status_code == 404


GOOD = ("region_code,met,note\n63.03,ya,SK 2026\n63.04,Tidak,belum ada SK\n63.05,1,\n63.06,0,\n63.07,TRUE,\n"
        "63.08,false,\n63.09,yes,\n63.10,no,\n63.11,,not checked yet\n")


def test_a_checklist_file_is_imported_and_recorded_in_the_history(admin_client, admin_user, phase, requirement):
    AdministrativeCheck.objects.create(rule=requirement, region=Region.objects.get(code="63.04"), met=True)
    response = admin_client.post(f"{checklist_url(requirement)}import/", {"file": upload(GOOD)})
    assert response.status_code == 302
    assert checks_of(requirement) == {
        "63.03": (True, "SK 2026"), "63.04": (False, "belum ada SK"), "63.05": (True, ""), "63.06": (False, ""),
        "63.07": (True, ""), "63.08": (False, ""), "63.09": (True, ""), "63.10": (False, ""),
    }
    text = admin_client.get(response["Location"]).content.decode()
    assert "Imported 8 rows: 7 new, 1 changed; 1 rows without a met value were left as they were." in text
    reason = program_gettext("checklist imported from %(file)s") % {"file": "checklist.csv"}
    records = AdministrativeCheck.history.filter(rule_id=requirement.pk, history_change_reason=reason)
    assert records.count() == 8 and {r.history_user for r in records} == {admin_user}
    assert records.get(region__code="63.04").history_type == "~"


def test_an_xlsx_checklist_is_read_too_and_notes_are_kept_without_a_note_column(phase, requirement):
    banjar = Region.objects.get(code="63.03")
    AdministrativeCheck.objects.create(rule=requirement, region=banjar, met=False, note="surat menyusul")
    counts = rules.import_checklist(requirement, xlsx_upload([["region_code", "met"], ["63.03", 1], ["63.71", True]], "checklist.xlsx"))
    assert (counts["created"], counts["changed"]) == (1, 1)
    assert checks_of(requirement) == {"63.03": (True, "surat menyusul"), "63.71": (True, "")}


@pytest.mark.parametrize("row, column, words", [
    ("99.99,ya,", "region_code", "'99.99' is not a region code"),
    ("63,ya,", "region_code", "is not a kabupaten or kota"),
    (",ya,", "region_code", "the region code is empty"),
    ("63.05,mungkin,", "met", "'mungkin' is not a yes or no (use ya/tidak, yes/no, 1/0, true/false)"),
    ("63.03,tidak,", "region_code", "duplicate: 63.03 is already on row 2"),
    ("63.05,ya," + "x" * 256, "note", "longer than 255 characters"),
])
def test_each_bad_checklist_row_is_named_and_nothing_is_written(phase, requirement, row, column, words):
    AdministrativeCheck.objects.create(rule=requirement, region=Region.objects.get(code="63.04"), met=True, note="kept")
    history = AdministrativeCheck.history.count()
    with pytest.raises(TableError) as caught:
        rules.import_checklist(requirement, upload("region_code,met,note\n63.03,ya,\n" + row + "\n63.04,tidak,\n"))
    [error] = caught.value.errors
    assert (error.row, error.column) == (3, column) and words in error.message
    assert checks_of(requirement) == {"63.04": (True, "kept")}
    assert AdministrativeCheck.history.count() == history


def test_a_checklist_file_without_a_needed_column_is_refused(phase, requirement):
    AdministrativeCheck.objects.create(rule=requirement, region=Region.objects.get(code="63.04"), met=True)
    with pytest.raises(TableError) as caught:
        rules.import_checklist(requirement, upload("region_code,note\n63.03,SK\n"))
    assert [(e.row, e.column, e.message) for e in caught.value.errors] == [(1, "met", "required column is missing")]
    assert checks_of(requirement) == {"63.04": (True, "")}


def test_the_upload_page_lists_every_bad_row_and_keeps_the_previous_checks(admin_client, phase, requirement):
    AdministrativeCheck.objects.create(rule=requirement, region=Region.objects.get(code="63.04"), met=True)
    bad = "region_code,met\n63.03,ya\n99.99,ya\n63.05,maybe\n63.03,tidak\n"
    response = admin_client.post(f"{checklist_url(requirement)}import/", {"file": upload(bad)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was imported" in text
    for cell in ("row 3, column region_code", "row 4, column met", "row 5, column region_code"):
        assert cell in text
    assert checks_of(requirement) == {"63.04": (True, "")}
    response = admin_client.post(f"{checklist_url(requirement)}import/", {"file": upload("x", name="checklist.pdf")})
    assert response.status_code == 400 and "Upload a .csv or .xlsx file." in response.content.decode()


def test_the_checklist_is_exported_as_csv_and_xlsx_and_says_it_is_demo(admin_client, phase, requirement):
    AdministrativeCheck.objects.create(rule=requirement, region=Region.objects.get(code="63.03"), met=True, note="SK 2026")
    response = admin_client.get(checklist_url(requirement) + "?q=63.0&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert lines[0][0].startswith("DEMO") and lines[1] == ["region_code", "region_name", "province", "met", "note"]
    assert ["63.03", "Kabupaten Banjar", "Kalimantan Selatan", "yes", "SK 2026"] in lines
    assert next(line for line in lines if line[0] == "63.04")[3:] == ["", ""]
    workbook = load_workbook(io.BytesIO(admin_client.get(checklist_url(requirement) + "?format=xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2 + Region.objects.kabkota().count()
    assert admin_client.get(checklist_url(requirement) + "?format=pdf").status_code == 400


# --- history and permissions --------------------------------------------------------------------

def test_every_change_is_in_the_change_history_with_who_and_when(admin_client, admin_user, phase):
    add_threshold(admin_client, indicator="fiscal_capacity_category", operator=">=", category="sedang")
    admin_client.post(RULES, {"form": "requirement", "requirement": "SK tim smart city"})
    requirement = EligibilityRule.objects.get(kind=RuleKind.REQUIREMENT)
    admin_client.post(f"{checklist_url(requirement)}import/", {"file": upload("region_code,met\n63.03,ya\n")})
    admin_client.post(f"{RULES}{requirement.pk}/delete/")
    rule_history = EligibilityRule.history.order_by("history_date", "history_id")
    assert [(h.history_type, h.history_user) for h in rule_history] == [("+", admin_user)] * 2 + [("-", admin_user)]
    assert all(h.history_date for h in rule_history)
    check_history = AdministrativeCheck.history.order_by("history_date", "history_id")
    assert [(h.history_type, h.history_user) for h in check_history] == [("+", admin_user), ("-", admin_user)]

    text = admin_client.get("/history/?kind=check").content.decode()
    assert "requirement: SK tim smart city · 63.03 Kabupaten Banjar" in text and "ministry" in text
    text = admin_client.get("/history/?kind=rule").content.decode()
    assert "fiscal_capacity_category &gt;= sedang" in text and "Deleted" in text and "Eligibility rule" in text


def test_only_the_ministry_manages_the_rules_and_the_screening_page_links_there(client, admin_client, phase, bob):
    assert 'data-nav="rules"' in admin_client.get("/phases/2027/screening/").content.decode()
    client.force_login(bob)
    assert client.get(RULES).status_code == 403
    assert 'data-nav="rules"' not in client.get("/phases/2027/screening/").content.decode()


def test_the_checklist_service_names_every_bad_entry_and_keeps_the_good_ones_out(phase, requirement, english):
    """rules.checklist_changes: the one check of a checklist's entries (page and API alike)."""
    banjar = Region.objects.get(code="63.03")
    assert rules.checklist_changes([("63.03", "yes", " SK ada "), ("63.04", "", "")]) == {
        banjar.pk: (True, "SK ada"), Region.objects.get(code="63.04").pk: (None, "")}
    with pytest.raises(rules.ScreeningError) as refused:
        rules.checklist_changes([("63.03", "ya", ""), ("99.99", "yes", ""), ("63.04", "no", "x" * (rules.NOTE_LENGTH + 1))])
    assert refused.value.messages == [
        "Kabupaten Banjar: “ya” is not met, not met or not recorded.", "“99.99” is not a kabupaten or kota code.",
        f"Kabupaten Barito Kuala: the note is longer than {rules.NOTE_LENGTH} characters."]
