"""`kotacerdas demo` creates one account per role, prints the logins, and the second run changes
nothing."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from kotacerdas.accounts.models import Profile, RoleGrant
from kotacerdas.accounts.permissions import roles_of


def _accounts():
    User = get_user_model()
    return {
        "users": list(User.objects.order_by("pk").values_list("username", "password", "is_active")),
        "grants": list(RoleGrant.objects.order_by("pk").values_list("user__username", "role", "region__code")),
        "grant history": RoleGrant.history.count(),
        "user history": User.history.count(),
        "profiles": Profile.objects.count(),
    }


def test_demo_prints_a_login_for_each_role_and_each_works(client, reference_data):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    for username in ("admin", "assessor", "mentor", "operator-banjar", "demo-mentor-02", "operator-mentored"):
        assert repr(username) in text
        response = client.post("/accounts/login/", {"username": username, "password": "kotacerdas-demo"})
        assert response.status_code == 302, username
        client.post("/accounts/logout/")
    User = get_user_model()
    assert roles_of(User.objects.get(username="operator-banjar")) >= {"operator"}
    grant = RoleGrant.objects.get(user__username="operator-banjar")
    assert (grant.region.code, grant.region.name) == ("63.03", "Kabupaten Banjar")
    assert "ministry" in roles_of(User.objects.get(username="admin"))


def test_running_demo_twice_changes_no_account(reference_data):
    call_command("demo", "--no-serve", stdout=StringIO())
    before = _accounts()
    call_command("demo", "--no-serve", stdout=StringIO())
    assert _accounts() == before
