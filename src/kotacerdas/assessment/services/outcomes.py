"""The panel's results: each candidate's scores combined (rubric, questionnaire, screening)."""

from dataclasses import dataclass, field

import numpy as np

from kotacerdas import decision

from ..candidates import QUESTIONNAIRE, SCREENING, component_scores
from ..models import Assessor, Score
from .allocation import panel_candidates



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


@dataclass
class ScoreCube:
    """The submitted scores of a panel: ``values[aspect, candidate, assessor]`` (NaN where none),
    and per candidate and assessor the weighted mean over the aspects (NaN unless every aspect
    is scored)."""

    aspects: list
    regions: list
    assessors: list
    values: np.ndarray
    weighted: np.ndarray


def score_cube(panel):
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
    return ScoreCube(aspects, regions, assessors, cube, weighted)


@dataclass
class PanelAgreement:
    aspects: list  # (aspect, alpha or None, low agreement)
    assessors: list  # (assessor, deviation, score, flagged, rated)


def panel_agreement(panel, cube=None):
    """How far the assessors agree: Krippendorff's alpha (interval) per aspect, flagged below the
    panel's threshold, and each assessor's leniency or severity against the others on the
    candidates they shared (:func:`decision.flag_outlying_raters`), flagged when outlying."""
    cube = cube or score_cube(panel)
    aspect_rows = []
    for k, aspect in enumerate(cube.aspects):
        try:
            alpha = decision.krippendorff_alpha(cube.values[k], level="interval")
        except ValueError:
            alpha = None
        aspect_rows.append((aspect, alpha, alpha is not None and alpha < panel.agreement_threshold))
    assessor_rows = []
    if cube.weighted.size:
        outliers = decision.flag_outlying_raters(cube.weighted)
        for j, assessor in enumerate(cube.assessors):
            deviation = outliers.deviation[j]
            assessor_rows.append(
                (
                    assessor,
                    None if np.isnan(deviation) else float(deviation),
                    None if np.isnan(outliers.score[j]) else float(outliers.score[j]),
                    bool(outliers.flagged[j]),
                    int((~np.isnan(cube.weighted[:, j])).sum()),
                )
            )
    return PanelAgreement(aspects=aspect_rows, assessors=assessor_rows)


def compute_results(panel):
    """Per candidate: raw weighted mean of the submitted scores, the calibrated score
    (per-assessor z-score, :func:`decision.calibrate_zscore`), and the final score combining the
    assessment with the questionnaire and screening scores when those apps provide them (a
    component without data is left out and the remaining weights are renormalised)."""
    cube = score_cube(panel)
    regions, weighted = cube.regions, cube.weighted
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

    agreement = panel_agreement(panel, cube)
    return PanelResults(
        candidates=candidates,
        aspects=agreement.aspects,
        assessors=agreement.assessors,
        components={name: values is not None for name, values in component_values.items()},
        weights=component_weights,
    )
