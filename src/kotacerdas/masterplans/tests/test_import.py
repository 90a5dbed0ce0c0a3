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
    assert (count.imported, count.added, count.removed) == (2, 2, 1)
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


def _edited_export(plan, edit):
    """The plan's export, as a region edits it: ``edit`` gets the three sheets as lists of rows
    (header first) and changes them in place."""
    book = load_workbook(io.BytesIO(services.program_workbook(plan)))
    sheets = {name: [list(row) for row in book[name].iter_rows(values_only=True)] for name in ("programs", "budgets", "kpis")}
    edit(sheets)
    return workbook(sheets["programs"][1:], sheets["budgets"][1:], sheets["kpis"][1:])


def _row(sheets, name):
    return next(row for row in sheets["programs"] if row[1] == name)


def test_reimporting_an_edited_export_changes_programs_in_place_so_the_version_difference_shows_only_real_changes(dave, carol, english):
    from .helpers import adopted_plan, make_mentor

    old = adopted_plan()
    new = services.new_version(old)
    waste = new.programs.get(name="Bank sampah digital")
    comment = services.add_comment(new, author=make_mentor(carol), body="Perpanjang sampai 2029", section="programs", program=waste)
    kominfo = agencies_of()["diskominfo"].name

    def edit(sheets):
        row = _row(sheets, "Bank sampah digital")
        row[1] = "  BANK sampah   digital "  # the same program whatever its case and spacing
        row[7] = 2029
        sheets["programs"].append(["P3", "Ruang kendali kota", "", "GOV-KP", kominfo, "", 2027, 2027, "no", "", ""])

    result = services.import_programs(new, _edited_export(new, edit), user=dave)
    assert (result.added, result.changed, result.unchanged, result.removed) == (1, 1, 1, 0)
    diff = services.diff_versions(old, new)
    assert [p.name for p in diff["added"]] == ["Ruang kendali kota"]
    assert diff["removed"] == []
    (program, fields), = diff["changed"]
    assert program.pk == waste.pk
    assert {field: (before, after) for field, before, after in fields} == {
        "name": ("Bank sampah digital", "BANK sampah   digital"), "end year": (2028, 2029)}
    comment.refresh_from_db()
    assert comment.program_id == waste.pk
    assert waste.history.first().history_type == "~" and waste.history.first().history_user == dave
    unchanged = new.programs.get(name="Mal pelayanan publik digital")
    assert unchanged.history.count() == 1  # copied with the version, not touched by the import

    def remove(sheets):
        ref = _row(sheets, "Mal pelayanan publik digital")[0]
        for name in ("programs", "budgets", "kpis"):
            sheets[name] = [row for row in sheets[name] if row[0] != ref]

    result = services.import_programs(new, _edited_export(new, remove))
    assert (result.added, result.changed, result.unchanged, result.removed) == (0, 0, 2, 1)
    diff = services.diff_versions(old, new)
    assert [p.name for p in diff["removed"]] == ["Mal pelayanan publik digital"]
    assert [p.name for p in diff["added"]] == ["Ruang kendali kota"] and len(diff["changed"]) == 1


def test_a_reimported_program_keeps_its_identity_within_its_dimension_only(english):
    plan = make_plan()
    services.import_programs(plan, workbook(good_rows(), budgets=[["P2", 2027, "csr", 20_000_000]], kpis=[["P2", "Sampah", "ton", 1, 2027, 2]]))
    before = dict(plan.programs.values_list("name", "lineage"))
    rows = good_rows()
    rows[0][3] = "GOV-BM"  # another element of the same dimension (governance): the same program, changed
    rows[1][3] = "LIV-KS"  # another dimension: another program
    result = services.import_programs(plan, workbook(rows, budgets=[["P2", 2027, "csr", 20_000_000]], kpis=[["P2", "Sampah", "ton", 1, 2027, 2]]))
    assert (result.added, result.changed, result.unchanged, result.removed) == (1, 1, 0, 1)
    after = dict(plan.programs.values_list("name", "lineage"))
    assert after["Mal pelayanan publik"] == before["Mal pelayanan publik"]
    assert after["Bank sampah"] != before["Bank sampah"]
    assert plan.programs.get(name="Bank sampah").kpis.get().targets == {"2027": 2.0}


def test_reimporting_changed_budgets_kpis_and_supporting_agencies_replaces_only_those(dave, english):
    plan = make_plan()
    budgets, kpis = [["P1", 2026, "apbd", 150_000_000], ["P2", 2027, "csr", 20_000_000]], [["P2", "Sampah", "ton", 1, 2027, 2]]
    services.import_programs(plan, workbook(good_rows(), budgets, kpis), user=dave)
    service_hall = plan.programs.get(name="Mal pelayanan publik")
    kept_budget = service_hall.budgets.get().pk
    rows = good_rows()
    rows[0][5] = ""  # no supporting agency any more
    result = services.import_programs(plan, workbook(rows, [budgets[0], ["P2", 2027, "csr", 25_000_000]], [["P2", "Sampah", "ton", 1, 2027, 3]]), user=dave)
    assert (result.added, result.changed, result.unchanged, result.removed) == (0, 2, 0, 0)
    assert service_hall.supporting_agencies.count() == 0
    assert service_hall.budgets.get().pk == kept_budget
    waste = plan.programs.get(name="Bank sampah")
    assert list(waste.budgets.values_list("amount", flat=True)) == [25_000_000]
    assert waste.kpis.get().targets == {"2027": 3.0}
    assert waste.history.count() == 1  # its own columns did not change
    budget_history = services.ProgramBudget.history.filter(program_id=waste.pk)
    assert sorted(budget_history.values_list("history_type", "amount")) == [("+", 20_000_000), ("+", 25_000_000), ("-", 20_000_000)]
