"""Changing a region's participation in a phase, and loading the program's real history."""

import datetime
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas.lib.language import program_gettext
from kotacerdas.lib.tabular import CellError, TableError, read_table
from kotacerdas.regions.models import Region

from .models import Participation, Phase, PhaseStage, Stage, ParticipationStatus

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SELECTIONS_CSV = DATA_DIR / "selections.csv"


class ParticipationRefused(ValidationError):
    """A status change the program's rules do not allow."""


def _check_rules(region, phase, status):
    # A region selected in one phase is out of every later phase (program rule: the 100 are
    # chosen once; see DESIGN.md, "phase"). It may still be recorded there as not eligible.
    if status != ParticipationStatus.INELIGIBLE:
        earlier = (
            Participation.objects.filter(
                region=region, status=ParticipationStatus.SELECTED, phase__year__lt=phase.year
            )
            .select_related("phase")
            .first()
        )
        if earlier:
            raise ParticipationRefused(
                _("%(region)s was already selected in %(phase)s and cannot be a candidate in %(later)s.")
                % {"region": region, "phase": earlier.phase, "later": phase}
            )
    if status == ParticipationStatus.SELECTED:
        later = (
            Participation.objects.filter(region=region, phase__year__gt=phase.year)
            .exclude(status=ParticipationStatus.INELIGIBLE)
            .select_related("phase")
            .first()
        )
        if later:
            raise ParticipationRefused(
                _("%(region)s is a candidate in the later %(later)s, so it cannot be selected in %(phase)s.")
                % {"region": region, "later": later.phase, "phase": phase}
            )
        selected = (
            Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED)
            .exclude(region=region)
            .count()
        )
        if selected >= phase.quota:
            raise ParticipationRefused(
                _("%(phase)s already has %(count)s selected regions, its whole quota.")
                % {"phase": phase, "count": selected}
            )


def check_change(region, phase, status, *, reason):
    """Raise :class:`ParticipationRefused` when the rules forbid giving ``region`` ``status`` in
    ``phase`` for ``reason``; :func:`set_status` and the admin form both call it.
    """
    if not region.is_kabkota:
        raise ParticipationRefused(_("Only a kabupaten or kota can take part in a phase."))
    if status not in ParticipationStatus.values:
        raise ParticipationRefused(_("Unknown status %r.") % status)
    if not reason or not reason.strip():
        raise ParticipationRefused(_("Say why the status changes."))
    _check_rules(region, phase, status)


def set_status(region, phase, status, *, user=None, reason, source=None, happened_at=None):
    """Set ``region``'s status in ``phase``, recording who did it and why.

    ``happened_at`` (a datetime) records a change that happened before it is written, such as a
    published selection loaded years later: its history then carries the event's date, not the
    load's. Returns the participation. Raises :class:`ParticipationRefused` when a rule forbids it.
    """
    with transaction.atomic():
        if status == ParticipationStatus.SELECTED:
            # Lock the phase so that two concurrent selections cannot both fit in the last place
            # of the quota (PostgreSQL; SQLite's immediate transactions already serialise writers).
            list(Phase.objects.select_for_update().filter(pk=phase.pk).values_list("pk", flat=True))
        check_change(region, phase, status, reason=reason)
        participation = (
            Participation.objects.select_for_update().filter(region=region, phase=phase).first()
        )
        if participation is None:
            participation = Participation(region=region, phase=phase)
        elif participation.status == status and (source is None or participation.source == source):
            return participation
        participation.status = status
        if source is not None:
            participation.source = source
        participation._change_reason = reason.strip()[:100]
        if user is not None and user.is_authenticated:
            participation._history_user = user
        if happened_at is not None:
            participation._history_date = happened_at
        participation.save()
    return participation


# The real phases as published (DESIGN.md): quotas and candidate counts of the program's
# reports; dates of the events named in the sources of selections.csv.
REAL_PHASES = [
    {
        "year": 2017,
        "name": "Tahap I 2017",
        "quota": 25,
        "invited_target": 80,
        "assessed_target": 80,
        "selection_complete": True,
        "stages": [(Stage.ASSESSMENT, datetime.date(2017, 5, 2), datetime.date(2017, 5, 3))],
    },
    {
        "year": 2018,
        "name": "Tahap II 2018",
        "quota": 50,
        "invited_target": 165,
        "assessed_target": 120,
        "selection_complete": True,
        "stages": [(Stage.MOU, datetime.date(2018, 5, 8), datetime.date(2018, 5, 8))],
    },
    {
        "year": 2019,
        "name": "Tahap III 2019",
        "quota": 25,
        "invited_target": None,
        "assessed_target": None,
        "selection_complete": False,
        "stages": [(Stage.MOU, datetime.date(2019, 5, 15), datetime.date(2019, 5, 15))],
    },
]


def upsert_phase(spec, *, is_demo):
    """Create or update the phase of ``spec`` (a dict of its fields and stages) by its year."""
    phase = Phase.objects.filter(year=spec["year"]).first()
    values = {
        "name": spec["name"],
        "quota": spec["quota"],
        "invited_target": spec["invited_target"],
        "assessed_target": spec["assessed_target"],
        "selection_complete": spec["selection_complete"],
        "is_demo": is_demo,
        "source": spec.get("source", ""),
    }
    if phase is not None and phase.is_demo != is_demo:
        raise ValidationError(
            _("Phase %(year)s exists with demo=%(existing)s; refusing to change it.")
            % {"year": spec["year"], "existing": phase.is_demo}
        )
    if phase is None:
        phase = Phase(year=spec["year"], **values)
        phase._change_reason = program_gettext(gettext_noop("created by the loader"))
        phase.full_clean()
        phase.save()
    elif any(getattr(phase, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(phase, key, value)
        phase._change_reason = program_gettext(gettext_noop("updated by the loader"))
        phase.full_clean()
        phase.save()
    for stage, starts_on, ends_on in spec.get("stages", []):
        existing = PhaseStage.objects.filter(phase=phase, stage=stage).first()
        if existing is None:
            PhaseStage.objects.create(phase=phase, stage=stage, starts_on=starts_on, ends_on=ends_on)
        elif (existing.starts_on, existing.ends_on) != (starts_on, ends_on):
            existing.starts_on, existing.ends_on = starts_on, ends_on
            existing.save()
    return phase


def load_real_history(path=SELECTIONS_CSV):
    """Create the real phases and mark the published selected regions.

    A region name that is not in the registry is an error naming the row, never a silent skip.
    Returns the number of selected participations per year.
    """
    table = read_table(path, required_columns=("phase_year", "region_name", "source"))
    by_name = {region.name: region for region in Region.objects.kabkota()}
    years = {spec["year"] for spec in REAL_PHASES}
    errors, rows_by_year, seen = [], defaultdict(list), {}
    for line, row in table.rows:
        try:
            year = int(row["phase_year"])
        except ValueError:
            errors.append(CellError(line, "phase_year", _("%r is not a year") % row["phase_year"]))
            continue
        if year not in years:
            errors.append(CellError(line, "phase_year", _("%s is not a real phase of the program") % year))
            continue
        region = by_name.get(row["region_name"])
        if region is None:
            errors.append(
                CellError(line, "region_name", _("%r matches no kabupaten/kota in the registry") % row["region_name"])
            )
            continue
        if region.code in seen:
            errors.append(
                CellError(line, "region_name", _("%(name)s is already listed on row %(row)s") % {"name": region.name, "row": seen[region.code]})
            )
            continue
        seen[region.code] = line
        if not row["source"]:
            errors.append(CellError(line, "source", _("every listed region needs its source")))
        rows_by_year[year].append((region, row["source"]))
    for spec in REAL_PHASES:
        if len(rows_by_year[spec["year"]]) > spec["quota"]:
            errors.append(CellError(1, "phase_year", _("%(year)s lists more regions than its quota") % {"year": spec["year"]}))
    if errors:
        raise TableError(table.source, errors)

    counts = {}
    reason = program_gettext(LOADED_REASON)
    with transaction.atomic():
        for spec in REAL_PHASES:
            sources = sorted({source for _region, source in rows_by_year[spec["year"]]})
            spec = dict(spec, source="\n".join(sources))
            phase = upsert_phase(spec, is_demo=False)
            happened_at = decided_at(spec)
            for region, source in rows_by_year[spec["year"]]:
                set_status(region, phase, ParticipationStatus.SELECTED, reason=reason, source=source, happened_at=happened_at)
            # Selections loaded before the history carried the event's date kept the load's time.
            Participation.history.filter(phase_id=phase.pk, history_user__isnull=True, history_change_reason=reason).exclude(
                history_date=happened_at).update(history_date=happened_at)
            counts[spec["year"]] = len(rows_by_year[spec["year"]])
    return counts


# The reason recorded on a selection loaded from the published list (in the program's language).
LOADED_REASON = gettext_noop("published list")


def decided_at(spec):
    """When the published selection of a real phase was known: the last day of its dated stages
    (the 2017 assessment of 2–3 May, the MoU events of 8 May 2018 and 15 May 2019), at the start
    of that day in Jakarta."""
    day = max(ends_on for _stage, _starts_on, ends_on in spec["stages"])
    return datetime.datetime.combine(day, datetime.time(), tzinfo=ZoneInfo("Asia/Jakarta"))


def is_loaded_change(change):
    """Whether a participation's history row is a selection loaded from the published list
    (no person did it; its date is the event's)."""
    return change.history_user_id is None and change.history_change_reason in (LOADED_REASON, program_gettext(LOADED_REASON))


def selected_phase_by_region(region_ids=None, *, include_demo=True):
    """{region id: phase} of the phase that selected each region (of ``region_ids``, or all). The
    program selects a region once; should the data say otherwise, a real phase wins over a demo
    one, then the earliest. ``include_demo=False`` leaves the demo phases' selections out."""
    rows = Participation.objects.filter(status=ParticipationStatus.SELECTED).select_related("phase").order_by("phase__is_demo", "phase__year")
    if region_ids is not None:
        rows = rows.filter(region_id__in=list(region_ids))
    if not include_demo:
        rows = rows.filter(phase__is_demo=False)
    selected = {}
    for participation in rows:
        selected.setdefault(participation.region_id, participation.phase)
    return selected


def phase_or_404(year):
    """The phase of ``year``; Http404 naming the year when there is none (or ``year`` is no year)."""
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Http404(_("There is no phase in %(year)s.") % {"year": year}) from None
    phase = Phase.objects.filter(year=year).first()
    if phase is None:
        raise Http404(_("There is no phase in %(year)s.") % {"year": year})
    return phase


def demo_notice(phase):
    """The one notice that every page, export and API answer showing a demo phase's content
    carries (DESIGN, "Demo content"); None for a real phase."""
    if phase is None or not phase.is_demo:
        return None
    return _("DEMO: Demo phase content, invented for demonstration; not a decision of the program.")
