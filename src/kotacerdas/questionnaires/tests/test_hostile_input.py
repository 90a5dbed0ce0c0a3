"""The outside tester's findings on questionnaires, each reproduced: an XLSForm too large or too
deep for the server, weights that are not numbers, an oversized answer, a lone surrogate."""

import io
import json
import time
import zipfile

import pytest

from kotacerdas.accounts.services import create_token
from kotacerdas.lib.testing import xlsx_with_sheet_xml
from kotacerdas.questionnaires.models import Answer
from kotacerdas.questionnaires.xlsform import FormError, read_xlsform

from .conftest import CHOICES, SURVEY, xlsform


def _fault(content):
    with pytest.raises(FormError) as refused:
        read_xlsform(content)
    return refused.value.faults[0]


def test_an_xlsform_of_a_million_rows_is_refused_before_parsing():
    # Rows without their optional r= attributes: 26 MB unpacked, under the unpacked limit, so the
    # row count is what refuses it.
    rows = ("<row><c><v>1</v></c></row>" for _n in range(1_000_000))
    fault = _fault(xlsx_with_sheet_xml(rows))
    assert (fault.sheet, fault.row) == ("survey", 50_001) and "more than 50000 rows" in fault.message


def test_an_xlsform_with_a_200_mb_label_cell_is_refused_before_parsing():
    content = xlsx_with_sheet_xml(['<row r="1"><c r="A1" t="s"><v>0</v></c></row>'], shared_strings=["a" * 2**20] * 200)
    assert len(content) < 1_000_000
    fault = _fault(content)
    assert "unpacks to 200" in fault.message


def _with_dimension(content, dimension):
    """``content`` with the survey sheet declaring ``dimension`` (as Excel sometimes writes it)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension ref=\"") + len("<dimension ref=\"")
                data = (text[:start] + dimension + text[text.index('"', start):]).encode()
            target.writestr(info, data)
    return buffer.getvalue()


def test_a_real_form_declaring_a_million_rows_by_1024_columns_and_using_90_passes():
    survey = [["text", f"q{n}", f"Pertanyaan {n}", f"Question {n}"] for n in range(89)]
    content = _with_dimension(xlsform(survey), "A1:AMJ1048576")
    assert b'ref="A1:AMJ1048576"' in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    definition = read_xlsform(content)
    assert len(definition["children"]) == 89


def test_a_choice_list_of_5667_villages_passes():
    choices = [["desa", f"d{n}", f"Desa {n}", f"Village {n}", ""] for n in range(5667)]
    definition = read_xlsform(xlsform([["select_one desa", "village", "Desa", "Village"]], choices))
    assert len(definition["children"][0]["choices"]) == 5667


def test_an_expression_nested_3000_deep_is_a_fault_not_a_crash():
    deep = "(" * 3000 + "1" + ")" * 3000
    fault = _fault(xlsform([["integer", "a", "A", "A", "", "", "", deep]]))
    assert fault.sheet == "survey" and fault.row == 2 and "nested more than 100 levels" in fault.message
    fault = _fault(xlsform([["integer", "a", "A", "A", "", "", "", "-" * 3000 + "1"]]))
    assert "nested more than 100 levels" in fault.message


@pytest.mark.parametrize("weight", ["nan", "1e999", "inf"])
def test_a_weight_that_is_not_a_finite_number_is_a_fault(weight):
    fault = _fault(xlsform([["integer", "a", "A", "A", "", "", "", "", "", "", "", weight]]))
    assert (fault.sheet, fault.row) == ("survey", 2) and "weight" in fault.column and "not a number" in fault.message


@pytest.fixture
def dave_api(dave):
    _token, secret = create_token(dave, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_answer_of_10_mb_is_413_and_nothing_is_saved(client, assignment, dave_api):
    url = f"/api/v1/questionnaires/{assignment.pk}/regions/63.03"
    body = {"answers": {"why_not": {"value": "x" * 10_000_000, "revision": 0}}}
    response = client.post(url, json.dumps(body), content_type="application/json", **dave_api)
    assert response.status_code == 413
    assert not Answer.objects.exists()


def test_an_answer_of_10_mb_on_the_page_is_413(client, assignment, dave):
    client.force_login(dave)
    response = client.post(f"/questionnaires/{assignment.pk}/fill/63.03/", {"why_not": "x" * 10_000_000})
    assert response.status_code == 413


def test_a_lone_surrogate_in_an_answer_is_removed_not_a_500(client, assignment, dave_api):
    url = f"/api/v1/questionnaires/{assignment.pk}/regions/63.03"
    raw = '{"answers": {"why_not": {"value": "a\\ud800b\\u0000", "revision": 0}}}'
    response = client.post(url, raw, content_type="application/json", **dave_api)
    assert response.status_code == 200
    assert Answer.objects.get(key="why_not").value == "ab"


@pytest.mark.parametrize("number", ["NaN", "Infinity", "1e999"])
def test_json_numbers_that_are_not_finite_are_refused(client, assignment, dave_api, number):
    url = f"/api/v1/questionnaires/{assignment.pk}/regions/63.03"
    raw = '{"answers": {"budget": {"value": "1", "revision": %s}}}' % number
    response = client.post(url, raw, content_type="application/json", **dave_api)
    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_a_read_only_token_reads_and_cannot_write(client, assignment, dave):
    _token, secret = create_token(dave, "dashboard", read_only=True)
    url = f"/api/v1/questionnaires/{assignment.pk}/regions/63.03"
    assert client.get(url, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    body = {"answers": {"why_not": {"value": "x", "revision": 0}}}
    response = client.post(url, json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert not Answer.objects.exists()
