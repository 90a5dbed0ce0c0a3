import pytest


@pytest.fixture(autouse=True)
def _english():
    """Messages checked by the tests are the English source strings."""
    from django.utils import translation

    with translation.override("en"):
        yield
