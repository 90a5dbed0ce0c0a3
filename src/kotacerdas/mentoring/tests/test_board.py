"""The board: each region x Bimtek cell is done, outputs missing, overdue (after the due date,
by default 14 days after the end) or upcoming; filters; export; behind-schedule notifications."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.accounts.models import Notification
from kotacerdas.mentoring import services
from kotacerdas.mentoring.services import CellStatus

from .helpers import BANJAR, BARITO_KUALA, region, small_cohort

pytestmark = pytest.mark.django_db

ENDS = datetime.date(2033, 3, 3)  # Bimtek 1 of the small cohort: 1–3 March 2033


def _statuses(cohort, today, **filters):
    _bimteks, rows = services.board(cohort, today=today, **filters)
    return {row.region.code: [cell.status for cell in row.cells] for row in rows}


def _upload_all(bimtek, code):
    for output in bimtek.outputs.all():
        services.upload_output(output, region(code), SimpleUploadedFile("doc.pdf", b"%PDF-1.4\n"))


def test_cells_move_from_upcoming_to_missing_to_overdue_after_fourteen_days(reference_data):
    cohort, _mentors, _a = small_cohort()
    not_scheduled = [CellStatus.NOT_SCHEDULED] * 3
    assert _statuses(cohort, datetime.date(2033, 2, 1))[BANJAR] == [CellStatus.UPCOMING] + not_scheduled
    assert _statuses(cohort, ENDS)[BANJAR][0] == CellStatus.MISSING
    assert _statuses(cohort, ENDS + datetime.timedelta(days=14))[BANJAR][0] == CellStatus.MISSING
    assert _statuses(cohort, ENDS + datetime.timedelta(days=15))[BANJAR][0] == CellStatus.OVERDUE


def test_a_cell_is_done_only_when_every_output_is_uploaded(reference_data):
    cohort, _mentors, _a = small_cohort()
    first = cohort.bimteks.get(number=1)
    late = ENDS + datetime.timedelta(days=30)
    outputs = list(first.outputs.all())
    services.upload_output(outputs[0], region(BANJAR), SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"))
    _bimteks, rows = services.board(cohort, today=late)
    banjar = next(row for row in rows if row.region.code == BANJAR)
    assert banjar.cells[0].status == CellStatus.OVERDUE
    assert [o.name for o in banjar.cells[0].missing] == [o.name for o in outputs[1:]]
    assert banjar.behind_schedule
    _upload_all(first, BANJAR)
    statuses = _statuses(cohort, late)
    assert statuses[BANJAR][0] == CellStatus.DONE
    assert statuses[BARITO_KUALA][0] == CellStatus.OVERDUE


def test_a_due_date_set_by_hand_replaces_the_default(reference_data):
    cohort, _mentors, _a = small_cohort()
    first = cohort.bimteks.get(number=1)
    services.schedule_bimtek(first, starts_on=first.starts_on, ends_on=ENDS, due_on=ENDS + datetime.timedelta(days=2), place="x")
    assert _statuses(cohort, ENDS + datetime.timedelta(days=3))[BANJAR][0] == CellStatus.OVERDUE


def test_the_board_filters_by_mentor_and_province(reference_data):
    cohort, mentors, _a = small_cohort()
    today = datetime.date(2033, 2, 1)
    assert set(_statuses(cohort, today, mentor=mentors["carol"])) == {BANJAR}
    assert set(_statuses(cohort, today, mentor=mentors["ivan"])) == set()
    kalsel = region("63")
    assert set(_statuses(cohort, today, province=kalsel)) == {BANJAR, BARITO_KUALA}
    assert set(_statuses(cohort, today, province=region("31"))) == set()


def test_behind_schedule_notifies_the_mentors_and_the_ministry_once(reference_data, alice):
    cohort, mentors, _a = small_cohort()
    late = ENDS + datetime.timedelta(days=20)
    _upload_all(cohort.bimteks.get(number=1), BARITO_KUALA)
    notified = services.notify_behind_schedule(cohort, today=late)
    assert [(r.code, b.number) for r, b in notified] == [(BANJAR, 1)]
    recipients = set(Notification.objects.filter(template_name="mentoring/email/behind_schedule").values_list("recipient__username", flat=True))
    assert recipients == {"carol", "alice"}
    assert "Kabupaten Banjar" in Notification.objects.filter(recipient=alice).first().subject
    assert services.notify_behind_schedule(cohort, today=late) == []


def test_the_board_exports_to_xlsx_with_the_demo_notice(reference_data, admin_client, english):
    from openpyxl import load_workbook

    cohort, _mentors, _a = small_cohort()
    response = admin_client.get(f"/mentoring/{cohort.phase.year}/board/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Demo" in rows[0][0]
    assert rows[1][:4] == ("region_code", "region", "province", "mentors")
    assert {row[0] for row in rows[2:]} == {BANJAR, BARITO_KUALA}


def test_an_operator_sees_only_their_own_region_on_the_board(reference_data, client, dave):
    cohort, _mentors, _a = small_cohort()
    client.force_login(dave)
    page = client.get(f"/mentoring/{cohort.phase.year}/board/").content.decode()
    assert 'data-region="63.03"' in page and 'data-region="63.04"' not in page


def test_a_bimtek_for_some_regions_leaves_the_others_out_and_refuses_a_region_outside_the_cohort(reference_data):
    from django.core.exceptions import ValidationError

    cohort, _mentors, _a = small_cohort()
    second = cohort.bimteks.get(number=2)
    services.schedule_bimtek(
        second, starts_on=datetime.date(2033, 4, 1), ends_on=datetime.date(2033, 4, 2), place="x", regions=[region(BANJAR)],
    )
    statuses = _statuses(cohort, datetime.date(2033, 3, 20))
    assert statuses[BANJAR][1] == CellStatus.UPCOMING and statuses[BARITO_KUALA][1] == CellStatus.NOT_TAKING_PART
    with pytest.raises(ValidationError, match="not selected"):
        services.schedule_bimtek(
            second, starts_on=datetime.date(2033, 4, 1), ends_on=datetime.date(2033, 4, 2), place="x", regions=[region("63.01")],
        )
    assert list(second.regions.values_list("code", flat=True)) == [BANJAR]
