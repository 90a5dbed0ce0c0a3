"""``kotacerdas screen`` prints the shortlist; bad input exits non-zero."""

import io

import pytest
from django.core.management import CommandError, call_command

from kotacerdas.screening.models import ScreeningRun

from .helpers import demo_phase


def test_screen_prints_the_shortlist(reference_data):
    demo_phase()
    out = io.StringIO()
    call_command("screen", "--phase", "2027", "--weights", "ipm=2,spbe_index=1", "--shortlist", "7", "--data-year", "2026",
                 "--samples", "200", "--seed", "1", "--min-per-island-group", "1", stdout=out)
    lines = out.getvalue().splitlines()
    assert "seed 1" in lines[1] and len(lines) == 2 + 7
    assert ScreeningRun.objects.get().spread == {"min_per_island_group": 1}


def test_screen_refuses_an_unknown_indicator(reference_data):
    demo_phase()
    with pytest.raises(CommandError, match="Unknown indicators"):
        call_command("screen", "--phase", "2027", "--weights", "happiness=1", "--data-year", "2026", stdout=io.StringIO())
