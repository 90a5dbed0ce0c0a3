"""Scoping of questionnaires (see :func:`accounts.permissions.scope`): a region operator reaches
only their own region's submissions and the questionnaires open to their region; an assessor
opens a candidate's evidence through the assessment (``assessment.views.candidate_evidence``,
which checks their assignment), not through these scopes."""

from django.db.models import Q

from kotacerdas.accounts.permissions import MINISTRY, operator_region_ids, scoper

from .models import FormAssignment, Evidence, Submission


@scoper(Submission)
def _submissions(queryset, user, action, roles):
    if MINISTRY in roles and action in ("manage_forms", "review_submissions", "view_evidence"):
        return queryset
    return queryset.filter(region_id__in=operator_region_ids(user))


@scoper(Evidence)
def _evidence(queryset, user, action, roles):
    if MINISTRY in roles and action in ("manage_forms", "review_submissions", "view_evidence"):
        return queryset
    return queryset.filter(submission__region_id__in=operator_region_ids(user))


@scoper(FormAssignment)
def _assignments(queryset, user, action, roles):
    if MINISTRY in roles and action in ("manage_forms", "review_submissions", "view_evidence"):
        return queryset
    from .services import participating_statuses

    # A readiness questionnaire goes to the phase's invited candidates, an evaluation one to its
    # selected regions (program.Participation).
    regions = operator_region_ids(user)
    condition = Q()
    for stage, statuses in participating_statuses().items():
        condition |= Q(stage=stage, phase__participations__region_id__in=regions, phase__participations__status__in=statuses)
    return queryset.filter(condition).distinct()
