"""Audit dossiers: one region's path through one phase, from its data to its letter.

An auditor (BPK, the inspectorate) follows a decision through every record it rests on: the
indicator values the screening used (with their sources), the screening run (method, weights,
engine version, the region's explanation and its probability of being shortlisted), the
questionnaire with its evidence files and their SHA-256, the assessors' scores and their
agreement, the decision with its letter, the MoU, the master plan, the evaluation results, and the
change log of every record involved (who, when, before, after).

The *full* dossier is the ministry's; the *public* one leaves out personal data: assessors are
numbered instead of named, the authors of changes and the MoU's signatories are left out, and
evidence files are listed by their question and SHA-256 only (their names may carry personal data).
"""

import hashlib
import io
import zipfile

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from kotacerdas.assessment.models import Mou, Panel, PanelAssignment, Score, Selection
from kotacerdas.evaluation.models import Result
from kotacerdas.history import shown
from kotacerdas.lib.printing import typst_text
from kotacerdas.masterplans.models import MasterPlan
from kotacerdas.program.models import Participation
from kotacerdas.program.services import is_loaded_change
from kotacerdas.questionnaires.models import Evidence, Submission
from kotacerdas.screening.models import RunStatus, ScreeningRun


def _sha256(field_file):
    digest = hashlib.sha256()
    try:
        with default_storage.open(field_file.name, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 16), b""):
                digest.update(chunk)
    except (FileNotFoundError, OSError):
        return None
    return digest.hexdigest()


def _changes(records, label, full):
    """The change log of ``records`` (django-simple-history): who (full only), when, before, after."""
    log = []
    for record in records:
        if not hasattr(record, "history"):  # a model without a change history
            continue
        previous = None
        for entry in record.history.order_by("history_date", "history_id"):
            if previous is None:
                changed = [(_("created"), "", str(entry.instance) if full else "")]
            else:
                delta = entry.diff_against(previous)
                changed = []
                for change in delta.changes:
                    field = record._meta.get_field(change.field)
                    before, after = shown(field, change.old), shown(field, change.new)
                    changed.append((field.verbose_name, "" if before is None else str(before), "" if after is None else str(after)))
            previous = entry
            if not changed:
                continue
            if entry.history_user:
                who = entry.history_user.get_username()
            else:
                who = _("the published list") if is_loaded_change(entry) else _("not recorded")
            who = who if full else None
            for field, before, after in changed:
                log.append({"record": f"{label} #{record.pk}", "when": entry.history_date, "who": who,
                            "field": field, "before": before, "after": after})
    return log


def _questionnaire(dossier, submissions, full):
    """The submissions with their evidence files (name in the full version only, SHA-256 always)
    and their status changes in the log."""
    submissions = list(submissions.select_related("version"))
    dossier["submissions"] = [
        {"submission": submission,
         "evidence": [{"key": item.key, "name": item.original_name if full else None, "size": item.size,
                       "sha256": _sha256(item.file)}
                      for item in Evidence.objects.filter(submission=submission)],
         }
        for submission in submissions
    ]
    for submission in submissions:
        for change in submission.status_changes.select_related("by"):
            dossier["log"].append({
                "record": f"{_('Questionnaire')} #{submission.pk}", "when": change.at,
                "who": (change.by.get_username() if change.by else _("not recorded")) if full else None,
                "field": _("status"), "before": change.from_status, "after": change.to_status})


def _assessment(dossier, panel, region, full):
    """The panel's scores of ``region`` (assessors numbered in the public version), the agreement
    per aspect and the region's final result, with the change log of the assignments and scores."""
    dossier["panel"] = panel
    dossier["scores"], dossier["agreement"], dossier["candidate"] = [], [], None
    if panel is None:
        return
    from kotacerdas.assessment.services.outcomes import compute_results

    assignments = list(PanelAssignment.objects.filter(panel=panel, region=region).select_related("assessor__user").order_by("pk"))
    for number, assignment in enumerate(assignments, start=1):
        name = str(assignment.assessor) if full else _("Assessor %(number)s") % {"number": number}
        for score in Score.objects.filter(assignment=assignment).select_related("aspect").order_by("aspect__pk"):
            dossier["scores"].append({"assessor": name, "aspect": str(score.aspect), "value": score.value})
    results = compute_results(panel)
    dossier["agreement"] = [{"aspect": str(aspect), "alpha": alpha, "low": low} for aspect, alpha, low in results.aspects]
    dossier["candidate"] = next((c for c in results.candidates if c.region.pk == region.pk), None)
    dossier["log"] += _changes(assignments, _("Panel assignment"), full)
    dossier["log"] += _changes(list(Score.objects.filter(assignment__in=assignments)), _("Score"), full)


def _corrections(dossier, results, full):
    for result in results:
        for correction in result.corrections.all():
            dossier["log"].append({
                "record": _("Evaluation result #%(number)s") % {"number": result.pk}, "when": correction.at,
                "who": (correction.by.get_username() if correction.by else _("not recorded")) if full else None,
                "field": _("correction: %(reason)s") % {"reason": correction.reason},
                "before": str(correction.before), "after": str(correction.after)})


def build(region, phase, *, full):
    """Everything the dossier of ``region`` in ``phase`` shows, as plain data."""
    dossier = {"region": region, "phase": phase, "full": full, "generated_at": timezone.now(), "log": []}
    participation = Participation.objects.filter(region=region, phase=phase).first()
    dossier["participation"] = participation
    if participation:
        dossier["log"] += _changes([participation], _("Participation"), full)

    # Screening: the confirmed run, the region's result and the indicator values it used.
    run = ScreeningRun.objects.filter(phase=phase, status=RunStatus.CONFIRMED).order_by("-confirmed_at").first()
    dossier["run"] = run
    dossier["explanation"] = None
    if run is not None:
        from kotacerdas.screening.services.explanation import explain_region

        dossier["explanation"] = explain_region(run, region)
        dossier["log"] += _changes([run], _("Screening run"), full)

    # Questionnaire and evidence.
    _questionnaire(dossier, Submission.objects.filter(region=region, assignment__phase=phase), full)

    # Assessment: the scores and the panel's agreement.
    panel = Panel.objects.filter(phase=phase).first()
    _assessment(dossier, panel, region, full)
    selection = Selection.objects.filter(panel=panel).first() if panel else None
    dossier["selection"] = selection
    if selection:
        dossier["log"] += _changes([selection], _("Decision"), full)

    mou = Mou.objects.filter(region=region, phase=phase).first()
    dossier["mou"] = mou
    if mou:
        dossier["log"] += _changes([mou], _("MoU"), full)

    plans = list(MasterPlan.objects.filter(region=region).order_by("version"))
    if not full:
        plans = [plan for plan in plans if plan.status == "adopted"]
    dossier["plans"] = plans
    dossier["log"] += _changes(plans, _("Master plan"), full)

    results = Result.objects.filter(region=region).select_related("round__round").order_by("round__round__year", "round__round__stage")
    if not full:
        results = results.filter(round__published_at__isnull=False)
    dossier["results"] = list(results)
    _corrections(dossier, dossier["results"], full)
    dossier["log"].sort(key=lambda entry: entry["when"])
    return dossier


def _row(*cells):
    return "[" + "], [".join(typst_text("" if cell is None else cell) for cell in cells) + "],"


def _typst_questionnaire(dossier):
    """The questionnaire section: each submission with its evidence files and their SHA-256."""
    lines = ["", f"== {typst_text(_('Questionnaire'))}"]
    for item in dossier["submissions"]:
        lines.append(typst_text(f"{item['submission'].version}: {item['submission'].get_status_display()}"))
        if item["evidence"]:
            lines.append("#table(columns: 4, " + _row(_("Question"), _("File"), _("Size"), "SHA-256"))
            for evidence in item["evidence"]:
                lines.append(_row(evidence["key"], evidence["name"] or "–", evidence["size"], evidence["sha256"] or "–"))
            lines.append(")")
    if not dossier["submissions"]:
        lines.append(typst_text(_("No questionnaire.")))
    return lines


def _typst_assessment(dossier, heading=None):
    """The assessors' scores, their agreement per aspect and the final score."""
    lines = ["", f"== {typst_text(heading or _('Assessment'))}"]
    if dossier["scores"]:
        lines.append("#table(columns: 3, " + _row(_("Assessor"), _("Aspect"), _("Score")))
        for score in dossier["scores"]:
            lines.append(_row(score["assessor"], score["aspect"], score["value"]))
        lines.append(")")
    for item in dossier["agreement"]:
        lines.append(typst_text(_("Agreement on %(aspect)s (Krippendorff's alpha): %(alpha)s") % {
            "aspect": item["aspect"], "alpha": f"{item['alpha']:.3f}" if item["alpha"] is not None else "–"}) + " \\")
    candidate = dossier["candidate"]
    if candidate and candidate.final is not None:
        lines.append(typst_text(_("Final score %(score).2f, rank %(rank)s") % {"score": candidate.final, "rank": candidate.rank or "–"}))
    return lines


def _typst_log(dossier):
    """The change log section: record, when, who (full version), field, before, after."""
    lines = ["", f"== {typst_text(_('Change log'))}"]
    if dossier["log"]:
        lines.append("#table(columns: 6, " + _row(_("Record"), _("When"), _("Who"), _("Field"), _("Before"), _("After")))
        for entry in dossier["log"]:
            lines.append(_row(entry["record"], entry["when"].strftime("%Y-%m-%d %H:%M"), entry["who"] or "–",
                              entry["field"], entry["before"][:200], entry["after"][:200]))
        lines.append(")")
    return lines


def to_typst(dossier):
    """The dossier as typst markup (every user text escaped with :func:`typst_text`)."""
    region, phase = dossier["region"], dossier["phase"]
    lines = [
        '#set page(paper: "a4", margin: 2cm)',
        "#set text(size: 9pt)",
        f"= {typst_text(_('Audit dossier'))}: {typst_text(region.name)} ({typst_text(region.code)}), {typst_text(phase.name)}",
        typst_text((_("Full version (ministry)") if dossier["full"] else _("Public version: personal data left out"))
                   + " · " + _("Generated at %(when)s") % {"when": dossier["generated_at"].strftime("%Y-%m-%d %H:%M UTC")}),
        "",
    ]
    if phase.is_demo:
        lines += [typst_text(_("DEMO: this phase is invented for demonstration.")), ""]
    participation = dossier["participation"]
    lines += [f"== {typst_text(_('Participation'))}",
              typst_text(participation.get_status_display() if participation else _("Not recorded")), ""]
    run = dossier["run"]
    lines.append(f"== {typst_text(_('Screening'))}")
    if run:
        lines.append(typst_text(_("Run %(id)s: method %(method)s, normalisation %(normalization)s, weighting %(weighting)s, engine %(version)s, data year %(year)s") % {
            "id": run.pk, "method": run.method, "normalization": run.normalization, "weighting": run.weighting,
            "version": run.engine_version, "year": run.data_year}))
        explanation = dossier["explanation"]
        if explanation:
            result = explanation["result"]
            lines += ["", typst_text(_("Rank %(rank)s, score %(score)s, probability of the shortlist %(probability)s") % {
                "rank": result.rank if result.rank is not None else "–",
                "score": f"{result.score:.4f}" if result.score is not None else "–",
                "probability": f"{result.probability:.3f}" if result.probability is not None else "–"}), ""]
            if explanation["criteria"]:
                lines.append("#table(columns: 5, " + _row(_("Indicator"), _("Source"), _("Value"), _("Weight"), _("Contribution")))
                for item in explanation["criteria"]:
                    indicator = item["indicator"]
                    lines.append(_row(indicator or item["code"], indicator.source_agency if indicator else "",
                                      f"{item['value']:.4g}", f"{item['weight']:.4g}", f"{item['contribution']:.4g}"))
                lines.append(")")
    else:
        lines.append(typst_text(_("No confirmed screening run.")))
    lines += _typst_questionnaire(dossier) + _typst_assessment(dossier)
    selection = dossier["selection"]
    lines += ["", f"== {typst_text(_('Decision'))}",
              typst_text(_("Letter %(number)s of %(date)s") % {"number": selection.letter_number or "–", "date": selection.letter_date or "–"})
              if selection else typst_text(_("No decision recorded."))]
    mou = dossier["mou"]
    lines += ["", f"== {typst_text(_('MoU'))}"]
    if mou:
        lines.append(typst_text(_("MoU number %(number)s signed in %(place)s") % {"number": mou.number, "place": mou.place} + f" ({mou.signed_on})"))
        if dossier["full"]:
            lines.append(" \\ " + typst_text(mou.signatories))
    else:
        lines.append(typst_text(_("No MoU recorded.")))
    lines += ["", f"== {typst_text(_('Master plan'))}"]
    for plan in dossier["plans"]:
        lines.append(typst_text(f"{_('Version')} {plan.version}: {plan.get_status_display()} ({plan.start_year}–{plan.end_year})") + " \\")
    lines += ["", f"== {typst_text(_('Evaluation'))}"]
    for result in dossier["results"]:
        lines.append(typst_text(f"{result.round.round.name}: {result.index} ({_('national rank')} {result.national_rank or '–'})") + " \\")
    lines += _typst_log(dossier)
    return "\n".join(lines) + "\n"


def pdf(dossier):
    import typst

    markup = to_typst_round(dossier) if "evaluation" in dossier else to_typst(dossier)
    return typst.compile(markup.encode("utf-8"), format="pdf")


def archive_of_phase(phase, *, full, progress=None):
    """A ZIP of the PDF dossier of every region taking part in ``phase``; ``progress(done, total,
    message)`` is called after each region."""
    participations = list(Participation.objects.filter(phase=phase).select_related("region").order_by("region__code"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, participation in enumerate(participations, start=1):
            region = participation.region
            archive.writestr(f"dossier-{phase.year}-{region.code}.pdf", pdf(build(region, phase, full=full)))
            if progress:
                progress(number, len(participations), region.code)
    return buffer.getvalue(), len(participations)


# --- the dossier of an evaluation round ----------------------------------------------------------


def build_round(region, evaluation, *, full):
    """Everything the dossier of ``region`` in the evaluation round ``evaluation`` shows: the
    round (weights and dates), the self-assessment questionnaire with its evidence, the
    verification panel's scores and agreement, the result (scores, index, ranks, the published
    figures beside the recomputed ones, the letter), the findings with their follow-up, the
    objections and the change log of every record involved."""
    from kotacerdas.evaluation.models import Finding, FollowUp, Objection

    dossier = {"region": region, "evaluation": evaluation, "full": full, "generated_at": timezone.now(), "log": []}
    dossier["log"] += _changes([evaluation], _("Evaluation round"), full)
    _questionnaire(dossier, Submission.objects.filter(region=region, assignment__round=evaluation.round), full)
    _assessment(dossier, Panel.objects.filter(round=evaluation.round).first(), region, full)

    result = Result.objects.filter(round=evaluation, region=region).first()
    dossier["result"] = result
    if result is not None:
        # A result has no change history of its own: its corrections (who, when, before, after) are its log.
        _corrections(dossier, [result], full)
    findings = list(Finding.objects.filter(round=evaluation, region=region).order_by("kind", "order", "pk"))
    follow_ups = {item.recommendation_id: item for item in FollowUp.objects.filter(recommendation__in=findings)}
    dossier["findings"] = [{"finding": finding, "follow_up": follow_ups.get(finding.pk),
                            "evidence_sha256": _sha256(follow_ups[finding.pk].evidence)
                            if finding.pk in follow_ups and follow_ups[finding.pk].evidence else None}
                           for finding in findings]
    dossier["log"] += _changes(findings, _("Finding"), full)
    dossier["log"] += _changes(list(follow_ups.values()), _("Follow-up"), full)
    # Follow-ups answered in this round of recommendations made earlier.
    answered = list(FollowUp.objects.filter(answered_in=evaluation, recommendation__region=region)
                    .exclude(recommendation__in=findings).select_related("recommendation__round__round"))
    dossier["answered"] = [{"follow_up": item, "evidence_sha256": _sha256(item.evidence) if item.evidence else None}
                           for item in answered]
    dossier["log"] += _changes(answered, _("Follow-up"), full)
    objections = list(Objection.objects.filter(result=result).order_by("filed_at")) if result else []
    dossier["objections"] = objections
    dossier["log"] += _changes(objections, _("Objection"), full)
    dossier["log"].sort(key=lambda entry: entry["when"])
    return dossier


def to_typst_round(dossier):
    """The dossier of an evaluation round as typst markup (user text escaped)."""
    region, evaluation = dossier["region"], dossier["evaluation"]
    weight_set = evaluation.weight_set
    lines = [
        '#set page(paper: "a4", margin: 2cm)',
        "#set text(size: 9pt)",
        f"= {typst_text(_('Audit dossier'))}: {typst_text(region.name)} ({typst_text(region.code)}), {typst_text(evaluation.round.name)}",
        typst_text((_("Full version (ministry)") if dossier["full"] else _("Public version: personal data left out"))
                   + " · " + _("Generated at %(when)s") % {"when": dossier["generated_at"].strftime("%Y-%m-%d %H:%M UTC")}),
        "",
    ]
    if evaluation.round.is_demo:
        lines += [typst_text(_("DEMO: this round is invented for demonstration.")), ""]
    if not evaluation.is_published:
        lines += [typst_text(_("Not published yet.")), ""]
    lines += [f"== {typst_text(_('Evaluation round'))}",
              typst_text(_("Weight set %(version)s: %(weights)s") % {
                  "version": weight_set.version,
                  "weights": ", ".join(f"{name} {value}" for name, value in weight_set.weights().items())}) + " \\",
              typst_text(_("Published at %(when)s") % {"when": evaluation.published_at.strftime("%Y-%m-%d") if evaluation.published_at else "–"}),
              ""]
    if evaluation.source:
        lines += [typst_text(_("Source:") + " " + evaluation.source), ""]
    lines += _typst_questionnaire(dossier) + _typst_assessment(dossier, _("Verification"))
    lines += ["", f"== {typst_text(_('Result'))}"]
    result = dossier["result"]
    if result is not None:
        lines.append("#table(columns: 2, " + _row(_("Field"), _("Value")))
        for label, value in result_rows(result):
            lines.append(_row(label, value))
        lines.append(")")
    else:
        lines.append(typst_text(_("No evaluation result.")))
    lines += ["", f"== {typst_text(_('Findings and follow-up'))}"]
    for item in dossier["findings"]:
        finding, follow_up = item["finding"], item["follow_up"]
        text = f"{finding.get_kind_display()}: {finding.text}"
        if follow_up:
            text += f" ({_('follow-up')}: {follow_up.get_status_display()}" + (f", SHA-256 {item['evidence_sha256']}" if item["evidence_sha256"] else "") + ")"
        lines.append(typst_text(text) + " \\")
    for item in dossier["answered"]:
        follow_up = item["follow_up"]
        lines.append(typst_text(f"{follow_up.recommendation.text}: {follow_up.get_status_display()}"
                                + (f", SHA-256 {item['evidence_sha256']}" if item["evidence_sha256"] else "")) + " \\")
    if not dossier["findings"] and not dossier["answered"]:
        lines.append(typst_text(_("No findings.")))
    lines += ["", f"== {typst_text(_('Objections'))}"]
    for objection in dossier["objections"]:
        lines.append(typst_text(f"{objection.filed_at:%Y-%m-%d} {objection.get_status_display()}: {objection.text}"
                                + (f" — {objection.answer}" if objection.answer else "")) + " \\")
    if not dossier["objections"]:
        lines.append(typst_text(_("No objection.")))
    lines += _typst_log(dossier)
    return "\n".join(lines) + "\n"


def result_rows(result):
    """(label, value) of a result's figures, in the order the dossier shows them."""
    from kotacerdas.evaluation.models import DIMENSIONS, dimension_labels

    labels = dimension_labels()
    rows = [(labels[name], getattr(result, name)) for name in DIMENSIONS]
    rows += [(_("Index"), result.index), (_("Weight set version"), result.weight_version),
             (_("Previous index"), result.previous_index if result.previous_index is not None else "–"),
             (_("Improvement"), result.improvement if result.improvement is not None else "–"),
             (_("National rank"), result.national_rank or "–"), (_("Provincial rank"), result.province_rank or "–")]
    if result.published_index is not None:
        rows.append((_("Published index"), result.published_index))
    rows += [(name, value) for name, value in (result.smart_city_scores or {}).items() if value not in (None, "")]
    rows += [(_("Origin"), result.get_origin_display()), (_("Result letter"), result.letter_number or "–")]
    return rows
