"""The ministry creates accounts from a CSV or XLSX file: every bad row is reported with its row
and column, and one bad row means nothing is written. Each new account is invited by e-mail."""


import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from kotacerdas.accounts.models import Notification, RoleGrant
from kotacerdas.accounts.services import import_accounts
from kotacerdas.lib.tabular import TableError
from kotacerdas.lib.testing import xlsx_upload

User = get_user_model()

GOOD = """name,email,role,region,institution,language
Siti Rahma,siti@banjarkab.example,operator,63.03,Diskominfo Kabupaten Banjar,id
Budi Santoso,budi@ui.example,assessor,,Universitas Indonesia,en
"""


def _csv(text, name="accounts.csv"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _errors(text):
    with pytest.raises(TableError) as caught:
        import_accounts(_csv(text), name="accounts.csv")
    return [(error.row, error.column, error.message) for error in caught.value.errors]


def test_a_good_file_creates_the_accounts_with_their_roles_and_invites_them(reference_data, mailoutbox):
    users = import_accounts(_csv(GOOD), name="accounts.csv", base_url="https://kotacerdas.example")
    assert [user.username for user in users] == ["siti@banjarkab.example", "budi@ui.example"]
    siti = User.objects.get(email="siti@banjarkab.example")
    assert (siti.first_name, siti.last_name, siti.has_usable_password()) == ("Siti", "Rahma", False)
    assert RoleGrant.objects.get(user=siti).region.code == "63.03"
    assert [mail.to for mail in mailoutbox] == [["siti@banjarkab.example"], ["budi@ui.example"]]
    assert "https://kotacerdas.example/accounts/password/" in mailoutbox[0].body
    assert Notification.objects.filter(status="sent").count() == 2


def test_an_xlsx_file_works_the_same(reference_data, mailoutbox):
    upload = xlsx_upload([["name", "email", "role", "region"], ["Dewi Lestari", "dewi@itb.example", "mentor", None]],
                         "accounts.xlsx")
    users = import_accounts(upload, name="accounts.xlsx")
    assert RoleGrant.objects.get(user=users[0]).role == "mentor"


# One bad row (the file's fourth line) after two good ones; columns: name, email, role, region,
# institution, language.
@pytest.mark.parametrize(
    "row, column, words",
    [
        ("Ana,ana@example.org,governor,,,", "role", "Unknown role"),
        ("Ana,not-an-address,assessor,,,", "email", "not a valid e-mail address"),
        ("Ana,,assessor,,,", "email", "e-mail address is required"),
        ("Ana,ana@example.org,operator,,,", "region", "needs a region code"),
        ("Ana,ana@example.org,operator,63.99,,", "region", "No region has the code"),
        (",ana@example.org,assessor,,,", "name", "name is required"),
        ("Ana,ana@example.org,assessor,,,xx", "language", "Unknown language"),
    ],
)
def test_each_bad_row_is_reported_and_nothing_is_written(reference_data, mailoutbox, row, column, words):
    users_before = User.objects.count()
    errors = _errors(GOOD + row + "\n")
    assert [(line, col) for line, col, _message in errors] == [(4, column)]
    assert words in errors[0][2]
    assert User.objects.count() == users_before
    assert mailoutbox == [] and not Notification.objects.exists()


def test_a_duplicate_email_in_the_file_names_the_first_row(reference_data):
    errors = _errors(GOOD + "Siti Kedua,SITI@banjarkab.example,assessor,,,\n")
    assert errors == [(4, "email", "This e-mail address is already in row 2.")]


def test_an_email_of_an_existing_account_is_refused(reference_data, dave):
    errors = _errors(GOOD + "Dave Again,Dave@Example.org,assessor,,,\n")
    assert errors == [(4, "email", "An account with this e-mail address already exists.")]


def test_every_bad_row_is_reported_at_once(reference_data):
    errors = _errors("name,email,role\n,bad,governor\nAna,ana@example.org,operator\n")
    assert [(row, column) for row, column, _message in errors] == [
        (2, "name"), (2, "email"), (2, "role"), (3, "region"),
    ]


def test_a_file_without_the_required_columns_is_refused(reference_data):
    assert _errors("name,mail\nAna,ana@example.org\n") == [
        (1, "email", "required column is missing"),
        (1, "role", "required column is missing"),
    ]


def test_the_ministry_uploads_a_file_and_sees_the_row_errors(client, alice):
    client.force_login(alice)
    response = client.post("/accounts/users/import/", {"file": _csv(GOOD + "Ana,ana@example.org,operator,,,\n")})
    text = response.content.decode()
    assert response.status_code == 200
    assert "No account was created" in text and "row 4, column region" in text
    assert not User.objects.filter(email="siti@banjarkab.example").exists()
    response = client.post("/accounts/users/import/", {"file": _csv(GOOD)})
    assert response.status_code == 302 and response["Location"] == "/accounts/users/"
    assert User.objects.filter(email="siti@banjarkab.example").exists()


def test_the_command_imports_a_file_and_reports_bad_rows(reference_data, tmp_path, mailoutbox):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,role\nAna,ana@example.org,operator\n")
    with pytest.raises(CommandError, match="row 2, column region"):
        call_command("import_accounts", str(bad))
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    call_command("import_accounts", str(good), "--base-url", "https://kotacerdas.example")
    assert len(mailoutbox) == 2


def test_an_invited_user_sets_a_password_from_the_link_and_logs_in(client, reference_data, mailoutbox):
    import re

    import_accounts(_csv(GOOD), name="accounts.csv", base_url="http://testserver")
    link = re.search(r"http://testserver(/accounts/password/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "hujan-di-martapura-7", "new_password2": "hujan-di-martapura-7"})
    assert response.status_code == 302
    assert client.post("/accounts/login/", {"username": "siti@banjarkab.example", "password": "hujan-di-martapura-7"}).status_code == 302
