"""Throttles like the login's for what axes does not cover (the tester: 20 reset e-mails in 0.1 s,
1,153 bad tokens in 5 s), and tokens that end and may be read-only."""

import datetime
import re

from django.utils import timezone

from kotacerdas.accounts.models import ApiToken
from kotacerdas.accounts.services import create_token


def test_password_reset_requests_are_throttled_per_address(client, dave, mailoutbox, settings):
    settings.KOTACERDAS_THROTTLES = {**settings.KOTACERDAS_THROTTLES, "password_reset": (5, 3600)}
    answers = [client.post("/accounts/password-reset/", {"email": "dave@example.org"}).status_code for _n in range(20)]
    assert answers[:5] == [302] * 5 and answers[5:] == [429] * 15
    assert len(mailoutbox) == 5
    other = client.post("/accounts/password-reset/", {"email": "erin@example.org"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302  # another client, another address: not throttled


def test_password_reset_requests_for_one_address_are_throttled_from_many_clients(client, dave, mailoutbox, settings):
    settings.KOTACERDAS_THROTTLES = {**settings.KOTACERDAS_THROTTLES, "password_reset": (3, 3600)}
    answers = [client.post("/accounts/password-reset/", {"email": "dave@example.org"}, REMOTE_ADDR=f"10.0.1.{n}").status_code
               for n in range(6)]
    assert answers == [302, 302, 302, 429, 429, 429] and len(mailoutbox) == 3


def test_bad_tokens_are_throttled_like_failed_logins(client, dave, settings):
    settings.KOTACERDAS_THROTTLES = {**settings.KOTACERDAS_THROTTLES, "bad_token": (10, 3600)}
    _token, secret = create_token(dave, "script")
    answers = [client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer kc_guess{n}").status_code for n in range(12)]
    assert answers[:10] == [401] * 10 and answers[10:] == [429, 429]
    # Locked out like a login: the right token from that address waits too; another address does not.
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 429
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}", REMOTE_ADDR="10.0.0.7").status_code == 200


def test_a_token_expires(client, dave):
    token, secret = create_token(dave, "script", days=30)
    assert token.expires_at > timezone.now() + datetime.timedelta(days=29)
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_the_tokens_page_creates_lists_and_revokes_tokens_with_expiry_and_scope(client, dave, english):
    client.force_login(dave)
    response = client.post("/accounts/tokens/", {"name": "dashboard", "days": "30", "read_only": "on"})
    assert re.search(r'data-testid="new-token">kc_', response.content.decode())
    token = ApiToken.objects.get(user=dave)
    assert token.read_only and (token.expires_at - timezone.now()).days in (29, 30)
    page = client.get("/accounts/tokens/").content.decode()
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d") in page and "read only" in page
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert b"/accounts/tokens/" in client.get("/accounts/").content  # reached from the account page
