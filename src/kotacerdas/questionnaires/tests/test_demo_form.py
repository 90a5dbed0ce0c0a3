"""The shipped demo questionnaire imports cleanly and fills the demo phase."""

from kotacerdas.questionnaires.demo_form import WORKBOOK, build
from kotacerdas.questionnaires.xlsform import count_questions, read_xlsform


def test_the_shipped_workbook_is_the_script_output_and_imports(tmp_path):
    definition = read_xlsform(WORKBOOK.read_bytes())
    assert definition["languages"] == ["id", "en"] and 35 <= count_questions(definition) <= 45
    assert read_xlsform(build(tmp_path / "f.xlsx").read_bytes()) == definition


def test_the_demo_attaches_it_with_filled_submissions(reference_data):
    from kotacerdas.program.demo import load_demo_phase
    from kotacerdas.screening.demo import load_demo_screening
    from kotacerdas.questionnaires.demo import load_demo_questionnaire

    phase, _created = load_demo_phase()
    load_demo_screening(phase)
    assignment, created = load_demo_questionnaire(phase)
    assert created and sorted(assignment.submissions.values_list("status", flat=True)) == ["draft", "draft", "submitted"]
    assert load_demo_questionnaire(phase)[1] is False
