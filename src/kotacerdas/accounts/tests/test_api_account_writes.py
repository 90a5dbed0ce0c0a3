"""One's own settings and tokens, and the ministry's account import and deactivation, through the
API: the pages' forms and services, the pages' permissions, the one error shape naming the field
(or the row and column of a file), nothing written on refusal."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from kotacerdas.accounts.models import ApiToken
from kotacerdas.accounts.services import create_token, profile_of
from kotacerdas.accounts.tests.helpers import bearer

User = get_user_model()
ACCOUNTS = "name,email,role,region,institution,language\nSiti Rahma,siti@banjarkab.example,operator,63.03,Diskominfo,id\n"


def fields(response):
    return {item["field"] for item in response.json()["errors"]}


def put(client, url, body, headers):
    return client.put(url, json.dumps(body), content_type="application/json", **headers)


def test_a_user_changes_their_own_settings(client, dave):
    response = put(client, "/api/v1/accounts/me/settings", {"language": "en", "phone": "0811"}, bearer(dave))
    assert response.status_code == 200 and response.json() == {"language": "en", "phone": "0811"}
    assert profile_of(dave).language == "en"
    bad = put(client, "/api/v1/accounts/me/settings", {"language": "fr"}, bearer(dave))
    assert bad.status_code == 400 and fields(bad) == {"language"}
    assert profile_of(dave).language == "en"
    assert put(client, "/api/v1/accounts/me/settings", {"language": "id"}, {}).status_code == 401


def test_a_user_makes_lists_and_revokes_their_own_tokens(client, dave, erin):
    headers = bearer(dave)
    response = client.post("/api/v1/accounts/tokens", {"name": "ekspor malam", "days": 30}, content_type="application/json", **headers)
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["secret"].startswith("kc_") and made["secret"][:10] == made["prefix"]
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {made['secret']}").json()["username"] == "dave"
    assert {t["name"] for t in client.get("/api/v1/accounts/tokens", **headers).json()} == {"test", "ekspor malam"}
    # Another user's token is not theirs to see or revoke.
    other, _secret = create_token(erin, "erin's")
    assert client.delete(f"/api/v1/accounts/tokens/{other.pk}", **headers).status_code == 404
    assert client.delete(f"/api/v1/accounts/tokens/{made['id']}", **headers).json()["revoked_at"]
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {made['secret']}").status_code == 401
    other.refresh_from_db()
    assert other.revoked_at is None


def test_a_token_lifetime_outside_the_choices_and_a_read_only_token_are_refused(client, dave):
    response = client.post("/api/v1/accounts/tokens", {"name": "x", "days": 10}, content_type="application/json", **bearer(dave))
    assert response.status_code == 400 and fields(response) == {"days"}
    _token, secret = create_token(dave, "reader", read_only=True)
    refused = client.post("/api/v1/accounts/tokens", {"name": "y"}, content_type="application/json",
                          HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 403
    assert set(ApiToken.objects.filter(user=dave).values_list("name", flat=True)) == {"test", "reader"}


def test_the_ministry_imports_accounts_and_a_bad_cell_is_named(client, alice):
    response = client.post("/api/v1/accounts/users/import", {"file": SimpleUploadedFile("a.csv", ACCOUNTS.encode())}, **bearer(alice))
    assert response.status_code == 201, response.content
    assert [user["username"] for user in response.json()] == ["siti@banjarkab.example"]
    bad = ACCOUNTS.replace("siti@", "rina@").replace("operator", "raja")
    refused = client.post("/api/v1/accounts/users/import", {"file": SimpleUploadedFile("a.csv", bad.encode())}, **bearer(alice))
    assert refused.status_code == 400 and fields(refused) == {"role"} and "row 2" in refused.json()["detail"]
    assert not User.objects.filter(email="rina@banjarkab.example").exists()


def test_the_ministry_deactivates_an_account(client, alice, dave):
    _token, secret = create_token(dave, "script")
    response = client.post(f"/api/v1/accounts/users/{dave.pk}/deactivate", **bearer(alice))
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert client.post("/api/v1/accounts/users/999999/deactivate", **bearer(alice)).status_code == 404


@pytest.mark.parametrize("role", ["assessor", "mentor", "operator"])
def test_no_other_role_imports_or_deactivates_accounts(client, role_users, role, erin):
    headers = bearer(role_users[role])
    response = client.post("/api/v1/accounts/users/import", {"file": SimpleUploadedFile("a.csv", ACCOUNTS.encode())}, **headers)
    assert response.status_code == 403
    assert client.post(f"/api/v1/accounts/users/{erin.pk}/deactivate", **headers).status_code == 403
    erin.refresh_from_db()
    assert erin.is_active and not User.objects.filter(email="siti@banjarkab.example").exists()
