"""`kotacerdas demo --no-serve`: real regions plus one demo phase, and nothing changes the second time."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from kotacerdas.program.models import Participation, Phase, ParticipationStatus
from kotacerdas.regions.models import Region


def _counts():
    return {
        "regions": Region.objects.count(),
        "region history": Region.history.count(),
        "phases": Phase.objects.count(),
        "participations": Participation.objects.count(),
        "participation history": Participation.history.count(),
        "users": get_user_model().objects.count(),
    }


def test_demo_sets_up_a_demo_phase_and_prints_the_logins(reference_data):
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text and "admin" in text and "kotacerdas-demo" in text
    demo = Phase.objects.get(is_demo=True)
    assert (demo.year, demo.quota) == (2027, 25)
    assert demo.participations.filter(status=ParticipationStatus.SELECTED).count() == 25
    # Regions selected in a real phase are never candidates of the demo phase.
    real_selected = Participation.objects.filter(status=ParticipationStatus.SELECTED, phase__is_demo=False)
    assert not demo.participations.filter(region__in=real_selected.values("region")).exists()


def test_running_demo_twice_changes_nothing(reference_data):
    call_command("demo", "--no-serve", stdout=StringIO())
    before = _counts()
    call_command("demo", "--no-serve", stdout=StringIO())
    assert _counts() == before


def test_demo_leaves_the_real_phases_as_published(reference_data):
    real_before = list(Participation.objects.filter(phase__is_demo=False).values_list("phase__year", "region__code", "status"))
    call_command("demo", "--no-serve", stdout=StringIO())
    real_after = list(Participation.objects.filter(phase__is_demo=False).values_list("phase__year", "region__code", "status"))
    assert real_after == real_before
    selected = {p.year: p.participations.filter(status=ParticipationStatus.SELECTED).count() for p in Phase.objects.filter(is_demo=False)}
    assert selected == {2017: 25, 2018: 50, 2019: 6}
