import pytest


@pytest.fixture(autouse=True)
def _english(english):
    """The tests check the English source strings."""
    yield
