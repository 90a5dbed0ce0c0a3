"""The eligibility rules of a phase as the ministry edits them: thresholds on indicators,
administrative requirements and each kabupaten/kota's checklist of a requirement.

Every change is kept in the change history (who, when, before, after). Rules applied to a
confirmed run must not change: its shortlist was invited on them and the run records them, so
every change here is refused once the phase has a confirmed screening run.
A checklist file is read and checked completely first (:mod:`kotacerdas.lib.tabular`) and written
in one transaction only when no row is wrong.
"""

import math
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kotacerdas.lib.language import program_gettext
from kotacerdas.lib.tabular import CellError, TableError, read_table
from kotacerdas.program.models import Phase
from kotacerdas.regions.models import KABKOTA_KINDS, Region

from .models import AdministrativeCheck, EligibilityRule, Operator, RuleKind, RunStatus, ScreeningRun
from .services.runs import ScreeningError, evaluate_eligibility, fails_threshold
from .services.data import latest_values

CHECKLIST_REQUIRED_COLUMNS = ("region_code", "met")
CHECKLIST_COLUMNS = ("region_code", "region_name", "province", "met", "note")
# What a checklist file may say in its "met" column (Indonesian and English, as typed in Excel).
MET_WORDS = {"ya": True, "yes": True, "1": True, "true": True, "tidak": False, "no": False, "0": False, "false": False}
NOTE_LENGTH = AdministrativeCheck._meta.get_field("note").max_length
REQUIREMENT_LENGTH = EligibilityRule._meta.get_field("requirement").max_length
REASON_LENGTH = 100  # django-simple-history's change reason column
BATCH_SIZE = 1000


class RulesLocked(ScreeningError):
    """A change to the rules or checklists of a phase whose screening run is confirmed."""


def confirmed_run(phase):
    """The phase's confirmed screening run, or None."""
    return (ScreeningRun.objects.filter(phase=phase, status=RunStatus.CONFIRMED).defer("inputs", "outputs")
            .order_by("confirmed_at", "pk").first())


def locked_message(run):
    """Why the rules of a phase cannot change: its confirmed run."""
    return _("Screening run #%(run)s of this phase is confirmed: the eligibility rules and checklists applied to it "
             "can no longer change.") % {"run": run.pk}


def ensure_editable(phase):
    """Raise :class:`RulesLocked` when the phase has a confirmed run."""
    run = confirmed_run(phase)
    if run is not None:
        raise RulesLocked(locked_message(run))


def _lock(phase):
    """Inside a transaction: hold the phase row (PostgreSQL; SQLite's immediate transactions
    already serialise writers) and refuse when a run is confirmed."""
    list(Phase.objects.select_for_update().filter(pk=phase.pk).values_list("pk", flat=True))
    ensure_editable(phase)


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _reason(message, **values):
    return (program_gettext(message) % values)[:REASON_LENGTH]


# --- rules --------------------------------------------------------------------------------------

def _range_text(indicator):
    low, high = indicator.min_value, indicator.max_value
    return "-∞" if low is None else f"{low:g}", "∞" if high is None else f"{high:g}"


def threshold_errors(indicator, operator, threshold=None, category=""):
    """{field: message} of everything wrong with a threshold rule (empty when it is right).

    A categorical indicator (Kemenkeu's fiscal capacity category, ...) takes one of its own
    categories and no number; a numeric one takes a number inside its valid range, if it has one.
    """
    errors = {}
    if indicator is None:
        return {"indicator": _("Choose an indicator of the catalogue.")}
    if operator not in Operator.values:
        errors["operator"] = _("Choose “at least” (>=) or “at most” (<=).")
    category = (category or "").strip()
    if indicator.is_categorical:
        choices = ", ".join(c["label"] for c in indicator.categories)
        if threshold is not None:
            errors["threshold"] = _("%(indicator)s has categories, not numbers: leave the number empty and choose a "
                                    "category.") % {"indicator": indicator.code}
        if not category:
            errors["category"] = _("Choose a category of %(indicator)s: %(choices)s.") % {
                "indicator": indicator.code, "choices": choices}
        elif category.lower() not in indicator.category_scores():
            errors["category"] = _("“%(value)s” is not a category of %(indicator)s; use one of: %(choices)s.") % {
                "value": category, "indicator": indicator.code, "choices": choices}
        return errors
    if category:
        errors["category"] = _("%(indicator)s is a number, not categories: leave the category empty.") % {
            "indicator": indicator.code}
    if threshold is None:
        errors["threshold"] = _("Give a number for %(indicator)s.") % {"indicator": indicator.code}
    elif not math.isfinite(threshold):
        errors["threshold"] = _("Give a finite number.")
    elif ((indicator.min_value is not None and threshold < indicator.min_value)
          or (indicator.max_value is not None and threshold > indicator.max_value)):
        low, high = _range_text(indicator)
        errors["threshold"] = _("%(value)s is outside the valid range of %(indicator)s (%(low)s to %(high)s).") % {
            "value": f"{threshold:g}", "indicator": indicator.code, "low": low, "high": high}
    return errors


def add_threshold(phase, *, indicator, operator, threshold=None, category="", user=None):
    """Add a threshold rule to ``phase``; raise :class:`ScreeningError` (per field) when it is wrong."""
    errors = threshold_errors(indicator, operator, threshold, category)
    if errors:
        raise ScreeningError(errors)
    rule = EligibilityRule(phase=phase, kind=RuleKind.THRESHOLD, indicator=indicator, operator=operator)
    if indicator.is_categorical:
        # The catalogue's own spelling of the category, whatever case was typed.
        labels = {c["label"].strip().lower(): c["label"] for c in indicator.categories}
        rule.category = labels[category.strip().lower()]
    else:
        rule.threshold = float(threshold)
    with transaction.atomic():
        _lock(phase)
        same = EligibilityRule.objects.filter(phase=phase, kind=RuleKind.THRESHOLD, indicator=indicator, operator=operator,
                                              threshold=rule.threshold, category=rule.category)
        if same.exists():
            raise ScreeningError(_("This phase already has the rule %(rule)s.") % {"rule": rule.describe()})
        rule._history_user = _user(user)
        rule.save()
    return rule


def add_requirement(phase, name, *, user=None):
    """Add an administrative requirement (its checklist starts empty: no region meets it yet)."""
    name = (name or "").strip()
    if not name:
        raise ScreeningError({"requirement": _("Give the requirement's name.")})
    if len(name) > REQUIREMENT_LENGTH:
        raise ScreeningError({"requirement": _("The name is longer than %(count)s characters.") % {"count": REQUIREMENT_LENGTH}})
    with transaction.atomic():
        _lock(phase)
        if EligibilityRule.objects.filter(phase=phase, kind=RuleKind.REQUIREMENT, requirement__iexact=name).exists():
            raise ScreeningError({"requirement": _("This phase already has the requirement “%(name)s”.") % {"name": name}})
        rule = EligibilityRule(phase=phase, kind=RuleKind.REQUIREMENT, requirement=name)
        rule._history_user = _user(user)
        rule.save()
    return rule


def delete_rule(rule, *, user=None):
    """Remove ``rule`` and its checklist; each removed check is kept in the history too."""
    with transaction.atomic():
        _lock(rule.phase)
        with translation.override(settings.LANGUAGE_CODE):
            described = rule.describe()
        checks = list(AdministrativeCheck.objects.filter(rule=rule))
        _delete_checks(checks, user, _reason(gettext_noop("removed with the rule %(rule)s"), rule=described))
        rule._history_user = _user(user)
        rule.delete()


# --- checklists ---------------------------------------------------------------------------------

def _delete_checks(checks, user, reason):
    """Delete ``checks`` with one history row each, in bulk: Django's delete of a model with
    history signals costs a query per object, which a checklist of ~84,000 villages cannot pay."""
    if not checks:
        return
    history = AdministrativeCheck.history.model
    now, user = timezone.now(), _user(user)
    history.objects.bulk_create([
        history(history_type="-", history_date=now, history_user=user, history_change_reason=reason,
                **{field.attname: getattr(check, field.attname) for field in history.tracked_fields})
        for check in checks
    ], batch_size=BATCH_SIZE)
    table = AdministrativeCheck._meta.db_table
    ids = [check.pk for check in checks]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), BATCH_SIZE):
            batch = ids[start:start + BATCH_SIZE]
            cursor.execute(f"DELETE FROM {table} WHERE id IN ({', '.join(['%s'] * len(batch))})", batch)


# A checklist cell: met, not met, or not recorded (empty).
MET_CHOICES = {"yes": True, "no": False, "": None}


def checklist_changes(entries):
    """{region id: (met, note)} for ``apply_checks`` from ``entries`` [(region code, "yes" |
    "no" | "", note)], as a page or a client sent them; ScreeningError with a message per bad
    entry (naming the region and what to write) when any is wrong, so that nothing is saved."""
    entries = list(entries)
    found = {r.code: r for r in Region.objects.kabkota().filter(code__in=[code for code, _m, _n in entries])}
    errors, changes = [], {}
    for code, met_text, note in entries:
        region, note = found.get(code), (note or "").strip()
        if region is None:
            errors.append(_("“%(code)s” is not a kabupaten or kota code.") % {"code": code})
        elif met_text not in MET_CHOICES:
            errors.append(_("%(region)s: “%(value)s” is not met, not met or not recorded.") % {
                "region": region.name, "value": met_text})
        elif len(note) > NOTE_LENGTH:
            errors.append(_("%(region)s: the note is longer than %(count)s characters.") % {
                "region": region.name, "count": NOTE_LENGTH})
        else:
            changes[region.pk] = (MET_CHOICES[met_text], note)
    if errors:
        raise ScreeningError(errors)
    return changes


def apply_checks(rule, changes, *, user=None, reason=""):
    """Record each region's answer to requirement ``rule`` in one transaction.

    ``changes``: {region_id: (met, note)}; ``met`` None removes the region's check (not recorded),
    ``note`` None keeps the stored note. Answers equal to the stored ones are left alone (no
    history row). Returns {"created", "changed", "removed"} counts.
    """
    if rule.kind != RuleKind.REQUIREMENT:
        raise ScreeningError(_("Only an administrative requirement has a checklist."))
    created, changed, removed = [], [], []
    with transaction.atomic():
        _lock(rule.phase)
        existing = {check.region_id: check for check in AdministrativeCheck.objects.filter(rule=rule)}
        for region_id, (met, note) in changes.items():
            check = existing.get(region_id)
            if met is None:
                if check is not None:
                    removed.append(check)
                continue
            if check is None:
                created.append(AdministrativeCheck(rule=rule, region_id=region_id, met=met, note=note or ""))
            elif check.met != met or (note is not None and check.note != note):
                check.met = met
                if note is not None:
                    check.note = note
                changed.append(check)
        options = dict(batch_size=BATCH_SIZE, default_user=_user(user), default_change_reason=reason[:REASON_LENGTH])
        if created:
            bulk_create_with_history(created, AdministrativeCheck, **options)
        if changed:
            bulk_update_with_history(changed, AdministrativeCheck, ["met", "note"], **options)
        _delete_checks(removed, user, reason[:REASON_LENGTH])
    return {"created": len(created), "changed": len(changed), "removed": len(removed)}


def parse_met(text):
    """True, False, or None for a word that is not one of MET_WORDS."""
    return MET_WORDS.get(str(text).strip().lower())


def met_words():
    """The words a checklist accepts for met / not met, to show in messages."""
    return "ya/tidak, yes/no, 1/0, true/false"


def parse_checklist(table):
    """Check every row of a checklist ``table``; return ({region_id: (met, note)}, skipped rows)
    or raise :class:`TableError` naming the row and column of every error.

    A row whose ``met`` is empty is skipped (the region's answer stays as it is), so an exported
    checklist can be filled in part and uploaded. Without a ``note`` column notes are kept.
    """
    regions = {code: (pk, kind) for code, pk, kind in Region.objects.values_list("code", "pk", "kind")}
    has_note = "note" in table.columns
    errors, changes, seen, skipped = [], {}, {}, 0
    for line, row in table.rows:
        code, met_text = row["region_code"], row["met"]
        region = regions.get(code)
        if not code:
            errors.append(CellError(line, "region_code", _("the region code is empty")))
        elif region is None:
            errors.append(CellError(line, "region_code", _("%(code)r is not a region code") % {"code": code}))
        elif region[1] not in KABKOTA_KINDS:
            errors.append(CellError(line, "region_code", _(
                "%(code)r is not a kabupaten or kota (the checklist covers kabupaten and kota)") % {"code": code}))
            region = None
        elif code in seen:
            errors.append(CellError(line, "region_code", _("duplicate: %(code)s is already on row %(row)s") % {
                "code": code, "row": seen[code]}))
            region = None
        else:
            seen[code] = line
        met = parse_met(met_text) if met_text else None
        if met_text and met is None:
            errors.append(CellError(line, "met", _("%(value)r is not a yes or no (use %(words)s)") % {
                "value": met_text, "words": met_words()}))
        note = row.get("note", "") if has_note else None
        if note is not None and len(note) > NOTE_LENGTH:
            errors.append(CellError(line, "note", _("the note is longer than %(count)s characters") % {"count": NOTE_LENGTH}))
        if region is None or (met_text and met is None):
            continue
        if not met_text:
            skipped += 1
            continue
        changes[region[0]] = (met, note)
    if errors:
        raise TableError(table.source, errors)
    return changes, skipped


def import_checklist(rule, path_or_file, *, user=None, name=None):
    """Import a CSV or XLSX checklist of requirement ``rule`` (columns region_code, met and
    optionally note); return the counts of :func:`apply_checks` with ``rows`` and ``skipped``.

    Raises :class:`TableError` (nothing written) when any row is wrong, and :class:`RulesLocked`
    when the phase has a confirmed run.
    """
    ensure_editable(rule.phase)
    table = read_table(path_or_file, required_columns=CHECKLIST_REQUIRED_COLUMNS, name=name)
    changes, skipped = parse_checklist(table)
    if not changes and not skipped:
        raise TableError(table.source, [CellError(1, "", _("the file holds no rows"))])
    file_name = str(table.source).replace("\\", "/").rsplit("/", 1)[-1]
    counts = apply_checks(rule, changes, user=user, reason=_reason(gettext_noop("checklist imported from %(file)s"),
                                                                    file=file_name))
    return {**counts, "rows": len(changes), "skipped": skipped}


def checklist_rows(rule, regions):
    """Export rows (CHECKLIST_COLUMNS) of ``regions`` for requirement ``rule``."""
    checks = {c.region_id: c for c in AdministrativeCheck.objects.filter(rule=rule)}
    rows = []
    for region in regions:
        check = checks.get(region.pk)
        rows.append((region.code, region.name, region.province.name if region.province_id else "",
                     "" if check is None else ("yes" if check.met else "no"), check.note if check else ""))
    return rows


# --- what the rules do now ----------------------------------------------------------------------

def exclusion_counts(phase, data_year):
    """What the phase's rules do to the kabupaten/kota on the data up to ``data_year``.

    Returns {"regions": how many are screened, "excluded": how many a run would exclude (earlier
    selection included), "earlier": excluded for an earlier selection, "rules": {rule id:
    {"excluded": regions a run would give this rule as the reason (the first rule they fail, in
    the order of evaluate_eligibility), "failing": regions failing this rule alone}}}.
    """
    regions = list(Region.objects.kabkota().order_by("code").values_list("pk", "code"))
    region_ids = [pk for pk, _code in regions]
    reasons = evaluate_eligibility(phase, data_year, regions)
    rules = list(EligibilityRule.objects.filter(phase=phase).select_related("indicator"))
    requirements = [rule for rule in rules if rule.kind == RuleKind.REQUIREMENT]
    thresholds = [rule for rule in rules if rule.kind == RuleKind.THRESHOLD]
    met = dict(AdministrativeCheck.objects.filter(rule__in=requirements, met=True, region__kind__in=KABKOTA_KINDS)
               .values("rule").annotate(count=Count("pk")).values_list("rule", "count"))
    values = latest_values([rule.indicator_id for rule in thresholds], data_year, region_ids)
    by_reason = Counter(reasons.values())
    counts = {}
    for rule in rules:
        described = rule.describe()
        if rule.kind == RuleKind.REQUIREMENT:
            failing = len(region_ids) - met.get(rule.pk, 0)
            excluded = by_reason.get(described, 0)
        else:
            limit, found = rule.threshold_score(), values[rule.indicator_id]
            failing = sum(1 for pk in region_ids if fails_threshold(rule.operator, found.get(pk), limit))
            # A region without a value has the rule with "(no value)" after it as its reason.
            excluded = sum(count for reason, count in by_reason.items()
                           if reason == described or reason.startswith(described + " ("))
        counts[rule.pk] = {"excluded": excluded, "failing": failing}
    described = {rule.describe() for rule in rules}
    earlier = sum(count for reason, count in by_reason.items()
                  if reason not in described and not any(reason.startswith(d + " (") for d in described))
    return {"regions": len(region_ids), "excluded": len(reasons), "earlier": earlier, "rules": counts}
