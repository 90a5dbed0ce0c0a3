"""The round trip: a stored form given back as an XLSForm regenerated from its definition (not
the uploaded file), which pyxform converts to the same XForm as the original."""

import io
from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from kotacerdas.questionnaires.xlsform import read_xlsform, write_xlsform

from .conftest import CHOICES as SCORED_CHOICES
from .conftest import SURVEY as SCORED_SURVEY
from .conftest import xlsform
from .test_question_types import CASCADE, KECAMATAN_CSV, NESTED, _cascade_zip, _workbook

FIXTURES = Path(__file__).parent / "fixtures" / "pyxform"
CHOICES = [["yn", "yes", "Ya"], ["yn", "no", "Tidak"], ["order", "a", "A"], ["order", "b", "B"]]
ROWS = {
    "text": ["text", "q", "Q", "yes", "", "string-length(.) < 10"],
    "integer": ["integer", "q", "Q", "", "", ". > 0"],
    "decimal": ["decimal", "q", "Q"],
    "date": ["date", "q", "Q"],
    "time": ["time", "q", "Q"],
    "datetime": ["datetime", "q", "Q"],
    "select_one": ["select_one yn", "q", "Q"],
    "select_multiple": ["select_multiple yn", "q", "Q"],
    "select_one or_other": ["select_one yn or_other", "q", "Q"],
    "rank": ["rank order", "q", "Q"],
    "note": ["note", "q", "Q"],
    "calculate": ["calculate", "q", "", "", "", "", "1 + 2"],
    "hidden": ["hidden", "q", "", "", "", "", "", "", "", "abc"],
    "acknowledge": ["acknowledge", "q", "Q"],
    "barcode": ["barcode", "q", "Q"],
    "email": ["email", "q", "Q"],
    "range": ["range", "q", "Q", "", "", "", "", "start=0 end=10 step=2"],
    "image": ["image", "q", "Q"],
    "audio": ["audio", "q", "Q"],
    "video": ["video", "q", "Q"],
    "file": ["file", "q", "Q"],
    "geopoint": ["geopoint", "q", "Q"],
    "geotrace": ["geotrace", "q", "Q"],
    "geoshape": ["geoshape", "q", "Q"],
    "start": ["start", "q"],
    "end": ["end", "q"],
    "today": ["today", "q"],
    "deviceid": ["deviceid", "q"],
    "uri:deviceid": ["uri:deviceid", "q"],
    "username": ["username", "q"],
    "phonenumber": ["phonenumber", "q"],
}


def _xform(content, files=None):
    return convert(xlsform=content, validate=False, pretty_print=True, form_name="data").xform


def _round_trip(content, filename="form.xlsx", files=None):
    definition = read_xlsform(content, filename, files=files)
    regenerated, attachments = write_xlsform(definition)
    assert read_xlsform(regenerated, filename, files=attachments)["children"] == definition["children"]
    return regenerated


@pytest.mark.parametrize("kind", sorted(ROWS))
def test_each_type_comes_back_as_the_same_xform(kind):
    original = _workbook([["text", "first", "First"], ROWS[kind]], choices=CHOICES)
    assert _xform(_round_trip(original)) == _xform(original)


def test_groups_repeats_in_repeats_and_calculations_come_back():
    original = _workbook(NESTED, choices=())
    assert _xform(_round_trip(original)) == _xform(original)


def test_two_languages_scores_weights_and_messages_come_back():
    original = xlsform(SCORED_SURVEY, SCORED_CHOICES)
    assert _xform(_round_trip(original)) == _xform(original)


def test_external_choices_and_choices_from_a_csv_come_back_with_the_csv():
    definition = read_xlsform(_cascade_zip(), "banjar.zip")
    regenerated, files = write_xlsform(definition)
    assert files["kecamatan.csv"].decode().splitlines()[:2] == KECAMATAN_CSV.decode().splitlines()[:2]
    from .test_question_types import _workbook as workbook

    original = workbook(CASCADE, choices=(), extra_sheets=[("external_choices", [["list_name", "name", "label", "kec"], ["desa", "jawa", "Jawa", "martapura"],
                                                                              ["desa", "tanjung_rema", "Tanjung Rema", "martapura"], ["desa", "gambut_barat", "Gambut Barat", "gambut"]])])
    assert _xform(regenerated) == _xform(original)


@pytest.mark.parametrize("name", ["choice_filter_test", "or_other", "yes_or_no_question", "group", "specify_other", "field-list", "extra_columns"])
def test_real_forms_come_back_as_the_same_xform(name):
    original = (FIXTURES / f"{name}.xlsx").read_bytes()
    assert _xform(_round_trip(original, f"{name}.xlsx")) == _xform(original)


def _without_rows(children):
    """The questions without their source row (a regenerated sheet numbers its rows anew: a
    question pyxform named itself, or metadata skipped here, moves the ones after it)."""
    return [{**{k: v for k, v in c.items() if k not in ("row", "type_cell")}, "children": _without_rows(c.get("children", []))}
            for c in children]


# pyxform's kitchen-sink forms (every type, two languages, groups in repeats, a flat form whose
# groups pass their relevance to each question, a repeat_count pyxform turns into its own
# calculation, choices with images and no label, explicit required "no") and a form in capitals
# with an entities sheet and an osm tag list: the same XForm, character for character.
@pytest.mark.parametrize("name", ["xlsform_spec_test", "flat_xlsform_test", "case_insensitivity"])
def test_pyxforms_all_types_forms_come_back_as_the_same_xform(name):
    original = (FIXTURES / f"{name}.xlsx").read_bytes()
    definition = read_xlsform(original, f"{name}.xlsx")
    regenerated, attachments = write_xlsform(definition)
    assert _xform(regenerated) == _xform(original)
    again = read_xlsform(regenerated, f"{name}.xlsx", files=attachments)
    assert _without_rows(again["children"]) == _without_rows(definition["children"])


def test_the_ministry_downloads_the_regenerated_xlsform_of_a_version(client, alice, assignment):
    import io
    import zipfile

    version = assignment.form.newest
    client.force_login(alice)
    page = client.get(f"/questionnaires/forms/{version.form_id}/")
    assert f'data-xlsform="{version.number}"' in page.content.decode()
    response = client.get(f"/questionnaires/forms/{version.form_id}/xlsform/?version={version.number}")
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="uji-v1.xlsx"'
    assert read_xlsform(response.content, "uji.xlsx")["children"] == version.definition["children"]
    assert client.get(f"/questionnaires/forms/{version.form_id}/xlsform/?version=9").status_code == 404
    # A form with its CSV comes back as a ZIP holding the workbook and the CSV.
    from kotacerdas.questionnaires import services

    cascade = services.import_form(_cascade_zip(), "banjar.zip")
    response = client.get(f"/questionnaires/forms/{cascade.form_id}/xlsform/")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["kecamatan.csv", "semua-v1.xlsx"]


def test_a_real_form_with_a_loop_comes_back_as_the_same_xform():
    original = (FIXTURES / "loop.xlsx").read_bytes()
    regenerated = _round_trip(original, "loop.xlsx")
    assert _xform(regenerated) == _xform(original)
    assert "begin loop over toilet_type" in _survey_types(regenerated)


LOOP_SURVEY = [
    ["select_one yn", "has_programs", "Ada program?", "", ""],
    ["begin loop over pillar", "pillars", "Pilar", "", ""],
    ["integer", "programs", "Jumlah program %(label)s", "", ". >= 0"],
    ["text", "why_none", "Mengapa tidak ada program %(name)s?", "${has_programs} = 'no'", ""],
    ["begin_group", "detail", "Rincian %(label)s", "${has_programs} = 'yes'", ""],
    ["decimal", "budget", "Anggaran", "", ""],
    ["end_group"],
    ["end loop"],
]
LOOP_CHOICES = [["yn", "yes", "Ya"], ["yn", "no", "Tidak"], ["pillar", "governance", "Tata kelola"], ["pillar", "economy", "Ekonomi"], ["pillar", "none", "Tidak ada"]]
LOOP_HEADER = ["type", "name", "label", "relevant", "constraint"]


def _survey_types(content):
    from openpyxl import load_workbook

    return [row[0] for row in load_workbook(io.BytesIO(content))["survey"].iter_rows(min_row=2, values_only=True)]


def test_a_loop_with_a_group_and_references_expands_and_comes_back():
    original = xlsform(LOOP_SURVEY, LOOP_CHOICES, header=LOOP_HEADER, choices_header=("list_name", "name", "label"))
    definition = read_xlsform(original)
    groups = definition["children"][1]["children"]
    # "none" is skipped, as pyxform skips it.
    assert [g["name"] for g in groups] == ["pillars_governance", "pillars_economy"]
    why, detail = groups[1]["children"][1], groups[1]["children"][2]
    assert why["label"] == {"default": "Mengapa tidak ada program economy?"}
    assert why["relevant"] == "${has_programs} = 'no'" and groups[1]["children"][0]["constraint"] == ". >= 0"
    assert detail["label"] == {"default": "Rincian Ekonomi"} and detail["children"][0]["name"] == "pillars_economy_budget"
    assert _xform(_round_trip(original)) == _xform(original)
