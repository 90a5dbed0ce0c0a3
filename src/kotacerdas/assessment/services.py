"""The work of the assessment stage. Every function that writes several rows runs in one
transaction: it all lands or none of it does. Views and the API only call these."""

import math
from dataclasses import dataclass, field

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas import decision
from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.lib.inputs import bounded_int, finite_float
from kotacerdas.lib.language import program_gettext
from kotacerdas.program.models import Participation, ParticipationStatus

from .candidates import QUESTIONNAIRE, SCREENING, component_scores
from .models import Aspect, Assessor, PanelAssignment, DeclaredConflict, Panel, PanelState, Score, Session


# Bounds of a panel's settings: a candidate is scored by a handful of assessors (three in the
# program's rounds); a weight is a relative figure, never astronomically large.
MAX_PER_CANDIDATE = 20
MAX_WEIGHT = 1_000_000


class AssessmentRefused(ValidationError):
    """An action the rules of the assessment stage do not allow (the message says why)."""


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


# --- panel and rubric -------------------------------------------------------------------------


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
    from .models import Selection

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


# --- assessors and conflicts -------------------------------------------------------------------


@transaction.atomic
def register_assessor(user, *, institution, expertise=(), home_province=None, home_region=None, max_load=None):
    """Make ``user`` an assessor (granting the role) or update their assessor profile."""
    if home_region is not None and home_province is None:
        home_province = home_region.province
    assessor, _created = Assessor.objects.update_or_create(
        user=user,
        defaults={
            "institution": institution,
            "expertise": sorted({tag.strip().lower() for tag in expertise if tag.strip()}),
            "home_province": home_province,
            "home_region": home_region,
            "max_load": max_load,
        },
    )
    if not RoleGrant.objects.filter(user=user, role=Role.ASSESSOR).exists():
        RoleGrant.objects.create(user=user, role=Role.ASSESSOR, institution=institution)
    return assessor


def declare_conflict(assessor, region, reason):
    """Record an assessor's own conflict of interest with a region (kept once per pair); a reason is required."""
    if not reason or not reason.strip():
        raise AssessmentRefused(_("Say what the conflict of interest is."))
    conflict, _created = DeclaredConflict.objects.get_or_create(
        assessor=assessor, region=region, defaults={"reason": reason.strip()}
    )
    return conflict


def _mentored(assessors):
    """{assessor id: region ids they mentored} from mentor role grants with a region."""
    by_user = {a.user_id: a.pk for a in assessors}
    result = {a.pk: set() for a in assessors}
    grants = RoleGrant.objects.filter(role=Role.MENTOR, user_id__in=by_user, region__isnull=False)
    for user_id, region_id in grants.values_list("user_id", "region_id"):
        result[by_user[user_id]].add(region_id)
    return result


def conflict_reasons(panel, assessor, region, *, mentored=None, declared=None):
    """Why ``assessor`` may not assess ``region`` in ``panel`` (empty: no conflict)."""
    reasons = []
    if declared is None:
        declared = DeclaredConflict.objects.filter(assessor=assessor, region=region).exists()
    if declared:
        reasons.append(_("declared conflict of interest"))
    if panel.conflict_same_province and assessor.home_province_id and assessor.home_province_id == region.province_id:
        reasons.append(_("same home province"))
    if panel.conflict_same_region and assessor.home_region_id == region.pk:
        reasons.append(_("same home region"))
    if panel.conflict_mentored:
        regions = (mentored or _mentored([assessor]))[assessor.pk]
        if region.pk in regions:
            reasons.append(_("mentored this region before"))
    return reasons


def conflict_matrix(panel, regions, assessors):
    """Boolean matrix (regions × assessors): True where the assessor may not assess the region."""
    declared = set(DeclaredConflict.objects.filter(assessor__in=assessors, region__in=regions).values_list("assessor_id", "region_id"))
    mentored = _mentored(assessors)
    return np.array(
        [
            [bool(conflict_reasons(panel, a, r, mentored=mentored, declared=(a.pk, r.pk) in declared)) for a in assessors]
            for r in regions
        ],
        dtype=bool,
    ).reshape(len(regions), len(assessors))


# --- assignment ---------------------------------------------------------------------------------


def panel_candidates(panel):
    """The candidates the panel assesses: regions with an assignment, else the invited ones."""
    from kotacerdas.regions.models import Region

    assigned = panel.assignments.values("region")
    if panel.assignments.exists():
        return list(Region.objects.filter(pk__in=assigned).select_related("province").order_by("code"))
    return list(_unassigned_candidates(panel))


def _unassigned_candidates(panel):
    """A selection panel's invited candidates, or the regions in an evaluation round's scope."""
    from kotacerdas.regions.models import Region

    if panel.phase_id is None:
        return Region.objects.filter(rounds=panel.round_id).select_related("province").order_by("code")
    invited = Participation.objects.filter(phase=panel.phase, status=ParticipationStatus.INVITED).values("region")
    return Region.objects.filter(pk__in=invited).select_related("province").order_by("code")


@transaction.atomic
def assign_panel(panel, *, regions=None, assessors=None, user=None):
    """Assign ``panel.per_candidate`` assessors to every candidate with :func:`decision.assign`:
    never a conflict, expertise matched, loads even. Replaces earlier assignments while nobody
    has scored; refused after."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if panel.state == PanelState.CLOSED or Score.objects.filter(assignment__panel=panel).exists():
        raise AssessmentRefused(_("Scores have been entered: change assignments one by one instead."))
    if regions is None:
        regions = list(_unassigned_candidates(panel))
    regions = list(regions)
    assessors = list(assessors if assessors is not None else Assessor.objects.select_related("user").order_by("user__username"))
    if not regions:
        raise AssessmentRefused(_("There is no invited candidate to assign."))
    if not assessors:
        raise AssessmentRefused(_("There is no assessor to assign."))
    k = panel.per_candidate
    even_share = math.ceil(k * len(regions) / len(assessors))
    max_load = np.array([a.max_load if a.max_load is not None else even_share for a in assessors])
    aspect_tags = set(panel.aspects.values_list("code", flat=True))
    affinity = np.array([[len(set(a.expertise) & aspect_tags) for a in assessors] for _region in regions], dtype=float)
    conflicts = conflict_matrix(panel, regions, assessors)
    try:
        chosen = decision.assign(affinity, conflicts, k, max_load)
    except decision.InfeasibleAssignment as exc:
        names = ", ".join(regions[i].name for i in (exc.candidates or []))
        raise AssessmentRefused(
            _("No assignment satisfies the conflicts of interest and loads. %(names)s")
            % {"names": (_("Candidates at fault: %s.") % names) if names else ""}
        ) from exc
    panel.assignments.all().delete()
    PanelAssignment.objects.bulk_create(
        [PanelAssignment(panel=panel, region=regions[i], assessor=assessors[j]) for i, j in zip(*np.nonzero(chosen))]
    )
    return panel.assignments.count()


@transaction.atomic
def swap_assessor(assignment, new_assessor, *, user=None, reason):
    """Replace the assessor of one assignment by hand; the change is kept with its reason, and
    refused if it creates a conflict of interest or the old assessor has already scored."""
    assignment = PanelAssignment.objects.select_for_update(of=("self",)).select_related("panel", "region__province").get(pk=assignment.pk)
    panel = assignment.panel
    if not reason or not reason.strip():
        raise AssessmentRefused(_("Say why the assessor changes."))
    if panel.scores_locked:
        raise AssessmentRefused(_("The panel is closed."))
    if assignment.scores.exists() or assignment.submitted_at:
        raise AssessmentRefused(_("This assessor has already scored the candidate."))
    if PanelAssignment.objects.filter(panel=panel, region=assignment.region, assessor=new_assessor).exists():
        raise AssessmentRefused(_("%(assessor)s already assesses this candidate.") % {"assessor": new_assessor})
    reasons = conflict_reasons(panel, new_assessor, assignment.region)
    if reasons:
        raise AssessmentRefused(
            _("%(assessor)s has a conflict of interest with %(region)s: %(reasons)s.")
            % {"assessor": new_assessor, "region": assignment.region, "reasons": ", ".join(reasons)}
        )
    assignment.assessor = new_assessor
    assignment._change_reason = reason.strip()[:100]
    assignment._history_user = user
    assignment.save()
    return assignment


@transaction.atomic
def schedule_session(panel, region, *, starts_at, duration_minutes=30, room="", video_link=""):
    """Set (or move) a candidate's presentation to its panel, in a room or by video link."""
    if not panel.assignments.filter(region=region).exists():
        raise AssessmentRefused(_("%(region)s is not a candidate of this panel.") % {"region": region})
    if not room and not video_link:
        raise AssessmentRefused(_("Give a room or a video link."))
    session, _created = Session.objects.update_or_create(
        panel=panel, region=region,
        defaults={"starts_at": starts_at, "duration_minutes": duration_minutes, "room": room, "video_link": video_link},
    )
    return session


# --- scoring ------------------------------------------------------------------------------------


@transaction.atomic
def save_scores(assignment, values, *, user, submit=False):
    """Record an assessor's scores for their own assignment: ``values`` maps an aspect id to
    ``(score 1-5, comment)``. ``submit`` finalises them (every aspect needs a score); after that
    they are locked and the assessor sees the panel's scores for the candidate."""
    assignment = PanelAssignment.objects.select_for_update(of=("self",)).select_related("panel", "assessor").get(pk=assignment.pk)
    if assignment.assessor.user_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the assigned assessor scores this candidate."))
    panel = assignment.panel
    if panel.state != PanelState.SCORING:
        raise AssessmentRefused(
            _("Scores are locked: the panel is closed.") if panel.scores_locked else _("Scoring has not started yet.")
        )
    if assignment.submitted_at:
        raise AssessmentRefused(_("You have submitted your scores for this candidate; they are locked."))
    aspects = {a.pk: a for a in panel.aspects.all()}
    for aspect_id, (value, comment) in values.items():
        aspect = aspects.get(int(aspect_id))
        if aspect is None:
            raise AssessmentRefused(_("Unknown aspect %s.") % aspect_id)
        if value in (None, ""):
            Score.objects.filter(assignment=assignment, aspect=aspect).delete()
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise AssessmentRefused(_("%(aspect)s: a score is a whole number from 1 to 5.") % {"aspect": aspect}) from None
        if not panel.lowest_score <= value <= 5:
            raise AssessmentRefused(_("%(aspect)s: a score is a whole number from %(lowest)s to 5.") % {"aspect": aspect, "lowest": panel.lowest_score})
        score = Score.objects.filter(assignment=assignment, aspect=aspect).first() or Score(assignment=assignment, aspect=aspect)
        score.value, score.comment = value, (comment or "").strip()
        score._history_user = user
        score.save()
    if submit:
        missing = [str(a) for a in aspects.values() if not assignment.scores.filter(aspect=a).exists()]
        if missing:
            raise AssessmentRefused(_("Score every aspect before submitting: %s.") % ", ".join(missing))
        assignment.submitted_at = timezone.now()
        assignment._history_user = user
        assignment.save()
    return assignment


# --- results ------------------------------------------------------------------------------------


@dataclass
class CandidateResult:
    region: object
    assessors: int
    raw: float | None
    calibrated: float | None
    assessment: float | None  # calibrated, on 0-100
    questionnaire: float | None
    screening: float | None
    final: float | None
    rank: int | None = None


@dataclass
class PanelResults:
    candidates: list
    aspects: list  # (aspect, alpha or None, low agreement)
    assessors: list  # (assessor, deviation, score, flagged, rated)
    components: dict  # name -> available
    weights: dict = field(default_factory=dict)


def _rubric_to_100(value):
    return None if value is None or np.isnan(value) else float(np.clip((value - 1.0) / 4.0 * 100.0, 0.0, 100.0))


def compute_results(panel):
    """Per candidate: raw weighted mean of the submitted scores, the calibrated score
    (per-assessor z-score, :func:`decision.calibrate_zscore`), and the final score combining the
    assessment with the questionnaire and screening scores when those apps provide them (a
    component without data is left out and the remaining weights are renormalised)."""
    aspects = list(panel.aspects.all())
    regions = panel_candidates(panel)
    assessors = list(Assessor.objects.filter(assignments__panel=panel).distinct().select_related("user").order_by("user__username"))
    row = {r.pk: i for i, r in enumerate(regions)}
    col = {a.pk: j for j, a in enumerate(assessors)}
    cube = np.full((len(aspects), len(regions), len(assessors)), np.nan)
    index = {a.pk: k for k, a in enumerate(aspects)}
    submitted = Score.objects.filter(assignment__panel=panel, assignment__submitted_at__isnull=False)
    for region_id, assessor_id, aspect_id, value in submitted.values_list(
        "assignment__region_id", "assignment__assessor_id", "aspect_id", "value"
    ):
        cube[index[aspect_id], row[region_id], col[assessor_id]] = value
    weights = np.array([a.weight for a in aspects], dtype=float)
    total_weight = weights.sum()
    if regions and assessors and total_weight > 0:
        complete = ~np.isnan(cube).any(axis=0)
        weighted = np.where(complete, np.nansum(cube * weights[:, None, None], axis=0) / total_weight, np.nan)
    else:
        weighted = np.full((len(regions), len(assessors)), np.nan)
    raw = decision.aggregate(weighted) if weighted.size else np.full(len(regions), np.nan)
    calibrated = decision.aggregate(decision.calibrate_zscore(weighted)) if weighted.size else raw

    component_values = component_scores(panel.phase, regions)
    component_weights = {
        "assessment": panel.weight_assessment,
        QUESTIONNAIRE: panel.weight_questionnaire,
        SCREENING: panel.weight_screening,
    }
    candidates = []
    for i, region in enumerate(regions):
        parts = {"assessment": _rubric_to_100(calibrated[i])}
        for name, values in component_values.items():
            parts[name] = None if values is None else values.get(region.pk)
        used = {name: w for name, w in component_weights.items() if w > 0 and parts[name] is not None}
        final = None
        if parts["assessment"] is not None and used:
            final = sum(parts[name] * w for name, w in used.items()) / sum(used.values())
        candidates.append(
            CandidateResult(
                region=region,
                assessors=int((~np.isnan(weighted[i])).sum()) if weighted.size else 0,
                raw=None if np.isnan(raw[i]) else float(raw[i]),
                calibrated=None if np.isnan(calibrated[i]) else float(calibrated[i]),
                assessment=parts["assessment"],
                questionnaire=parts[QUESTIONNAIRE],
                screening=parts[SCREENING],
                final=final,
            )
        )
    scored = [c for c in candidates if c.final is not None]
    if scored:
        for c, rank in zip(scored, decision.competition_rank([c.final for c in scored])):
            c.rank = int(rank)
    candidates.sort(key=lambda c: (c.rank is None, c.rank or 0, c.region.code))

    aspect_rows = []
    for k, aspect in enumerate(aspects):
        try:
            alpha = decision.krippendorff_alpha(cube[k], level="interval")
        except ValueError:
            alpha = None
        aspect_rows.append((aspect, alpha, alpha is not None and alpha < panel.agreement_threshold))
    assessor_rows = []
    if weighted.size:
        outliers = decision.flag_outlying_raters(weighted)
        for j, assessor in enumerate(assessors):
            deviation = outliers.deviation[j]
            assessor_rows.append(
                (
                    assessor,
                    None if np.isnan(deviation) else float(deviation),
                    None if np.isnan(outliers.score[j]) else float(outliers.score[j]),
                    bool(outliers.flagged[j]),
                    int((~np.isnan(weighted[:, j])).sum()),
                )
            )
    return PanelResults(
        candidates=candidates,
        aspects=aspect_rows,
        assessors=assessor_rows,
        components={name: values is not None for name, values in component_values.items()},
        weights=component_weights,
    )
