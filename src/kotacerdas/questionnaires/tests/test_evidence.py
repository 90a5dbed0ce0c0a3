"""Evidence files: allowed types checked by content, a size limit, storage through Django's
storage API, and a ZIP per region for the ministry."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.questionnaires import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def _docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize("name, content", [("sk.pdf", PDF), ("foto.png", PNG), ("foto.jpg", b"\xff\xd8\xff\xe0" + b"0" * 10), ("perda.docx", _docx())])
def test_allowed_files_attach_to_a_question(submission, dave, name, content):
    evidence = services.add_evidence(submission, "has_plan", SimpleUploadedFile(name, content), user=dave)
    assert evidence.file.name.startswith("questionnaires/evidence/")
    assert evidence.file.read() == content


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("tool.exe", b"MZ", "not an allowed file type"),
        ("fake.pdf", b"MZ\x90\x00", "not really a PDF file"),
        ("fake.png", PDF, "not really a PNG file"),
        ("fake.docx", b"PK\x03\x04broken", "not really a DOCX file"),
        ("sheet.xlsx", _docx(), "not really a XLSX file"),
        ("empty.pdf", b"", "is empty"),
    ],
)
def test_bad_uploads_are_refused(submission, dave, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.add_evidence(submission, "has_plan", SimpleUploadedFile(name, content), user=dave)


def test_a_file_over_the_limit_is_refused(submission, dave, settings):
    settings.QUESTIONNAIRE_EVIDENCE_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="larger than"):
        services.add_evidence(submission, "has_plan", SimpleUploadedFile("big.pdf", PDF + b"0" * 200), user=dave)


def test_evidence_must_name_a_question(submission, dave):
    with pytest.raises(ValidationError, match="not a question"):
        services.add_evidence(submission, "nope", SimpleUploadedFile("sk.pdf", PDF), user=dave)


def test_the_page_uploads_and_the_ministry_downloads_a_zip(client, submission, dave, alice, erin):
    client.force_login(dave)
    url = f"/questionnaires/{submission.assignment_id}/fill/63.03/evidence/"
    assert client.post(url, {"key": "has_plan", "file": SimpleUploadedFile("sk.pdf", PDF)}).status_code == 302
    evidence = submission.evidence.get()
    assert client.get(f"/questionnaires/evidence/{evidence.pk}/").status_code == 200
    client.force_login(erin)
    assert client.get(f"/questionnaires/evidence/{evidence.pk}/").status_code == 404
    client.force_login(alice)
    response = client.get(f"/questionnaires/submissions/{submission.pk}/evidence.zip")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == ["has_plan/001-sk.pdf"]


def test_evidence_is_stored_under_a_generated_name_and_its_label_is_cleaned(submission, dave):
    evidence = services.add_evidence(submission, "has_plan", SimpleUploadedFile("../../etc/pass\x00wd\u202e.pdf", PDF), user=dave)
    stored = evidence.file.name.rsplit("/", 1)[1]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", stored)
    assert "/" not in evidence.original_name and "\x00" not in evidence.original_name and evidence.original_name.endswith(".pdf")


def test_evidence_is_downloaded_as_an_attachment_never_rendered(client, submission, dave, alice):
    evidence = services.add_evidence(submission, "has_plan", SimpleUploadedFile("sk.pdf", PDF), user=dave)
    client.force_login(alice)
    response = client.get(f"/questionnaires/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # A type a browser would run in the platform's origin is never served as itself.
    from kotacerdas.questionnaires.models import Evidence

    Evidence.objects.filter(pk=evidence.pk).update(content_type="image/svg+xml")
    assert client.get(f"/questionnaires/evidence/{evidence.pk}/")["Content-Type"] == "application/octet-stream"
    Evidence.objects.filter(pk=evidence.pk).update(content_type="text/html")
    assert client.get(f"/questionnaires/evidence/{evidence.pk}/")["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize("name", ["page.html", "logo.svg", "x.htm"])
def test_html_and_svg_are_never_accepted(submission, dave, name):
    with pytest.raises(ValidationError, match="not an allowed file type"):
        services.add_evidence(submission, "has_plan", SimpleUploadedFile(name, b"<svg onload=alert(1)>"), user=dave)
