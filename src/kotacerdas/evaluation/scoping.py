"""What each role reaches of the evaluation (see accounts.permissions.scope).

Results are public once their round is published; before that only the ministry reads them. A
region operator reaches only their own region's results, findings and follow-up items, the
results and findings only after publication.
"""

from kotacerdas.accounts.permissions import MINISTRY, OPERATOR, operator_region_ids, scoper

from .models import EvaluationRound, Finding, FollowUp, Result

OWN_REGION_ACTIONS = ("view_own_evaluation", "answer_follow_up", "file_objection")


@scoper(EvaluationRound)
def _rounds(queryset, user, action, roles):
    if MINISTRY in roles:
        return queryset
    return queryset.filter(published_at__isnull=False)


@scoper(Result)
def _results(queryset, user, action, roles):
    if MINISTRY in roles:
        return queryset
    published = queryset.filter(round__published_at__isnull=False)
    if action in OWN_REGION_ACTIONS:
        return published.filter(region_id__in=operator_region_ids(user)) if OPERATOR in roles else queryset.none()
    return published


@scoper(Finding)
def _findings(queryset, user, action, roles):
    if MINISTRY in roles:
        return queryset
    if OPERATOR in roles and action in OWN_REGION_ACTIONS:
        return queryset.filter(region_id__in=operator_region_ids(user), round__published_at__isnull=False)
    return queryset.none()


@scoper(FollowUp)
def _follow_ups(queryset, user, action, roles):
    if MINISTRY in roles:
        return queryset
    if OPERATOR in roles and action in OWN_REGION_ACTIONS:
        return queryset.filter(recommendation__region_id__in=operator_region_ids(user))
    return queryset.none()
