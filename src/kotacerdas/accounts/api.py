"""The signed-in part of the API: ``/api/v1/accounts/…``. Every operation names its action
(:class:`permissions.ApiPermission`) and reads objects through :func:`permissions.scope`."""

import datetime
from typing import List, Optional

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from kotacerdas.regions.models import Region

from kotacerdas.lib.api import table_refusal
from kotacerdas.lib.tabular import TableError

from .forms import AccountImportForm, ProfileForm
from .models import ApiToken, Notification, RoleGrant
from .services import TOKEN_LIFETIMES, create_token, deactivate_user, import_accounts, profile_of, revoke_token
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


# --- one's own settings and tokens; the ministry's accounts: twins of their pages ---------------

class SettingsIn(Schema):
    language: str = Field(..., description="The language of pages and e-mails: id or en.")
    phone: str = Field("", max_length=40)


class SettingsOut(Schema):
    language: str
    phone: str


@router.put("/me/settings", response=SettingsOut, auth=ApiPermission("view_own_account"),
            summary="Change one's own language and phone number")
def put_settings(request, payload: SettingsIn):
    """The account page's form, with the same checks."""
    form = ProfileForm(payload.dict(), instance=profile_of(request.auth))
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    profile = form.save()
    return {"language": profile.language, "phone": profile.phone}


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=80, description="What the token is for.")
    days: int = Field(90, description="How long it lives: " + ", ".join(map(str, TOKEN_LIFETIMES)) + " days.")
    read_only: bool = Field(False, description="Reads what its owner may read; changes nothing.")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(..., description="The first characters of the secret, to recognise it.")
    created_at: datetime.datetime
    expires_at: Optional[datetime.datetime]
    last_used_at: Optional[datetime.datetime]
    revoked_at: Optional[datetime.datetime]
    read_only: bool


class NewTokenOut(TokenOut):
    secret: str = Field(..., description="Shown this once: send it as Authorization: Bearer <secret>.")


@router.get("/tokens", response=List[TokenOut], auth=ApiPermission("manage_own_tokens"), summary="One's own API tokens")
def list_tokens(request):
    return scope(ApiToken.objects.all(), request.auth, "manage_own_tokens")


@router.post("/tokens", response={201: NewTokenOut}, auth=ApiPermission("manage_own_tokens"),
             summary="Make a new API token of one's own (its secret is in this answer only)")
def post_token(request, payload: TokenIn):
    if payload.days not in TOKEN_LIFETIMES:
        raise ValidationError({"days": _("A token lives %(choices)s days.") % {"choices": ", ".join(map(str, TOKEN_LIFETIMES))}})
    token, secret = create_token(request.auth, payload.name.strip(), days=payload.days, read_only=payload.read_only)
    return Status(201, {**TokenOut.from_orm(token).dict(), "secret": secret})


@router.delete("/tokens/{token_id}", response=TokenOut, auth=ApiPermission("manage_own_tokens"),
               summary="Revoke one of one's own tokens (from now on)")
def delete_token(request, token_id: int):
    token = get_object_or_404(scope(ApiToken.objects.all(), request.auth, "manage_own_tokens"), pk=token_id)
    revoke_token(token)
    return token


class ImportedAccountOut(Schema):
    id: int
    username: str
    email: str


@router.post("/users/import", response={201: List[ImportedAccountOut]}, auth=ApiPermission("manage_accounts"),
             summary="Create and invite the accounts of a CSV or XLSX file (multipart 'file': name, email, role"
                     "[, region, institution, language]); a bad cell is named and nothing is written")
def import_users(request, file: UploadedFile = File(...)):
    form = AccountImportForm({}, {"file": file})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    try:
        users = import_accounts(file, name=file.name, invited_by=request.auth, base_url=request.build_absolute_uri("/"))
    except TableError as exc:
        raise table_refusal(exc) from None
    return Status(201, [{"id": user.pk, "username": user.username, "email": user.email} for user in users])


class AccountOut(Schema):
    id: int
    username: str
    is_active: bool


@router.post("/users/{user_id}/deactivate", response=AccountOut, auth=ApiPermission("manage_accounts"),
             summary="Close an account: it can no longer sign in and its tokens stop working")
def deactivate(request, user_id: int):
    person = get_object_or_404(scope(get_user_model().objects.all(), request.auth, "manage_accounts"), pk=user_id)
    deactivate_user(person, by=request.auth)
    return {"id": person.pk, "username": person.username, "is_active": False}
