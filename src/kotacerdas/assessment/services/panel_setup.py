"""A panel and its rubric: the settings, the aspects, the state (preparing → scoring → closed)."""

import math
from dataclasses import field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas import decision
from kotacerdas.lib.inputs import bounded_int, finite_float
from kotacerdas.lib.language import program_gettext
from kotacerdas.program.models import Participation, ParticipationStatus

from ..models import Aspect, Panel, PanelState
from . import AssessmentRefused

# Bounds of a panel's settings: a candidate is scored by a handful of assessors (three in the
# program's rounds); a weight is a relative figure, never astronomically large.
MAX_PER_CANDIDATE = 20
MAX_WEIGHT = 1_000_000


# The aspects of the program's assessment (DESIGN.md, "assessment"), equal weights by default.
_LEVELS = [gettext_noop("very weak"), gettext_noop("weak"), gettext_noop("adequate"), gettext_noop("good"), gettext_noop("excellent")]
DEFAULT_RUBRIC = [
    ("commitment", gettext_noop("Commitment of the regional head")),
    ("policy", gettext_noop("Policy")),
    ("vision", gettext_noop("Regional development vision")),
    ("budget", gettext_noop("Budget")),
    ("infrastructure", gettext_noop("ICT infrastructure")),
    ("integration", gettext_noop("Application integration")),
    ("security", gettext_noop("Information security")),
]



@transaction.atomic
def ensure_panel(phase):
    """The panel of ``phase`` with the default rubric, created the first time.

    A phase whose selection is already recorded (the real phases keep only what was published)
    never gets a panel.
    """
    panel = Panel.objects.filter(phase=phase).first()
    if panel is not None:
        return panel
    if Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED).exists():
        raise AssessmentRefused(
            _("%(phase)s already has its selection recorded; it cannot be assessed again.") % {"phase": phase}
        )
    panel = Panel.objects.create(phase=phase)
    for order, (code, name) in enumerate(DEFAULT_RUBRIC, start=1):
        Aspect.objects.create(
            panel=panel, order=order, code=code, name=program_gettext(name), weight=1.0,
            descriptors=[program_gettext(level) for level in _LEVELS],
        )
    return panel


def _check_rubric_editable(panel):
    if panel.rubric_locked:
        raise AssessmentRefused(_("The rubric is locked: scoring has started."))


PANEL_WEIGHTS = ("weight_assessment", "weight_questionnaire", "weight_screening")
PANEL_CONFLICT_RULES = ("conflict_same_province", "conflict_same_region", "conflict_mentored")


def update_panel_settings(panel, *, per_candidate=None, weights=None, conflicts=None, user=None):
    """Change a panel's settings: assessors per candidate, the weights of the three components
    ({field: number or text as typed, "0,5" too}), the conflict rules ({field: bool}); each value
    checked here (ValidationError naming the field), refused once scoring has started."""
    with transaction.atomic():
        panel = Panel.objects.select_for_update().get(pk=panel.pk)
        if panel.rubric_locked:
            raise AssessmentRefused(_("The rubric is locked: scoring has started."))
        if per_candidate is not None:
            panel.per_candidate = bounded_int(per_candidate, _("assessors per candidate"), minimum=1, maximum=MAX_PER_CANDIDATE)
        for field_name, value in (weights or {}).items():
            if field_name not in PANEL_WEIGHTS:
                raise ValidationError(_("“%(value)s” is not a setting of the panel.") % {"value": field_name})
            setattr(panel, field_name, finite_float(value if value not in (None, "") else 0,
                                                    str(Panel._meta.get_field(field_name).verbose_name), minimum=0, maximum=MAX_WEIGHT))
        for field_name, value in (conflicts or {}).items():
            if field_name not in PANEL_CONFLICT_RULES:
                raise ValidationError(_("“%(value)s” is not a setting of the panel.") % {"value": field_name})
            setattr(panel, field_name, bool(value))
        panel._history_user = user
        panel.save()
    return panel


@transaction.atomic
def update_aspect(aspect, *, name=None, weight=None, descriptors=None, user=None):
    """Change an aspect of the rubric; refused once scoring has started. ``weight``: a number or
    the text as typed (ValidationError naming the weight when it is not one of zero or more)."""
    panel = Panel.objects.select_for_update().get(pk=aspect.panel_id)
    _check_rubric_editable(panel)
    if weight is not None:
        if isinstance(weight, str):
            weight = finite_float(weight or 0, _("weight"), minimum=0, maximum=MAX_WEIGHT)
        if not math.isfinite(weight) or not 0 <= weight <= MAX_WEIGHT:
            raise AssessmentRefused(_("A weight is a number of zero or more."))
        aspect.weight = weight
    if name is not None:
        aspect.name = name
    if descriptors is not None:
        if len(descriptors) != 5:
            raise AssessmentRefused(_("Give one descriptor for each of the five levels."))
        aspect.descriptors = list(descriptors)
    aspect._history_user = user
    aspect.save()
    return aspect


REASON_MAX_LENGTH = 100  # what the history's change reason holds


def missing_scores(panel):
    """(assessments not submitted, assessments) of ``panel``."""
    total = panel.assignments.count()
    return panel.assignments.filter(submitted_at__isnull=True).count(), total


@transaction.atomic
def set_state(panel, state, *, user=None, reason=""):
    """Move the panel on: preparing → scoring (locks the rubric) → closed (locks the scores).

    Closing with assessments not submitted needs the ministry's reason; a closed panel can be
    reopened for scoring with a reason until a decision based on it is published. The reason is
    kept in the panel's history."""
    from ..models import Selection

    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise AssessmentRefused(_("Keep the reason within %(n)s characters.") % {"n": REASON_MAX_LENGTH})
    allowed = {PanelState.PREPARING: {PanelState.SCORING}, PanelState.SCORING: {PanelState.CLOSED},
               PanelState.CLOSED: {PanelState.SCORING}}
    if state not in allowed.get(panel.state, ()):
        raise AssessmentRefused(
            _("The panel cannot go from “%(from)s” to “%(to)s”.")
            % {"from": panel.get_state_display(), "to": PanelState(state).label if state in PanelState.values else state}
        )
    if panel.state == PanelState.CLOSED:
        if Selection.objects.filter(panel=panel, confirmed_at__isnull=False).exists():
            raise AssessmentRefused(_("A decision based on this panel is published: the panel cannot be reopened."))
        if not reason:
            raise AssessmentRefused(_("Give the reason for reopening the panel."))
    elif state == PanelState.SCORING:
        if sum(a.weight for a in panel.aspects.all()) <= 0:
            raise AssessmentRefused(_("Give at least one aspect of the rubric a weight above zero."))
        if not panel.assignments.exists():
            raise AssessmentRefused(_("Assign assessors before scoring starts."))
    if state == PanelState.CLOSED:
        missing, total = missing_scores(panel)
        if missing and not reason:
            raise AssessmentRefused(
                _("%(missing)s of %(total)s assessments are not submitted: the panel is closed only with the reason for closing it anyway.")
                % {"missing": missing, "total": total}
            )
    panel.state = state
    panel._history_user = user
    panel._change_reason = reason or None
    panel.save()
    return panel


