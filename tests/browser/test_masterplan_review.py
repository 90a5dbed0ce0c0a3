"""A region operator adds a program and a quick win to their draft master plan and submits it; a
mentor of the region opens it and comments on a program."""

import re

import pytest

from kotacerdas.conftest import ROLE_PASSWORD, carol, dave, reference_data  # noqa: F401

pytestmark = pytest.mark.browser


def _log_in(page, base, username):
    page.goto(base + "/accounts/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", ROLE_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/start/$"))


def test_an_operator_adds_a_program_and_a_quick_win_and_a_mentor_comments(live_server, dave, carol, page):  # noqa: F811
    from kotacerdas.masterplans.models import Comment, MasterPlan
    from kotacerdas.masterplans.tests.helpers import agencies_of, element, make_mentor, make_plan

    plan = make_plan()
    agencies = agencies_of()
    make_mentor(carol)

    _log_in(page, live_server.url, "dave")
    page.goto(f"{live_server.url}/masterplans/{plan.pk}/")
    page.locator("[data-action='add-program']").click()
    page.fill("input[name='name']", "Sistem informasi puskesmas")
    page.select_option("select[name='element']", str(element("LIV-KS").pk))
    page.select_option("select[name='owner_agency']", str(agencies["dinkes"].pk))
    page.fill("input[name='start_year']", "2026")
    page.fill("input[name='end_year']", "2028")
    page.fill("textarea[name='budget_lines']", "2026;apbd;250000000\n2027;apbn;100000000")
    page.locator("[data-action='save-program']").click()
    page.wait_for_url(re.compile(rf"/masterplans/{plan.pk}/$"))
    assert page.locator("tr[data-program='Sistem informasi puskesmas']").count() == 1

    page.locator("[data-action='add-program']").click()
    page.fill("input[name='name']", "Antrean online puskesmas")
    page.select_option("select[name='element']", str(element("LIV-KS").pk))
    page.select_option("select[name='owner_agency']", str(agencies["dinkes"].pk))
    page.fill("input[name='start_year']", "2026")
    page.fill("input[name='end_year']", "2026")
    page.check("input[name='quick_win']")
    page.fill("input[name='due_date']", "2026-11-30")
    page.fill("textarea[name='visible_result']", "Warga tidak lagi antre berjam-jam")
    page.locator("[data-action='save-program']").click()
    page.wait_for_url(re.compile(rf"/masterplans/{plan.pk}/$"))
    row = page.locator("tr[data-program='Antrean online puskesmas']")
    assert row.locator(".quick-win").count() == 1
    assert page.locator("[data-missing-quick-win='LIV']").count() == 0
    assert page.locator("[data-missing-quick-win='GOV']").count() == 1
    page.locator("[data-action='submit']").click()
    page.wait_for_load_state("load")
    assert page.locator("[data-status='submitted']").count() == 1
    assert page.locator("[data-action='add-program']").count() == 0  # no edits under review

    page.context.clear_cookies()
    _log_in(page, live_server.url, "carol")
    page.goto(f"{live_server.url}/masterplans/{plan.pk}/")
    assert page.locator("[data-action='add-program']").count() == 0
    form = page.locator("form.new-comment")
    form.locator("select[name='section']").select_option("programs")
    program = MasterPlan.objects.get(pk=plan.pk).programs.get(name="Sistem informasi puskesmas")
    form.locator("select[name='program']").select_option(str(program.pk))
    form.locator("textarea[name='body']").fill("Tambahkan KPI jumlah puskesmas terhubung.")
    form.locator("[data-action='comment']").click()
    page.wait_for_load_state("load")
    assert page.locator(".thread .body").first.inner_text().startswith("Tambahkan KPI")
    comment = Comment.objects.get()
    assert (comment.program, comment.author.username, comment.is_open) == (program, "carol", True)
