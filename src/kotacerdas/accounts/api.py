"""The signed-in part of the API: ``/api/v1/accounts/…``. Every operation names its action
(:class:`permissions.ApiPermission`) and reads objects through :func:`permissions.scope`."""

import datetime
from typing import List, Optional

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from kotacerdas.regions.models import Region

from .models import Notification, RoleGrant
from .permissions import ApiPermission, roles_of, scope, PUBLIC, SIGNED_IN

router = Router(tags=["accounts"])


class MeOut(Schema):
    username: str
    roles: List[str]
    regions: List[str]


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    status: str
    created_at: datetime.datetime
    sent_at: Optional[datetime.datetime] = None


class OperatorOut(Schema):
    name: str
    email: str
    phone: str


class RegionProfileOut(Schema):
    code: str
    name: str
    operators: List[OperatorOut]


@router.get("/me", response=MeOut, auth=ApiPermission("view_own_account"))
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "roles": sorted(roles_of(user) - {PUBLIC, SIGNED_IN}),
        "regions": sorted(user.role_grants.filter(role="operator").values_list("region__code", flat=True)),
    }


@router.get("/notifications", response=List[NotificationOut], auth=ApiPermission("view_own_notifications"))
def notifications(request):
    return scope(Notification.objects.all(), request.auth, "view_own_notifications")[:200]


@router.get("/notifications/{notification_id}", response=NotificationOut, auth=ApiPermission("view_own_notifications"))
def notification(request, notification_id: int):
    return get_object_or_404(scope(Notification.objects.all(), request.auth, "view_own_notifications"), pk=notification_id)


@router.get("/regions/{code}", response=RegionProfileOut, auth=ApiPermission("view_region_profile"))
def region_profile(request, code: str):
    region = get_object_or_404(scope(Region.objects.all(), request.auth, "view_region_profile"), code=code)
    grants = RoleGrant.objects.filter(region=region, role="operator", user__is_active=True).select_related(
        "user", "user__profile"
    )
    return {
        "code": region.code,
        "name": region.name,
        "operators": [
            {
                "name": grant.user.get_full_name() or grant.user.username,
                "email": grant.user.email,
                "phone": getattr(getattr(grant.user, "profile", None), "phone", ""),
            }
            for grant in grants
        ],
    }
