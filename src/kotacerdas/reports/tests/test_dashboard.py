"""The national dashboard: funnels, cohorts, the indicator map, and figures that follow the data."""

import re

import pytest

from kotacerdas.indicators.models import ImportBatch, Indicator, IndicatorValue
from kotacerdas.lib import svg
from kotacerdas.program.models import Participation, Phase, ParticipationStatus
from kotacerdas.regions.models import Region
from kotacerdas.reports import dashboard
from kotacerdas.reports import map as national_map

pytestmark = pytest.mark.django_db


def _stage(funnel, stage):
    return funnel["stages"][stage]


def test_a_real_phase_funnel_uses_published_counts_where_the_list_is_unknown(reference_data):
    by_year = {funnel["phase"].year: funnel for funnel in dashboard.funnels()}
    assert _stage(by_year[2017], "selected") == (25, "counted")
    assert _stage(by_year[2017], "invited") == (80, "published")
    assert _stage(by_year[2018], "selected") == (50, "counted")
    assert _stage(by_year[2017], "screened") == (None, "unknown")


def test_a_counted_funnel_follows_the_participations(reference_data):
    phase = Phase.objects.create(year=2032, name="Tahap uji", quota=1, is_demo=True)
    regions = list(Region.objects.kabkota().order_by("code")[:6])
    statuses = [ParticipationStatus.ELIGIBLE, ParticipationStatus.ELIGIBLE, ParticipationStatus.INVITED, ParticipationStatus.ASSESSED, ParticipationStatus.NOT_SELECTED, ParticipationStatus.SELECTED]
    for region, status in zip(regions, statuses):
        Participation.objects.create(phase=phase, region=region, status=status)
    assert all(funnel["phase"].year != 2032 for funnel in dashboard.funnels())  # demo left out by default
    funnel = next(funnel for funnel in dashboard.funnels(include_demo=True) if funnel["phase"].year == 2032)
    assert _stage(funnel, "eligible") == (6, "counted")
    assert _stage(funnel, "invited") == (4, "counted")
    assert _stage(funnel, "assessed") == (3, "counted")
    assert _stage(funnel, "selected") == (1, "counted")


def test_every_chart_has_a_title_and_a_text_alternative_with_its_figures(client, reference_data):
    page = client.get("/").content.decode()
    charts = re.findall(r'<svg class="kc-chart".*?</svg>', page, flags=re.S)
    assert len(charts) == 4  # three real phases' funnels and the cohorts
    for chart in charts:
        assert "<title" in chart and "<desc" in chart
    cohorts = charts[-1]
    assert re.search(r"<desc[^>]*>2017: 25; 2018: 50; 2019: \d+</desc>", cohorts)
    assert 'href="/data/selections.csv"' in page


def test_quantile_classes_hold_equal_counts_and_ties_merge():
    assert svg.quantile_breaks(range(1, 11), 5) == pytest.approx([2.8, 4.6, 6.4, 8.2, 10.0])
    assert svg.quantile_breaks([1, 1, 1, 1, 5], 5) == pytest.approx([1.0, 1.8, 5.0])
    assert [svg.class_of(value, [2.8, 4.6, 6.4, 8.2, 10.0]) for value in (1, 3, 10, None)] == [0, 1, 4, None]


def test_the_map_can_be_coloured_by_an_indicator_with_no_data_hatched(client, reference_data):
    indicator = Indicator.objects.create(
        code="uji-ipm", name_id="Indeks uji", name_en="Test index", unit="indeks", direction="benefit",
        source_agency="BPS (uji)", region_kinds=["kabupaten", "kota"], value_type="number",
    )
    batch = ImportBatch.objects.create(file_name="uji.csv", layout="long")
    regions = list(Region.objects.kabkota().order_by("code")[:100])
    IndicatorValue.objects.bulk_create(
        IndicatorValue(region=region, indicator=indicator, year=2024, value=index, batch=batch)
        for index, region in enumerate(regions)
    )
    result = dashboard.indicator_map(indicator, 2024)
    assert [item["count"] for item in result["legend"]] == [20, 20, 20, 20, 20]
    assert result["no_data"] == 514 - 100
    assert 'class="no-data" fill="url(#kc-no-data)"' in result["svg"]
    assert 'class="provinces"' in result["svg"]

    page = client.get("/", {"indicator": "uji-ipm"}).content.decode()
    assert "Test index" in page and "kc-choropleth-t" in page  # tests read the English pages
    assert 'href="/indicators/uji-ipm/"' in page
    assert "414" in page  # regions without data, in the legend and the text alternative


def test_cached_figures_change_when_the_data_changes(client, reference_data):
    before = national_map.fingerprint()
    assert national_map.fingerprint() == before
    participation = Participation.objects.filter(phase__year=2019, status=ParticipationStatus.SELECTED).first()
    participation.status = ParticipationStatus.WITHDRAWN
    participation.save()
    after = national_map.fingerprint()
    assert after != before
    figures = dashboard.cached_figures(False, after)
    by_year = {funnel["phase"].year: funnel for funnel in figures["funnels"]}
    selected_2019 = Participation.objects.filter(phase__year=2019, status=ParticipationStatus.SELECTED).count()
    assert _stage(by_year[2019], "selected") == (selected_2019, "counted")


def _published_round(year, by_code, *, is_demo=False):
    from kotacerdas.evaluation import services
    from kotacerdas.evaluation.tests.helpers import region, store

    evaluation = services.create_round(year, 1, region_ids=[region(code).pk for code in by_code], is_demo=is_demo)
    store(evaluation, by_code)
    services.close_round(evaluation)
    services.publish_round(evaluation)
    return evaluation


def test_the_dashboard_shows_the_index_per_cohort_its_trend_and_the_biggest_improvements(client, reference_data):
    from kotacerdas.evaluation.tests.helpers import BALIKPAPAN, BANJAR, SAMARINDA, scores

    assert "No evaluation round has been published yet." in client.get("/").content.decode()
    _published_round(2030, {BANJAR: scores("2", "2", "2", "2", "2"), BALIKPAPAN: scores("3", "3", "3", "3", "3"),
                            SAMARINDA: scores("1", "1", "1", "1", "1")})
    _published_round(2031, {BANJAR: scores("4", "4", "4", "4", "4"), BALIKPAPAN: scores("3", "3", "3", "3", "3"),
                            SAMARINDA: scores("1.5", "1.5", "1.5", "1.5", "1.5")})
    _published_round(2032, {BANJAR: scores("5", "5", "5", "5", "5")}, is_demo=True)

    figures = dashboard.evaluation_figures()
    assert figures["round"].round.year == 2031  # the demo round is left out
    assert [(row["code"], str(row["improvement"])) for row in figures["improvements"]] == [(BANJAR, "2.00"), (SAMARINDA, "0.50")]
    trend = str(figures["trend_chart"])
    assert "2030" in trend and "2031" in trend and "2032" not in trend
    assert "<desc" in str(figures["cohort_chart"]) and "median" in str(figures["cohort_chart"])
    assert sum(item["count"] for item in figures["map"]["legend"]) == 3 and figures["map"]["no_data"] == 511

    page = client.get("/").content.decode()
    assert "Mean evaluation index per round" in page and "Biggest improvements of the index" in page
    assert 'href="/data/evaluation-results.csv"' in page
    indexed = client.get("/?indicator=evaluation-index").content.decode()
    assert "Evaluation index of 2031 stage 1 by kabupaten and kota" in indexed
    assert dashboard.evaluation_figures(include_demo=True)["round"].round.year == 2032


def test_the_implementation_ratio_per_dimension_reads_the_latest_progress(client, reference_data):
    from kotacerdas.masterplans.models import ProgressStatus
    from kotacerdas.masterplans.services import record_progress
    from kotacerdas.masterplans.tests.helpers import adopted_plan

    assert dashboard.implementation_by_dimension() is None
    plan = adopted_plan("63.03")
    governance, environment = sorted(plan.programs.select_related("element__dimension"), key=lambda p: p.element.code != "GOV-PS")
    record_progress(governance, 2026, status=ProgressStatus.RUNNING)
    record_progress(environment, 2026, status=ProgressStatus.PLANNED)
    figures = dashboard.implementation_by_dimension()
    ratios = {(row["going"], row["planned"], str(row["ratio"])) for row in figures["rows"]}
    assert ratios == {(1, 1, "100.00"), (0, 1, "0.00")}
    assert "1 of 1 programs running or done (100.00%)" in str(figures["chart"])
    assert "Implementation ratio per smart city dimension" in client.get("/").content.decode()
