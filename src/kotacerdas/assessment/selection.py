"""Selection and the MoU: the quota filled from the panel's results (selection reads them, so it
lives in the assessment, after the panel), the decision letter and its PDF, and the memorandum
each selected region signs."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kotacerdas import decision
from kotacerdas.lib.files import checked_upload
from kotacerdas.lib.language import program_gettext
from kotacerdas.lib.numbers import format_number
from kotacerdas.lib.printing import typst_text
from kotacerdas.program.models import Participation, ParticipationStatus
from kotacerdas.program.services import demo_notice, set_status
from kotacerdas.regions.models import IslandGroup, Kind

from .models import Mou, Panel, Selection
from .services import AssessmentRefused
from .services.outcomes import compute_results


# --- selection ----------------------------------------------------------------------------------

TIE_BREAK_RULE = gettext_noop(
    "Equal final scores: the higher calibrated assessment score first, then the lower region code."
)


def _rule_label(key, value):
    if key.startswith("island:"):
        return _("at least %(n)s from %(group)s") % {"n": value, "group": IslandGroup(key.split(":", 1)[1]).label}
    if key == "min_kota":
        return _("at least %(n)s kota") % {"n": value}
    return _("at least %(n)s kabupaten") % {"n": value}


def spread_rules(candidates, rules):
    """:class:`decision.SpreadRule` objects for the ministry's rules over ``candidates``.

    ``min_per_island_group`` applies to every island group that has candidates (capped at the
    number it has); ``min_kota`` / ``min_kabupaten`` to the kinds."""
    result = []
    per_group = int(rules.get("min_per_island_group") or 0)
    if per_group > 0:
        groups = {}
        for i, c in enumerate(candidates):
            groups.setdefault(c.region.island_group, []).append(i)
        for group in IslandGroup.values:
            if group in groups:
                minimum = min(per_group, len(groups[group]))
                result.append(decision.SpreadRule(f"island:{group}", groups[group], minimum))
    for key, kind in (("min_kota", Kind.KOTA), ("min_kabupaten", Kind.KABUPATEN)):
        minimum = int(rules.get(key) or 0)
        if minimum > 0:
            members = [i for i, c in enumerate(candidates) if c.region.kind == kind]
            result.append(decision.SpreadRule(key, members, minimum))
    return result


@transaction.atomic
def propose_selection(panel, rules, *, user=None):
    """Fill the quota from the ranking under the spread ``rules`` (exact optimisation) and keep
    the result, with who each rule displaced, for the ministry to confirm."""
    panel = Panel.objects.select_for_update().get(pk=panel.pk)
    if not panel.scores_locked:
        raise AssessmentRefused(_("Close the panel before selecting."))
    selection = Selection.objects.filter(panel=panel).first()
    if selection and selection.is_confirmed:
        raise AssessmentRefused(_("The selection is confirmed; it cannot change."))
    results = compute_results(panel)
    candidates = [c for c in results.candidates if c.final is not None]
    quota = panel.phase.quota
    if len(candidates) < quota:
        raise AssessmentRefused(
            _("Only %(count)s candidates have a final score; the quota is %(quota)s.") % {"count": len(candidates), "quota": quota}
        )
    rules = {key: int(value) for key, value in rules.items() if value not in (None, "") and int(value) > 0}
    spread = spread_rules(candidates, rules)
    priority = sorted(range(len(candidates)), key=lambda i: (-candidates[i].final, -(candidates[i].calibrated or 0), candidates[i].region.code))
    try:
        chosen = decision.select([c.final for c in candidates], quota, spread, tie_break=priority)
    except decision.InfeasibleSelection as exc:
        raise AssessmentRefused(_("No selection of %(quota)s candidates satisfies these rules.") % {"quota": quota}) from exc
    selected, plain = set(chosen.selected), set(chosen.plain)
    labels = {rule.name: _rule_label(rule.name, rule.minimum) for rule in spread}
    snapshot = {
        "quota": quota,
        "total": chosen.total,
        "tie_break": program_gettext(TIE_BREAK_RULE),
        "rows": [
            {
                "region_id": c.region.pk,
                "code": c.region.code,
                "name": c.region.name,
                "final": c.final,
                "raw": c.raw,
                "calibrated": c.calibrated,
                "rank": c.rank,
                "plain": i in plain,
                "selected": i in selected,
            }
            for i, c in enumerate(candidates)
        ],
        "rules": [
            {
                "key": rule.name,
                "label": labels[rule.name],
                "displaced": [candidates[i].region.code for i in chosen.displaced[rule.name]],
                "brought_in": [candidates[i].region.code for i in chosen.brought_in[rule.name]],
            }
            for rule in spread
        ],
    }
    if selection is None:
        selection = Selection(panel=panel)
    selection.rules = rules
    selection.snapshot = snapshot
    selection.engine_version = decision.VERSION
    selection._history_user = user
    selection.save()
    return selection


@transaction.atomic
def confirm_selection(selection, *, letter_number, letter_date, user=None):
    """Confirm the proposed selection with its decision letter: every assessed candidate
    becomes selected or not selected (through program.services.set_status, with history)."""
    selection = Selection.objects.select_for_update(of=("self",)).select_related("panel__phase").get(pk=selection.pk)
    if selection.is_confirmed:
        raise AssessmentRefused(_("The selection is already confirmed."))
    if not letter_number or not letter_number.strip() or not letter_date:
        raise AssessmentRefused(_("Give the decision letter's number and date."))
    phase = selection.panel.phase
    from kotacerdas.regions.models import Region

    rows = selection.snapshot.get("rows", [])
    regions = Region.objects.in_bulk([r["region_id"] for r in rows])
    reason = program_gettext(gettext_noop("decision letter %s")) % letter_number.strip()
    assessed_reason = program_gettext(gettext_noop("assessed by the panel"))
    for r in rows:
        set_status(regions[r["region_id"]], phase, ParticipationStatus.ASSESSED, user=user, reason=assessed_reason)
    for r in rows:
        if not r["selected"]:
            set_status(regions[r["region_id"]], phase, ParticipationStatus.NOT_SELECTED, user=user, reason=reason)
    for r in rows:
        if r["selected"]:
            set_status(regions[r["region_id"]], phase, ParticipationStatus.SELECTED, user=user, reason=reason, source=reason)
    selection.letter_number = letter_number.strip()
    selection.letter_date = letter_date
    selection.confirmed_at = timezone.now()
    selection.confirmed_by = user if user is not None and user.is_authenticated else None
    selection._history_user = selection.confirmed_by
    selection.save()
    return selection


def published_selection(phase):
    """The confirmed selection of ``phase`` or None."""
    return Selection.objects.filter(panel__phase=phase, confirmed_at__isnull=False).select_related("panel__phase").first()


def decision_typst(selection):
    """The decision with its list, as typst source (see :func:`decision_pdf`)."""
    from django.utils.formats import date_format

    phase = selection.panel.phase
    selected = [r for r in selection.snapshot["rows"] if r["selected"]]
    selected.sort(key=lambda r: r["code"])
    lines = [
        '#set page(paper: "a4", margin: 2cm)',
        "#set text(size: 10pt)",
        "= " + typst_text(_("Decision on the selected regions")),
        f"*{typst_text(phase.name)}*",
        "",
        typst_text(
            _("Decision letter number %(number)s of %(date)s.")
            % {"number": selection.letter_number, "date": date_format(selection.letter_date, "j F Y")}
        ),
        "",
    ]
    if phase.is_demo:
        lines += [f"#text(fill: red)[{typst_text(demo_notice(phase))}]", ""]
    lines += [
        typst_text(_("The following %(count)s regions are selected (quota %(quota)s):") % {"count": len(selected), "quota": phase.quota}),
        "",
        "#table(columns: 4, align: (right, left, left, right),",
        "  [*No.*], [*%s*], [*%s*], [*%s*]," % (typst_text(_("Code")), typst_text(_("Region")), typst_text(_("Final score"))),
    ]
    for number, r in enumerate(selected, start=1):
        lines.append(f"  [{number}], [{typst_text(r['code'])}], [{typst_text(r['name'])}], [{format_number(r['final'], 2)}],")
    lines.append(")")
    lines += ["", typst_text(selection.snapshot.get("tie_break", ""))]
    return "\n".join(lines) + "\n"


def decision_pdf(selection):
    """The published decision as PDF bytes, compiled from :func:`decision_typst` with typst."""
    import typst

    return typst.compile(decision_typst(selection).encode("utf-8"), format="pdf")


# --- MoU ----------------------------------------------------------------------------------------


MOU_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def record_mou(phase, region, *, signed_on, place, number, signatories, document=None, user=None):
    """Record the MoU a selected region signed (updating it if it exists)."""
    if not Participation.objects.filter(phase=phase, region=region, status=ParticipationStatus.SELECTED).exists():
        raise AssessmentRefused(_("%(region)s is not selected in %(phase)s.") % {"region": region, "phase": phase})
    if not (place and number and signatories and signed_on):
        raise AssessmentRefused(_("Give the signing date, place, number and signatories."))
    mou = Mou.objects.filter(phase=phase, region=region).first() or Mou(phase=phase, region=region)
    mou.signed_on, mou.place, mou.number, mou.signatories = signed_on, place, number, signatories
    if document is not None:
        # The signed memorandum: a PDF, checked by its content, stored under a generated name.
        mou.document = checked_upload(document, (".pdf",), MOU_DOCUMENT_MAX_BYTES)
    mou._history_user = user
    mou.save()
    return mou
