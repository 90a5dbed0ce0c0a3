"""``kotacerdas create_token USERNAME [--name NAME]``: a token from the command line."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.accounts.models import ApiToken
from kotacerdas.accounts.services import deactivate_user


def create_token(*args):
    out, err = StringIO(), StringIO()
    call_command("create_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_it_prints_only_a_working_token_and_stores_its_hash(english, client, dave):
    secret, note = create_token("dave", "--name", "nightly export")
    assert "\n" not in secret
    token = ApiToken.objects.get(user=dave)
    assert token.name == "nightly export" and token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix in note and "nightly export" in note and secret not in note
    me = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200 and me.json()["username"] == "dave"


def test_without_a_name_it_says_it_came_from_the_command_line(dave):
    first, _note = create_token("dave")
    second, _note = create_token("dave")
    assert first != second
    assert list(ApiToken.objects.filter(user=dave).values_list("name", flat=True)) == ["command line", "command line"]


@pytest.mark.parametrize("args, message", [
    (("nobody",), "No account has the username “nobody”."),
    (("dave", "--name", "   "), "Give the token a name of 1 to 80 characters (--name)."),
    (("dave", "--name", "x" * 81), "Give the token a name of 1 to 80 characters (--name)."),
])
def test_a_wrong_username_or_name_makes_no_token(english, dave, args, message):
    with pytest.raises(CommandError) as error:
        create_token(*args)
    assert str(error.value) == message
    assert not ApiToken.objects.exists()


def test_a_deactivated_account_gets_no_token(english, alice, dave):
    deactivate_user(dave, by=alice)
    with pytest.raises(CommandError, match="deactivated"):
        create_token("dave")
    assert not ApiToken.objects.exists()
