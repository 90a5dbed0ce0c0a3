"""API tokens for scripts: shown once, stored as a hash, revocable, sent as a Bearer header."""

import hashlib
import re

from kotacerdas.accounts.models import ApiToken
from kotacerdas.accounts.services import create_token, deactivate_user


def test_a_user_creates_a_token_sees_it_once_and_the_database_keeps_only_its_hash(client, dave):
    client.force_login(dave)
    response = client.post("/accounts/tokens/", {"name": "nightly export"})
    secret = re.search(r'data-testid="new-token">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=dave)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert secret not in client.get("/accounts/tokens/").content.decode()
    me = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert me.status_code == 200 and me.json() == {"username": "dave", "roles": ["operator"], "regions": ["63.03"]}


def test_a_revoked_token_stops_working(client, dave):
    token, secret = create_token(dave, "script")
    client.force_login(dave)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_a_wrong_or_missing_token_is_unauthorized(client, dave):
    assert client.get("/api/v1/accounts/me").status_code == 401
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Bearer kc_guessed").status_code == 401
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION="Token abc").status_code == 401


def test_a_deactivated_users_token_stops_working(client, alice, dave):
    _token, secret = create_token(dave, "script")
    deactivate_user(dave, by=alice)
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_a_token_records_when_it_was_last_used(client, dave):
    token, secret = create_token(dave, "script")
    client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_openapi_document_declares_bearer_authentication(client, reference_data):
    document = client.get("/api/v1/openapi.json").json()
    assert document["paths"]["/api/v1/accounts/me"]["get"]["security"]
    assert any(scheme.get("scheme") == "bearer" for scheme in document["components"]["securitySchemes"].values())
    assert "security" not in document["paths"]["/api/v1/regions"]["get"]
