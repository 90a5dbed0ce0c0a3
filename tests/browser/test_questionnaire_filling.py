"""A region operator fills their region's readiness questionnaire in Chromium: a dependent
question appears (htmx) after the answer that triggers it, a constraint and a missing required
answer show their messages, an evidence file is attached and the questionnaire is submitted;
typing saves the draft without leaving the field (which keeps its focus and text)."""

import datetime
import io
import re

import pytest
from django.utils import timezone, translation

from kotacerdas.conftest import ROLE_PASSWORD, dave, reference_data  # noqa: F401

pytestmark = pytest.mark.browser

HEADER = ["type", "name", "label::Bahasa Indonesia (id)", "label::English (en)", "hint::Bahasa Indonesia (id)",
          "required", "relevant", "constraint", "constraint_message::Bahasa Indonesia (id)"]
SURVEY = [
    ["select_one yn", "has_team", "Ada tim smart city?", "Is there a smart city team?", "", "yes"],
    # Skip logic: asked only when there is a team.
    ["text", "team_decree", "Nomor SK tim", "Number of the team's decree", "Lampirkan SK (PDF) sebagai bukti", "", "${has_team} = 'ya'"],
    # Required, with a constraint and its own message.
    ["integer", "staff", "Jumlah pegawai TIK", "ICT staff", "", "yes", "", ". >= 1 and . <= 500", "Antara 1 dan 500"],
]
CHOICES = [["yn", "ya", "Ya", "Yes"], ["yn", "tidak", "Tidak", "No"]]
# A small valid PDF: the content check reads its first bytes.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _xlsform():
    from openpyxl import Workbook

    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    for row in [HEADER, *SURVEY]:
        survey.append(row)
    choices = workbook.create_sheet("choices")
    for row in [["list_name", "name", "label::Bahasa Indonesia (id)", "label::English (en)"], *CHOICES]:
        choices.append(row)
    settings_sheet = workbook.create_sheet("settings")
    settings_sheet.append(["form_title", "form_id", "version"])
    settings_sheet.append(["Kesiapan Uji Peramban", "kesiapan_peramban", "1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def readiness(dave, settings, tmp_path):  # noqa: F811
    """The form imported and attached to the readiness stage of a phase Banjar is invited to,
    open since yesterday and for a week more."""
    from kotacerdas.program.models import Participation, Phase, ParticipationStatus
    from kotacerdas.questionnaires import services
    from kotacerdas.regions.models import Region

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    phase = Phase.objects.create(year=2033, name="Tahap Uji Peramban 2033", quota=1, is_demo=True)
    Participation.objects.create(phase=phase, region=Region.objects.get(code="63.03"), status=ParticipationStatus.INVITED)
    version = services.import_form(_xlsform(), "kesiapan_peramban.xlsx")
    now = timezone.now()
    return services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))


def _gettext_id(message):
    with translation.override("id"):
        return translation.gettext(message)


def _saved_by_htmx(page, action, key, value):
    """Do ``action`` (which changes the answer ``key``) and wait until htmx has saved it and
    swapped the form back in: the hidden original value then carries the saved value."""
    with page.expect_response(lambda r: r.request.method == "POST" and "/fill/63.03/" in r.url and r.request.headers.get("hx-request") == "true") as response:
        action()
    assert response.value.status == 200
    page.wait_for_function(
        "([key, value]) => { const e = document.querySelector(`#questionnaire-form input[name='orig:${key}']`);"
        " return e && e.value === value && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling'); }",
        arg=[key, value],
    )


def _log_in(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name='username']", "dave")
    page.fill("input[name='password']", ROLE_PASSWORD)
    page.locator("main form button[type='submit']").click()
    page.wait_for_url(re.compile(r"/start/$"))


def test_an_operator_fills_and_submits_the_readiness_questionnaire(live_server, readiness, page):
    from kotacerdas.questionnaires.models import Evidence, Submission

    _log_in(page, live_server)

    # Their questionnaires, then the start page of Banjar's.
    page.goto(live_server.url + "/questionnaires/")
    page.locator("table.data a", has_text="Kesiapan Uji Peramban").click()
    page.wait_for_url(re.compile(rf"/questionnaires/{readiness.pk}/fill/63\.03/$"))
    page.locator("[data-start]").click()
    page.wait_for_load_state("load")
    assert page.locator("[data-status]").get_attribute("data-status") == "draft"
    assert page.evaluate("() => typeof window.htmx") == "object"

    # Skip logic: the decree's number is hidden until the answer "ya" is chosen, saved by htmx
    # without reloading the page (the marker set on this window survives).
    decree = page.locator("#questionnaire-form .question[data-key='team_decree']")
    assert decree.get_attribute("hidden") is not None and not decree.is_visible()
    page.evaluate("() => { window.__stillThisPage = true; }")
    _saved_by_htmx(page, lambda: page.locator("#q-has_team-ya").check(), "has_team", "ya")
    decree = page.locator("#questionnaire-form .question[data-key='team_decree']")
    assert decree.get_attribute("hidden") is None and decree.is_visible()
    assert page.evaluate("() => window.__stillThisPage === true")
    assert page.locator("#q-has_team-ya").is_checked()

    # The negative step: submitting without the required staff count shows why on the page.
    page.locator("#questionnaire-form [data-submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("[data-status]").get_attribute("data-status") == "draft"
    required = page.locator("p.error[data-error='staff']")
    assert required.count() == 1 and required.text_content().strip() == _gettext_id("This answer is required.")
    messages = page.locator("ul.messages li.error")
    assert messages.count() == 1
    summary = _gettext_id("The questionnaire has %(count)s answers to fix before it can be submitted.") % {"count": 1}
    assert messages.text_content().strip() == summary

    # The constraint: an out-of-range count shows the form's own message while typing.
    staff = page.locator("#q-staff")
    _saved_by_htmx(page, lambda: (staff.fill("900"), staff.dispatch_event("change")), "staff", "900")
    assert page.locator("p.error[data-error='staff']").text_content().strip() == "Antara 1 dan 500"
    staff = page.locator("#q-staff")
    _saved_by_htmx(page, lambda: (staff.fill("12"), staff.dispatch_event("change")), "staff", "12")
    assert page.locator("p.error[data-error='staff']").count() == 0
    number = page.locator("#q-team_decree")
    _saved_by_htmx(page, lambda: (number.fill("188/45/2024"), number.dispatch_event("change")), "team_decree", "188/45/2024")

    # Evidence for the decree: a small PDF through the upload form.
    upload = page.locator("section.evidence-upload form")
    upload.locator("select[name='key']").select_option("team_decree")
    upload.locator("input[name='file']").set_input_files(files=[{"name": "sk_tim.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    upload.locator("button[type='submit']").click()
    page.wait_for_load_state("load")
    assert page.locator("ul.messages li.success").count() == 1
    assert page.locator(".question[data-key='team_decree'] ul.evidence a", has_text="sk_tim.pdf").count() == 1
    assert page.locator("#q-staff").input_value() == "12"  # the answers were kept

    # Submitting now succeeds and the page shows the new status, read-only.
    page.locator("#questionnaire-form [data-submit]").click()
    page.wait_for_load_state("load")
    status = page.locator("[data-status]")
    assert status.get_attribute("data-status") == "submitted"
    with translation.override("id"):
        from kotacerdas.questionnaires.models import SubmissionStatus

        assert status.text_content().strip() == str(SubmissionStatus.SUBMITTED.label)
    assert page.locator("ul.messages li.success").text_content().strip() == _gettext_id("The questionnaire was submitted. Thank you.")
    assert page.locator("#questionnaire-form [data-submit]").count() == 0
    assert page.locator("#q-staff").is_disabled()

    # What the database holds.
    submission = Submission.objects.get(assignment=readiness, region__code="63.03")
    assert submission.status == "submitted" and submission.submitted_at is not None
    answers = dict(submission.answers.values_list("key", "value"))
    assert answers == {"has_team": "ya", "team_decree": "188/45/2024", "staff": "12"}
    assert all(a.updated_by.username == "dave" for a in submission.answers.select_related("updated_by"))
    evidence = Evidence.objects.get(submission=submission)
    assert (evidence.key, evidence.original_name, evidence.content_type, evidence.size) == ("team_decree", "sk_tim.pdf", "application/pdf", len(PDF))
    assert evidence.uploaded_by.username == "dave"
    with evidence.file.open("rb") as stored:
        assert stored.read() == PDF
    assert list(submission.status_changes.values_list("to_status", flat=True)) == ["draft", "submitted"]


def test_typing_saves_the_draft_without_leaving_the_field(live_server, readiness, page):
    from kotacerdas.questionnaires.models import Answer

    _log_in(page, live_server)
    page.goto(live_server.url + f"/questionnaires/{readiness.pk}/fill/63.03/")
    page.locator("[data-start]").click()
    page.wait_for_load_state("load")
    _saved_by_htmx(page, lambda: page.locator("#q-has_team-ya").check(), "has_team", "ya")

    # Typing, then a pause without leaving the field: the draft is saved after the pause.
    number = page.locator("#q-team_decree")
    number.click()
    _saved_by_htmx(page, lambda: number.press_sequentially("188/45"), "team_decree", "188/45")
    answer = Answer.objects.get(submission__assignment=readiness, key="team_decree")
    assert (answer.value, answer.revision, answer.updated_by.username) == ("188/45", 1, "dave")
    # The field was not replaced: it keeps the focus, its text and the caret at its end.
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == "q-team_decree"
    assert number.input_value() == "188/45"
    assert page.evaluate("() => document.activeElement.selectionStart") == len("188/45")
    assert page.locator("#save-state").text_content().strip() == _gettext_id("Saved.")

    # Typing on continues from the saved revision.
    _saved_by_htmx(page, lambda: page.keyboard.type("/2024"), "team_decree", "188/45/2024")
    answer.refresh_from_db()
    assert (answer.value, answer.revision) == ("188/45/2024", 2)
    assert page.evaluate("() => document.activeElement.id") == "q-team_decree"
    assert number.input_value() == "188/45/2024"
