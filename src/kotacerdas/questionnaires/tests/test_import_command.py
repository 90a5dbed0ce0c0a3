"""``kotacerdas import_form PATH`` and the import page."""

import pytest
from django.core.management import CommandError, call_command

from .conftest import xlsform


def test_it_prints_id_title_and_questions_per_type(db, tmp_path, form_bytes, capsys):
    path = tmp_path / "uji.xlsx"
    path.write_bytes(form_bytes)
    call_command("import_form", str(path))
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == "uji\tKuesioner Uji\t7 questions\t(version 1)"
    assert lines[1:] == ["  calculate\t1", "  date\t1", "  decimal\t1", "  group\t2", "  integer\t1", "  note\t1",
                         "  repeat\t1", "  select_multiple\t1", "  select_one\t1", "  text\t2",
                         "  warning: Language 'Bahasa Indonesia (id)' is missing the survey columns constraint_message, hint."]


def test_it_prints_the_new_types_and_the_warnings(db, tmp_path, capsys):
    path = tmp_path / "baru.xlsx"
    path.write_bytes(xlsform([["start", "start"], ["geopoint", "where", "Di mana", "Where"], ["image", "photo", "Foto", "Photo"],
                              ["time", "t", "Jam", "Time"]],
                             settings=(("form_title", "form_id", "public_key", "submission_url"), ("Baru", "baru", "abc", "https://example.org"))))
    call_command("import_form", str(path))
    out = capsys.readouterr().out
    assert "  geopoint\t1\n  image\t1\n  start\t1\n  time\t1\n" in out
    assert "warning: the settings column 'public_key' is not used here" in out
    assert "warning: the settings column 'submission_url' is not used here" in out


def test_a_bad_form_exits_with_the_error(db, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsform([["geopoint", "where", "Di mana", "Where"], ["hologram", "h", "H", "H"]]))
    with pytest.raises(CommandError, match="row 3, column A \\(type\\): the question type 'hologram' is not supported"):
        call_command("import_form", str(path))


def test_the_page_shows_faults_never_a_traceback(client, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(alice)
    response = client.post("/questionnaires/forms/", {"file": SimpleUploadedFile("bad.xlsx", b"garbage")})
    assert response.status_code == 200 and "data-fault" in response.content.decode()


def test_the_page_imports_a_form_with_its_csv_and_shows_the_warnings(client, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kotacerdas.questionnaires.models import FormVersion

    from .test_question_types import CASCADE, KECAMATAN_CSV, _workbook

    workbook = _workbook(CASCADE[:1], choices=(), settings=(("form_title", "form_id", "public_key"), ("Kecamatan", "kecamatan", "KEY")))
    client.force_login(alice)
    refused = client.post("/questionnaires/forms/", {"file": SimpleUploadedFile("kec.xlsx", workbook)})
    assert "the file &#x27;kecamatan.csv&#x27; named here was not uploaded with the form" in refused.content.decode()
    assert not FormVersion.objects.exists()
    response = client.post("/questionnaires/forms/", {"file": SimpleUploadedFile("kec.xlsx", workbook),
                                                      "attachments": [SimpleUploadedFile("kecamatan.csv", KECAMATAN_CSV)]}, follow=True)
    version = FormVersion.objects.get()
    assert [c["name"] for c in version.definition["children"][0]["choices"]] == ["martapura", "gambut"]
    assert "the settings column &#x27;public_key&#x27; is not used here" in response.content.decode()


@pytest.mark.indonesian
def test_the_command_answers_in_indonesian_and_in_english_on_request(db, tmp_path, capsys):
    path = tmp_path / "baru.xlsx"
    path.write_bytes(xlsform([["geopoint", "where", "Di mana", "Where"]],
                             settings=(("form_title", "form_id", "public_key"), ("Baru", "baru", "abc"))))
    call_command("import_form", str(path))
    out = capsys.readouterr().out
    assert "baru\tBaru\t1 pertanyaan\t(versi 1)" in out
    assert "peringatan: kolom settings 'public_key' tidak dipakai di sini" in out
    call_command("import_form", str(path), "--language", "en")
    out = capsys.readouterr().out
    assert "1 questions\t(version 2)" in out and "warning: the settings column 'public_key' is not used here" in out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsform([["geopoint", "where", "Di mana", "Where"], ["hologram", "h", "H", "H"]]))
    with pytest.raises(CommandError, match="lembar 'survey', baris 3, kolom A \\(type\\): jenis pertanyaan 'hologram' tidak didukung"):
        call_command("import_form", str(bad))
    with pytest.raises(CommandError, match="tidak-ada.xlsx: berkas tidak ada"):
        call_command("import_form", str(tmp_path / "tidak-ada.xlsx"))
