"""Real XLSForms from pyxform's own test suite (see fixtures/README.md for their licence): the
ones pyxform converts import here; a broken one is refused with its cell named."""

from pathlib import Path

import pytest

from kotacerdas.questionnaires import expressions
from kotacerdas.questionnaires.logic import FormLogic
from kotacerdas.questionnaires.xlsform import FormError, count_by_type, read_xlsform

FIXTURES = Path(__file__).parent / "fixtures" / "pyxform"
IMPORTED = [
    "attribute_columns_test", "case_insensitivity", "choice_filter_test", "extra_columns", "extra_sheet_names",
    "field-list", "flat_xlsform_test", "group", "or_other", "specify_other", "survey_no_name",
    "xlsform_spec_test", "yes_or_no_question",
]


@pytest.mark.parametrize("name", IMPORTED)
def test_a_real_form_pyxform_converts_imports_and_evaluates(name):
    definition = read_xlsform((FIXTURES / f"{name}.xlsx").read_bytes(), f"{name}.xlsx")
    assert count_by_type(definition)
    # The logic of an empty submission evaluates without an expression it cannot read.
    evaluation = FormLogic(definition).evaluate({})
    assert [i for i in evaluation.issues if i.code == "expression"] == []


def test_the_specification_test_form_has_the_types_of_the_specification():
    definition = read_xlsform((FIXTURES / "xlsform_spec_test.xlsx").read_bytes())
    assert {"geopoint", "image", "audio", "video", "barcode", "acknowledge", "datetime", "time", "start", "end", "deviceid"} <= set(count_by_type(definition))


def test_cascading_selects_with_duplicate_choice_names_filter_on_the_server():
    logic = FormLogic(read_xlsform((FIXTURES / "choice_filter_test.xlsx").read_bytes()))
    assert logic.evaluate({"state": "texas"}).options["county"] == ["king", "cameron"]
    assert logic.evaluate({"state": "washington"}).options["county"] == ["king", "pierce"]


def test_a_form_of_one_sheet_named_otherwise_is_read_as_its_survey():
    definition = read_xlsform((FIXTURES / "survey_no_name.xlsx").read_bytes(), "survey_no_name.xlsx")
    assert [c["name"] for c in definition["children"]] == ["state"]


def test_a_broken_real_form_is_refused_with_its_cell_named():
    with pytest.raises(FormError) as caught:
        read_xlsform((FIXTURES / "bad_calc.xlsx").read_bytes())
    assert str(caught.value.faults[0]).startswith("sheet 'survey', row 2, column D (calculation): the expression 'because pyxform doesn't know what to do' cannot be read")


def test_a_loop_expands_its_questions_once_per_choice_as_pyxform_does():
    definition = read_xlsform((FIXTURES / "loop.xlsx").read_bytes(), "loop.xlsx")
    loop = definition["children"][2]
    assert loop["name"] == "loop_toilet_types" and loop["loop"]["list_name"] == "toilet_type"
    # pyxform adds "other" to the list of an "or specify other" select, and loops over it too.
    assert [(group["name"], group["label"]["english"]) for group in loop["children"]] == [
        ("loop_toilet_types_pit_latrine_with_slab", "Pit latrine with slab"),
        ("loop_toilet_types_open_pit_latrine", "Pit latrine without slab/open pit"),
        ("loop_toilet_types_bucket_system", "Bucket system"), ("loop_toilet_types_other", "Other")]
    number = loop["children"][1]["children"][0]
    assert number["name"] == "loop_toilet_types_open_pit_latrine_number" and number["type"] == "integer"
    assert number["label"] == {"english": "How many Pit latrine without slab/open pit are on the premises?"}
    assert count_by_type(definition)["integer"] == 4
    logic = FormLogic(definition)
    assert [i.key for i in logic.evaluate({"loop_toilet_types_bucket_system_number": "3"}).issues] == []
    assert [(i.key, i.code) for i in logic.evaluate({"loop_toilet_types_bucket_system_number": "tiga"}).issues] == [
        ("loop_toilet_types_bucket_system_number", "type")]


def test_pulldata_reads_the_csv_uploaded_with_the_form_and_its_absence_is_named():
    content = (FIXTURES / "pull_data.xlsx").read_bytes()
    with pytest.raises(FormError) as caught:
        read_xlsform(content)
    assert "the file 'fruits.csv' that pulldata() reads was not uploaded with the form" in str(caught.value)
    definition = read_xlsform(content, files={"fruits.csv": (FIXTURES / "fruits.csv").read_bytes()})
    evaluation = FormLogic(definition).evaluate({})
    # The form looks up 'mango' in the column "name", which holds "Mango": JavaRosa compares
    # exactly, so nothing is found.
    assert evaluation.issues == [] and evaluation.values["fruit"] == ""
    context = expressions.Context(resolve=lambda name: "", attachments=definition["attachments"])
    assert expressions.evaluate("pulldata('fruits', 'name', 'name_key', 'mango')", context) == "Mango"


@pytest.mark.indonesian
def test_the_refusal_names_the_cell_in_indonesian_by_default():
    with pytest.raises(FormError) as caught:
        read_xlsform((FIXTURES / "bad_calc.xlsx").read_bytes())
    assert str(caught.value.faults[0]).startswith(
        "lembar 'survey', baris 2, kolom D (calculation): ekspresi 'because pyxform doesn't know what to do' tidak dapat dibaca"
    )
