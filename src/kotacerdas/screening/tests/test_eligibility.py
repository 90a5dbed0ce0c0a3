"""Eligibility: earlier selection, administrative requirements and thresholds; each excluded
region shows the rule that excluded it."""

from kotacerdas.indicators.models import Indicator
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.screening.models import AdministrativeCheck, EligibilityRule, RuleKind
from kotacerdas.screening.services.runs import run_results

from .helpers import make_run


def results(run):
    return {r.region.code: r for r in run_results(run, with_regions=True)}


def test_regions_selected_earlier_are_out(phase):
    run = make_run(phase)
    selected_2017 = Participation.objects.filter(phase__year=2017, status=ParticipationStatus.SELECTED).first().region
    result = results(run)[selected_2017.code]
    assert result.rank is None and "(Tahap I 2017)" in result.excluded_by or "(Tahap II 2018)" in result.excluded_by


def test_a_threshold_on_a_category_excludes_with_its_rule(phase):
    EligibilityRule.objects.create(phase=phase, kind=RuleKind.THRESHOLD, operator=">=", category="sedang",
                                   indicator=Indicator.objects.get(code="fiscal_capacity_category"))
    run = make_run(phase)
    by_code = results(run)
    low = [r for r in by_code.values() if r.excluded_by == "fiscal_capacity_category >= sedang"]
    assert low, "some synthetic regions are below sedang"
    from kotacerdas.indicators.models import IndicatorValue
    for r in low:
        assert IndicatorValue.objects.get(region=r.region, indicator__code="fiscal_capacity_category", year=2026).value < 3


def test_a_numeric_threshold_at_most(phase):
    EligibilityRule.objects.create(phase=phase, kind=RuleKind.THRESHOLD, operator="<=", threshold=3.0,
                                   indicator=Indicator.objects.get(code="spbe_index"))
    run = make_run(phase)
    assert any(r.excluded_by == "spbe_index <= 3" for r in run_results(run, ranked=False))
    ranked = run_results(run, ranked=True)
    assert len(ranked) == run.eligible_count and all(r.excluded_by == "" for r in ranked)


def test_an_administrative_requirement_needs_a_met_check(phase):
    rule = EligibilityRule.objects.create(phase=phase, kind=RuleKind.REQUIREMENT, requirement="SK tim smart city")
    from kotacerdas.regions.models import Region

    selected = Participation.objects.filter(status=ParticipationStatus.SELECTED).values("region")
    good, bad = Region.objects.kabkota().exclude(pk__in=selected).order_by("code")[:2]
    AdministrativeCheck.objects.create(rule=rule, region=good, met=True)
    AdministrativeCheck.objects.create(rule=rule, region=bad, met=False)
    run = make_run(phase, shortlist_size=1)
    by_code = results(run)
    assert by_code[good.code].rank == 1
    assert "SK tim smart city" in by_code[bad.code].excluded_by
    assert run.eligible_count == 1


def test_a_region_without_a_value_of_a_criterion_is_excluded_and_says_so(phase):
    run = make_run(phase, criteria=["ipm", "sustainable_city_index"], weights=[1, 1], shortlist_size=10)
    kabupaten = next(r for r in run_results(run, with_regions=True) if r.region.kind == "kabupaten" and r.rank is None
                     and "sustainable_city_index" in r.excluded_by)
    assert kabupaten.score is None


def test_the_run_page_lists_excluded_regions_with_their_rule(admin_client, phase):
    run = make_run(phase)
    page = admin_client.get(f"/phases/2027/screening/{run.pk}/").content.decode()
    # The reason is stored with the run in the program language (Indonesian), the page around it in English.
    assert "Excluded regions" in page and "terpilih pada tahap sebelumnya" in page
