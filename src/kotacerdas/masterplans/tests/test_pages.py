"""The pages and the API: who sees which plan, the operator's and mentor's actions, exports, the
library and the taxonomy."""

import io

import pytest
from openpyxl import load_workbook

from kotacerdas.accounts.services import create_token
from kotacerdas.masterplans import services
from kotacerdas.masterplans.models import Comment, PlanStatus

from .helpers import add_program, adopted_plan, agencies_of, element, make_mentor, make_plan

pytestmark = pytest.mark.django_db


def test_adopted_plans_are_public_and_drafts_are_not(client, dave, erin, carol, english):
    adopted = adopted_plan()
    draft = services.new_version(adopted)
    assert client.get(f"/masterplans/{adopted.pk}/").status_code == 200
    assert client.get(f"/masterplans/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/masterplans/{draft.pk}").status_code == 404
    assert [p["id"] for p in client.get("/api/v1/regions/63.03/masterplans").json()] == [adopted.pk]
    for user, status in ((dave, 200), (erin, 404), (carol, 404)):
        client.force_login(user)
        assert client.get(f"/masterplans/{draft.pk}/").status_code == status
    make_mentor(carol)
    assert client.get(f"/masterplans/{draft.pk}/").status_code == 200


def test_the_plan_page_shows_chapters_charts_and_the_missing_quick_wins(client, english):
    plan = adopted_plan()
    page = client.get(f"/masterplans/{plan.pk}/").content.decode()
    assert 'data-chart="matrix"' in page and 'data-chart="roadmap"' in page and 'data-chart="budget"' in page
    assert 'data-missing-quick-win="ENV"' in page and 'data-missing-quick-win="GOV"' not in page
    assert 'data-missing-element="GOV-BM"' in page


def test_the_operator_adds_a_program_on_the_page_and_a_mentor_comments_but_cannot_edit(client, dave, carol, english):
    plan = make_plan()
    agencies = agencies_of()
    client.force_login(dave)
    response = client.post(f"/masterplans/{plan.pk}/programs/new/", {
        "name": "Command center", "element": element("GOV-KP").pk, "owner_agency": agencies["diskominfo"].pk,
        "start_year": 2026, "end_year": 2028, "budget_lines": "2026;apbd;1000000\n2027;csr;500000",
        "kpi_lines": "Dashboard aktif;unit;0;2026=1,2027=3",
    })
    assert response.status_code == 302
    program = plan.programs.get()
    assert (program.horizon, program.total_budget, program.kpis.get().targets) == ("medium", 1_500_000, {"2026": 1.0, "2027": 3.0})
    response = client.post(f"/masterplans/{plan.pk}/programs/new/", {
        "name": "Bad", "element": element("GOV-KP").pk, "owner_agency": agencies["diskominfo"].pk,
        "start_year": 2026, "end_year": 2026, "quick_win": "on", "budget_lines": "2026 apbd lots",
    })
    assert response.status_code == 200
    assert "Line 1: write year;source;amount" in response.content.decode()
    client.post(f"/masterplans/{plan.pk}/workflow/submit/")
    make_mentor(carol)
    client.force_login(carol)
    assert client.post(f"/masterplans/{plan.pk}/programs/new/", {"name": "x"}).status_code == 403
    client.post(f"/masterplans/{plan.pk}/comments/", {"section": "programs", "program": program.pk, "body": "KPI terlalu rendah"})
    comment = Comment.objects.get()
    assert (comment.program, comment.author, comment.is_open) == (program, carol, True)
    client.post(f"/masterplans/{plan.pk}/workflow/forward/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED  # refused: the comment is open
    client.post(f"/masterplans/{plan.pk}/comments/{comment.pk}/resolve/")
    client.post(f"/masterplans/{plan.pk}/workflow/forward/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.FORWARDED


def test_another_regions_operator_cannot_touch_the_draft(client, erin, english):
    plan = make_plan()
    client.force_login(erin)
    assert client.get(f"/masterplans/{plan.pk}/edit/").status_code == 404
    assert client.post(f"/masterplans/{plan.pk}/workflow/submit/").status_code == 404


def test_the_plan_exports_as_xlsx_and_pdf(client):
    plan = adopted_plan()
    book = load_workbook(io.BytesIO(client.get(f"/masterplans/{plan.pk}/plan.xlsx").content))
    assert book["programs"].max_row == 3
    pdf = client.get(f"/masterplans/{plan.pk}/plan.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_the_library_finds_programs_of_adopted_plans_only(client, english):
    adopted_plan()
    draft = make_plan("63.04")
    add_program(draft, name="Bank sampah draf", element_code="ENV-PS", agency="dlh")
    found = client.get("/api/v1/masterplans/library", {"q": "sampah"}).json()
    assert [p["name"] for p in found] == ["Bank sampah digital"]
    assert [p["name"] for p in client.get("/api/v1/masterplans/library", {"element": "GOV-PS"}).json()] == ["Mal pelayanan publik digital"]
    assert [p["name"] for p in client.get("/api/v1/masterplans/library", {"agency_kind": "dlh", "horizon": "medium"}).json()] == ["Bank sampah digital"]
    assert client.get("/api/v1/masterplans/library", {"horizon": "long"}).json() == []
    assert "Bank sampah digital" in client.get("/masterplans/library/", {"q": "sampah"}).content.decode()


def test_the_api_gives_the_plan_with_its_programs_in_the_named_fields(client):
    plan = adopted_plan()
    body = client.get(f"/api/v1/masterplans/{plan.pk}").json()
    program = next(p for p in body["programs"] if p["quick_win"])
    assert {k: program[k] for k in ("dimension", "element", "start_year", "end_year", "horizon", "budget", "quick_win", "status")} == {
        "dimension": "GOV", "element": "GOV-PS", "start_year": 2026, "end_year": 2026, "horizon": "short", "budget": 100_000_000,
        "quick_win": True, "status": "planned",
    }
    assert program["agency"].startswith("Dinas Komunikasi")
    taxonomy = client.get("/api/v1/taxonomy").json()
    assert len(taxonomy["dimensions"]) == 6 and taxonomy["dimensions"][5]["elements"][1]["iso37120"] == ["solid_waste"]


def test_the_api_writes_what_the_pages_do(client, dave, carol, english):
    agencies = agencies_of()
    token = {"HTTP_AUTHORIZATION": f"Bearer {create_token(dave, 't')[1]}"}
    created = client.post("/api/v1/regions/63.03/masterplans", {"start_year": 2026, "end_year": 2030}, content_type="application/json", **token)
    assert created.status_code == 201
    plan_id = created.json()["id"]
    program = {"name": "Smart parking", "element": "LIV-MB", "agency": agencies["dishub"].name, "start_year": 2026, "end_year": 2036}
    refused = client.post(f"/api/v1/masterplans/{plan_id}/programs", program, content_type="application/json", **token)
    assert refused.status_code == 400 and "end_year" in {e["field"] for e in refused.json()["errors"]}
    program["end_year"] = 2026
    program["budgets"] = [{"year": 2026, "source": "partnership", "amount": 10}]
    added = client.post(f"/api/v1/masterplans/{plan_id}/programs", program, content_type="application/json", **token)
    assert added.status_code == 201 and added.json()["horizon"] == "short"
    assert client.post(f"/api/v1/masterplans/{plan_id}/submit", **token).json()["status"] == "submitted"
    make_mentor(carol)
    mentor = {"HTTP_AUTHORIZATION": f"Bearer {create_token(carol, 't')[1]}"}
    assert client.post(f"/api/v1/masterplans/{plan_id}/programs", program, content_type="application/json", **mentor).status_code == 403
    comment = client.post(f"/api/v1/masterplans/{plan_id}/comments", {"body": "OK", "section": "vision"}, content_type="application/json", **mentor)
    assert comment.status_code == 201 and comment.json()["open"] is True
    from .test_import import good_rows, workbook

    assert client.post(f"/api/v1/masterplans/{plan_id}/return", **mentor).json()["status"] == "returned"
    upload = workbook(good_rows() + [["P9", "", "", "GOV-PS", "nobody", "", 2026, 2026, "no", "", ""]])
    refused = client.post(f"/api/v1/masterplans/{plan_id}/import", {"file": upload}, **token)
    assert refused.status_code == 400 and "row 4, column programs.name" in refused.json()["detail"]
    upload = workbook(good_rows())
    assert client.post(f"/api/v1/masterplans/{plan_id}/import", {"file": upload}, **token).json() == {
        "imported": 2, "added": 2, "changed": 0, "unchanged": 0, "removed": 1}


def test_the_operator_records_the_rpjmd_period_with_the_chapters_and_the_warning_follows(client, dave, english):
    plan = make_plan(start_year=2026, end_year=2030)
    client.force_login(dave)
    data = {"title": "Masterplan Banjar", "start_year": 2026, "end_year": 2030, "vision": "Banjar cerdas",
            "rpjmd_start_year": 2025, "rpjmd_end_year": 2029,
            "finding-TOTAL_FORMS": 1, "finding-INITIAL_FORMS": 0, "finding-0-area": "struktur",
            "finding-0-finding": "Dewan Smart City ada", "finding-0-rating": 4}
    assert client.post(f"/masterplans/{plan.pk}/edit/", data).status_code == 302
    plan.refresh_from_db()
    assert (plan.vision, plan.findings.get().rating) == ("Banjar cerdas", 4)
    assert "does not cover the RPJMD period 2025–2029" in client.get(f"/masterplans/{plan.pk}/").content.decode()
    data.update(rpjmd_start_year=2025, rpjmd_end_year=2031, vision="changed")
    assert "An RPJMD covers five years." in client.post(f"/masterplans/{plan.pk}/edit/", data).content.decode()
    plan.refresh_from_db()
    assert plan.vision == "Banjar cerdas"


def test_the_api_adopts_deletes_programs_and_resolves_threads_as_the_pages_do(client, alice, carol, dave, english):
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    bearer = {user.username: {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 't')[1]}"} for user in (alice, carol, dave)}
    plan = make_plan()
    add_program(plan, quick_win=True)
    extra = add_program(plan, name="Bank sampah digital", element_code="ENV-PS", agency="dlh")
    make_mentor(carol)
    thread = services.add_comment(plan, author=carol, body="Tambahkan KPI", section="programs")
    assert client.delete(f"/api/v1/masterplans/{plan.pk}/programs/{extra.pk}", **bearer["carol"]).status_code == 403
    assert client.delete(f"/api/v1/masterplans/{plan.pk}/programs/{extra.pk}", **bearer["dave"]).status_code == 204
    assert not plan.programs.filter(pk=extra.pk).exists()
    resolved = client.post(f"/api/v1/masterplans/{plan.pk}/comments/{thread.pk}/resolve", **bearer["carol"])
    assert resolved.status_code == 200 and resolved.json()["open"] is False
    services.submit(plan)
    services.forward(plan)
    remaining = plan.programs.get()
    refused = client.delete(f"/api/v1/masterplans/{plan.pk}/programs/{remaining.pk}", **bearer["dave"])
    assert refused.status_code == 400 and "cannot be edited" in refused.json()["detail"]
    services.approve(plan, user=alice)
    form = {"regulation_kind": "perwali", "regulation_number": "7/2026", "regulation_date": "2026-03-01"}
    url = f"/api/v1/masterplans/{plan.pk}/adopt"
    refused = client.post(url, {**form, "signed_file": SimpleUploadedFile("perwali.pdf", b"GIF89a")}, **bearer["alice"])
    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == ["signed_file"]
    assert client.post(url, {**form, "signed_file": SimpleUploadedFile("perwali.pdf", b"%PDF-1.7")}, **bearer["dave"]).status_code == 403
    adopted = client.post(url, {**form, "signed_file": SimpleUploadedFile("perwali.pdf", b"%PDF-1.7")}, **bearer["alice"])
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted"
    plan.refresh_from_db()
    assert (plan.regulation_kind, plan.regulation_date, plan.signed_file.name.endswith(".pdf")) == ("perwali", datetime.date(2026, 3, 1), True)
