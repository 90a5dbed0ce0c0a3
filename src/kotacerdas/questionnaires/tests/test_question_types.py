"""Every XLSForm type the platform fills, legacy spellings, metadata, media evidence, nested
repeats and cascading choices: imported, filled, checked and exported."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kotacerdas.questionnaires import services
from kotacerdas.questionnaires.logic import FormLogic, geojson_to_odk, to_geojson
from kotacerdas.questionnaires.xlsform import FormError, count_by_type, read_xlsform, walk

from .conftest import xlsform

HEADER = ["type", "name", "label", "required", "relevant", "constraint", "calculation", "parameters", "choice_filter", "default"]
SETTINGS = (("form_title", "form_id"), ("Semua Tipe", "semua"))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20

ALL_TYPES = [
    ["start", "start"], ["end", "end"], ["today", "today"], ["deviceid", "deviceid"], ["uri:deviceid", "device_uri"],
    ["username", "username"], ["phonenumber", "phone_meta"],
    ["image", "photo", "Foto kantor"], ["audio", "voice", "Rekaman"], ["video", "clip", "Video"], ["file", "doc", "Dokumen"],
    ["geopoint", "where", "Lokasi pusat data"], ["geotrace", "route", "Rute"], ["geoshape", "area", "Area"],
    ["time", "at", "Jam forum"], ["datetime", "when", "Waktu forum"], ["barcode", "code", "Kode"],
    ["acknowledge", "ok", "Saya setuju"], ["range", "level", "Tingkat", "", "", "", "", "start=0 end=10 step=2"],
    ["rank order", "order", "Urutan", "", "", "", "", "", "", ""], ["select_one yn or_other", "pick", "Pilih"],
    ["hidden", "secret", "", "", "", "", "", "", "", "abc"], ["email", "mail", "Surel"],
]
CHOICES = [["yn", "yes", "Ya"], ["yn", "no", "Tidak"], ["order", "a", "A"], ["order", "b", "B"], ["order", "c", "C"]]


def _workbook(survey, choices=CHOICES, header=HEADER, settings=SETTINGS, extra_sheets=(), choices_header=("list_name", "name", "label")):
    return xlsform(survey, choices, settings=settings, header=header, choices_header=choices_header, extra_sheets=extra_sheets)


def _types(definition):
    return {element["name"]: element["type"] for element, _a in walk(definition["children"])}


def test_every_type_of_the_specification_imports():
    definition = read_xlsform(_workbook(ALL_TYPES))
    types = _types(definition)
    assert types == {
        "start": "start", "end": "end", "today": "today", "deviceid": "deviceid", "device_uri": "uri:deviceid",
        "username": "username", "phone_meta": "phonenumber", "photo": "image", "voice": "audio", "clip": "video",
        "doc": "file", "where": "geopoint", "route": "geotrace", "area": "geoshape", "at": "time", "when": "datetime",
        "code": "barcode", "ok": "acknowledge", "level": "range", "order": "rank", "pick": "select_one",
        "pick_other": "text", "secret": "hidden", "mail": "email",
    }
    elements = {element["name"]: element for element, _a in walk(definition["children"])}
    assert elements["level"]["parameters"] == {"start": "0", "end": "10", "step": "2"}
    assert [c["name"] for c in elements["pick"]["choices"]] == ["yes", "no", "other"]
    assert elements["pick_other"]["relevant"] == "selected(${pick}, 'other')"
    assert elements["start"]["metadata"] is True
    assert count_by_type(definition)["geopoint"] == 1


def test_legacy_spellings_and_columns_read_as_pyxform_reads_them():
    header = ["type", "name", "label", "bind:relevant", "bind:constraint", "bind:jr:constraintMsg"]
    survey = [["select one from yn", "a", "A"], ["select all that apply from yn", "b", "B", "${a} = 'yes'"],
              ["int", "n", "N", "", ". > 1", "more than one"], ["add photo prompt", "p", "P"], ["location", "g", "G"],
              ["begin group", "grp", "G"], ["string", "s", "S"], ["end group"]]
    definition = read_xlsform(_workbook(survey, choices=[["yn", "yes", "Ya"], ["yn", "no", "Tidak"]], header=header,
                                        choices_header=("list name", "name", "label")))
    elements = {element["name"]: element for element, _a in walk(definition["children"])}
    assert _types(definition) == {"a": "select_one", "b": "select_multiple", "n": "integer", "p": "image", "g": "geopoint", "grp": "group", "s": "text"}
    assert elements["b"]["relevant"] == "${a} = 'yes'"
    assert elements["n"]["constraint"] == ". > 1" and elements["n"]["constraint_message"] == {"default": "more than one"}
    assert [c["name"] for c in elements["a"]["choices"]] == ["yes", "no"]


def test_unused_sheets_settings_and_odd_form_ids_are_warnings():
    definition = read_xlsform(_workbook([["text", "a", "A"]], settings=(("form_title", "form_id", "public_key", "submission_url"), ("T", "my form!", "KEY", "https://x")),
                                        extra_sheets=[("entities", [["list_name", "label"], ["trees", "${a}"]]), ("help", [["read me"]])]))
    assert definition["form_id"] == "my_form"
    assert "the form id 'my form!' is stored as 'my_form'" in definition["warnings"]
    assert "the sheet 'entities' is not used here" in definition["warnings"]
    assert "the sheet 'help' is not used here" in definition["warnings"]
    assert "the settings column 'public_key' is not used here" in definition["warnings"]


def test_a_broken_cell_in_a_form_with_new_types_is_still_named():
    with pytest.raises(FormError) as caught:
        read_xlsform(_workbook([["geopoint", "where", "W"], ["time", "at", "T", "", "${nowhere} = 1"]]))
    assert [str(f) for f in caught.value.faults] == ["sheet 'survey', row 3, column E (relevant): ${nowhere} refers to no question of this form"]


# --- checking answers of each type ------------------------------------------------------------

@pytest.fixture(scope="module")
def logic():
    return FormLogic(read_xlsform(_workbook(ALL_TYPES)))


POINT = json.dumps({"type": "Point", "coordinates": [114.59, -3.31], "accuracy": 5.0})


@pytest.mark.parametrize("name, good, bad", [
    ("at", "09:30", "9.30"),
    ("at", "09:30:15.000+08:00", "25:00"),
    ("when", "2024-05-01T09:30", "tomorrow"),
    ("mail", "kominfo@banjarkab.go.id", "kominfo at banjar"),
    ("ok", "OK", "yes"),
    ("level", "4", "5"),
    ("level", "10", "12"),
    ("order", "c a b", "a a b"),
    ("order", "b c a", "a b"),
    ("where", POINT, json.dumps({"type": "Point", "coordinates": [114.59, -93.0]})),
    ("route", json.dumps({"type": "LineString", "coordinates": [[114.5, -3.3], [114.6, -3.4]]}), json.dumps({"type": "LineString", "coordinates": [[114.5, -3.3]]})),
    ("area", to_geojson("geoshape", [(-3.3, 114.5), (-3.4, 114.6), (-3.5, 114.5)]), json.dumps({"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [1, 1]]]})),
    ("pick", "other", "maybe"),
])
def test_each_type_accepts_its_values_and_refuses_others(logic, name, good, bad):
    assert [i.key for i in logic.evaluate({name: good}).issues] == []
    issues = logic.evaluate({name: bad}).issues
    assert [(i.key, i.code) for i in issues] in ([(name, "type")], [(name, "choice")])


def test_a_location_is_geojson_stored_and_odk_text_to_expressions():
    assert geojson_to_odk(POINT) == "-3.31 114.59 0 5"
    definition = read_xlsform(_workbook([["geotrace", "route", "R"], ["calculate", "metres", "", "", "", "", "round(distance(${route}), 0)"]]))
    route = to_geojson("geotrace", [(0.0, 0.0), (0.0, 1.0)])
    # JavaRosa's earth radius of 6,378,100 m: one degree on the equator is 2π × 6,378,100 / 360 = 111,318.8 m.
    assert FormLogic(definition).evaluate({"route": route}).values["metres"] == "111319"


def test_metadata_fill_themselves_and_are_not_shown(reference_data, phase, dave, banjar):
    version = services.import_form(_workbook(ALL_TYPES), "semua.xlsx")
    now = timezone.now()
    assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    submission = services.start_submission(assignment, banjar, user=dave, device="Mozilla/5.0 (Uji)")
    answers = {key: value for key, (value, _r) in services.answers_of(submission).items()}
    assert answers["username"] == dave.username
    assert answers["deviceid"] == answers["device_uri"] == "Mozilla/5.0 (Uji)"
    assert answers["start"].endswith("+08:00")  # Banjar is in WITA
    assert answers["today"] == answers["start"][:10]
    assert answers["end"] >= answers["start"] and answers["secret"] == "abc"
    later = timezone.now() + datetime.timedelta(hours=1)
    services.save_answers(submission, {"code": ("8991234567890", 0)}, user=dave, now=later)
    end = services.answers_of(submission)["end"][0]
    assert end.endswith("+08:00") and end > answers["end"] and services.answers_of(submission)["start"][0] == answers["start"]
    with pytest.raises(ValidationError):
        services.save_answers(submission, {"username": ("someone else", 1)}, user=dave)
    from kotacerdas.questionnaires.rendering import layout

    shown = {item["name"] for item in layout(submission, "id")}
    assert not shown & {"start", "end", "today", "deviceid", "device_uri", "username", "phone_meta"}


def test_a_photo_is_evidence_of_its_question_and_its_answer(reference_data, phase, dave, banjar):
    version = services.import_form(_workbook([["image", "photo", "Foto", "yes"]], choices=()), "foto.xlsx")
    now = timezone.now()
    assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    submission = services.start_submission(assignment, banjar, user=dave)
    assert [i.code for i in services.evaluate(submission).issues] == ["required"]
    with pytest.raises(ValidationError, match="not an allowed file type; allowed: .png, .jpg, .jpeg"):
        services.add_evidence(submission, "photo", SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n"), user=dave)
    services.add_evidence(submission, "photo", SimpleUploadedFile("kantor.png", PNG), user=dave)
    services.add_evidence(submission, "photo", SimpleUploadedFile("kantor2.png", PNG), user=dave)
    assert [e.original_name for e in submission.evidence.all()] == ["kantor2.png"]  # one file, as in ODK
    assert services.answers_of(submission)["photo"][0] == "kantor2.png"
    assert services.evaluate(submission).issues == []
    services.remove_evidence(submission.evidence.get(), user=dave)
    assert services.answers_of(submission)["photo"][0] == ""


# --- nested repeats ------------------------------------------------------------------------------

NESTED = [
    ["begin_repeat", "opd", "OPD"],
    ["text", "opd_name", "Nama OPD"],
    ["begin_repeat", "apps", "Aplikasi"],
    ["integer", "users", "Pengguna", "", "", ". > 0"],
    ["calculate", "where_am_i", "", "", "", "", "position(..)"],
    ["end_repeat"],
    ["calculate", "opd_users", "", "", "", "", "sum(${users})"],
    ["end_repeat"],
    ["calculate", "all_users", "", "", "", "", "sum(${users})"],
    ["calculate", "second_first", "", "", "", "", "indexed-repeat(${users}, ${opd}, 2, ${apps}, 1)"],
    ["calculate", "opd_count", "", "", "", "", "count(${opd})"],
]


def test_a_repeat_inside_a_repeat_keeps_each_instance_and_odk_paths():
    logic = FormLogic(read_xlsform(_workbook(NESTED, choices=())))
    answers = {"opd": "2", "apps#1": "2", "apps#2": "1", "users#1.1": "10", "users#1.2": "5", "users#2.1": "7", "opd_name#1": "Diskominfo", "opd_name#2": "Bappeda"}
    evaluation = logic.evaluate(answers)
    assert evaluation.values["opd_users#1"] == "15" and evaluation.values["opd_users#2"] == "7"
    assert evaluation.values["all_users"] == "22"
    assert evaluation.values["second_first"] == "7"
    assert evaluation.values["opd_count"] == "2"
    assert evaluation.values["where_am_i#1.2"] == "2"
    assert evaluation.keys[:4] == ["opd_name#1", "users#1.1", "users#1.2", "where_am_i#1.1"] or "users#1.2" in evaluation.keys
    bad = logic.evaluate({**answers, "users#1.2": "0"})
    assert [(i.key, i.code) for i in bad.issues] == [("users#1.2", "constraint")]


# --- choices from files and cascading lists ------------------------------------------------------

CASCADE = [
    ["select_one_from_file kecamatan.csv", "kec", "Kecamatan"],
    ["select_one_external desa", "desa", "Desa", "", "", "", "", "", "kec=${kec}"],
    ["calculate", "code", "", "", "", "", "pulldata('kecamatan', 'code', 'name', ${kec})"],
]
KECAMATAN_CSV = "name,label,code\nmartapura,Martapura,63.03.01\ngambut,Gambut,63.03.02\n".encode()


def _cascade_zip():
    workbook = _workbook(CASCADE, choices=(), extra_sheets=[("external_choices", [["list_name", "name", "label", "kec"], ["desa", "jawa", "Jawa", "martapura"],
                                                                                 ["desa", "tanjung_rema", "Tanjung Rema", "martapura"], ["desa", "gambut_barat", "Gambut Barat", "gambut"]])])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("banjar/form.xlsx", workbook)
        archive.writestr("banjar/kecamatan.csv", KECAMATAN_CSV)
        archive.writestr("banjar/media/logo.png", PNG)
    return buffer.getvalue()


def test_cascading_choices_from_a_csv_and_external_choices_are_filtered_on_the_server():
    definition = read_xlsform(_cascade_zip(), "banjar.zip")
    logic = FormLogic(definition)
    assert definition["files"] == ["kecamatan.csv", "logo.png"]
    martapura = logic.evaluate({"kec": "martapura"})
    assert martapura.options["desa"] == ["jawa", "tanjung_rema"]
    assert martapura.values["code"] == "63.03.01"
    assert logic.evaluate({"kec": "gambut", "desa": "gambut_barat"}).issues == []
    wrong = logic.evaluate({"kec": "gambut", "desa": "jawa"})
    assert [(i.key, i.code, i.detail) for i in wrong.issues] == [("desa", "choice", "jawa")]


def test_a_csv_uploaded_beside_the_workbook_counts_as_attached():
    workbook = _workbook(CASCADE[:1], choices=())
    definition = read_xlsform(workbook, "form.xlsx", files={"kecamatan.csv": KECAMATAN_CSV})
    assert [c["name"] for c in definition["children"][0]["choices"]] == ["martapura", "gambut"]


def test_a_missing_csv_for_pulldata_or_choices_is_named():
    with pytest.raises(FormError) as caught:
        read_xlsform(_workbook(CASCADE[:1], choices=()), "form.xlsx")
    assert "the file 'kecamatan.csv' named here was not uploaded with the form" in str(caught.value)


# --- exports ------------------------------------------------------------------------------------

def test_exports_carry_locations_media_nested_repeats_and_no_live_formula(client, reference_data, phase, dave, banjar, alice):
    from openpyxl import load_workbook

    survey = [["geopoint", "where", "Lokasi"], ["image", "photo", "Foto"], ["text", "note_text", "Catatan"], *NESTED[:8]]
    version = services.import_form(_workbook(survey, choices=()), "ekspor.xlsx")
    now = timezone.now()
    assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    submission = services.start_submission(assignment, banjar, user=dave)
    point = to_geojson("geopoint", [(-3.31, 114.59)], 5)
    services.save_answers(submission, {"where": (point, 0), "note_text": ("=1+1", 0), "opd": ("1", 0), "apps#1": ("2", 0),
                                       "opd_name#1": ("Diskominfo", 0), "users#1.1": ("10", 0), "users#1.2": ("5", 0)}, user=dave)
    evidence = services.add_evidence(submission, "photo", SimpleUploadedFile("kantor.png", PNG), user=dave)
    client.force_login(alice)
    workbook = load_workbook(io.BytesIO(client.get(f"/questionnaires/{assignment.pk}/export/xlsx/").content))
    rows = list(workbook["submissions"].values)
    row = dict(zip(rows[1], rows[3]))
    assert json.loads(row["where"]) == json.loads(point)
    assert (row["where/latitude"], row["where/longitude"], row["where/accuracy"]) == (-3.31, 114.59, 5)
    assert row["photo"] == "kantor.png" and row["photo/url"] == f"http://testserver/questionnaires/evidence/{evidence.pk}/"
    assert row["note_text"] == "'=1+1"
    apps = list(workbook["apps"].values)
    assert [r[:3] for r in apps[3:]] == [(submission.pk, "1.1", 10), (submission.pk, "1.2", 5)]
    payload = json.loads(client.get(f"/questionnaires/{assignment.pk}/export/json/").content)
    assert payload["sheets"]["submissions"][0]["where/latitude"] == -3.31


def test_choosing_a_district_while_filling_brings_back_its_villages(client, reference_data, phase, dave, banjar):
    version = services.import_form(_cascade_zip(), "banjar.zip")
    now = timezone.now()
    assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    services.start_submission(assignment, banjar, user=dave)
    client.force_login(dave)
    url = f"/questionnaires/{assignment.pk}/fill/63.03/"
    page = client.get(url).content.decode()
    assert 'value="martapura"' in page and 'value="jawa"' not in page  # no district yet: no village (kec = '' matches none)
    body = client.post(url, {"orig:kec": "", "rev:kec": "0", "a:kec": "gambut"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="qd-desa"' in body and 'value="gambut_barat"' in body and 'value="jawa"' not in body


REPEAT_COUNT = [
    ["integer", "n_opd", "Berapa OPD?"],
    ["begin_repeat", "opd", "OPD"],
    ["text", "opd_name", "Nama OPD", "yes"],
    ["calculate", "nomor", "", "", "", "", "position(..)"],
    ["end_repeat"],
    ["calculate", "names", "", "", "", "", "join(', ', ${opd_name})"],
]


def _with_repeat_count(rows, count):
    rows = [list(r) for r in rows]
    rows[1] = rows[1] + [""] * (len(HEADER) - len(rows[1])) + [count]
    return _workbook(rows, choices=(), header=HEADER + ["repeat_count"])


def test_repeat_count_sets_the_number_of_instances_from_an_answer_or_a_number():
    from kotacerdas.questionnaires.xlsform import write_xlsform

    definition = read_xlsform(_with_repeat_count(REPEAT_COUNT, "${n_opd}"), "opd.xlsx")
    repeat = next(e for e, _a in walk(definition["children"]) if e["name"] == "opd")
    assert repeat["repeat_count"] == "${n_opd}"
    logic = FormLogic(definition)
    # The answer decides: three OPD, whatever count the page sent; instances past it are not asked.
    evaluation = logic.evaluate({"n_opd": "3", "opd": "1", "opd_name#1": "Bappeda", "opd_name#2": "Diskominfo", "opd_name#4": "lama"})
    assert evaluation.repeat_counts["opd"] == 3
    assert [k for k in evaluation.keys if k.startswith("nomor")] == ["nomor#1", "nomor#2", "nomor#3"]
    assert evaluation.values["nomor#3"] == "3" and evaluation.values["names"] == "Bappeda, Diskominfo, "
    assert [i.key for i in evaluation.issues if i.code == "required"] == ["opd_name#3"]
    # No answer (or a bad one) gives no instance; a huge one stops at the platform's limit.
    from kotacerdas.questionnaires.logic import MAX_REPEAT

    assert logic.evaluate({"opd": "2"}).repeat_counts["opd"] == 0
    assert logic.evaluate({"n_opd": "100000"}).repeat_counts["opd"] == MAX_REPEAT
    # A number: pyxform writes it as its own calculation (opd_count), read back as the number,
    # and the regenerated form gives the same XForm.
    fixed = _with_repeat_count(REPEAT_COUNT, "2")
    definition = read_xlsform(fixed, "opd.xlsx")
    assert "opd_count" not in {e["name"] for e, _a in walk(definition["children"])}
    assert next(e for e, _a in walk(definition["children"]) if e["name"] == "opd")["repeat_count"] == "2"
    assert FormLogic(definition).evaluate({}).repeat_counts["opd"] == 2
    from pyxform.xls2xform import convert

    def xform(content):
        return convert(xlsform=content, validate=False, pretty_print=True, form_name="data").xform

    assert xform(write_xlsform(definition)[0]) == xform(fixed)


def test_a_repeat_with_a_count_has_no_add_or_remove_button(client, reference_data, phase, dave, banjar):
    version = services.import_form(_with_repeat_count(REPEAT_COUNT, "${n_opd}"), "opd.xlsx")
    now = timezone.now()
    assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    submission = services.start_submission(assignment, banjar, user=dave)
    services.save_answers(submission, {"n_opd": ("2", 0)}, user=dave)
    client.force_login(dave)
    page = client.get(f"/questionnaires/{assignment.pk}/fill/63.03/").content.decode()
    assert 'name="a:opd_name#1"' in page and 'name="a:opd_name#2"' in page and 'name="a:opd_name#3"' not in page
    assert 'name="repeat_add"' not in page and 'name="repeat_remove"' not in page


def test_randomized_choices_come_in_odks_seeded_order_and_round_trip(client, reference_data, phase, dave, banjar):
    from pyxform.xls2xform import convert

    from kotacerdas.questionnaires.xlsform import write_xlsform

    letters = [["abc", letter.lower(), letter] for letter in "ABCDEF"]
    rows = [["integer", "s", "Benih"], ["select_one abc", "pick", "Pilih", "", "", "", "", "randomize=true seed=${s}"],
            ["select_multiple abc", "any", "Semua", "", "", "", "", "randomize=true"]]
    content = _workbook(rows, choices=letters)
    definition = read_xlsform(content, "acak.xlsx")
    pick = next(e for e, _a in walk(definition["children"]) if e["name"] == "pick")
    assert pick["parameters"] == {"randomize": "true", "seed": "${s}"}
    logic = FormLogic(definition)
    # Seed 42 gives A F C B D E, the order Enketo's and JavaRosa's tests expect for six nodes.
    assert logic.evaluate({"s": "42"}).options["pick"] == list("afcbde")
    assert logic.evaluate({"s": "1"}).options["pick"] == list("bfeacd")
    unseeded = logic.evaluate({"s": "42"}).options["any"]
    assert sorted(unseeded) == list("abcdef")
    # No seed answered yet: the seed expression is empty, which ODK refuses; said, not a crash.
    assert any(i.key == "pick" and i.code == "expression" for i in logic.evaluate({}).issues)

    def xform(data):
        return convert(xlsform=data, validate=False, pretty_print=True, form_name="data").xform

    assert "randomize(" in xform(content) and xform(write_xlsform(definition)[0]) == xform(content)

    version = services.import_form(content, "acak.xlsx")
    now = timezone.now()
    assignment = services.attach_form(version.form, phase, "questionnaire", now - datetime.timedelta(days=1), now + datetime.timedelta(days=7))
    submission = services.start_submission(assignment, banjar, user=dave)
    services.save_answers(submission, {"s": ("42", 0)}, user=dave)
    client.force_login(dave)
    page = client.get(f"/questionnaires/{assignment.pk}/fill/63.03/").content.decode()
    shown = [page.index(f'id="q-pick-{name}"') for name in "afcbde"]
    assert shown == sorted(shown)
