"""The work of the evaluation: rounds and their weights, results with index, improvement and
ranks, findings and follow-up, publication, objections and corrections, and the import of past
published results. Every function that changes several rows runs in one transaction.
"""

from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.decision.ranking import competition_rank, competition_rank_within
from kotacerdas.lib.files import checked_upload
from kotacerdas.lib.tabular import CellError, TableError, read_table
from kotacerdas.program.models import Participation, ParticipationStatus, Round, RoundKind
from kotacerdas.regions.models import Region

from . import scoring
from .models import (
    DIMENSIONS, Correction, EvaluationRound, Finding, FindingKind, FollowUp, FollowUpStatus, Objection,
    ObjectionStatus, Origin, Result, WeightSet, dimension_labels,
)


class EvaluationRefused(ValidationError):
    """A change the rules of the evaluation do not allow (the message says which rule)."""


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


# --- weights and rounds -------------------------------------------------------------------------


def load_weight_sets():
    """The shipped weight sets (migration 0002's data), again: a database emptied by a test or a
    restore gets them back; idempotent."""
    import importlib

    from django.apps import apps

    importlib.import_module("kotacerdas.evaluation.migrations.0002_weight_sets").add_weight_sets(apps, None)


def default_weight_set():
    """The weight set a new round uses (v2 unless the ministry marked another as default)."""
    found = WeightSet.objects.filter(is_default=True).first()
    if found is None:
        load_weight_sets()
        found = WeightSet.objects.get(is_default=True)
    return found


def weight_set_by_version(version):
    try:
        return WeightSet.objects.get(version=version)
    except WeightSet.DoesNotExist:
        known = ", ".join(WeightSet.objects.values_list("version", flat=True))
        raise EvaluationRefused(_("Unknown weight set %(version)s (known: %(known)s).") % {"version": version, "known": known}) from None


def selected_region_ids():
    """Every region selected in any phase so far: the default scope of an evaluation round."""
    return set(Participation.objects.filter(status=ParticipationStatus.SELECTED).values_list("region_id", flat=True))


def round_name(year, stage):
    return _("Evaluation %(year)s, stage %(stage)s") % {"year": year, "stage": "I" if stage == 1 else "II"}


@transaction.atomic
def create_round(year, stage, *, weight_set=None, region_ids=None, is_demo=False, user=None, **details):
    """A new evaluation round; its scope defaults to every region selected in any phase, and the
    recommendations of the previous round become its follow-up items."""
    if stage not in (1, 2):
        raise EvaluationRefused(_("The stage of an evaluation is 1 or 2."))
    if Round.objects.filter(kind=RoundKind.EVALUATION, year=year, stage=stage).exists():
        raise EvaluationRefused(_("The evaluation of %(year)s stage %(stage)s exists already.") % {"year": year, "stage": stage})
    base = Round.objects.create(kind=RoundKind.EVALUATION, year=year, stage=stage, name=round_name(year, stage), is_demo=is_demo)
    evaluation = EvaluationRound(round=base, weight_set=weight_set or default_weight_set(), **details)
    evaluation._history_user = _user(user)
    evaluation.save()
    ids = selected_region_ids() if region_ids is None else set(region_ids)
    evaluation.regions.add(*ids)
    carry_follow_ups(evaluation)
    return evaluation


def rounds_in_order():
    return EvaluationRound.objects.select_related("round", "weight_set").order_by("round__year", "round__stage")


def previous_round(evaluation):
    return EvaluationRound.objects.filter(_earlier(evaluation)).order_by("-round__year", "-round__stage").first()


def _earlier(evaluation):
    from django.db.models import Q

    return Q(round__year__lt=evaluation.year) | Q(round__year=evaluation.year, round__stage__lt=evaluation.stage)


@transaction.atomic
def set_weights(evaluation, weight_set, user=None):
    """Choose the weight set of a round; refused once the round has results (they were computed
    with the old weights and may have been sent out)."""
    evaluation = EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.results.exists():
        raise EvaluationRefused(_("This round has results computed with weight set %(version)s; its weights cannot change.") % {"version": evaluation.weight_set.version})
    evaluation.weight_set = weight_set
    evaluation._history_user = _user(user)
    evaluation.save()
    return evaluation


# --- results ------------------------------------------------------------------------------------


def _check_scores(scores, where):
    errors = {}
    clean = {}
    for dimension in DIMENSIONS:
        try:
            value = scoring.as_decimal(scores[dimension])
        except (KeyError, ValueError):
            errors[dimension] = _("%(where)s: %(dimension)s is not a number.") % {"where": where, "dimension": dimension}
            continue
        if not Decimal(0) <= value <= Decimal(5):
            errors[dimension] = _("%(where)s: %(dimension)s must be between 0 and 5.") % {"where": where, "dimension": dimension}
        elif value != value.quantize(scoring.CENT):
            errors[dimension] = _("%(where)s: %(dimension)s has more than two decimals.") % {"where": where, "dimension": dimension}
        clean[dimension] = value
    if errors:
        raise EvaluationRefused(errors)
    return clean


def _later(evaluation):
    from django.db.models import Q

    return Q(round__year__gt=evaluation.year) | Q(round__year=evaluation.year, round__stage__gt=evaluation.stage)


def update_later_improvements(evaluation, region_ids=None):
    """After a round's indices changed (a correction, results stored again): each region's next
    result in a later round measured its improvement against the old index; recompute its
    previous index and improvement from the results as they are now. Returns the number changed."""
    later = Result.objects.filter(round__in=EvaluationRound.objects.filter(_later(evaluation)))
    if region_ids is not None:
        later = later.filter(region_id__in=region_ids)
    next_results = {}
    for result in later.select_related("round__round").order_by("round__round__year", "round__round__stage"):
        next_results.setdefault(result.region_id, result)
    changed = []
    for by_round in {r.round for r in next_results.values()}:
        previous = _previous_indices(by_round)
        for result in next_results.values():
            if result.round_id != by_round.pk:
                continue
            previous_index = previous.get(result.region_id)
            improvement = scoring.improvement(result.index, previous_index)
            if (previous_index, improvement) != (result.previous_index, result.improvement):
                result.previous_index, result.improvement = previous_index, improvement
                changed.append(result)
    Result.objects.bulk_update(changed, ["previous_index", "improvement"], batch_size=2000)
    return len(changed)


def _previous_indices(evaluation):
    """{region id: its latest index in an earlier round}."""
    found = {}
    for earlier in EvaluationRound.objects.filter(_earlier(evaluation)).order_by("-round__year", "-round__stage"):
        for region_id, index in earlier.results.values_list("region_id", "index"):
            found.setdefault(region_id, index)
    return found


def _ranks(indices, provinces):
    """National and provincial standard competition ranks on the stored two-decimal indices,
    compared exactly as integer hundredths."""
    cents = np.array([scoring.index_in_cents(index) for index in indices], dtype=np.float64)
    return competition_rank(cents, rtol=0.0), competition_rank_within(cents, np.asarray(provinces, dtype=np.int64), rtol=0.0)


def _refuse_locked(evaluation):
    if evaluation.is_published:
        raise EvaluationRefused(_("The results of this round are published; change one only by a correction with its reason."))
    if evaluation.is_closed:
        raise EvaluationRefused(_("This round is closed; its scores are locked."))


@transaction.atomic
def store_results(evaluation, rows, *, origin, user=None, check=True):
    """Compute and store the results of a round from ``rows`` (dicts with ``region_id``, the five
    scores and optionally ``smart_city_scores``, ``published_index``, ``published_national_rank``,
    ``published_province_rank``), replacing any earlier unpublished results of the round.

    Regions outside the round's scope join it. Returns the number of results.
    """
    evaluation = EvaluationRound.objects.select_for_update().select_related("weight_set").get(pk=evaluation.pk)
    _refuse_locked(evaluation)
    weights = evaluation.weight_set.weights()
    version = evaluation.weight_set.version
    previous = _previous_indices(evaluation)
    in_scope = set(evaluation.regions.values_list("id", flat=True))
    missing = {row["region_id"] for row in rows} - in_scope
    if missing:
        evaluation.regions.add(*missing)
    province_of, code_of = {}, {}
    for region_id, province_id, code in Region.objects.filter(rounds=evaluation.round_id).values_list("id", "province_id", "code"):
        province_of[region_id], code_of[region_id] = province_id, code
    now = timezone.now()
    # Scores and indices first (plain tuples of decimals, which Python's garbage collector leaves
    # alone), then the Result instances a chunk at a time: 83,763 instances alive at once made
    # the full collections grow with the round (bench/scale.py).
    checked = []
    for row in rows:
        scores = _check_scores(row, code_of[row["region_id"]]) if check else {d: row[d] for d in DIMENSIONS}
        checked.append((row, tuple(scores[d] for d in DIMENSIONS), scoring.weighted_index(scores, weights)))
    national, provincial = _ranks([index for _row, _scores, index in checked],
                                  [province_of[row["region_id"]] or 0 for row, _scores, _index in checked])
    _delete_results(evaluation)
    chunk = 2000
    for start in range(0, len(checked), chunk):
        results = []
        for (row, scores, index), national_rank, province_rank in zip(
            checked[start:start + chunk], national[start:start + chunk].tolist(), provincial[start:start + chunk].tolist()
        ):
            previous_index = previous.get(row["region_id"])
            published_index = row.get("published_index")
            results.append(Result(
                round_id=evaluation.pk, region_id=row["region_id"], index=index, weight_version=version,
                previous_index=previous_index, improvement=scoring.improvement(index, previous_index),
                smart_city_scores=row.get("smart_city_scores") or {}, published_index=published_index,
                published_national_rank=row.get("published_national_rank"), published_province_rank=row.get("published_province_rank"),
                differs_from_published=scoring.differs_from_published(index, published_index), origin=origin, updated_at=now,
                national_rank=national_rank, province_rank=province_rank, **dict(zip(DIMENSIONS, scores)),
            ))
        Result.objects.bulk_create(results, batch_size=chunk)
    evaluation.computed_at, evaluation.computed_by = now, _user(user)
    evaluation._history_user = _user(user)
    evaluation.save(update_fields=["computed_at", "computed_by"])
    if EvaluationRound.objects.filter(_later(evaluation)).exists():
        update_later_improvements(evaluation)
    return len(checked)


def _delete_results(evaluation):
    """Remove a round's results in one statement. Django's collector would first read every
    row to cascade (83,763 at scale, longer than inserting them); the rows that refer to results
    (corrections, objections) are deleted explicitly first instead."""
    from django.db import connection

    Correction.objects.filter(result__round=evaluation).delete()
    Objection.objects.filter(result__round=evaluation).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Result._meta.db_table)} WHERE round_id = %s", [evaluation.pk])


def rerank(evaluation):
    """Recompute the ranks of every result of a round (after a correction: the ranks follow)."""
    rows = list(evaluation.results.values_list("pk", "index", "region__province_id"))
    if not rows:
        return
    national, provincial = _ranks([index for _pk, index, _p in rows], [province or 0 for _pk, _i, province in rows])
    changed = []
    for (pk, _index, _province), national_rank, province_rank in zip(rows, national.tolist(), provincial.tolist()):
        changed.append(Result(pk=pk, national_rank=national_rank, province_rank=province_rank))
    Result.objects.bulk_update(changed, ["national_rank", "province_rank"], batch_size=2000)


def explain(result):
    """How a result was computed: each dimension's score x weight, the exact sum, the rounding,
    the weight set's version and the improvement."""
    weights = result.round.weight_set.weights() if result.round.weight_set.version == result.weight_version else (
        WeightSet.objects.get(version=result.weight_version).weights()
    )
    parts = scoring.contributions(result.scores(), weights)
    labels = dimension_labels()
    return {
        "lines": [
            {"dimension": dimension, "label": labels[dimension], "score": result.scores()[dimension],
             "weight": weights[dimension], "contribution": parts[dimension]}
            for dimension in DIMENSIONS
        ],
        "exact": sum(parts.values(), Decimal(0)),
        "index": result.index,
        "weight_version": result.weight_version,
        "previous_index": result.previous_index,
        "improvement": result.improvement,
    }


@transaction.atomic
def correct_result(result, scores, *, reason, user=None):
    """Correct a result (published or not) with a recorded reason; the round's ranks follow."""
    if not (reason or "").strip():
        raise EvaluationRefused({"reason": _("Give the reason for the correction.")})
    result = Result.objects.select_for_update().select_related("round__weight_set").get(pk=result.pk)
    clean = _check_scores({**result.scores(), **scores}, result.region.code)
    before = {**{d: str(v) for d, v in result.scores().items()}, "index": str(result.index), "national_rank": result.national_rank, "province_rank": result.province_rank}
    for dimension, value in clean.items():
        setattr(result, dimension, value)
    weights = result.round.weight_set.weights()
    result.index = scoring.weighted_index(clean, weights)
    result.weight_version = result.round.weight_set.version
    result.improvement = scoring.improvement(result.index, result.previous_index)
    result.differs_from_published = scoring.differs_from_published(result.index, result.published_index)
    result.updated_at = timezone.now()
    result.save()
    rerank(result.round)
    update_later_improvements(result.round, region_ids=[result.region_id])
    result.refresh_from_db()
    after = {**{d: str(v) for d, v in result.scores().items()}, "index": str(result.index), "national_rank": result.national_rank, "province_rank": result.province_rank}
    Correction.objects.create(result=result, reason=reason.strip(), before=before, after=after, by=_user(user))
    return result


# --- closing, publication, objections -------------------------------------------------------------


@transaction.atomic
def close_round(evaluation, user=None):
    """Close a round: its scores lock."""
    evaluation.closed_at = timezone.now()
    evaluation._history_user = _user(user)
    evaluation.save()
    return evaluation


@transaction.atomic
def publish_round(evaluation, *, user=None, objections_close_at=None, letter_date=None):
    """Publish the results (public page, exports, API) and number the result letters."""
    evaluation = EvaluationRound.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.is_published:
        raise EvaluationRefused(_("This round is published already."))
    if not evaluation.results.exists():
        raise EvaluationRefused(_("A round without results cannot be published."))
    now = timezone.now()
    if objections_close_at is not None and objections_close_at <= now:
        raise EvaluationRefused({"objections_close_at": _("The objection window must end in the future.")})
    numbered = []
    for number, result in enumerate(evaluation.results.order_by("region__code").only("pk"), start=1):
        numbered.append(Result(pk=result.pk, letter_number=f"{evaluation.letter_prefix}{number:03d}/{evaluation.year}/{evaluation.stage}"))
    Result.objects.bulk_update(numbered, ["letter_number"], batch_size=2000)
    evaluation.published_at, evaluation.published_by = now, _user(user)
    evaluation.objections_close_at = objections_close_at
    evaluation.letter_date = letter_date or now.date()
    evaluation.closed_at = evaluation.closed_at or now
    evaluation._history_user = _user(user)
    evaluation.save()
    return evaluation


def file_objection(result, text, user=None, now=None):
    if not (text or "").strip():
        raise EvaluationRefused({"text": _("Write what the objection is about.")})
    if not result.round.objections_open(now):
        raise EvaluationRefused(_("Objections to this round are not open (the window is closed or was never opened)."))
    return Objection.objects.create(result=result, text=text.strip(), filed_by=_user(user))


@transaction.atomic
def decide_objection(objection, *, upheld, answer, user=None, scores=None):
    """Answer an objection; upholding it corrects the result (the answer is the reason)."""
    if objection.status != ObjectionStatus.OPEN:
        raise EvaluationRefused(_("This objection is decided already."))
    if not (answer or "").strip():
        raise EvaluationRefused({"answer": _("Give the answer to the region.")})
    if upheld:
        if not scores:
            raise EvaluationRefused({"scores": _("Give the corrected scores when upholding an objection.")})
        correct_result(objection.result, scores, reason=answer, user=user)
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
    objection.answer, objection.decided_by, objection.decided_at = answer.strip(), _user(user), timezone.now()
    objection._history_user = _user(user)
    objection.save()
    return objection


# --- findings and follow-up -----------------------------------------------------------------------


def next_round(evaluation):
    from django.db.models import Q

    later = Q(round__year__gt=evaluation.year) | Q(round__year=evaluation.year, round__stage__gt=evaluation.stage)
    return EvaluationRound.objects.filter(later).order_by("round__year", "round__stage").first()


@transaction.atomic
def add_finding(evaluation, region, kind, text, *, dimension="", user=None):
    if kind not in FindingKind.values:
        raise EvaluationRefused({"kind": _("Unknown kind of finding.")})
    if not (text or "").strip():
        raise EvaluationRefused({"text": _("Write the finding.")})
    if dimension and dimension not in DIMENSIONS:
        raise EvaluationRefused({"dimension": _("Unknown dimension.")})
    evaluation = EvaluationRound.objects.select_related("round").get(pk=evaluation.pk)
    if evaluation.is_published:
        raise EvaluationRefused(_("The results of this round are published; its findings are final."))
    finding = Finding(round=evaluation, region=region, kind=kind, text=text.strip(), dimension=dimension, created_by=_user(user),
                      order=Finding.objects.filter(round=evaluation, region=region, kind=kind).count())
    finding._history_user = _user(user)
    finding.save()
    following = next_round(evaluation)
    if kind == FindingKind.RECOMMENDATION and following is not None:
        FollowUp.objects.get_or_create(recommendation=finding, defaults={"answered_in": following})
    return finding


def carry_follow_ups(evaluation):
    """Each recommendation of the previous round becomes a follow-up item of ``evaluation``."""
    previous = previous_round(evaluation)
    if previous is None:
        return 0
    pending = Finding.objects.filter(round=previous, kind=FindingKind.RECOMMENDATION, follow_up__isnull=True)
    items = [FollowUp(recommendation=finding, answered_in=evaluation) for finding in pending]
    FollowUp.objects.bulk_create(items)
    return len(items)


FOLLOW_UP_EVIDENCE_SUFFIXES = (".pdf", ".docx", ".xlsx", ".png", ".jpg", ".jpeg")
FOLLOW_UP_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


@transaction.atomic
def answer_follow_up(item, *, status, note="", evidence=None, user=None):
    """The region's answer to one follow-up item; "done" needs evidence."""
    if status not in FollowUpStatus.values:
        raise EvaluationRefused({"status": _("Unknown status.")})
    if item.answered_in.is_closed:
        raise EvaluationRefused(_("This round is closed; its follow-up items are locked."))
    if evidence is not None:
        # Checked by content and size, stored under a generated name (lib.files).
        item.evidence = checked_upload(evidence, FOLLOW_UP_EVIDENCE_SUFFIXES, FOLLOW_UP_EVIDENCE_MAX_BYTES, field="evidence")
    if status == FollowUpStatus.DONE and not item.evidence:
        raise EvaluationRefused({"evidence": _("A follow-up item is done only with evidence.")})
    item.status, item.note, item.updated_by, item.updated_at = status, note.strip(), _user(user), timezone.now()
    item._history_user = _user(user)
    item.save()
    return item


def baseline_context(evaluation, region):
    """What the assessors read when scoring a region's Baseline: its previous result and how it
    followed up the previous recommendations."""
    previous = previous_round(evaluation)
    previous_result = Result.objects.filter(round=previous, region=region).first() if previous else None
    items = FollowUp.objects.filter(answered_in=evaluation, recommendation__region=region).select_related("recommendation")
    return {"previous_round": previous, "previous_result": previous_result, "follow_ups": list(items)}


# --- past results -------------------------------------------------------------------------------

IMPORT_COLUMNS = ("region_code", *DIMENSIONS)
OPTIONAL_COLUMNS = ("published_index", "national_rank", "province_rank")


@dataclass
class ImportedRow:
    code: str
    recomputed: Decimal
    published: Decimal | None
    flagged: bool


@dataclass
class ImportReport:
    round: EvaluationRound
    created: bool
    rows: list = field(default_factory=list)

    @property
    def flagged(self):
        return [row for row in self.rows if row.flagged]


def _parse_import(table):
    regions = {r.code: r for r in Region.objects.kabkota()}
    errors, rows, seen = [], [], {}
    for line, cells in table.rows:
        code = cells.get("region_code", "")
        region = regions.get(code)
        if region is None:
            errors.append(CellError(line, "region_code", _("%(code)s is not a kabupaten/kota of the registry") % {"code": code or "-"}))
        elif code in seen:
            errors.append(CellError(line, "region_code", _("%(code)s appears again (first on row %(row)s)") % {"code": code, "row": seen[code]}))
        else:
            seen[code] = line
        row = {"region_id": region.pk if region else None, "code": code}
        for column in DIMENSIONS:
            text = cells.get(column, "")
            try:
                value = scoring.as_decimal(text)
            except ValueError:
                errors.append(CellError(line, column, _("%(value)s is not a number") % {"value": text or _("(empty)")}))
                continue
            if not Decimal(0) <= value <= Decimal(5):
                errors.append(CellError(line, column, _("%(value)s is not between 0 and 5") % {"value": text}))
            elif value != value.quantize(scoring.CENT):
                errors.append(CellError(line, column, _("%(value)s has more than two decimals") % {"value": text}))
            row[column] = value
        text = cells.get("published_index", "")
        if text:
            try:
                value = scoring.as_decimal(text)
                if not Decimal(0) <= value <= Decimal(5) or value != value.quantize(scoring.CENT):
                    raise ValueError
                row["published_index"] = value
            except ValueError:
                errors.append(CellError(line, "published_index", _("%(value)s is not an index between 0 and 5 with two decimals") % {"value": text}))
        for column, key in (("national_rank", "published_national_rank"), ("province_rank", "published_province_rank")):
            text = cells.get(column, "")
            if text:
                try:
                    number = Decimal(text)
                    if number != number.to_integral_value() or number < 1:
                        raise ValueError
                    row[key] = int(number)
                except (ArithmeticError, ValueError):
                    errors.append(CellError(line, column, _("%(value)s is not a rank (a whole number from 1)") % {"value": text}))
        rows.append(row)
    if not table.rows:
        errors.append(CellError(1, "", _("the file has no rows")))
    if errors:
        raise TableError(table.source, errors)
    return rows


@transaction.atomic
def import_results(path_or_file, *, year, stage, weights=None, user=None, name=None):
    """Import the published results of a round from XLSX/CSV (see ``IMPORT_COLUMNS``): the round is
    created when missing (default weight set, or ``weights`` by version), every index recomputed
    with the round's weights and compared with the published one; all or nothing."""
    table = read_table(path_or_file, required_columns=IMPORT_COLUMNS, name=name)
    rows = _parse_import(table)
    evaluation = EvaluationRound.objects.filter(round__kind=RoundKind.EVALUATION, round__year=year, round__stage=stage).first()
    created = evaluation is None
    if created:
        chosen = weight_set_by_version(weights) if weights else None
        evaluation = create_round(year, stage, weight_set=chosen, region_ids=[], user=user,
                                  source=_("Imported from %(file)s") % {"file": table.source})
    elif weights and evaluation.weight_set.version != weights:
        set_weights(evaluation, weight_set_by_version(weights), user=user)
    store_results(evaluation, rows, origin=Origin.IMPORT, user=user, check=False)
    report = ImportReport(round=evaluation, created=created)
    stored = dict(evaluation.results.values_list("region__code", "index"))
    for row in sorted(rows, key=lambda r: r["code"]):
        published = row.get("published_index")
        report.rows.append(ImportedRow(row["code"], stored[row["code"]], published, scoring.differs_from_published(stored[row["code"]], published)))
    return report


# --- reading --------------------------------------------------------------------------------------


def published_rounds():
    return rounds_in_order().filter(published_at__isnull=False)


def ranking(evaluation):
    return evaluation.results.select_related("region", "region__province").order_by("national_rank", "region__code")


RANKING_HEADER = ("national_rank", "province_rank", "region_code", "region", "province", *DIMENSIONS, "index", "weight_version", "improvement")


def ranking_rows(evaluation):
    """The rows of the ranking export (RANKING_HEADER), read as plain values in chunks: three model
    instances per row kept alive for the whole export made Python's full garbage collections
    grow with the round (bench/scale.py: 83,763 desa)."""
    columns = ("national_rank", "province_rank", "region__code", "region__name", "region__province__name",
               *DIMENSIONS, "index", "weight_version", "improvement")
    for row in ranking(evaluation).values_list(*columns).iterator(chunk_size=2000):
        national_rank, province_rank, code, name, province, *scores, index, version, improvement = row
        yield (national_rank, province_rank, code, name, province or "", *(float(v) for v in scores), float(index), version,
               None if improvement is None else float(improvement))


# --- self-assessment (the questionnaire engine) ---------------------------------------------------


def attach_self_assessment(evaluation, *, opens_at=None, closes_at=None, form_version=None, user=None):
    """Attach the self-assessment questionnaire to the round (the shipped default evaluation form
    unless another form version is given): each region in scope fills it with evidence per answer
    through the questionnaire engine (drafts, review loop, deadlines)."""
    from kotacerdas.questionnaires.models import AssignmentStage
    from kotacerdas.questionnaires.services import attach_form, import_form

    from .self_assessment_form import WORKBOOK

    if form_version is None:
        form_version = import_form(WORKBOOK.read_bytes(), WORKBOOK.name, user=_user(user))
    closes_at = closes_at or evaluation.self_assessment_closes_at
    if closes_at is None:
        raise EvaluationRefused({"closes_at": _("Give the self-assessment deadline.")})
    return attach_form(form_version.form, evaluation.round, AssignmentStage.EVALUATION, opens_at or timezone.now(), closes_at)


# --- verification (the assessment engine) -----------------------------------------------------------


@transaction.atomic
def create_verification_panel(evaluation, *, smart_city=False, per_candidate=2, user=None):
    """The round's verification panel on the assessment engine (pool, conflicts, assignment,
    interview sessions, blind scoring, agreement): one aspect per evaluation dimension scored
    0-5, weighted as the round's weight set, and with ``smart_city`` one per smart city
    dimension too. Returns the existing panel when there is one."""
    from kotacerdas.assessment.models import Aspect, Panel

    from .models import SMART_CITY_DIMENSIONS, smart_city_labels

    panel = Panel.objects.filter(round=evaluation.round).first()
    if panel is not None:
        return panel
    panel = Panel(round=evaluation.round, per_candidate=per_candidate, lowest_score=0)
    panel._history_user = _user(user)
    panel.save()
    weights = evaluation.weight_set.weights()
    labels = dimension_labels()
    aspects = [Aspect(panel=panel, order=i, code=d, name=str(labels[d]), weight=float(weights[d])) for i, d in enumerate(DIMENSIONS)]
    if smart_city:
        city = smart_city_labels()
        aspects += [Aspect(panel=panel, order=len(DIMENSIONS) + i, code=d, name=str(city[d]), weight=0.0)
                    for i, d in enumerate(SMART_CITY_DIMENSIONS)]
    Aspect.objects.bulk_create(aspects)
    return panel


@transaction.atomic
def start_verification(evaluation, *, smart_city=False, per_candidate=2, user=None):
    """Create the round's verification panel when there is none, assign ``per_candidate``
    assessors of the pool to every region in scope (never a conflict of interest, the mentors of
    a region included: the assessment engine's :func:`assign_panel`) and open the scoring.
    Refused once the round is closed or published, or when scores were entered already."""
    from kotacerdas.assessment.models import PanelState
    from kotacerdas.assessment.services.allocation import assign_panel
    from kotacerdas.assessment.services.panel_setup import set_state

    _refuse_locked(evaluation)
    panel = create_verification_panel(evaluation, smart_city=smart_city, per_candidate=per_candidate, user=user)
    if panel.state != PanelState.PREPARING:
        raise EvaluationRefused(_("The verification has started already; its assignments are kept."))
    assign_panel(panel, user=_user(user))
    return set_state(panel, PanelState.SCORING, user=_user(user))


def schedule_interview(evaluation, region, *, starts_at, room="", video_link="", duration_minutes=60):
    """Set (or move) the verification interview of ``region`` (the regional head presents, the
    Dewan attends). A start without a time zone is the region's own local time (WIB, WITA, WIT);
    it is stored as one absolute time."""
    import zoneinfo

    from kotacerdas.assessment.models import Panel
    from kotacerdas.assessment.services.allocation import schedule_session

    panel = Panel.objects.filter(round=evaluation.round).first()
    if panel is None:
        raise EvaluationRefused(_("Start the verification before scheduling interviews."))
    if starts_at.tzinfo is None:
        starts_at = starts_at.replace(tzinfo=zoneinfo.ZoneInfo(region.iana_time_zone))
    return schedule_session(panel, region, starts_at=starts_at, duration_minutes=duration_minutes, room=room, video_link=video_link)


def verification_status(evaluation):
    """The panel of the round with its assignments and how many are submitted (None without one)."""
    from kotacerdas.assessment.models import Panel

    panel = Panel.objects.filter(round=evaluation.round).first()
    if panel is None:
        return None
    return {"panel": panel, "assignments": panel.assignments.count(), "submitted": panel.assignments.filter(submitted_at__isnull=False).count(),
            "sessions": panel.sessions.count(),
            "interviews": list(panel.sessions.select_related("region").order_by("starts_at", "region__code")),
            "regions": list(Region.objects.filter(pk__in=panel.assignments.values("region")).order_by("code"))}


def verification_rows(evaluation):
    """Per region with every dimension scored: the mean of the submitted scores per dimension,
    rounded half up to two decimals, and the smart city dimensions where scored."""
    from collections import defaultdict

    from kotacerdas.assessment.models import Score

    from .models import SMART_CITY_DIMENSIONS

    totals = defaultdict(lambda: defaultdict(list))
    submitted = Score.objects.filter(assignment__panel__round=evaluation.round, assignment__submitted_at__isnull=False)
    for region_id, code, value in submitted.values_list("assignment__region_id", "aspect__code", "value"):
        totals[region_id][code].append(value)
    rows = []
    for region_id, by_code in sorted(totals.items()):
        if not all(by_code.get(d) for d in DIMENSIONS):
            continue
        mean = {code: scoring.round_half_up(Decimal(sum(values)) / len(values)) for code, values in by_code.items()}
        rows.append({"region_id": region_id, **{d: mean[d] for d in DIMENSIONS},
                     "smart_city_scores": {d: str(mean[d]) for d in SMART_CITY_DIMENSIONS if d in mean}})
    return rows


def store_verification_results(evaluation, user=None):
    """Compute and store the round's results from its panel's submitted scores."""
    rows = verification_rows(evaluation)
    if not rows:
        raise EvaluationRefused(_("No region has submitted scores for every dimension yet."))
    return store_results(evaluation, rows, origin=Origin.VERIFICATION, user=user)


def verification_agreement(evaluation):
    """The agreement and calibration of the round's verification panel, from the submitted scores:
    Krippendorff's alpha (interval) per dimension, flagged below the panel's threshold, and each
    assessor's leniency (+) or severity (-) in index points against the other assessors of the
    regions they shared, flagged when outlying (the assessment engine's
    :func:`panel_agreement`). None without a panel."""
    from kotacerdas.assessment.models import Panel
    from kotacerdas.assessment.services.outcomes import panel_agreement

    panel = Panel.objects.filter(round=evaluation.round).first()
    return None if panel is None else panel_agreement(panel)
