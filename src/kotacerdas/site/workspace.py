"""Each role's start page and the same figures for the API: what is theirs to do now.

It combines every stage, which is why it lives in ``site``: the ministry's board of phases (each
stage's state, counts and next action), an operator's open questionnaires, deadlines and returned
submissions, Bimtek outputs due and master plan tasks (a plan to start, a draft to submit, review
comments to answer, yearly progress to report), an assessor's candidates still to score, a mentor's regions.
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _, gettext_lazy

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.accounts.permissions import MINISTRY, has_permission, operator_region_ids, roles_of, scope
from kotacerdas.assessment.models import Mou, Panel, PanelAssignment, PanelState
from kotacerdas.assessment.selection import published_selection
from kotacerdas.masterplans import services as masterplans
from kotacerdas.masterplans.models import MasterPlan, PlanStatus, ProgressRecord
from kotacerdas.mentoring import services as mentoring
from kotacerdas.mentoring.models import Cohort
from kotacerdas.program.models import Participation, ParticipationStatus, Phase
from kotacerdas.questionnaires import services as questionnaires
from kotacerdas.questionnaires.models import FormAssignment, Submission, SubmissionStatus
from kotacerdas.regions.models import Region
from kotacerdas.reports.facts import mou_events
from kotacerdas.screening.models import ScreeningRun


COUNT_LABELS = {
    "runs": gettext_lazy("runs"), "invited": gettext_lazy("invited"), "questionnaires": gettext_lazy("questionnaires"),
    "handed_in": gettext_lazy("handed in"), "to_review": gettext_lazy("to review"), "expected": gettext_lazy("expected"),
    "assignments": gettext_lazy("assignments"), "scored": gettext_lazy("scored"), "selected": gettext_lazy("selected"),
    "signed": gettext_lazy("signed"), "assessed": gettext_lazy("assessed"),
}


def _stage(key, label, state, done, counts, url=None, action=None):
    return {"key": key, "label": label, "state": state, "done": done, "counts": counts, "url": url, "action": action,
            "shown": [(key, COUNT_LABELS[key], value) for key, value in counts.items()]}


def recorded_outside(phase):
    """Whether ``phase`` was run before the platform: a real phase whose selected regions are
    known from the published list (the loader's 2017–2019 phases) while no screening run and no
    panel of it is recorded here. Its stages are history, not work waiting to be done."""
    return (
        not phase.is_demo
        and Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED).exists()
        and not ScreeningRun.objects.filter(phase=phase).exists()
        and not Panel.objects.filter(phase=phase).exists()
    )


def historical_stages(phase):
    """The stages of a phase run before the platform, as published: done, with the published
    figures (80 invited in 2017) where the list itself is unknown, the published list as its
    decision and the national MoU event. No next action."""
    selected = Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED).count()
    outside = _("held before the platform (published figures)")
    stages = [
        _stage("screening", _("Screening"), outside, True,
               {"invited": phase.invited_target} if phase.invited_target is not None else {}),
        _stage("questionnaire", _("Questionnaire"), outside, True, {}),
        _stage("assessment", _("Assessment"), outside, True,
               {"assessed": phase.assessed_target} if phase.assessed_target is not None else {}),
        _stage("decision", _("Decision"), _("published list"), True, {"selected": selected},
               reverse("program:phase-detail", args=[phase.year]) + "#selected"),
    ]
    event = mou_events().get(phase.year)
    if event is not None:
        mou_state = _("signed at the national event of %(date)s in %(city)s") % {
            "date": date_format(event["starts_on"], "DATE_FORMAT"), "city": event["city"]}
    else:
        mou_state = _("not recorded")
    stages.append(_stage("mou", _("MoU signing"), mou_state, event is not None, {}))
    for stage in stages:
        stage["historical"] = True
    return stages


def phase_stages(phase, user):
    """The stages of ``phase`` in order, each with its state, its counts and where to act; the
    first stage not done carries the next action. Links are given only to pages ``user`` may open.
    A phase run before the platform shows its published history instead (:func:`historical_stages`)."""
    if recorded_outside(phase):
        return historical_stages(phase)
    stages = []
    runs = ScreeningRun.objects.filter(phase=phase)
    confirmed = runs.filter(confirmed_at__isnull=False).count()
    invited = Participation.objects.filter(
        phase=phase, status__in=[ParticipationStatus.INVITED, ParticipationStatus.ASSESSED,
                                 ParticipationStatus.SELECTED, ParticipationStatus.NOT_SELECTED]).count()
    stages.append(_stage(
        "screening", _("Screening"), _("confirmed") if confirmed else (_("runs made") if runs.exists() else _("not started")),
        bool(confirmed), {"runs": runs.count(), "invited": invited},
        reverse("screening:runs", args=[phase.year]), _("Run and confirm the screening")))

    assignments = list(FormAssignment.objects.filter(phase=phase))
    submissions = Submission.objects.filter(assignment__in=assignments)
    by_status = dict(submissions.values_list("status").annotate(n=Count("pk")).order_by())
    now = timezone.now()
    q_open = any(a.opens_at <= now < a.closes_at for a in assignments)
    handed_in = sum(by_status.get(s, 0) for s in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED))
    q_done = bool(assignments) and not q_open and all(a.closes_at <= now for a in assignments)
    questionnaire_url = None
    if has_permission(user, "review_submissions") and assignments:
        questionnaire_url = reverse("questionnaires:progress", args=[assignments[0].pk])
    elif has_permission(user, "manage_forms"):
        questionnaire_url = reverse("questionnaires:forms")
    stages.append(_stage(
        "questionnaire", _("Questionnaire"),
        _("open") if q_open else (_("closed") if q_done else _("not started")), q_done,
        {"questionnaires": len(assignments), "handed_in": handed_in,
         "to_review": by_status.get(SubmissionStatus.SUBMITTED, 0), "expected": invited},
        questionnaire_url, _("Attach the questionnaire and follow the submissions")))

    panel = Panel.objects.filter(phase=phase).first()
    total = submitted = 0
    if panel is not None:
        counts = PanelAssignment.objects.filter(panel=panel).aggregate(
            total=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
        total, submitted = counts["total"], counts["submitted"]
    may_panel = has_permission(user, "manage_panel")
    stages.append(_stage(
        "assessment", _("Assessment"), panel.get_state_display() if panel else _("not started"),
        bool(panel and panel.state == PanelState.CLOSED), {"assignments": total, "scored": submitted},
        (reverse("assessment:panel", args=[phase.year]) if panel else reverse("assessment:panels")) if may_panel else None,
        _("Prepare the panel, start scoring, then close it")))

    published = published_selection(phase)
    selected = Participation.objects.filter(phase=phase, status=ParticipationStatus.SELECTED).count()
    if published is not None:
        decision_url = reverse("assessment:decision", args=[phase.year])
    elif panel is not None and may_panel:
        decision_url = reverse("assessment:selection", args=[phase.year])
    else:
        decision_url = None
    stages.append(_stage(
        "decision", _("Decision"), _("published") if published else _("not published"), published is not None,
        {"selected": selected}, decision_url, _("Compute the selection and publish the decision")))

    mous = Mou.objects.filter(phase=phase).count()
    stages.append(_stage(
        "mou", _("MoU signing"), _("%(signed)s of %(selected)s signed") % {"signed": mous, "selected": selected},
        bool(selected) and mous >= selected, {"signed": mous, "selected": selected},
        reverse("assessment:mou", args=[phase.year]) if panel is not None and may_panel else None,
        _("Record the signed MoUs")))

    for stage in stages:
        if not stage["done"]:
            stage["next"] = True
            break
    return stages


def ministry_board(user):
    return [{"phase": phase, "stages": phase_stages(phase, user)} for phase in Phase.objects.order_by("-year")]


def operator_tasks(user):
    region_ids = operator_region_ids(user)
    regions = list(Region.objects.filter(pk__in=region_ids).order_by("code"))
    submissions = {(s.assignment_id, s.region_id): s for s in Submission.objects.filter(region_id__in=region_ids)}
    questionnaires_open = []
    for assignment in scope(FormAssignment.objects.select_related("form", "phase"), user, "fill_questionnaire"):
        for region in questionnaires.regions_for(assignment).filter(pk__in=region_ids).order_by("code"):
            submission = submissions.get((assignment.pk, region.pk))
            status = submission.status if submission else SubmissionStatus.NOT_STARTED
            if not assignment.is_open_for(region) or status in (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED):
                continue
            questionnaires_open.append({
                "assignment": assignment, "region": region, "status": SubmissionStatus(status).label,
                "closes_at": assignment.closes_at_for(region),
                "url": reverse("questionnaires:fill", args=[assignment.pk, region.code]),
            })
    questionnaires_open.sort(key=lambda row: row["closes_at"])
    returned = [
        {"submission": s, "url": reverse("questionnaires:fill", args=[s.assignment_id, s.region.code])}
        for s in Submission.objects.filter(region_id__in=region_ids, status=SubmissionStatus.RETURNED).select_related("region", "assignment__form")
    ]
    today = timezone.localdate()
    return {"regions": regions, "questionnaires": questionnaires_open, "returned": returned,
            "bimtek_outputs": bimtek_outputs_due(region_ids, today), "plans": plan_tasks(user, region_ids, today.year)}


def bimtek_outputs_due(region_ids, today):
    """The Bimtek outputs still to hand in for the regions of ``region_ids``, in every cohort they
    belong to (the mentoring board's cells "outputs missing" and "overdue"), earliest due first."""
    rows = []
    cohorts = Cohort.objects.filter(
        phase__participations__region_id__in=region_ids, phase__participations__status=ParticipationStatus.SELECTED,
    ).distinct().select_related("phase")
    for cohort in cohorts:
        _bimteks, board_rows = mentoring.board(cohort, today=today, region_ids=region_ids)
        for row in board_rows:
            for cell in row.cells:
                if cell.status not in (mentoring.CellStatus.MISSING, mentoring.CellStatus.OVERDUE):
                    continue
                rows.append({
                    "region": row.region, "bimtek": cell.bimtek, "missing": len(cell.missing),
                    "due": cell.bimtek.due_date, "overdue": cell.status == mentoring.CellStatus.OVERDUE, "label": cell.label,
                    "url": reverse("mentoring:region", args=[cohort.phase.year, row.region.code]),
                })
    rows.sort(key=lambda row: (row["due"], row["region"].code))
    return rows


def plan_tasks(user, region_ids, year):
    """What the master plan of each region of ``region_ids`` waits for from its operator: a plan
    to start once the region is selected in a phase whose mentoring runs here (for an operator of
    the whole region, not of one agency), a draft to finish and submit, a plan returned with its
    open review comments to answer, the yearly progress of an adopted plan's running programs
    (those of ``year`` this operator reports and has not yet reported)."""
    latest = {}
    for plan in MasterPlan.objects.filter(region_id__in=region_ids).select_related("region").order_by("region__code", "-version"):
        latest.setdefault(plan.region_id, plan)
    rows = []
    # A region selected in a phase whose mentoring runs here writes its plan here.
    mentored = Region.objects.filter(
        pk__in=region_ids, participations__status=ParticipationStatus.SELECTED, participations__phase__cohort__isnull=False,
    ).exclude(pk__in=list(latest)).distinct().order_by("code")
    for region in mentored:
        if masterplans.operator_agencies(user, region) is not None:
            continue
        rows.append({"kind": "start", "region": region, "plan": None,
                     "text": _("No master plan yet: start the plan of the region."),
                     "url": reverse("masterplans:region", args=[region.code])})
    for plan in latest.values():
        row = {"region": plan.region, "plan": plan, "url": reverse("masterplans:plan", args=[plan.pk])}
        if plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED):
            comments = plan.comments.filter(thread__isnull=True, resolved_at__isnull=True).count()
            if plan.status == PlanStatus.RETURNED:
                text = _("Returned for changes: %(count)s open review comments to answer, then submit again.") % {"count": comments}
            else:
                text = _("Draft: finish the plan and submit it for review (%(count)s open review comments).") % {"count": comments}
            rows.append({**row, "kind": plan.status, "comments": comments, "text": text})
        elif plan.status == PlanStatus.ADOPTED and plan.start_year <= year <= plan.end_year:
            running = [program for program in plan.programs.filter(start_year__lte=year, end_year__gte=year)
                       if masterplans.may_report_progress(user, program)]
            reported = set(ProgressRecord.objects.filter(program__in=running, year=year).values_list("program_id", flat=True))
            missing = [program for program in running if program.pk not in reported]
            if missing:
                rows.append({**row, "kind": "progress", "missing": len(missing), "running": len(running),
                             "text": _("Progress of %(year)s to report: %(missing)s of %(running)s running programs.") % {
                                 "year": year, "missing": len(missing), "running": len(running)},
                             "url": reverse("masterplans:progress", args=[plan.pk]) + f"?year={year}"})
    rows.sort(key=lambda row: row["region"].code)
    return rows


def assessor_tasks(user):
    pending = list(
        scope(PanelAssignment.objects.all(), user, "score_candidates")
        .filter(submitted_at__isnull=True, panel__state=PanelState.SCORING)
        .select_related("panel__phase", "region").order_by("region__code")
    )
    # A verification of an evaluation round (a panel without a phase) is scored on evaluation's page.
    return {"to_score": [{"assignment": a, "url": reverse("assessment:score" if a.panel.phase_id else "evaluation:verification", args=[a.pk])}
                         for a in pending]}


def mentor_tasks(user):
    regions = Region.objects.filter(
        pk__in=RoleGrant.objects.filter(user=user, role=Role.MENTOR).values("region_id")).order_by("code")
    return {"regions": list(regions)}


def workspace(user):
    """Everything a start page shows for ``user``, per role held."""
    roles = roles_of(user)
    result = {"roles": sorted(r for r in roles if r in Role.values)}
    if MINISTRY in roles:
        result["ministry"] = ministry_board(user)
    if Role.OPERATOR in roles:
        result["operator"] = operator_tasks(user)
    if Role.ASSESSOR in roles:
        result["assessor"] = assessor_tasks(user)
    if Role.MENTOR in roles:
        result["mentor"] = mentor_tasks(user)
    return result


def counts(data):
    """The start page's figures as plain numbers (the API's answer)."""
    out = {"roles": data["roles"]}
    if "ministry" in data:
        out["phases"] = [
            {"year": row["phase"].year, "name": row["phase"].name, "is_demo": row["phase"].is_demo,
             "stages": [{"key": s["key"], "state": str(s["state"]), "done": s["done"], "next": bool(s.get("next")), "counts": s["counts"]}
                        for s in row["stages"]]}
            for row in data["ministry"]
        ]
    if "operator" in data:
        out["open_questionnaires"] = len(data["operator"]["questionnaires"])
        out["returned_submissions"] = len(data["operator"]["returned"])
        out["bimtek_outputs_due"] = len(data["operator"]["bimtek_outputs"])
        out["bimtek_outputs_overdue"] = sum(1 for row in data["operator"]["bimtek_outputs"] if row["overdue"])
        out["master_plan_tasks"] = [{"region": row["region"].code, "kind": row["kind"]} for row in data["operator"]["plans"]]
        out["operated_regions"] = [r.code for r in data["operator"]["regions"]]
    if "assessor" in data:
        out["candidates_to_score"] = len(data["assessor"]["to_score"])
    if "mentor" in data:
        out["mentored_regions"] = [r.code for r in data["mentor"]["regions"]]
    return out
