"""The ministry deactivates an account after a confirmation step; the history stays."""

from django.contrib.auth import get_user_model

from kotacerdas.conftest import ROLE_PASSWORD


def test_deactivation_asks_for_confirmation_first(client, alice, bob):
    client.force_login(alice)
    response = client.get(f"/accounts/users/{bob.pk}/deactivate/")
    assert response.status_code == 200 and "Yes, deactivate the account" in response.content.decode()
    bob.refresh_from_db()
    assert bob.is_active


def test_a_deactivated_user_cannot_log_in_and_the_change_is_in_the_history(client, alice, bob):
    client.force_login(alice)
    response = client.post(f"/accounts/users/{bob.pk}/deactivate/")
    assert response.status_code == 302
    bob.refresh_from_db()
    assert not bob.is_active
    last = get_user_model().history.filter(id=bob.pk).latest("history_date")
    assert (last.is_active, last.history_user) == (False, alice)
    assert bob.role_grants.exists()  # what they were stays on record
    client.logout()
    response = client.post("/accounts/login/", {"username": "bob", "password": ROLE_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_ministry_lists_accounts_with_their_contacts(client, alice, dave):
    client.force_login(alice)
    text = client.get("/accounts/users/").content.decode()
    assert "dave@example.org" in text and "Kabupaten Banjar" in text
