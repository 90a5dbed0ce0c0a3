"""The ministry schedules a Bimtek of a cohort in Chromium; then the region's operator uploads an
output of it and records a person's attendance on the region's mentoring page."""

import re

import pytest

from kotacerdas.conftest import ROLE_PASSWORD, alice, carol, dave, reference_data  # noqa: F401

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def cohort(alice, carol, dave, settings, tmp_path):  # noqa: F811
    from kotacerdas.mentoring.tests.helpers import small_cohort

    settings.MEDIA_ROOT = tmp_path / "media"
    cohort, _mentors, _assignments = small_cohort(carol)
    return cohort


def _log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name='username']", username)
    page.fill("input[name='password']", ROLE_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/start/$"))


def test_the_ministry_schedules_a_bimtek_and_the_operator_hands_in_an_output_and_attendance(live_server, cohort, browser):
    from kotacerdas.mentoring.models import Attendance, Bimtek, OutputUpload

    year = cohort.phase.year
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, live_server, "alice")
    page.goto(live_server.url + f"/mentoring/{year}/")
    page.locator("tr[data-bimtek='2'] a").click()
    page.wait_for_url(re.compile(rf"/mentoring/{year}/bimtek/2/$"))
    # A Bimtek that ends before it starts is refused with the reason; nothing is saved.
    page.fill("input[name='starts_on']", "2033-05-10")
    page.fill("input[name='ends_on']", "2033-05-08")
    page.fill("input[name='place']", "Banjarbaru")
    page.locator("form.bimtek-schedule button[type='submit']").click()
    page.wait_for_load_state("load")
    assert page.locator("ul.messages li.error").count() == 1
    assert Bimtek.objects.get(cohort=cohort, number=2).starts_on is None
    page.fill("input[name='starts_on']", "2033-05-10")
    page.fill("input[name='ends_on']", "2033-05-12")
    page.fill("input[name='place']", "Banjarbaru")
    page.locator("form.bimtek-schedule button[type='submit']").click()
    page.wait_for_url(re.compile(rf"/mentoring/{year}/$"))
    row = page.locator("tr[data-bimtek='2']")
    assert "2033-05-10" in row.text_content() and "2033-05-26" in row.text_content()  # due 14 days after the end
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _log_in(page, live_server, "dave")
    page.locator("a[data-nav='mentoring']").click()
    page.locator("a[data-region='63.03']").click()
    page.wait_for_url(re.compile(rf"/mentoring/{year}/regions/63\.03/$"))
    section = page.locator("section.bimtek[data-bimtek='2']")
    assert "2033-05-10" in section.text_content()
    first_output = section.locator("ul.outputs li").first
    first_output.locator("input[name='file']").set_input_files(files=[{"name": "visi_misi.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    first_output.locator("button[type='submit']").click()
    page.wait_for_load_state("load")
    assert page.locator("ul.messages li.success").count() == 1
    section = page.locator("section.bimtek[data-bimtek='2']")
    assert section.locator("ul.outputs li").first.locator("a", has_text="v1").count() == 1

    attend = section.locator("form.attend")
    attend.locator("input[name='name']").fill("Siti Aminah")
    attend.locator("input[name='body']").fill("Bappeda Kabupaten Banjar")
    attend.locator("input[name='position']").fill("Kepala Bidang")
    attend.locator("button[type='submit']").click()
    page.wait_for_load_state("load")
    section = page.locator("section.bimtek[data-bimtek='2']")
    assert "Siti Aminah" in section.locator("table.attendance").text_content()
    context.close()

    upload = OutputUpload.objects.get(output__bimtek__cohort=cohort, output__bimtek__number=2)
    assert (upload.region.code, upload.version, upload.uploaded_by.username) == ("63.03", 1, "dave")
    assert upload.file.open("rb").read() == PDF
    row = Attendance.objects.get(bimtek__cohort=cohort)
    assert (row.name, row.body, row.position, row.region.code, row.recorded_by.username) == (
        "Siti Aminah", "Bappeda Kabupaten Banjar", "Kepala Bidang", "63.03", "dave",
    )
