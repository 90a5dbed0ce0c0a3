"""``/api/v1/indicator-values``: paginated with a count, filtered by indicator, year and region."""

from kotacerdas.indicators.services import load_population_and_area


def test_values_are_paginated_with_a_count(client, reference_data):
    load_population_and_area()
    data = client.get("/api/v1/indicator-values?indicator=population&limit=10").json()
    assert data["count"] == 552 and len(data["items"]) == 10
    first = data["items"][0]
    assert set(first) >= {"region_code", "indicator", "year", "value", "category", "synthetic", "batch_id"}
    assert first["indicator"] == "population" and first["year"] == 2024
    one = client.get("/api/v1/indicator-values?region=63.03&year=2024").json()
    assert one["count"] == 2
