"""What each role reaches of the assessment (see accounts.permissions.scope).

An assessor reaches only their own assignments; of the scores, their own, plus the panel's
scores of a candidate once they have submitted their own for it (never before).
"""

from django.db.models import Exists, OuterRef, Q

from kotacerdas.accounts.permissions import MINISTRY, OPERATOR, operator_region_ids, scoper

from .models import Mou, PanelAssignment, Score

MINISTRY_ACTIONS = ("manage_panel", "view_all_scores", "view_assignments")


@scoper(PanelAssignment)
def _assignments(queryset, user, action, roles):
    if MINISTRY in roles and action in MINISTRY_ACTIONS:
        return queryset
    return queryset.filter(assessor__user=user)


@scoper(Score)
def _scores(queryset, user, action, roles):
    if MINISTRY in roles and action in MINISTRY_ACTIONS:
        return queryset
    submitted_same_candidate = PanelAssignment.objects.filter(
        assessor__user=user,
        submitted_at__isnull=False,
        panel=OuterRef("assignment__panel"),
        region=OuterRef("assignment__region"),
    )
    return queryset.filter(Q(assignment__assessor__user=user) | Q(Exists(submitted_same_candidate)))


@scoper(Mou)
def _mous(queryset, user, action, roles):
    if MINISTRY in roles:
        return queryset
    if OPERATOR in roles and action == "view_mou_document":
        return queryset.filter(region_id__in=operator_region_ids(user))
    return queryset.none()
