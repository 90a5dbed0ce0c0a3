"""Mentoring uploads (outputs, decrees, forum minutes) take the platform's one way in
(lib.files): type decided by the content, a size limit, a generated storage name; a refused
file is named with the reason and nothing of the action is kept."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.accounts.services import create_token
from kotacerdas.mentoring import services
from kotacerdas.mentoring.models import Council, ForumMeeting, OutputUpload

from .helpers import BANJAR, region, small_cohort

pytestmark = pytest.mark.django_db

HTML_AS_PDF = b"<html><script>alert(1)</script></html>"


def _output():
    cohort, _mentors, _assignments = small_cohort()
    return cohort.bimteks.get(number=1).outputs.first()


def test_an_output_is_stored_under_a_generated_name(reference_data):
    upload = services.upload_output(_output(), region(BANJAR), SimpleUploadedFile("../../analisis swot.pdf", b"%PDF-1.4\n"))
    stored = upload.file.name.rsplit("/", 1)[-1]
    assert "swot" not in stored and ".." not in upload.file.name and stored.endswith(".pdf")


@pytest.mark.parametrize("name, content, words", [
    ("swot.pdf", HTML_AS_PDF, "is not really a PDF file"),
    ("swot.html", HTML_AS_PDF, "is not an allowed file type"),
    ("swot.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "is not an allowed file type"),
    ("swot.pdf", b"", "is empty"),
])
def test_a_bad_output_is_refused_and_nothing_is_kept(reference_data, name, content, words):
    output = _output()
    with pytest.raises(ValidationError, match=words):
        services.upload_output(output, region(BANJAR), SimpleUploadedFile(name, content))
    assert not OutputUpload.objects.exists()


def test_an_output_above_the_limit_is_refused(reference_data, settings):
    settings.MENTORING_UPLOAD_MAX_BYTES = 1024
    output = _output()
    with pytest.raises(ValidationError, match="larger than"):
        services.upload_output(output, region(BANJAR), SimpleUploadedFile("swot.pdf", b"%PDF-1.4\n" + b"0" * 2048))
    assert not OutputUpload.objects.exists()


def test_the_api_names_the_file_field_and_keeps_the_earlier_decree(reference_data, client, dave):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(dave, 't')[1]}"}
    services.save_decree(Council, region(BANJAR), decree_number="188/1/2033", decree_file=SimpleUploadedFile("sk.pdf", b"%PDF-1.4 first\n"))
    base = f"/api/v1/regions/{BANJAR}/institutions"
    refused = client.post(f"{base}/council/decree", {"decree_number": "188/2/2033", "file": SimpleUploadedFile("sk.pdf", HTML_AS_PDF)}, **headers)
    assert refused.status_code == 400, refused.content
    assert "not really a PDF" in str(refused.json())
    council = Council.objects.get(region__code=BANJAR)
    assert council.decree_number == "188/1/2033" and council.decree_file.open("rb").read() == b"%PDF-1.4 first\n"

    forum = client.post(f"{base}/forums", {"title": "Forum OPD", "starts_at": "2033-04-02T09:00",
                                           "file": SimpleUploadedFile("notulen.docx", b"not a zip")}, **headers)
    assert forum.status_code == 400 and "not really a DOCX" in str(forum.json())
    assert not ForumMeeting.objects.exists()

    output = _output()
    upload = client.post(f"/api/v1/mentoring/outputs/{output.pk}/regions/{BANJAR}", {"file": SimpleUploadedFile("x.pdf", HTML_AS_PDF)}, **headers)
    assert upload.status_code == 400 and not OutputUpload.objects.exists()
