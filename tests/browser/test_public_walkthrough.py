"""A visitor walks through the public site in Chromium: the map, the region list with a filter,
a region page, and the switch from Indonesian to English."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_visitor_finds_a_region_from_the_map_and_the_list(live_server, reference_data, page):
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "id"
    # All 514 kabupaten/kota are drawn, each a link named by its <title>.
    regions = page.locator("svg a[href^='/regions/']")
    assert regions.count() == 514
    banjar = page.locator("svg a[href='/regions/63.03/']")
    assert banjar.locator("title").text_content().strip().startswith("Kabupaten Banjar")
    banjar.hover()
    banjar.click(force=True)
    page.wait_for_url(re.compile(r"/regions/63\.03/$"))
    assert "Kabupaten Banjar" in page.locator("h1").text_content()
    assert page.locator("svg path").count() >= 1

    page.goto(live_server.url + "/regions/")
    page.select_option("select[name='province']", "63")
    page.select_option("select[name='kind']", "kota")
    page.locator("form.filters button[type='submit']").click()
    page.wait_for_url(re.compile(r"province=63"))
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 2  # Kota Banjarmasin and Kota Banjarbaru
    page.locator("table.data a", has_text="Kota Banjarbaru").click()
    page.wait_for_url(re.compile(r"/regions/63\.72/$"))
    assert "Kalimantan Selatan" in page.content()


def test_a_visitor_switches_the_language_to_english_and_back(live_server, reference_data, page):
    page.goto(live_server.url + "/regions/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("nav").first.text_content().count("Wilayah") >= 1
    page.locator("button[data-language='en']").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Regions" in page.locator("nav").first.text_content()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("button[data-language='id']").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "id"
