import pytest

from .helpers import demo_phase


@pytest.fixture
def phase(reference_data):
    """The demo phase (never a real one) with the demo's synthetic indicator values."""
    return demo_phase()
