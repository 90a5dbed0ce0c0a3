"""Values no column holds are refused or cleaned before they are stored (the tester stored a
316-character user name in a 150-character column and a NUL in a name). Run on PostgreSQL too,
which refuses both outright (``DATABASE_URL=postgres://...``)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.accounts.services import import_accounts
from kotacerdas.lib.tabular import TableError

User = get_user_model()
HEADER = "name,email,role,region,institution,language\n"


def _import(rows):
    return import_accounts(SimpleUploadedFile("accounts.csv", (HEADER + rows).encode()), name="accounts.csv")


def test_a_316_character_user_name_is_refused_naming_row_and_column(alice, english):
    email = "budi." + "a" * 296 + "@ui.example.org"  # 316 characters
    assert len(email) == 316
    with pytest.raises(TableError) as refused:
        _import(f"Budi Santoso,{email},assessor,,Universitas Indonesia,en\n")
    assert [(e.row, e.column) for e in refused.value.errors] == [(2, "email")]
    assert "at most 150 characters" in refused.value.errors[0].message
    assert not User.objects.filter(email=email).exists()


def test_a_name_and_institution_too_long_are_refused(alice, english):
    with pytest.raises(TableError) as refused:
        _import(f"{'B' * 301},budi@ui.example,assessor,,{'U' * 161},en\n")
    assert {(e.row, e.column) for e in refused.value.errors} == {(2, "name"), (2, "institution")}


def test_a_nul_in_a_name_never_reaches_the_database(alice, mailoutbox):
    users = _import("Bu\x00di San\x00toso,budi@ui.example,assessor,,Univer\x00sitas Indonesia,en\n")
    user = User.objects.get(pk=users[0].pk)
    assert (user.first_name, user.last_name) == ("Budi", "Santoso")
    assert user.role_grants.get().institution == "Universitas Indonesia"
