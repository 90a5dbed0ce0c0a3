"""The home page: the national map coloured by phase, its legend, the demo toggle and its cache."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache

from kotacerdas.program.models import Phase, ParticipationStatus
from kotacerdas.program.services import set_status
from kotacerdas.regions.models import Region
from kotacerdas.reports import map as national_map


@pytest.fixture
def client(client):
    """A client that asks for English, so the tests can read the source strings."""
    return client


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo_phase(reference_data):
    """A demo phase that selected two regions with no real participation."""
    phase = Phase.objects.create(year=2027, name="Demo 2027", quota=25, is_demo=True)
    regions = Region.objects.kabkota().exclude(participations__isnull=False).order_by("code")[:2]
    for region in regions:
        set_status(region, phase, ParticipationStatus.SELECTED, reason="demo pick")
    return phase


def legend(response):
    return {item["year"]: item for item in response.context["map"]["legend"]}


def test_the_home_page_links_every_kabupaten_and_kota_to_its_page(client, reference_data):
    html = client.get("/").content.decode()
    links = re.findall(r'<a href="/regions/([0-9.]+)/" data-code="\1"><title>([^<]+)</title><path d="', html)
    assert len(links) == 514
    assert len({code for code, _name in links}) == 514
    assert ("63.72", "Kota Banjarbaru") in links


def test_the_map_is_inline_svg_with_a_view_box_computed_from_the_shapes(client, reference_data):
    html = client.get("/").content.decode()
    view_box = re.search(r'<svg class="kc-map" viewBox="([^"]+)"', html).group(1)
    min_x, min_y, width, height = (float(value) for value in view_box.split())
    # Indonesia spans about 95°E to 141°E and 6°N to 11°S (x = lon × 10, y = -lat × 10).
    assert 940 < min_x < 955 and -70 < min_y < -55
    assert 455 < width < 480 and 165 < height < 185


def test_the_legend_counts_the_selected_regions_of_each_real_phase(client, reference_data):
    response = client.get("/")
    items = legend(response)
    assert {year: item["count"] for year, item in items.items()} == {2017: 25, 2018: 50, 2019: 6}
    assert response.context["map"]["not_selected"] == 514 - 81
    assert len({item["colour"] for item in items.values()}) == 3
    html = response.content.decode()
    for name, count in (("Tahap I 2017", 25), ("Tahap II 2018", 50), ("Tahap III 2019", 6)):
        assert re.search(rf">{name}</a>:\s*<span class=\"count\">{count} regions</span>", html)


def test_each_phase_colours_its_own_regions(client, reference_data):
    html = client.get("/").content.decode()
    group = re.search(r'<g class="phase" data-phase="2017" fill="(#[0-9a-f]{6})">(.*?)</g>', html)
    assert group.group(1) == legend(client.get("/"))[2017]["colour"]
    assert group.group(2).count("<a ") == 25


def test_the_legend_says_the_2019_list_is_incomplete(client, reference_data):
    html = client.get("/").content.decode()
    item = re.search(r'<li data-phase="2019">(.*?)</li>', html, re.DOTALL).group(1)
    assert "list incomplete" in item
    for year in (2017, 2018):
        assert "list incomplete" not in re.search(rf'<li data-phase="{year}">(.*?)</li>', html, re.DOTALL).group(1)


def test_the_home_page_introduces_the_program_and_links_regions_and_phases(client, reference_data):
    html = client.get("/").content.decode()
    assert "Gerakan Menuju 100 Smart City" in html
    assert 'href="/regions/"' in html
    assert 'href="/phases/"' in html
    assert 'href="/phases/2017/"' in html


def test_demo_selections_are_left_out_by_default(client, demo_phase):
    response = client.get("/")
    html = response.content.decode()
    assert 2027 not in legend(response)
    assert 'class="demo-badge"' not in html
    assert 'href="?demo=1"' in html


def test_the_demo_toggle_adds_hatched_demo_selections_with_a_badge_and_a_notice(client, demo_phase):
    response = client.get("/", {"demo": "1"})
    html = response.content.decode()
    assert legend(response)[2027]["count"] == 2
    assert legend(response)[2017]["count"] == 25
    assert 'class="demo-badge"' in html
    assert "invented for demonstration" in html
    group = re.search(r'<g class="phase demo" data-phase="2027" fill="url\(#kc-demo-hatch\)">(.*?)</g>', html)
    assert group.group(1).count("<a ") == 2
    assert '<pattern id="kc-demo-hatch"' in html


def test_the_map_is_built_once_and_then_served_from_the_cache(client, reference_data):
    with mock.patch.object(national_map, "build_map", wraps=national_map.build_map) as build:
        first = client.get("/").context["map_svg"]
        second = client.get("/").context["map_svg"]
    assert build.call_count == 1
    assert first == second and len(first) > 100_000


def test_a_status_change_rebuilds_the_cached_map(client, reference_data):
    with mock.patch.object(national_map, "build_map", wraps=national_map.build_map) as build:
        client.get("/")
        region = Region.objects.kabkota().exclude(participations__isnull=False).order_by("code").first()
        set_status(region, Phase.objects.get(year=2019), ParticipationStatus.SELECTED, reason="confirmed by a new report")
        response = client.get("/")
    assert build.call_count == 2
    assert legend(response)[2019]["count"] == 7


def test_a_cached_home_page_costs_a_few_queries(client, reference_data, django_assert_max_num_queries):
    client.get("/")
    with django_assert_max_num_queries(6):
        client.get("/")


def test_the_home_page_stays_under_150_kb(client, demo_phase):
    assert len(client.get("/").content) < 150_000
    assert len(client.get("/", {"demo": "1"}).content) < 150_000


def test_compact_paths_keep_the_shape_of_the_map_paths():
    rings = national_map.snap_rings(national_map.parse_path("M973.7 -36.4L973.0 -36.0 972.8 -36.4ZM980 -30L981 -30 981 -31Z"), grid=4)
    assert rings == [[(3895, -146), (3892, -144), (3891, -146)], [(3920, -120), (3924, -120), (3924, -124)]]
    assert national_map.compact_path(rings) == "M3895-146l-3 2-1-2zm25 26l4 0 0-4z"


def test_a_unit_smaller_than_the_grid_keeps_its_largest_ring():
    rings = national_map.snap_rings(national_map.parse_path("M1000 -10L1000.01 -10 1000.01 -10.01Z"), grid=4)
    assert rings == [[(4000, -40)]]


@pytest.mark.parametrize(("language", "expected"), [("en", "en"), ("id", "id")])
def test_the_home_page_renders_in_the_language_asked_for(client, reference_data, language, expected):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/")
    assert f'<html lang="{expected}">' in response.content.decode()


def test_the_language_cookie_chooses_the_language(client, reference_data):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get("/", headers={"accept-language": "id"}).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert '<html lang="id">' in client.get("/", headers={"accept-language": "en"}).content.decode()


def test_each_language_has_its_own_cached_map(client, reference_data):
    with mock.patch.object(national_map, "build_map", wraps=national_map.build_map) as build:
        for language in ("en", "id", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            client.get("/")
    assert build.call_count == 2
