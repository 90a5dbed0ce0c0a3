"""Fixtures shared by every app's tests.

The real reference data (552 regions with figures and boundaries, the real phases) is loaded
once into the test database. Tests that flush the database (``transactional_db``,
``live_server``) get it back through the ``reference_data`` fixture, which reloads it when it is
gone.
"""

import pytest
from hypothesis import HealthCheck, settings

# The machines that run the suite are shared and loaded (CI runs two suites side by side on two
# cores): generating an example may take long there, which says nothing about the code under test.
# Property tests keep their example counts; time limits and the "too slow" check are off.
settings.register_profile("shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("shared-machine")


def _load_reference():
    from kotacerdas.program.services import load_real_history
    from kotacerdas.regions.reference import load_reference_data

    load_reference_data()
    load_real_history()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_reference()


@pytest.fixture
def reference_data(db):
    """The shipped regions and the real phases, present in the database."""
    from kotacerdas.regions.models import Region

    if not Region.objects.exists():
        _load_reference()


@pytest.fixture
def admin_user(db, django_user_model):
    """The ministry admin: Django staff with every permission (accounts come with their own issue)."""
    return django_user_model.objects.create_superuser("ministry", "ministry@example.org", "a-long-password-1")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


# --- one user per role (accounts) ------------------------------------------------------------

ROLE_PASSWORD = "a-long-password-1"


def _account(username, role, region_code=None, institution=""):
    from kotacerdas.accounts.services import ensure_account
    from kotacerdas.regions.models import Region

    region = Region.objects.get(code=region_code) if region_code else None
    user = ensure_account(
        username, ROLE_PASSWORD, role, first_name=username.capitalize(), last_name="Uji",
        region=region, institution=institution,
    )
    user.email = f"{username}@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def alice(reference_data):
    """A ministry admin."""
    return _account("alice", "ministry", institution="Kementerian Komunikasi dan Digital")


@pytest.fixture
def bob(reference_data):
    """An assessor."""
    return _account("bob", "assessor", institution="Universitas Indonesia")


@pytest.fixture
def carol(reference_data):
    """A mentor."""
    return _account("carol", "mentor", institution="Institut Teknologi Bandung")


@pytest.fixture
def dave(reference_data):
    """The region operator of 63.03 Kabupaten Banjar."""
    return _account("dave", "operator", region_code="63.03")


@pytest.fixture
def erin(reference_data):
    """The region operator of another region, 63.04 Kabupaten Barito Kuala."""
    return _account("erin", "operator", region_code="63.04")


@pytest.fixture
def role_users(alice, bob, carol, dave, erin):
    return {"ministry": alice, "assessor": bob, "mentor": carol, "operator": dave, "other operator": erin}


@pytest.fixture(autouse=True)
def english(request):
    """Messages and pages in English, the source language the tests check (the site itself
    speaks Indonesian unless asked): for every test, on the ``client`` too. A test of the default
    language says so with ``@pytest.mark.indonesian``."""
    from django.utils import translation

    if request.node.get_closest_marker("indonesian"):
        yield
        return
    request.getfixturevalue("client").cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _storage_in_a_temporary_folder(settings, tmp_path_factory):
    """Files a test stores go to a folder of its own, never to ./var/media nor to another test's."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
