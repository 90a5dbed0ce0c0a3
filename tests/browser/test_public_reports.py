"""The public reports in Chromium: the dashboard (charts readable without JavaScript, each with a
title, a text alternative, a source line and a link to its data; the map by evaluation index), a
region's profile (timeline, radar, dossier links) and an audit dossier (HTML, and its PDF link).
A screenshot of each page is kept as a test artefact (KOTACERDAS_ARTEFACTS, or a folder under the
temporary directory)."""

import os
import pathlib
import re
import tempfile

import pytest

from kotacerdas.evaluation import services as evaluation
from kotacerdas.evaluation.tests.helpers import BALIKPAPAN, BANJAR, SAMARINDA, make_round, scores, store

pytestmark = pytest.mark.browser

DIMENSIONS = {"governance": "3.50", "branding": "2.00", "economy": "3.00", "living": "4.00", "society": "2.50", "environment": "1.50"}


def _artefact(name):
    folder = pathlib.Path(os.environ.get("KOTACERDAS_ARTEFACTS") or pathlib.Path(tempfile.gettempdir()) / "kotacerdas-artefacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"


@pytest.fixture
def published(reference_data):
    """Two published rounds (invented, so marked demo and shown with ``?demo=1``) so the dashboard
    has an index map, a trend and an improvement; Banjar with the six smart city dimensions."""
    for year, banjar in ((2035, "3.00"), (2036, "4.00")):
        rnd = make_round(year, 1, codes=(BANJAR, BALIKPAPAN, SAMARINDA))
        store(rnd, {BANJAR: scores(banjar, banjar, banjar, banjar, banjar),
                    BALIKPAPAN: scores("2.00", "2.00", "2.00", "2.00", "2.00"),
                    SAMARINDA: scores("1.00", "1.00", "1.00", "1.00", "1.00")})
        rnd.results.filter(region__code=BANJAR).update(smart_city_scores=DIMENSIONS)
        evaluation.close_round(rnd)
        evaluation.publish_round(rnd)


def test_the_dashboard_shows_its_charts_with_text_alternatives_sources_and_data(live_server, published, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", java_script_enabled=False)
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    try:
        page.goto(live_server.url + "/?indicator=evaluation-index&demo=1")
        assert page.locator("html").get_attribute("lang") == "en"
        # The index map: 514 kabupaten/kota, classes in the legend, no data hatched.
        assert page.locator("figure.national-map svg a[href^='/regions/']").count() == 514
        assert "Evaluation index (0–5) of 2036 stage 1" in page.locator("figure.national-map figcaption").text_content()
        assert "No data" in page.locator("section.legend").text_content()
        charts = page.locator("figure.chart")
        assert charts.count() >= 5  # the funnels, the cohorts, the box plot, the trend, the improvements
        for index in range(charts.count()):
            chart = charts.nth(index)
            assert chart.locator("svg > title").count() == 1 and chart.locator("svg > desc").count() == 1, index
            assert chart.locator("svg > title").text_content().strip()
            assert "Source" in chart.locator("figcaption").text_content()
            assert chart.locator("figcaption a").count() >= 1
        improvements = page.locator("#evaluation figure.chart", has_text="Biggest improvements")
        assert "Kabupaten Banjar: +1.00" in improvements.locator("desc").text_content()
        page.screenshot(path=str(_artefact("dashboard")), full_page=True)
        # Printed: the page's print styles apply and nothing needs the screen (no script at all here).
        page.emulate_media(media="print")
        assert page.locator("figure.chart svg").first.is_visible()
    finally:
        context.close()


def test_a_profile_tells_the_story_and_leads_to_the_round_dossier(live_server, published, page):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + f"/regions/{BANJAR}/")
    timeline = page.locator("[data-section='timeline']")
    assert "index 4.00" in timeline.text_content() and "index 3.00" in timeline.text_content()
    stamps = [item.get_attribute("datetime") for item in timeline.locator("time").all()]
    assert stamps == sorted(stamps)
    radar = page.locator("[data-section='radar'] svg")
    assert radar.locator("polygon").count() == 5 + 2  # five rings, one outline per year
    assert re.search(r"2035 \(demo\): Governance 3\.50, Branding 2\.00", radar.locator("desc").text_content())
    page.screenshot(path=str(_artefact("profile")), full_page=True)

    page.locator("[data-section='evaluation-dossiers'] a", has_text="2036").first.click()
    page.wait_for_url(re.compile(r"/dossier/evaluation/2036/1/$"))
    assert "Public version: personal data left out" in page.content()
    result = page.locator("[data-section='result']").text_content()
    assert "4.00" in result and "1.00" in result  # the index and the improvement over 2035
    pdf_link = page.locator("a", has_text="Download as PDF")
    assert pdf_link.get_attribute("href") == f"/regions/{BANJAR}/dossier/evaluation/2036/1.pdf"
    page.screenshot(path=str(_artefact("round-dossier")), full_page=True)


def test_a_phase_dossier_opens_from_the_profile(live_server, reference_data, page):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + f"/regions/{BANJAR}/")
    page.locator("p.dossier-link a", has_text="Audit dossier").first.click()
    page.wait_for_url(re.compile(r"/regions/63\.03/dossier/\d{4}/$"))
    assert page.locator("h1").text_content().startswith("Audit dossier: Kabupaten Banjar")
    for section in ("participation", "screening", "questionnaire", "assessment", "decision", "mou", "log"):
        assert page.locator(f"[data-section='{section}'] h2").count() == 1, section
    assert "Selected" in page.locator("[data-section='participation']").text_content()
    page.screenshot(path=str(_artefact("phase-dossier")), full_page=True)
