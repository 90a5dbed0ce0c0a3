"""Which master plans each role reaches (accounts.permissions.scope).

Adopted plans are public; a draft (and every other unadopted version) is seen by the ministry,
the region's operators and the region's mentors (mentor RoleGrants naming the region, less the
regions a mentor was replaced in: the grant stays, as the record the assessment panel's
"mentored this region" conflict reads, but access ends with the assignment). Operators edit their
own region's plans; mentors review their regions' plans.
"""

from django.db.models import Q

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.accounts.permissions import MINISTRY, scoper
from kotacerdas.mentoring.models import MentorAssignment

from .models import MasterPlan, PlanStatus


def _regions(user, role):
    if not user.is_authenticated:
        return []
    grants = RoleGrant.objects.filter(user=user, role=role, region__isnull=False)
    if role == Role.MENTOR:
        grants = grants.exclude(region__in=replaced_regions(user))
    return grants.values("region_id")


def replaced_regions(user):
    """The regions where all of ``user``'s mentor assignments have ended (they were replaced)."""
    assignments = MentorAssignment.objects.filter(mentor__user=user)
    current = assignments.filter(ended_at__isnull=True).values("region_id")
    return assignments.filter(ended_at__isnull=False).exclude(region_id__in=current).values("region_id")


@scoper(MasterPlan)
def scope_plans(queryset, user, action, roles):
    if action == "view_masterplans":
        if MINISTRY in roles:
            return queryset
        return queryset.filter(
            Q(status=PlanStatus.ADOPTED)
            | Q(region__in=_regions(user, Role.OPERATOR))
            | Q(region__in=_regions(user, Role.MENTOR))
        )
    if action == "view_progress":
        if MINISTRY in roles:
            return queryset.filter(status=PlanStatus.ADOPTED)
        return queryset.filter(status=PlanStatus.ADOPTED).filter(
            Q(region__in=_regions(user, Role.OPERATOR)) | Q(region__in=_regions(user, Role.MENTOR))
        )
    if action == "report_progress":
        return queryset.filter(status=PlanStatus.ADOPTED, region__in=_regions(user, Role.OPERATOR))
    if action == "edit_masterplans":
        return queryset.filter(region__in=_regions(user, Role.OPERATOR))
    if action == "review_masterplans":
        return queryset.filter(region__in=_regions(user, Role.MENTOR))
    if action == "comment_masterplans":
        if MINISTRY in roles:
            return queryset
        return queryset.filter(Q(region__in=_regions(user, Role.OPERATOR)) | Q(region__in=_regions(user, Role.MENTOR)))
    if action == "approve_masterplans" and MINISTRY in roles:
        return queryset
    return queryset.none()
