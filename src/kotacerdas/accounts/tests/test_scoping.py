"""Objects are scoped by role: an operator reaches only their own region, a user only their own
notifications and tokens, whatever URL or API id they guess; the public never sees personal
data."""

import pytest

from kotacerdas.accounts.permissions import has_permission, scope
from kotacerdas.accounts.services import create_token, notify
from kotacerdas.regions.models import Region


def test_an_operator_sees_their_own_region_profile(client, dave):
    client.force_login(dave)
    response = client.get("/accounts/region/63.03/")
    assert response.status_code == 200 and "dave@example.org" in response.content.decode()


@pytest.mark.parametrize("code", ["63.04", "63.71", "11.01", "99.99"])
def test_an_operator_cannot_reach_another_region_by_guessing_its_url(client, dave, erin, code):
    client.force_login(dave)
    assert client.get(f"/accounts/region/{code}/").status_code == 404


def test_an_operator_cannot_reach_another_region_through_the_api(client, dave, erin):
    _token, secret = create_token(dave, "script")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/v1/accounts/regions/63.03", **headers).status_code == 200
    response = client.get("/api/v1/accounts/regions/63.04", **headers)
    assert response.status_code == 404 and "erin" not in response.content.decode()


def test_nobody_reads_another_users_notification_by_id(client, alice, dave, erin):
    theirs = notify(erin, "accounts/email/invitation", {"link": "https://example.org/x", "roles": []})
    for user in (dave, alice):  # the ministry admin included: what was sent to a person is theirs
        client.force_login(user)
        assert client.get(f"/accounts/notifications/{theirs.pk}/").status_code == 404
        _token, secret = create_token(user, "script")
        api = client.get(f"/api/v1/accounts/notifications/{theirs.pk}", HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert api.status_code == 404
        assert str(theirs.pk) not in [str(n["id"]) for n in client.get("/api/v1/accounts/notifications").json()]


def test_nobody_revokes_another_users_token(client, dave, erin):
    token, _secret = create_token(erin, "script")
    client.force_login(dave)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_scope_keeps_everything_for_the_ministry_and_one_region_for_an_operator(alice, dave, bob):
    regions = Region.objects.all()
    assert scope(regions, alice, "view_region_profile").count() == regions.count()
    assert list(scope(regions, dave, "view_region_profile").values_list("code", flat=True)) == ["63.03"]
    assert not scope(regions, bob, "view_region_profile").exists()
    assert has_permission(dave, "view_region_profile", Region.objects.get(code="63.03"))
    assert not has_permission(dave, "view_region_profile", Region.objects.get(code="63.04"))


def test_a_model_without_a_scoper_is_denied_to_all_but_the_ministry(alice, dave, monkeypatch):
    from kotacerdas.accounts import permissions
    from kotacerdas.program.models import Phase

    monkeypatch.setitem(permissions.RULES, "edit_phase", {permissions.MINISTRY, permissions.OPERATOR})
    assert scope(Phase.objects.all(), alice, "edit_phase").count() == Phase.objects.count()
    assert not scope(Phase.objects.all(), dave, "edit_phase").exists()
    # A public action reaches everything.
    assert scope(Phase.objects.all(), None, "view_public").count() == Phase.objects.count()


def test_an_unknown_action_is_a_programming_error(dave):
    with pytest.raises(ValueError, match="add it to"):
        has_permission(dave, "launch_rockets")


def test_the_public_never_sees_personal_data(client, dave, erin):
    for path in ("/", "/regions/", "/regions/63.03/", "/phases/", "/api/v1/regions/63.03", "/accounts/region/63.03/"):
        text = client.get(path, follow=True).content.decode()
        assert "dave@example.org" not in text and "erin@example.org" not in text, path
    assert client.get("/api/v1/accounts/regions/63.03").status_code == 401


def test_an_assessor_and_a_mentor_do_not_see_operators_contacts(client, bob, carol, dave):
    for user in (bob, carol):
        client.force_login(user)
        assert client.get("/accounts/region/63.03/").status_code == 403
        assert client.get("/accounts/users/").status_code == 403


def test_one_person_may_hold_several_roles(reference_data, bob):
    from kotacerdas.accounts.permissions import roles_of
    from kotacerdas.accounts.services import grant_role
    from kotacerdas.program.models import Phase

    grant_role(bob, "mentor", phase=Phase.objects.get(year=2018), institution="Universitas Indonesia")
    bob = type(bob).objects.get(pk=bob.pk)
    assert {"assessor", "mentor"} <= roles_of(bob)
    assert bob.role_grants.get(role="mentor").history.count() == 1
