"""The ministry starts a ranking run in Chromium, opens a region's explanation, and the public
sees the confirmed run."""

import re

import pytest

pytestmark = pytest.mark.browser


def _login(page, live_server, username, password):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", password)
    page.locator("form button[type='submit']").last.click()
    page.wait_for_load_state("load")


def test_the_ministry_runs_a_screening_and_reads_an_explanation(live_server, reference_data, page, django_user_model):
    from kotacerdas.screening.tests.helpers import demo_phase

    demo_phase()
    django_user_model.objects.create_superuser("ministry", "m@example.org", "a-long-password-1")
    _login(page, live_server, "ministry", "a-long-password-1")
    page.goto(live_server.url + "/phases/2027/screening/new/")
    for code, weight in (("ipm", "2"), ("spbe_index", "1"), ("fiscal_capacity_index", "1")):
        page.check(f"#c_{code}")
        page.fill(f"input[name='w_{code}']", weight)
    page.fill("input[name='data_year']", "2026")
    page.fill("input[name='shortlist_size']", "20")
    page.fill("input[name='samples']", "1000")
    page.fill("input[name='seed']", "11")
    page.locator("form.run-form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/phases/2027/screening/\d+/$"))
    assert page.locator("table.results tbody tr.shortlisted").count() == 20
    assert page.locator(".synthetic-notice").count() == 1
    page.locator("table.results tbody tr").nth(4).locator("a").click()
    page.wait_for_url(re.compile(r"/regions/"))
    assert page.locator("svg.contribution-chart rect").count() == 3
    assert page.locator("dd.rank").text_content().strip() == "5"
    assert page.locator("td.weight-change").count() == 3

    page.go_back()
    page.locator("input[data-confirm-box]").check()
    page.locator("button[data-action='confirm']").click()
    page.wait_for_load_state("load")
    run_url = page.url
    context = page.context.browser.new_context()
    public = context.new_page()
    public.goto(run_url)
    assert public.locator("table.results tbody tr.shortlisted").count() == 20
    context.close()
