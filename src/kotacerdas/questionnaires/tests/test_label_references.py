"""``${name}`` in a label or hint shows the current answer (ODK's label references), escaped."""

import datetime

import pytest
from django.utils import timezone

from kotacerdas.questionnaires import services

from .conftest import xlsform
from .test_filling import oob_fragments

SURVEY = [
    ["text", "name", "Nama", "Name"],
    ["integer", "staff", "Pegawai", "Staff"],
    ["calculate", "double", "", "", "", "", "", "", "", "${staff} * 2"],
    ["note", "greet", "Halo ${name}", "Hello ${name}!", "Twice the staff: ${double}"],
    ["text", "city", "Kota ${name}", "City of ${name}", "Where ${name} works"],
    ["begin_repeat", "apps", "Aplikasi", "Applications"],
    ["text", "app_name", "Nama aplikasi", "Application name"],
    ["text", "app_owner", "Pemilik ${app_name}", "Owner of ${app_name}"],
    ["end_repeat"],
    ["note", "apps_note", "Aplikasi", "Applications: ${app_name} (${apps})"],
]


@pytest.fixture
def referencing(phase, banjar, dave):
    version = services.import_form(xlsform(SURVEY, settings=(("form_title", "form_id", "version"), ("Rujukan", "rujukan", "1"))), "rujukan.xlsx")
    now = timezone.now()
    assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    return services.start_submission(assignment, banjar, user=dave)


def _layout(submission):
    from kotacerdas.questionnaires.rendering import layout

    return {item["key"]: item for item in layout(submission, "en")}


def test_labels_and_hints_show_the_current_answers(referencing, dave):
    services.save_answers(referencing, {"name": ("Banjar", 0), "staff": ("21", 0), "apps": ("2", 0),
                                        "app_name#1": ("SIMDA", 0), "app_name#2": ("SIPD", 0)}, user=dave)
    items = _layout(referencing)
    assert items["greet"]["label"] == "Hello Banjar!"
    assert items["greet"]["hint"] == "Twice the staff: 42"
    assert (items["city"]["label"], items["city"]["hint"]) == ("City of Banjar", "Where Banjar works")
    assert items["app_owner#1"]["label"] == "Owner of SIMDA" and items["app_owner#2"]["label"] == "Owner of SIPD"
    assert items["apps_note"]["label"] == "Applications: SIMDA, SIPD (2)"


def test_an_empty_answer_leaves_the_reference_empty(referencing):
    assert _layout(referencing)["greet"]["label"] == "Hello !"


def test_a_referenced_answer_is_escaped_on_the_page(client, referencing, dave):
    services.save_answers(referencing, {"name": ("<b>Banjar</b> & co", 0)}, user=dave)
    client.force_login(dave)
    body = client.get(f"/questionnaires/{referencing.assignment_id}/fill/63.03/").content.decode()
    assert "Hello &lt;b&gt;Banjar&lt;/b&gt; &amp; co!" in body and "<b>Banjar</b>" not in body
    assert "City of &lt;b&gt;Banjar&lt;/b&gt; &amp; co" in body


def test_typing_the_referenced_answer_updates_the_labels_that_use_it(client, referencing, dave):
    client.force_login(dave)
    url = f"/questionnaires/{referencing.assignment_id}/fill/63.03/"
    body = client.post(url, {"orig:name": "", "rev:name": "0", "a:name": "Tabalong <1>"}, HTTP_HX_REQUEST="true").content.decode()
    fragments = oob_fragments(body)
    assert "Hello Tabalong &lt;1&gt;!" in body.split('id="qd-greet"')[1]  # the note, whole (it has no field)
    assert "qd-city" not in fragments  # a question with a field: only its label and hint
    assert body.split('id="ql-city"')[1].split("</span>")[0].endswith(">City of Tabalong &lt;1&gt;")
    assert "Where Tabalong &lt;1&gt; works" in body.split('id="qh-city"')[1].split("</small>")[0]
