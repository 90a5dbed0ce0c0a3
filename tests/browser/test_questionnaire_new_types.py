"""A region operator fills, in Chromium, a form with ODK's richer types: a photo as evidence
beside its question, a point picked on the inline SVG map of the region, a time, and a repeat
inside a repeat (agencies and each agency's applications), then submits it."""

import datetime
import io
import json
import re

import pytest
from django.utils import timezone

from kotacerdas.conftest import ROLE_PASSWORD, dave, reference_data  # noqa: F401

pytestmark = pytest.mark.browser

SURVEY = [
    ["type", "name", "label", "required"],
    ["start", "start"],
    ["image", "office_photo", "Foto ruang server", "yes"],
    ["geopoint", "data_centre", "Lokasi pusat data", "yes"],
    ["time", "forum_time", "Jam forum smart city", "yes"],
    ["begin_repeat", "opd", "Perangkat daerah"],
    ["text", "opd_name", "Nama OPD", "yes"],
    ["begin_repeat", "apps", "Aplikasi"],
    ["text", "app_name", "Nama aplikasi", "yes"],
    ["end_repeat"],
    ["end_repeat"],
]
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _xlsform():
    from openpyxl import Workbook

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    for row in SURVEY:
        survey.append(row)
    settings_sheet = workbook.create_sheet("settings")
    settings_sheet.append(["form_title", "form_id"])
    settings_sheet.append(["Infrastruktur TIK", "infrastruktur_tik"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def infrastructure(dave, settings, tmp_path):  # noqa: F811
    from kotacerdas.program.models import Participation, ParticipationStatus, Phase
    from kotacerdas.questionnaires import services
    from kotacerdas.regions.models import Region

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    phase = Phase.objects.create(year=2034, name="Tahap Uji Tipe 2034", quota=1, is_demo=True)
    Participation.objects.create(phase=phase, region=Region.objects.get(code="63.03"), status=ParticipationStatus.INVITED)
    version = services.import_form(_xlsform(), "infrastruktur_tik.xlsx")
    now = timezone.now()
    return services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))


def _log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name='username']", "dave")
    page.fill("input[name='password']", ROLE_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/start/$"))


def _typed_and_saved(page, selector, text):
    """Type ``text`` and wait for the htmx save it triggers, so no save is still running when
    a whole-page post follows."""
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"):
        page.locator(selector).fill(text)
        page.locator(selector).dispatch_event("change")
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    # Every autosave answered before the next write: the in-memory SQLite of the live server
    # refuses a second writer at once ("table is locked") where a real server would wait.
    page.wait_for_load_state("networkidle")


def _whole_page_save(page, button):
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state("load")


def test_an_operator_fills_a_photo_a_point_a_time_and_a_nested_repeat(live_server, infrastructure, page):
    from kotacerdas.questionnaires.models import Evidence, Submission
    from kotacerdas.regions.models import RegionShape

    _log_in(page, live_server)
    page.goto(live_server.url + f"/questionnaires/{infrastructure.pk}/fill/63.03/")
    page.locator("[data-start]").click()
    page.wait_for_load_state("load")

    # Metadata is not shown; the map of Banjar is drawn inline, no tile server.
    assert page.locator("[data-key='start']").count() == 0
    assert RegionShape.objects.filter(region__code="63.03").exists()
    map_ = page.locator("svg[data-map='data_centre']")
    assert map_.count() == 1 and map_.locator("path").count() == 1

    # A click on the map sets latitude and longitude (htmx saves them as GeoJSON).
    with page.expect_response(lambda r: r.request.method == "POST" and r.request.headers.get("hx-request") == "true"):
        map_.click()
    page.wait_for_load_state("networkidle")
    lat, lon = float(page.locator("#q-data_centre-lat").input_value()), float(page.locator("#q-data_centre-lon").input_value())
    assert -4.5 < lat < -2.5 and 114 < lon < 116  # inside Kabupaten Banjar
    assert page.locator("svg[data-map='data_centre'] circle[data-marker]").count() == 1

    # A time.
    _typed_and_saved(page, "#q-forum_time", "09:30")

    # A repeat inside a repeat: one agency with two applications.
    _whole_page_save(page, page.locator("button[name='repeat_add'][value='opd']"))
    _typed_and_saved(page, "[id='q-opd_name#1']", "Diskominfo")
    _whole_page_save(page, page.locator("button[name='repeat_add'][value='apps#1']"))
    _whole_page_save(page, page.locator("button[name='repeat_add'][value='apps#1']"))
    _typed_and_saved(page, "[id='q-app_name#1.1']", "SIMDA")
    _typed_and_saved(page, "[id='q-app_name#1.2']", "SIPD")

    # The photo beside its question, sent with a whole-page save.
    page.locator("[id='q-office_photo']").set_input_files(files=[{"name": "ruang_server.png", "mimeType": "image/png", "buffer": PNG}])
    _whole_page_save(page, page.locator("#questionnaire-form button[value='save']"))
    assert page.locator(".question[data-key='office_photo'] ul.evidence a", has_text="ruang_server.png").count() == 1
    assert page.locator("[id='q-opd_name#1']").input_value() == "Diskominfo"

    _whole_page_save(page, page.locator("#questionnaire-form [data-submit]"))
    assert page.locator("[data-status]").get_attribute("data-status") == "submitted"

    submission = Submission.objects.get(assignment=infrastructure, region__code="63.03")
    answers = dict(submission.answers.values_list("key", "value"))
    point = json.loads(answers["data_centre"])
    assert point["type"] == "Point" and point["coordinates"] == [round(lon, 7), round(lat, 7)]
    assert answers["forum_time"] == "09:30"
    assert (answers["opd"], answers["apps#1"], answers["opd_name#1"], answers["app_name#1.1"], answers["app_name#1.2"]) == ("1", "2", "Diskominfo", "SIMDA", "SIPD")
    assert answers["office_photo"] == "ruang_server.png"
    assert answers["start"]  # metadata filled itself
    evidence = Evidence.objects.get(submission=submission)
    assert (evidence.key, evidence.content_type) == ("office_photo", "image/png")
