"""Account pages: a user's own account, notifications and tokens; the ministry's account
management (list, bulk import, deactivation); a region's profile for its operators."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kotacerdas.lib.tabular import TableError
from kotacerdas.regions.models import Region

from . import services
from .forms import AccountImportForm, ProfileForm, TokenForm
from .models import ApiToken, Notification, RoleGrant
from .permissions import permission, scope

User = get_user_model()


@permission("view_own_account")
def account(request):
    profile = services.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:account")
    grants = request.user.role_grants.select_related("region", "phase")
    return render(request, "accounts/account.html", {"form": form, "grants": grants})


@permission("view_own_notifications")
def notification_list(request):
    notifications = scope(Notification.objects.all(), request.user, "view_own_notifications")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/notification_list.html", {"page": page})


@permission("view_own_notifications")
def notification_detail(request, pk):
    # Another user's notification answers 404, as if it did not exist.
    notification = get_object_or_404(scope(Notification.objects.all(), request.user, "view_own_notifications"), pk=pk)
    return render(request, "accounts/notification_detail.html", {"notification": notification})


@permission("manage_own_tokens")
def token_list(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        _token, secret = services.create_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    tokens = scope(ApiToken.objects.all(), request.user, "manage_own_tokens")
    return render(request, "accounts/token_list.html", {"form": form, "tokens": tokens, "secret": secret})


@require_POST
@permission("manage_own_tokens")
def token_revoke(request, pk):
    token = get_object_or_404(scope(ApiToken.objects.all(), request.user, "manage_own_tokens"), pk=pk)
    services.revoke_token(token)
    messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:token-list")


@permission("manage_accounts")
def user_list(request):
    users = scope(User.objects.order_by("username"), request.user, "manage_accounts").prefetch_related(
        Prefetch("role_grants", queryset=RoleGrant.objects.select_related("region", "phase"))
    ).select_related("profile")
    page = Paginator(users, 100).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page})


@permission("manage_accounts")
def user_import(request):
    form = AccountImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            users = services.import_accounts(
                upload, name=upload.name, invited_by=request.user, base_url=request.build_absolute_uri("/")
            )
        except TableError as exc:
            errors = exc.errors
        else:
            messages.success(
                request, _("%(count)s accounts were created and invited by e-mail.") % {"count": len(users)}
            )
            return redirect("accounts:user-list")
    return render(request, "accounts/user_import.html", {"form": form, "errors": errors})


@permission("manage_accounts")
def user_deactivate(request, pk):
    person = get_object_or_404(scope(User.objects.all(), request.user, "manage_accounts"), pk=pk)
    if request.method == "POST":
        services.deactivate_user(person, by=request.user)
        messages.success(request, _("The account “%(name)s” was deactivated.") % {"name": person.username})
        return redirect("accounts:user-list")
    return render(request, "accounts/user_deactivate.html", {"person": person})


@permission("view_region_profile")
def region_profile(request, code):
    # A region outside the operator's scope answers 404, whether it exists or not.
    region = get_object_or_404(scope(Region.objects.all(), request.user, "view_region_profile"), code=code)
    operators = (
        RoleGrant.objects.filter(region=region, role="operator", user__is_active=True)
        .select_related("user", "user__profile")
        .order_by("user__last_name", "user__first_name")
    )
    return render(request, "accounts/region_profile.html", {"region": region, "operators": operators})
