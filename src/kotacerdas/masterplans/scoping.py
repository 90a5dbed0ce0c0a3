"""Which master plans each role reaches (accounts.permissions.scope).

Adopted plans are public; a draft (and every other unadopted version) is seen by the ministry,
the region's operators and the region's mentors (mentor RoleGrants naming the region). Operators
edit their own region's plans; mentors review their regions' plans.
"""

from django.db.models import Q

from kotacerdas.accounts.models import Role, RoleGrant
from kotacerdas.accounts.permissions import MINISTRY, scoper

from .models import MasterPlan, PlanStatus


def _regions(user, role):
    if not user.is_authenticated:
        return []
    return RoleGrant.objects.filter(user=user, role=role, region__isnull=False).values("region_id")


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
