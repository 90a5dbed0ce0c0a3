"""Programs to and from XLSX: the template, a round trip, and a bad file refused whole with every
wrong row and column named."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from kotacerdas.lib.tabular import TableError
from kotacerdas.masterplans import services
from kotacerdas.masterplans.services import BUDGET_COLUMNS, KPI_COLUMNS, PROGRAM_COLUMNS

from .helpers import add_program, agencies_of, make_plan

pytestmark = pytest.mark.django_db


def workbook(programs, budgets=(), kpis=()):
    book = Workbook()
    book.active.title = "programs"
    book.active.append(PROGRAM_COLUMNS)
    for row in programs:
        book.active.append(row)
    for name, header, rows in (("budgets", BUDGET_COLUMNS, budgets), ("kpis", KPI_COLUMNS, kpis)):
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "programs.xlsx"
    return buffer


def good_rows(region="63.03"):
    agencies = agencies_of(region)
    kominfo, dlh = agencies["diskominfo"].name, agencies["dlh"].short_name
    return [
        ["P1", "Mal pelayanan publik", "", "GOV-PS", kominfo, dlh, 2026, 2026, "ya", "2026-12-31", "Izin selesai sehari"],
        ["P2", "Bank sampah", "Digital", "ENV-PS", dlh, "", 2026, 2028, "tidak", "", ""],
    ]


def test_a_good_workbook_replaces_the_drafts_programs_with_budgets_and_kpis(dave, english):
    plan = make_plan()
    add_program(plan, name="Old program")
    count = services.import_programs(
        plan, workbook(good_rows(), budgets=[["P1", 2026, "apbd", 150_000_000], ["P2", 2027, "csr", 20_000_000]],
                       kpis=[["P2", "Sampah terpilah", "%", 10, 2027, 30], ["P2", "Sampah terpilah", "%", 10, 2028, 50]]),
        user=dave,
    )
    assert count == 2
    assert sorted(plan.programs.values_list("name", "horizon", "quick_win")) == [("Bank sampah", "medium", False), ("Mal pelayanan publik", "short", True)]
    waste = plan.programs.get(name="Bank sampah")
    assert list(waste.budgets.values_list("year", "source", "amount")) == [(2027, "csr", 20_000_000)]
    assert waste.kpis.get().targets == {"2027": 30.0, "2028": 50.0}
    assert plan.programs.get(name="Mal pelayanan publik").supporting_agencies.count() == 1
    assert waste.history.first().history_user == dave
    removed = plan.programs.model.history.filter(history_type="-")
    assert list(removed.values_list("name", "history_user__username")) == [("Old program", "dave")]


def test_reimporting_keeps_the_review_comments_on_the_plan(carol, english):
    from .helpers import make_mentor

    plan = make_plan()
    program = add_program(plan, name="Old program")
    services.add_comment(make_mentor(carol) and plan, author=carol, body="Perlu KPI", section="programs", program=program)
    services.import_programs(plan, workbook(good_rows()))
    comment = plan.comments.get()
    assert (comment.body, comment.program) == ("Perlu KPI", None)
    assert not services.ProgramBudget.objects.filter(program_id=program.pk).exists()


def test_an_exported_plan_imports_back_as_the_same_programs(english):
    plan = make_plan()
    services.import_programs(plan, workbook(good_rows(), budgets=[["P1", 2026, "apbd", 150_000_000]], kpis=[["P2", "Sampah", "ton", 1, 2027, 2]]))
    exported = io.BytesIO(services.program_workbook(plan))
    exported.name = "export.xlsx"
    before = sorted(plan.programs.values_list("name", "element__code", "start_year", "end_year", "quick_win", "due_date"))
    services.import_programs(plan, exported)
    assert sorted(plan.programs.values_list("name", "element__code", "start_year", "end_year", "quick_win", "due_date")) == before
    assert plan.programs.get(name="Bank sampah").kpis.get().targets == {"2027": 2.0}


def test_a_bad_workbook_is_refused_whole_with_every_wrong_row_and_column_named(english):
    plan = make_plan()
    add_program(plan, name="Kept program")
    rows = good_rows() + [
        ["P3", "", "", "XXX-1", "Dinas Rahasia", "", "2026", "2040", "maybe", "31/12/2026", ""],
        ["P1", "Duplicate ref", "", "GOV-PS", good_rows()[0][4], "", 2025, 2026, "no", "", ""],
    ]
    with pytest.raises(TableError) as refused:
        services.import_programs(plan, workbook(rows, budgets=[["P9", "20x6", "gift", -5]], kpis=[["P2", "", "%", "ten", 2027, 1]]))
    found = {(e.row, e.column) for e in refused.value.errors}
    assert found == {
        (4, "programs.name"), (4, "programs.element"), (4, "programs.owner_agency"), (4, "programs.quick_win"),
        (4, "programs.due_date"),
        (5, "programs.ref"), (5, "programs.start_year"),
        (2, "budgets.ref"), (2, "budgets.year"), (2, "budgets.source"), (2, "budgets.amount"),
        (2, "kpis.kpi"), (2, "kpis.baseline"),
    }
    messages = str(refused.value)
    assert "row 4, column programs.element: unknown element XXX-1" in messages
    assert list(plan.programs.values_list("name", flat=True)) == ["Kept program"]


def test_a_workbook_without_the_programs_sheet_or_a_column_is_refused(english):
    plan = make_plan()
    book = Workbook()
    book.active.title = "Sheet1"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(TableError, match="no sheet programs"):
        services.import_programs(plan, buffer, name="x.xlsx")
    book.active.title = "programs"
    book.active.append(["ref", "name"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    with pytest.raises(TableError) as refused:
        services.import_programs(plan, buffer, name="x.xlsx")
    assert {e.column for e in refused.value.errors} == {f"programs.{c}" for c in PROGRAM_COLUMNS} - {"programs.ref", "programs.name"}


def test_the_template_has_the_import_columns_and_lists_the_elements():
    book = load_workbook(io.BytesIO(services.program_workbook(template=True)))
    assert [c.value for c in book["programs"][1]] == list(PROGRAM_COLUMNS)
    assert book["programs"].max_row == 1
    assert book["elements"].max_row == 19
