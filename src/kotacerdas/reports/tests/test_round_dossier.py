"""Audit dossiers per evaluation round: a region's result with its scores, ranks and letter, the
findings and their follow-up (evidence by SHA-256), objections and the change log, as HTML and
PDF; the full version for the ministry, the public one without personal data; an unpublished
round is the ministry's alone."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from kotacerdas.evaluation import services
from kotacerdas.evaluation.models import FollowUp
from kotacerdas.evaluation.tests.helpers import BANJAR, make_round, region, scores, store

pytestmark = pytest.mark.django_db

EVIDENCE = b"%PDF-1.4 bukti tindak lanjut\n"
URL = f"/regions/{BANJAR}/dossier/evaluation/2034/1/"


@pytest.fixture
def rounds(alice, dave):
    """2034 stage 1 published (Banjar 3.50 -> corrected by alice, a recommendation), 2034
    stage 2 unpublished where dave answers the recommendation with evidence."""
    first = make_round(2034, 1)
    store(first, {BANJAR: scores("3.00", "3.00", "3.00", "3.00", "3.00")})
    second = make_round(2034, 2)
    services.add_finding(first, region(BANJAR), "strength", "Command center berjalan", user=alice)
    services.add_finding(first, region(BANJAR), "recommendation", "Tetapkan Perbup masterplan", user=alice)
    result = first.results.get(region__code=BANJAR)
    services.correct_result(result, {"impact": "4.00"}, reason="Salah ketik dampak", user=alice)
    services.publish_round(first, user=alice)
    store(second, {BANJAR: scores("4.00", "4.00", "4.00", "4.00", "4.00")})
    item = FollowUp.objects.get(recommendation__region__code=BANJAR, answered_in=second)
    services.answer_follow_up(item, status="done", note="Perbup 7/2034", user=dave,
                              evidence=SimpleUploadedFile("perbup-banjar.pdf", EVIDENCE, content_type="application/pdf"))
    return first, second


def _client(user=None):
    """A client of its own per viewer, in English like the ``client`` fixture."""
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _section(html, name):
    start = html.index(f'data-section="{name}"')
    return html[start:html.index("</section>", start)]


def test_the_ministry_reads_the_full_round_dossier(client, alice, rounds):
    client.force_login(alice)
    html = client.get(URL).content.decode()
    assert "Full version (ministry)" in html
    assert "Index" in _section(html, "result") and "3.20" in _section(html, "result")  # 3.00 with impact 4.00
    findings = _section(html, "findings")
    assert "Command center berjalan" in findings and "Tetapkan Perbup masterplan" in findings
    log = _section(html, "log")
    assert "correction: Salah ketik dampak" in log and "alice" in log


def test_the_public_round_dossier_leaves_out_who_changed_what(rounds, role_users):
    for user in (None, role_users["operator"], role_users["assessor"]):
        client = _client(user)
        html = client.get(URL).content.decode()
        assert "Public version: personal data left out" in html
        assert "3.20" in _section(html, "result")
        log = _section(html, "log")
        assert "correction: Salah ketik dampak" in log
        assert "alice" not in log and "dave" not in log


def test_an_unpublished_round_is_the_ministrys_alone(alice, rounds, role_users):
    unpublished = f"/regions/{BANJAR}/dossier/evaluation/2034/2/"
    for user in (None, role_users["operator"], role_users["other operator"], role_users["mentor"]):
        client = _client(user)
        assert client.get(unpublished).status_code == 404
        assert client.get(unpublished.rstrip("/") + ".pdf").status_code == 404
    client = _client(alice)
    html = client.get(unpublished).content.decode()
    assert "Not published yet." in html and "4.00" in _section(html, "result")
    assert client.get(f"/regions/{BANJAR}/dossier/evaluation/2099/1/").status_code == 404  # no such round


def test_the_follow_up_evidence_is_listed_with_its_sha256(client, alice, rounds):
    client.force_login(alice)
    html = client.get(f"/regions/{BANJAR}/dossier/evaluation/2034/1/").content.decode()
    assert hashlib.sha256(EVIDENCE).hexdigest() in _section(html, "findings")


def test_the_round_pdf_reads_back_with_the_same_facts(client, alice, rounds):
    client.force_login(alice)
    response = client.get(URL.rstrip("/") + ".pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="dossier-evaluation-2034-1-63.03-full.pdf"' in response["Content-Disposition"]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    assert "Kabupaten Banjar" in text and "3.20" in text
    assert "Tetapkan Perbup masterplan" in text and "Salah ketik dampak" in text
    assert hashlib.sha256(EVIDENCE).hexdigest() in text.replace(" ", "")
    public = _client().get(URL.rstrip("/") + ".pdf")
    public_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(public.content)).pages)
    assert "Public version" in public_text and "alice" not in public_text


def test_the_profile_links_the_dossier_of_each_round_the_viewer_may_read(client, alice, rounds):
    html = client.get(f"/regions/{BANJAR}/").content.decode()
    section = _section(html, "evaluation-dossiers")
    assert URL in section and "/dossier/evaluation/2034/2/" not in section
    client.force_login(alice)
    section = _section(client.get(f"/regions/{BANJAR}/").content.decode(), "evaluation-dossiers")
    assert URL in section and "/dossier/evaluation/2034/2/" in section
