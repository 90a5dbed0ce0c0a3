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
