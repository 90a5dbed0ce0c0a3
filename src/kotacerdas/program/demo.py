"""The demo phase: invented content, flagged ``is_demo``, never touching the real phases.

Its candidates and selections are drawn from a fixed seed so every ``make demo`` gives the same
demo, and they are only drawn once: running the demo again leaves the phase as it is.
"""


from django.db import transaction
from django.utils.translation import gettext_noop

from kotacerdas.regions.models import Region

from kotacerdas.lib.language import program_gettext

from .models import Participation, Stage, ParticipationStatus
from .services import upsert_phase, set_status

DEMO_SEED = 2027
DEMO_PHASE = {
    "year": 2027,
    "name": "Tahap Demo 2027",
    "quota": 25,
    "invited_target": 80,
    "assessed_target": 60,
    "selection_complete": True,
    "source": "Demo: invented by `kotacerdas demo` from a fixed seed; not a real phase.",
    "stages": [],
}


def load_demo_phase():
    """Create the demo phase and, the first time only, its candidates (every kabupaten/kota not
    selected before, eligible). Returns (phase, created)."""
    import datetime

    spec = dict(DEMO_PHASE)
    spec["stages"] = [
        (Stage.SCREENING, datetime.date(2027, 1, 11), datetime.date(2027, 2, 12)),
        (Stage.QUESTIONNAIRE, datetime.date(2027, 2, 15), datetime.date(2027, 3, 19)),
        (Stage.ASSESSMENT, datetime.date(2027, 4, 5), datetime.date(2027, 4, 30)),
        (Stage.SELECTION, datetime.date(2027, 5, 10), datetime.date(2027, 5, 14)),
    ]
    with transaction.atomic():
        phase = upsert_phase(spec, is_demo=True)
        if Participation.objects.filter(phase=phase).exists():
            return phase, False
        already_selected = set(
            Participation.objects.filter(status=ParticipationStatus.SELECTED, phase__year__lt=phase.year)
            .values_list("region_id", flat=True)
        )
        candidates = [r for r in Region.objects.kabkota().order_by("code") if r.pk not in already_selected]
        reason = program_gettext(gettext_noop("demo: drawn from seed %s")) % DEMO_SEED
        for region in candidates:
            set_status(region, phase, ParticipationStatus.ELIGIBLE, reason=reason)
        # The invited regions are the shortlist of the demo's screening run, which the screening
        # stage builds next (kotacerdas.screening.demo.load_demo_screening); assessment and
        # selection come from the demo panel (kotacerdas.assessment.demo). kotacerdas.site runs
        # them in that order.
    return phase, True
