"""A small panel for tests (the role matrix and this app's tests): the demo phase with two
candidates, bob assessing the first, frank the second, grace both; scoring open."""

from django.contrib.auth import get_user_model

from kotacerdas.program.demo import DEMO_PHASE
from kotacerdas.program.models import ParticipationStatus
from kotacerdas.program.services import upsert_phase, set_status
from kotacerdas.regions.models import Region

from ..models import PanelAssignment, PanelState
from ..services.panel_setup import ensure_panel, set_state
from ..services.assessor_pool import register_assessor

CANDIDATE_CODES = ("63.01", "63.04")  # Kabupaten Tanah Laut, Kabupaten Barito Kuala


def _user(username):
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username, f"{username}@example.org", "a-long-password-1")
    return user


def small_panel(bob, *, state=PanelState.SCORING):
    phase = upsert_phase(dict(DEMO_PHASE, stages=[]), is_demo=True)
    regions = [Region.objects.get(code=code) for code in CANDIDATE_CODES]
    for region in regions:
        set_status(region, phase, ParticipationStatus.INVITED, reason="test")
    panel = ensure_panel(phase)
    panel.per_candidate = 2
    panel.save()
    bob_assessor = register_assessor(bob, institution="Universitas Indonesia", expertise=["budget"])
    frank = register_assessor(_user("frank"), institution="Institut Teknologi Bandung", expertise=["security"])
    grace = register_assessor(_user("grace"), institution="BPPT", expertise=["policy"])
    first, second = regions
    assignments = {
        "bob": PanelAssignment.objects.create(panel=panel, region=first, assessor=bob_assessor),
        "grace_first": PanelAssignment.objects.create(panel=panel, region=first, assessor=grace),
        "frank": PanelAssignment.objects.create(panel=panel, region=second, assessor=frank),
        "grace_second": PanelAssignment.objects.create(panel=panel, region=second, assessor=grace),
    }
    if state != PanelState.PREPARING:
        set_state(panel, PanelState.SCORING)
    panel.refresh_from_db()
    return panel, assignments


def matrix_ids(bob):
    """Ids the role matrix puts in its paths: bob's own assignment (assessment/<pk>/)."""
    _panel, assignments = small_panel(bob)
    return {"bob_assignment": assignments["bob"].pk, "other_assignment": assignments["frank"].pk}
