"""Publishing a decision enqueues its letter (PDF) in each language for a worker; the public
link serves the stored file, and renders and stores it itself when no worker has yet."""

import datetime
import re

from django.core.files.storage import default_storage
from django_tasks_db.models import DBTaskResult

from kotacerdas.assessment import selection as services
from kotacerdas.assessment.tasks import decision_pdf_name
from kotacerdas.lib.jobs.tests.helpers import run_queued_tasks

from .test_results_and_selection import closed_panel  # noqa: F401 (fixture)


def test_confirming_on_the_page_has_a_worker_render_the_letter_in_each_language(client, alice, closed_panel):  # noqa: F811
    selection = services.propose_selection(closed_panel, {})
    client.force_login(alice)
    response = client.post("/assessment/panels/2027/selection/", {"action": "confirm", "confirm": "yes", "letter_number": "B-1/2027", "letter_date": "2027-05-14"})
    assert response.status_code == 302
    assert DBTaskResult.objects.filter(status="READY").count() == 2
    run_queued_tasks()
    for language in ("id", "en"):
        assert default_storage.open(decision_pdf_name(selection, language)).read().startswith(b"%PDF")
    client.cookies["django_language"] = "en"
    pdf = client.get("/assessment/decisions/2027/decision.pdf")
    assert pdf.content == default_storage.open(decision_pdf_name(selection, "en")).read()


def test_without_a_worker_the_public_link_renders_and_stores_the_letter(client, alice, closed_panel):  # noqa: F811
    selection = services.propose_selection(closed_panel, {})
    services.confirm_selection(selection, letter_number="B-2/2027", letter_date=datetime.date(2027, 5, 14), user=alice)
    assert not default_storage.exists(decision_pdf_name(selection, "id"))
    client.cookies["django_language"] = "id"
    pdf = client.get("/assessment/decisions/2027/decision.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert default_storage.listdir("decisions/2027") == ([], [decision_pdf_name(selection, "id").rsplit("/", 1)[1]])


def test_the_indonesian_letter_is_in_indonesian_and_the_english_one_in_english(client, alice, closed_panel):  # noqa: F811
    import io

    from pypdf import PdfReader

    selection = services.propose_selection(closed_panel, {})
    services.confirm_selection(selection, letter_number="B-3/2027", letter_date=datetime.date(2027, 5, 14), user=alice)

    def text(language):
        client.cookies["django_language"] = language
        pdf = client.get("/assessment/decisions/2027/decision.pdf")
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)

    indonesian = text("id")
    assert "Keputusan tentang daerah terpilih" in indonesian and "14 Mei 2027" in indonesian
    assert "Skor akhir" in indonesian and "wilayah berikut terpilih" in indonesian
    for english in ("Decision on the selected regions", "Decision letter number", "Final score", "are selected", "May"):
        assert english not in indonesian
    assert re.search(r"\b\d+,\d\d\b", indonesian)  # scores with the decimal comma
    english = text("en")
    assert "Decision on the selected regions" in english and "14 May 2027" in english
    assert re.search(r"\b\d+\.\d\d\b", english)
