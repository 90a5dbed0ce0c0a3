"""Fixtures shared by every app's tests.

The real reference data (552 regions with figures and boundaries, the real phases) is loaded
once into the test database. Tests that flush the database (``transactional_db``,
``live_server``) get it back through the ``reference_data`` fixture, which reloads it when it is
gone.
"""

import pytest


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
