"""The workflow of a plan: draft → submitted → returned or forwarded → approved → adopted, and
what may change at each step."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kotacerdas.accounts.models import Notification
from kotacerdas.masterplans import services
from kotacerdas.masterplans.models import MasterPlan, PlanStatus, Program, ProgressStatus

from .helpers import add_program, adopted_plan, make_mentor, make_plan

pytestmark = pytest.mark.django_db


def test_a_plan_goes_from_draft_to_adopted_with_who_and_when(dave, carol, alice, english):
    make_mentor(carol)
    plan = make_plan()
    add_program(plan, quick_win=True, user=dave)
    services.submit(plan, user=dave)
    assert Notification.objects.filter(recipient=carol, template_name="masterplans/email/submitted").exists()
    services.forward(plan, user=carol)
    services.approve(plan, user=alice)
    plan = services.adopt(plan, regulation_kind="perbup", regulation_number="7/2026", regulation_date=datetime.date(2026, 2, 1), user=alice)
    assert plan.status == PlanStatus.ADOPTED
    history = list(plan.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history[-4:] == [("submitted", "dave"), ("forwarded", "carol"), ("approved", "alice"), ("adopted", "alice")]


def test_a_plan_under_review_cannot_be_edited(dave, english):
    plan = make_plan()
    program = add_program(plan)
    services.submit(plan, user=dave)
    with pytest.raises(ValidationError, match="cannot be edited"):
        add_program(plan, name="Another")
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.delete_program(program)
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.update_plan(plan, {"vision": "changed"})
    assert MasterPlan.objects.get(pk=plan.pk).vision == ""


def test_a_returned_plan_is_editable_again_and_its_operators_are_told(dave, carol, english):
    make_mentor(carol)
    plan = make_plan()
    add_program(plan)
    services.submit(plan)
    services.return_plan(plan, user=carol)
    assert Notification.objects.filter(recipient=dave, template_name="masterplans/email/returned").exists()
    add_program(plan, name="Second program", element_code="LIV-KS", agency="dinkes")
    assert plan.programs.count() == 2


def test_an_empty_plan_cannot_be_submitted(english):
    with pytest.raises(ValidationError, match="at least one program"):
        services.submit(make_plan())


def test_the_mentor_cannot_forward_while_a_comment_is_open_and_the_operator_is_notified_of_it(dave, carol, english):
    make_mentor(carol)
    plan = make_plan()
    program = add_program(plan)
    services.submit(plan)
    thread = services.add_comment(plan, author=carol, body="Tambahkan KPI", section="programs", program=program)
    assert Notification.objects.filter(recipient=dave, template_name="masterplans/email/comment").exists()
    with pytest.raises(ValidationError, match="Resolve the open comments"):
        services.forward(plan)
    services.add_comment(plan, author=dave, body="Sudah ditambahkan", thread=thread)
    services.resolve_comment(thread, user=carol)
    assert services.forward(plan).status == PlanStatus.FORWARDED


def test_steps_out_of_order_are_refused(english):
    plan = make_plan()
    add_program(plan)
    with pytest.raises(ValidationError, match="cannot be approved"):
        services.approve(plan)
    with pytest.raises(ValidationError, match="cannot be adopted"):
        services.adopt(plan, regulation_kind="perbup", regulation_number="1", regulation_date=datetime.date(2026, 1, 1))


def test_adoption_refuses_a_quick_win_due_later_than_12_months_after_it(english):
    plan = make_plan()
    add_program(plan, quick_win=True, due_date=datetime.date(2027, 6, 30), start_year=2026, end_year=2027)
    services.submit(plan)
    services.forward(plan)
    services.approve(plan)
    with pytest.raises(ValidationError, match="not due within 12 months"):
        services.adopt(plan, regulation_kind="perbup", regulation_number="1", regulation_date=datetime.date(2026, 3, 1))
    assert services.adopt(plan, regulation_kind="perbup", regulation_number="1", regulation_date=datetime.date(2026, 7, 1)).status == "adopted"


def test_only_one_plan_of_a_region_is_in_progress(english):
    make_plan()
    with pytest.raises(ValidationError, match="already has a plan in progress"):
        make_plan()


def test_a_plan_covers_5_to_10_years(english):
    with pytest.raises(ValidationError, match="5 to 10 years"):
        make_plan(start_year=2026, end_year=2029)
    with pytest.raises(ValidationError, match="5 to 10 years"):
        make_plan(start_year=2026, end_year=2036)


def test_the_period_is_checked_against_the_regions_rpjmd(english):
    from kotacerdas.masterplans.models import RpjmdPeriod

    plan = make_plan(start_year=2026, end_year=2030)
    assert "has not recorded its RPJMD period" in " ".join(services.period_warnings(plan))
    RpjmdPeriod.objects.create(region=plan.region, start_year=2025, end_year=2029)
    assert "does not cover the RPJMD period 2025–2029" in " ".join(services.period_warnings(plan))
    RpjmdPeriod.objects.filter(region=plan.region).update(start_year=2026)
    assert services.period_warnings(plan) == []


# --- immutability ------------------------------------------------------------------------------


def test_an_approved_version_never_changes_and_editing_starts_a_new_draft_copied_from_it(english):
    adopted = adopted_plan()
    before = list(Program.objects.filter(plan=adopted).values_list("name", "start_year", "end_year"))
    program = adopted.programs.first()
    with pytest.raises(ValidationError, match="cannot be edited"):
        add_program(adopted, name="Late addition")
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.delete_program(program)
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.import_programs(adopted, b"")
    draft = services.new_version(adopted)
    assert (draft.version, draft.status, draft.based_on_id) == (2, "draft", adopted.pk)
    assert sorted(draft.programs.values_list("lineage", flat=True)) == sorted(adopted.programs.values_list("lineage", flat=True))
    copy = draft.programs.get(lineage=program.lineage)
    services.save_program(draft, {"name": "Renamed", "element": copy.element, "owner_agency": copy.owner_agency,
                                  "start_year": 2027, "end_year": 2027}, program=copy)
    assert list(Program.objects.filter(plan=adopted).values_list("name", "start_year", "end_year")) == before
    assert copy.budgets.count() == program.budgets.count()


def test_progress_is_recorded_beside_an_adopted_plan_without_touching_it(dave, english):
    adopted = adopted_plan()
    versions_before = adopted.history.count()
    program = adopted.programs.first()
    services.record_progress(program, 2026, status=ProgressStatus.RUNNING, realisation=40, budget_spent=50_000_000, user=dave)
    services.record_progress(program, 2026, status=ProgressStatus.DONE, realisation=100, user=dave)
    assert program.progress.get(year=2026).status == "done"
    assert adopted.history.count() == versions_before
    draft = make_plan("63.04")
    with pytest.raises(ValidationError, match="adopted plan"):
        services.record_progress(add_program(draft), 2026, status="running")


def test_the_signed_regulation_must_be_a_real_pdf_and_is_stored_under_a_generated_name(client, alice, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = make_plan()
    add_program(plan, quick_win=True)
    services.submit(plan)
    services.forward(plan)
    services.approve(plan)
    client.force_login(alice)
    url = f"/masterplans/{plan.pk}/adopt/"
    form = {"regulation_kind": "perbup", "regulation_number": "12/2026", "regulation_date": "2026-03-01"}
    page = client.post(url, {**form, "signed_file": SimpleUploadedFile("perbup.pdf", b"<html>not a pdf</html>")}, follow=True)
    assert "“perbup.pdf” is not really a PDF file" in page.content.decode()
    page = client.post(url, {**form, "signed_file": SimpleUploadedFile("perbup.docx", b"PK\x03\x04")}, follow=True)
    assert "“perbup.docx” is not an allowed file type; allowed: .pdf." in page.content.decode()
    plan.refresh_from_db()
    assert (plan.status, plan.signed_file.name, plan.regulation_number) == ("approved", "", "")
    assert client.post(url, {**form, "signed_file": SimpleUploadedFile("../Perbup 12.pdf", b"%PDF-1.7 signed")}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "adopted" and plan.signed_file.name.startswith("masterplans/regulations/")
    assert "Perbup" not in plan.signed_file.name and plan.history.filter(history_type="~").count() == 4
    download = client.get(f"/masterplans/{plan.pk}/regulation/")
    assert download["Content-Disposition"].startswith("attachment") and b"".join(download.streaming_content) == b"%PDF-1.7 signed"
