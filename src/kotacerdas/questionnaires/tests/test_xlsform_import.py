"""Importing XLSForm workbooks: every supported type, and every bad form refused with the sheet,
row and column at fault."""

import pytest

from kotacerdas.questionnaires.xlsform import FormError, count_questions, read_xlsform, walk

from .conftest import CHOICES, xlsform


def test_it_reads_every_supported_type_with_labels_in_both_languages(form_bytes):
    definition = read_xlsform(form_bytes)
    types = {element["name"]: element["type"] for element, _a in walk(definition["children"])}
    assert set(types.values()) == {"group", "select_one", "integer", "text", "decimal", "select_multiple", "date", "calculate", "note", "repeat"}
    assert definition["languages"] == ["id", "en"]
    assert definition["form_id"] == "uji" and definition["title"] == "Kuesioner Uji"
    elements = {element["name"]: element for element, _a in walk(definition["children"])}
    assert elements["has_plan"]["label"] == {"id": "Ada rencana?", "en": "Is there a plan?"}
    assert elements["has_plan"]["required"] == "true()"
    assert elements["has_plan"]["weight"] == 2.0
    assert elements["has_plan"]["choices"][0] == {"name": "yes", "label": {"id": "Ya", "en": "Yes"}, "score": 10.0}
    assert elements["plan_year"]["relevant"] == "${has_plan} = 'yes'"
    assert elements["plan_year"]["constraint_message"] == {"en": "Between 2000 and 2030"}
    assert elements["plan_year"]["hint"] == {"en": "e.g. 2024"}
    assert elements["budget"]["default"] == "0"
    assert elements["budget_million"]["calculation"] == "${budget} * 1000"
    assert elements["plan_year"]["row"] == 4
    assert count_questions(definition) == 7


def _faults(survey, choices=CHOICES, **kwargs):
    with pytest.raises(FormError) as caught:
        read_xlsform(xlsform(survey, choices, **kwargs))
    return [str(fault) for fault in caught.value.faults]


@pytest.mark.parametrize("kind", ["hologram", "geopoints", "select_two yn", "begin loopy"])
def test_a_type_pyxform_does_not_know_is_refused_with_its_row_and_column(kind):
    faults = _faults([["text", "a", "A", "A"], [kind, "b", "B", "B"]])
    assert len(faults) == 1
    assert faults[0].startswith("sheet 'survey', row 3, column A (type): the question type")
    assert "not supported" in faults[0]


def test_a_duplicate_name_is_refused():
    faults = _faults([["text", "a", "A", "A"], ["integer", "a", "B", "B"]])
    assert faults == ["sheet 'survey', row 3, column B (name): the name 'a' is already used in row 2"]


def test_a_reference_to_no_question_is_refused_in_its_column():
    faults = _faults([["text", "a", "A", "A", "", "", "${nope} = 'x'"]])
    assert faults == ["sheet 'survey', row 2, column G (relevant): ${nope} refers to no question of this form"]


def test_an_unreadable_constraint_is_refused():
    faults = _faults([["integer", "a", "A", "A", "", "", "", ". >= "]])
    assert faults[0].startswith("sheet 'survey', row 2, column H (constraint): the expression '. >=' cannot be read")


def test_a_select_without_its_list_is_refused():
    faults = _faults([["select_one colours", "a", "A", "A"]])
    assert faults == ["sheet 'survey', row 2, column A (type): the choice list 'colours' is not on the 'choices' sheet"]


def test_an_unclosed_group_is_refused():
    faults = _faults([["begin_group", "g", "G", "G"], ["text", "a", "A", "A"]])
    assert faults == ["sheet 'survey', row 2, column A (type): this 'begin group' is never closed"]


def test_an_end_without_begin_is_refused():
    faults = _faults([["text", "a", "A", "A"], ["end_group"]])
    assert "has no matching 'begin group'" in faults[0]


def test_a_score_that_is_not_a_number_is_refused():
    faults = _faults([["select_one yn", "a", "A", "A"]], choices=[["yn", "yes", "Ya", "Yes", "high"]])
    assert faults == ["sheet 'choices', row 2, column E (score): the score 'high' is not a number"]


def test_a_weight_that_is_not_a_number_is_refused():
    faults = _faults([["text", "a", "A", "A", "", "", "", "", "", "", "", "heavy"]])
    assert faults == ["sheet 'survey', row 2, column L (weight): the weight 'heavy' is not a number"]


def test_a_question_without_a_name_is_refused():
    faults = _faults([["text", "", "A", "A"]])
    assert faults == ["sheet 'survey', row 2, column B (name): a question needs a name"]


def test_a_bad_name_is_refused():
    faults = _faults([["text", "1st answer", "A", "A"]])
    assert "column B (name): the name '1st answer'" in faults[0]


def test_a_duplicate_choice_is_refused():
    faults = _faults([["select_one yn", "a", "A", "A"]], choices=[["yn", "yes", "Ya", "Yes", 1], ["yn", "yes", "Ya", "Yes", 1]])
    assert faults == ["sheet 'choices', row 3, column B (name): the choice 'yes' is already in list 'yn' (row 2)"]


def test_a_repeat_in_a_repeat_is_read():
    definition = read_xlsform(xlsform([["begin_repeat", "r1", "R", "R"], ["begin_repeat", "r2", "R", "R"], ["text", "a", "A", "A"], ["end_repeat"], ["end_repeat"]], CHOICES))
    outer = definition["children"][0]
    assert (outer["type"], outer["children"][0]["type"], outer["children"][0]["children"][0]["name"]) == ("repeat", "repeat", "a")


def test_a_choice_file_that_was_not_uploaded_is_named_in_the_refusal():
    faults = _faults([["text", "a", "A", "A"], ["select_one_from_file kecamatan.csv", "b", "B", "B"]])
    assert faults == ["sheet 'survey', row 3, column A (type): the file 'kecamatan.csv' named here was not uploaded with the form"]


def test_a_workbook_without_survey_sheet_is_refused():
    from openpyxl import Workbook
    import io

    workbook = Workbook()
    workbook.active.title = "other"
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(FormError, match="no 'survey' sheet"):
        read_xlsform(buffer.getvalue())


@pytest.mark.parametrize("content", [b"", b"not a workbook", b"PK\x03\x04broken zip"])
def test_a_file_that_is_not_a_workbook_is_refused(content):
    with pytest.raises(FormError, match="workbook"):
        read_xlsform(content)


def test_a_missing_type_column_is_refused():
    faults = _faults([["a", "A"]], header=["name", "label"])
    assert faults == ["sheet 'survey', row 1, column type: the 'type' column is missing"]


def test_several_faults_are_reported_together():
    faults = _faults([["geopointz", "g", "G", "G"], ["text", "a", "A", "A", "", "", "${zz} = 1"]])
    assert len(faults) == 2


@pytest.mark.parametrize("rows, fault", [
    ([["begin loop over nowhere", "loop"], ["integer", "n", "N"], ["end loop"]],
     "sheet 'survey', row 2, column A (type): the choice list 'nowhere' is not on the 'choices' sheet"),
    ([["integer", "n", "N"], ["end loop"]],
     "sheet 'survey', row 3, column A (type): 'end loop' has no matching 'begin loop'"),
    ([["begin loop over yn", "loop"], ["integer", "n", "N"], ["end group"]],
     "sheet 'survey', row 4, column A (type): 'end group' has no matching 'begin group'"),
    ([["integer", "loop_yes_n", "N"], ["begin loop over yn", "loop"], ["integer", "n", "N"], ["end loop"]],
     "sheet 'survey', row 3, column A (type): the name 'loop_yes_n' is already used in row 2"),
])
def test_a_broken_loop_is_refused_with_its_cell_named(rows, fault):
    from .conftest import xlsform

    content = xlsform(rows, [["yn", "yes", "Ya"], ["yn", "no", "Tidak"]], header=["type", "name", "label"],
                      choices_header=("list_name", "name", "label"))
    with pytest.raises(FormError) as caught:
        read_xlsform(content)
    assert fault in [str(f) for f in caught.value.faults]
