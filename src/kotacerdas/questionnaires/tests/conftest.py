import datetime
import io

import pytest
from django.utils import timezone

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

SURVEY_HEADER = ["type", "name", "label::Bahasa Indonesia (id)", "label::English (en)", "hint::English (en)", "required",
                 "relevant", "constraint", "constraint_message::English (en)", "calculation", "default", "weight"]


CHOICES_HEADER = ["list_name", "name", "label::Bahasa Indonesia (id)", "label::English (en)", "score"]


def xlsform(survey, choices=(), settings=(("form_title", "form_id", "version"), ("Kuesioner Uji", "uji", "1")), header=SURVEY_HEADER,
            choices_header=CHOICES_HEADER, extra_sheets=()):
    """An .xlsx workbook (bytes) from rows of cells, the survey header given above; each of
    ``extra_sheets`` is (title, rows)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    sheet.append(list(header))
    for row in survey:
        sheet.append(list(row))
    if choices:
        sheet = workbook.create_sheet("choices")
        sheet.append(list(choices_header))
        for row in choices:
            sheet.append(list(row))
    if settings:
        sheet = workbook.create_sheet("settings")
        for row in settings:
            sheet.append(list(row))
    for title, rows in extra_sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A form with every supported type, skip logic, a constraint, a calculation, a repeat and scores.
SURVEY = [
    ["begin_group", "komitmen", "Komitmen", "Commitment"],
    ["select_one yn", "has_plan", "Ada rencana?", "Is there a plan?", "", "yes", "", "", "", "", "", "2"],
    ["integer", "plan_year", "Tahun rencana", "Year of the plan", "e.g. 2024", "yes", "${has_plan} = 'yes'", ". >= 2000 and . <= 2030", "Between 2000 and 2030", "", "", ""],
    ["text", "why_not", "Mengapa tidak?", "Why not?", "", "", "${has_plan} = 'no'"],
    ["end_group"],
    ["begin_group", "anggaran", "Anggaran", "Budget"],
    ["decimal", "budget", "Anggaran (miliar Rp)", "Budget (billion Rp)", "", "", "", ". >= 0", "", "", "0"],
    ["select_multiple areas", "areas", "Bidang", "Areas", "", "", "", "count-selected(.) <= 2", "At most two", "", "", "1"],
    ["date", "decided_on", "Tanggal keputusan", "Date of decision"],
    ["calculate", "budget_million", "", "", "", "", "", "", "", "${budget} * 1000"],
    ["note", "budget_note", "Catatan anggaran", "Budget note", "", "", "${budget} > 100"],
    ["end_group"],
    ["begin_repeat", "apps", "Aplikasi", "Applications"],
    ["text", "app_name", "Nama aplikasi", "Application name", "", "yes"],
    ["end_repeat"],
]
CHOICES = [
    ["yn", "yes", "Ya", "Yes", 10],
    ["yn", "no", "Tidak", "No", 0],
    ["areas", "gov", "Pemerintahan", "Governance", 5],
    ["areas", "eco", "Ekonomi", "Economy", 5],
    ["areas", "env", "Lingkungan", "Environment", 5],
]


@pytest.fixture
def form_bytes():
    return xlsform(SURVEY, CHOICES)


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings, tmp_path):
    settings.TASKS = IMMEDIATE_TASKS
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def phase(reference_data):
    from kotacerdas.program.models import Participation, Phase, ParticipationStatus
    from kotacerdas.regions.models import Region

    phase = Phase.objects.create(year=2031, name="Tahap Uji 2031", quota=2, is_demo=True)
    for code in ("63.03", "63.04", "91.03"):
        Participation.objects.create(phase=phase, region=Region.objects.get(code=code), status=ParticipationStatus.INVITED)
    return phase


@pytest.fixture
def assignment(phase, form_bytes):
    from kotacerdas.questionnaires.services import attach_form, import_form

    version = import_form(form_bytes, "uji.xlsx")
    now = timezone.now()
    return attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))


@pytest.fixture
def banjar():
    from kotacerdas.regions.models import Region

    return Region.objects.get(code="63.03")


@pytest.fixture
def submission(assignment, banjar, dave):
    from kotacerdas.questionnaires.services import start_submission

    return start_submission(assignment, banjar, user=dave)


def complete_answers():
    return {"has_plan": ("yes", 0), "plan_year": ("2024", 0), "areas": ("gov eco", 0), "decided_on": ("2024-03-01", 0)}
