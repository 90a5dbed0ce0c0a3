"""The demo's values: real population and area, synthetic values for everything else, flagged."""

from kotacerdas.indicators.models import ImportBatch, IndicatorValue
from kotacerdas.indicators.services import FISCAL_CUTOFFS, load_population_and_area, load_synthetic_values
from kotacerdas.regions.models import Region


def test_population_and_area_are_the_real_figures_not_synthetic(reference_data):
    load_population_and_area()
    banjar = Region.objects.get(code="63.03")
    value = IndicatorValue.objects.get(region=banjar, indicator__code="population", year=2024)
    assert (value.value, value.synthetic) == (float(banjar.population), False)
    assert load_population_and_area() is None  # once only


def test_synthetic_values_are_flagged_reproducible_and_follow_the_cutoffs(reference_data):
    batch = load_synthetic_values(2026, seed=5)
    assert batch.synthetic and IndicatorValue.objects.filter(batch=batch, synthetic=False).count() == 0
    first = sorted(IndicatorValue.objects.filter(batch=batch).values_list("region_id", "indicator__code", "value"))
    IndicatorValue.objects.all().delete()
    ImportBatch.objects.all().delete()
    load_synthetic_values(2026, seed=5)
    assert sorted(IndicatorValue.objects.values_list("region_id", "indicator__code", "value")) == first
    index = dict(IndicatorValue.objects.filter(indicator__code="fiscal_capacity_index").values_list("region_id", "value"))
    for region_id, category in IndicatorValue.objects.filter(indicator__code="fiscal_capacity_category").values_list("region_id", "value"):
        expected = 1 + sum(index[region_id] >= cut for cut in FISCAL_CUTOFFS)
        assert category == expected
    # The sustainable city index is for cities only.
    assert not IndicatorValue.objects.filter(indicator__code="sustainable_city_index", region__kind="kabupaten").exists()


def test_pages_exports_and_the_api_say_synthetic(client, reference_data):
    load_synthetic_values(2026)
    assert "Synthetic values" in client.get("/indicators/ipm/").content.decode()
    assert "Synthetic values" in client.get("/indicators/ipm/?format=csv").content.decode("utf-8-sig").splitlines()[0]
    item = client.get("/api/v1/indicator-values?indicator=ipm&limit=1").json()["items"][0]
    assert item["synthetic"] is True


def test_an_indicator_page_draws_how_its_values_spread_beside_the_table(client, reference_data):
    import re

    load_population_and_area()
    html = client.get("/indicators/population/?year=2024").content.decode()
    chart = html.split('data-chart="histogram"')[1].split("</figure>")[0]
    counts = [int(n) for n in re.findall(r"</rect><text [^>]*>(\d+)</text>", chart)]
    kabkota = IndicatorValue.objects.filter(indicator__code="population", year=2024).count()
    assert sum(counts) == kabkota  # every region in one column
    assert f"{kabkota} regions" in chart
    # A year without values draws nothing rather than an empty chart.
    assert 'data-chart="histogram"' not in client.get("/indicators/population/?year=1990").content.decode()


def test_the_histogram_helper_counts_every_value_once():
    from kotacerdas.lib.svg import histogram

    chart = str(histogram([1, 2, 2, 3, 10], "t", "d", bins=3))
    # Classes 1–4, 4–7, 7–10: four values, none, one (an empty class writes no count).
    assert chart.count("<rect") == 3 and ">4</text>" in chart and ">1</text>" in chart and ">0</text>" not in chart
    assert histogram([], "t", "d") is None
    assert str(histogram([5, 5], "t", "d")).count("<rect") == 1  # one value: one column
