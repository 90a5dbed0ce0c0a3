"""Yearly progress of an adopted plan's programs, on the page and through the API: the owning
agency reports (an operator whose grant names the agency, or the region's operator), the ministry
and the region's mentors read, nobody else; bad input is refused with the field named and what
was there is kept."""

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.accounts.models import RoleGrant
from kotacerdas.accounts.services import create_token
from kotacerdas.masterplans import services
from kotacerdas.masterplans.models import ProgressRecord

from .helpers import adopted_plan, agencies_of, make_mentor

pytestmark = pytest.mark.django_db


def _programs(plan):
    """{agency kind: program} of the adopted plan of the helpers (diskominfo and dlh)."""
    return {p.owner_agency.kind.code: p for p in plan.programs.select_related("owner_agency__kind")}


def _token(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 't')[1]}"}


def test_who_reads_and_who_reports_progress_on_the_page(client, alice, bob, carol, dave, erin, english):
    plan = adopted_plan()
    make_mentor(carol)
    program = _programs(plan)["dlh"]
    services.record_progress(program, 2026, status="running", realisation=30, user=dave)
    url = f"/masterplans/{plan.pk}/progress/?year=2026"
    answers = {}
    for name, user in {"ministry": alice, "assessor": bob, "mentor": carol, "operator": dave, "other operator": erin}.items():
        client.force_login(user)
        response = client.get(url)
        answers[name] = (response.status_code, b'data-action="report-progress"' in response.content)
    assert answers == {"ministry": (200, False), "assessor": (403, False), "mentor": (200, False),
                       "operator": (200, True), "other operator": (404, False)}
    client.logout()
    assert client.get(url).status_code == 302
    post = {"program": program.pk, "status": "done", "realisation": "100", "budget_spent": "5000", "note": "Selesai"}
    for user in (alice, carol, erin):
        client.force_login(user)
        assert client.post(url, post).status_code in (403, 404)
    assert ProgressRecord.objects.get(program=program, year=2026).status == "running"


def test_the_operator_reports_with_evidence_and_the_plan_is_not_touched(client, dave, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = adopted_plan()
    plan_history = plan.history.count()
    program = _programs(plan)["diskominfo"]
    client.force_login(dave)
    response = client.post(f"/masterplans/{plan.pk}/progress/?year=2027", {
        "program": program.pk, "status": "running", "realisation": "45.5", "budget_spent": "25000000", "note": "Tahap 2",
        "evidence": SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti"),
    })
    assert response.status_code == 302
    record = ProgressRecord.objects.get(program=program, year=2027)
    assert (record.status, str(record.realisation), record.budget_spent, record.reported_by) == ("running", "45.5", 25_000_000, dave)
    assert record.evidence.name.endswith(".pdf") and record.history.last().history_user == dave
    assert plan.history.count() == plan_history
    page = client.get(f"/masterplans/{plan.pk}/progress/?year=2027").content.decode()
    assert "1 of 2 programs reported" in page and 'data-status="running"' in page
    assert f'href="/masterplans/{plan.pk}/progress/"' in client.get(f"/masterplans/{plan.pk}/").content.decode()


def test_an_agency_operator_reports_only_their_own_agencys_programs(client, dave, english):
    plan = adopted_plan()
    programs = _programs(plan)
    RoleGrant.objects.filter(user=dave).update(agency=agencies_of()["dlh"])
    client.force_login(dave)
    page = client.get(f"/masterplans/{plan.pk}/progress/?year=2026").content.decode()
    assert page.count('data-action="report-progress"') == 1
    theirs = {"program": programs["dlh"].pk, "status": "running"}
    assert client.post(f"/masterplans/{plan.pk}/progress/?year=2026", theirs).status_code == 302
    others = {"program": programs["diskominfo"].pk, "status": "done"}
    assert client.post(f"/masterplans/{plan.pk}/progress/?year=2026", others).status_code == 404
    with pytest.raises(ValidationError, match="your own agency"):
        services.record_progress(programs["diskominfo"], 2026, status="done", user=dave)
    assert not ProgressRecord.objects.filter(program=programs["diskominfo"]).exists()
    token = _token(dave)
    url = f"/api/v1/masterplans/{plan.pk}/programs/{programs['diskominfo'].pk}/progress/2026"
    assert client.put(url, {"status": "done"}, content_type="application/json", **token).status_code == 404


def test_bad_progress_is_refused_with_the_field_named_and_the_earlier_record_kept(client, dave, english):
    plan = adopted_plan()
    program = _programs(plan)["dlh"]
    services.record_progress(program, 2026, status="running", realisation=40, user=dave)
    client.force_login(dave)
    url = f"/masterplans/{plan.pk}/progress/?year=2026"
    response = client.post(url, {"program": program.pk, "status": "done", "realisation": "140"}, follow=True)
    assert "realisation (%)" in response.content.decode()
    response = client.post(url, {"program": program.pk, "status": "finished"}, follow=True)
    assert "status" in response.content.decode()
    token = _token(dave)
    api = f"/api/v1/masterplans/{plan.pk}/programs/{program.pk}/progress"
    refused = client.put(f"{api}/2026", {"status": "done", "realisation": 101}, content_type="application/json", **token)
    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == ["realisation"]
    refused = client.put(f"{api}/2026", {"status": "later"}, content_type="application/json", **token)
    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == ["status"]
    refused = client.put(f"{api}/2040", {"status": "done"}, content_type="application/json", **token)
    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == ["year"]
    record = ProgressRecord.objects.get(program=program, year=2026)
    assert (record.status, record.realisation) == ("running", 40)
    assert not ProgressRecord.objects.filter(program=program, year=2040).exists()


def test_the_api_reads_and_writes_progress(client, alice, carol, dave, erin, english):
    plan = adopted_plan()
    make_mentor(carol)
    program = _programs(plan)["dlh"]
    url = f"/api/v1/masterplans/{plan.pk}/programs/{program.pk}/progress/2026"
    written = client.put(url, {"status": "running", "realisation": 62.5, "budget_spent": 10}, content_type="application/json", **_token(dave))
    assert written.status_code == 200 and written.json()["status"] == "running" and written.json()["realisation"] == 62.5
    for user, expected in ((alice, 403), (carol, 403), (erin, 404)):
        assert client.put(url, {"status": "done"}, content_type="application/json", **_token(user)).status_code == expected
    read = client.get(f"/api/v1/masterplans/{plan.pk}/progress?year=2026", **_token(carol))
    assert read.status_code == 200
    by_program = {row["program"]: row for row in read.json()}
    assert by_program[program.pk]["reported"] is True and by_program[program.pk]["budget_spent"] == 10
    assert [row["reported"] for row in read.json()].count(False) == 1
    assert client.get(f"/api/v1/masterplans/{plan.pk}/progress?year=2026", **_token(erin)).status_code == 404
    assert client.get(f"/api/v1/masterplans/{plan.pk}/progress?year=2026").status_code == 401


def test_evidence_that_is_not_what_its_name_says_is_refused_and_the_record_kept(client, dave, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = adopted_plan()
    program = _programs(plan)["dlh"]
    services.record_progress(program, 2026, status="running", realisation=40, user=dave,
                             evidence=SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n..."))
    kept = ProgressRecord.objects.get(program=program, year=2026).evidence.name
    client.force_login(dave)
    url = f"/masterplans/{plan.pk}/progress/?year=2026"
    page = client.post(url, {"program": program.pk, "status": "done", "realisation": "100",
                             "evidence": SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 an executable")}, follow=True)
    assert "“bukti.pdf” is not really a PDF file" in page.content.decode()
    page = client.post(url, {"program": program.pk, "status": "done", "evidence": SimpleUploadedFile("run.exe", b"MZ")}, follow=True)
    assert "“run.exe” is not an allowed file type" in page.content.decode()
    with pytest.raises(ValidationError) as refused:
        services.record_progress(program, 2026, status="done", evidence=SimpleUploadedFile("bukti.pdf", b"%PDF-" + b"x" * services.UPLOAD_MAX_BYTES))
    assert list(refused.value.message_dict) == ["evidence"] and "larger than 10.0 MB" in refused.value.messages[0]
    record = ProgressRecord.objects.get(program=program, year=2026)
    assert (record.status, record.realisation, record.evidence.name) == ("running", 40, kept)
    assert kept.startswith("masterplans/progress/") and kept.endswith(".png") and "foto" not in kept


def test_the_evidence_is_given_to_whoever_reads_the_progress_as_an_attachment(client, alice, bob, carol, dave, erin, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = adopted_plan()
    make_mentor(carol)
    program = _programs(plan)["dlh"]
    services.record_progress(program, 2027, status="done", user=dave, evidence=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 bukti"))
    url = f"/masterplans/{plan.pk}/progress/{program.pk}/2027/evidence/"
    client.force_login(carol)
    assert f'href="{url}"' in client.get(f"/masterplans/{plan.pk}/progress/?year=2027").content.decode()
    answers = {}
    for name, user in {"ministry": alice, "assessor": bob, "mentor": carol, "operator": dave, "other operator": erin}.items():
        client.force_login(user)
        answers[name] = client.get(url).status_code
    assert answers == {"ministry": 200, "assessor": 403, "mentor": 200, "operator": 200, "other operator": 404}
    client.force_login(carol)
    download = client.get(url)
    assert download["Content-Disposition"].startswith("attachment") and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 bukti"
    assert client.get(f"/masterplans/{plan.pk}/progress/{program.pk}/2026/evidence/").status_code == 404
