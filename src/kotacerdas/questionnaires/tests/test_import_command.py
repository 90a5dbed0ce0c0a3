"""``kotacerdas import_form PATH`` and the import page."""

import pytest
from django.core.management import CommandError, call_command

from .conftest import xlsform


def test_it_prints_id_title_and_questions(db, tmp_path, form_bytes, capsys):
    path = tmp_path / "uji.xlsx"
    path.write_bytes(form_bytes)
    call_command("import_form", str(path))
    assert capsys.readouterr().out.strip() == "uji\tKuesioner Uji\t7 questions\t(version 1)"


def test_a_bad_form_exits_with_the_error(db, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsform([["geopoint", "where", "Di mana", "Where"]]))
    with pytest.raises(CommandError, match="row 2, column A \\(type\\)"):
        call_command("import_form", str(path))


def test_the_page_shows_faults_never_a_traceback(client, alice):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(alice)
    response = client.post("/questionnaires/forms/", {"file": SimpleUploadedFile("bad.xlsx", b"garbage")})
    assert response.status_code == 200 and "data-fault" in response.content.decode()
