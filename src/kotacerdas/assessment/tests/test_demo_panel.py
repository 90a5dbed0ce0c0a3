"""`kotacerdas demo`: the demo phase is assessed by a panel and decided, its quota filled
exactly; running it again changes nothing; the real phases never get a panel."""

from io import StringIO

from django.core.management import call_command

from kotacerdas.assessment.models import Assessor, PanelAssignment, Mou, Panel, Score, Selection, Session
from kotacerdas.program.models import Participation, Phase, ParticipationStatus


def _counts():
    return {
        "assessors": Assessor.objects.count(),
        "assignments": PanelAssignment.objects.count(),
        "scores": Score.objects.count(),
        "score history": Score.history.count(),
        "sessions": Session.objects.count(),
        "selections": Selection.objects.count(),
        "mous": Mou.objects.count(),
        "participation history": Participation.history.count(),
    }


def test_the_demo_phase_is_assessed_by_a_panel_and_decided(reference_data):
    call_command("demo", "--no-serve", stdout=StringIO())
    phase = Phase.objects.get(is_demo=True)
    panel = Panel.objects.get(phase=phase)
    assert panel.state == "closed"
    assert 18 <= Assessor.objects.count() <= 22 and Assessor.objects.filter(user__username="assessor").exists()
    candidates = set(panel.assignments.values_list("region", flat=True))
    assert len(candidates) == phase.assessed_target
    assert all(n == 3 for n in panel.assignments.values("region").annotate(n=__import__("django").db.models.Count("pk")).values_list("n", flat=True))
    assert PanelAssignment.objects.filter(panel=panel, assessor__user__username="assessor").exists()
    statuses = Participation.objects.filter(phase=phase, region__in=candidates)
    assert statuses.filter(status=ParticipationStatus.SELECTED).count() == phase.quota == 25
    assert statuses.filter(status=ParticipationStatus.NOT_SELECTED).count() == len(candidates) - 25
    selection = Selection.objects.get(panel=panel)
    assert selection.is_confirmed and selection.letter_number
    assert Mou.objects.filter(phase=phase).count() == 5
    assert not Panel.objects.filter(phase__is_demo=False).exists()


def test_running_the_demo_twice_changes_nothing_in_the_assessment(reference_data):
    call_command("demo", "--no-serve", stdout=StringIO())
    before = _counts()
    call_command("demo", "--no-serve", stdout=StringIO())
    assert _counts() == before
