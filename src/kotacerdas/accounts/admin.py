from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApiToken, Notification, Profile, RoleGrant


@admin.register(RoleGrant)
class RoleGrantAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "region", "phase", "institution", "granted_at"]
    list_filter = ["role", "phase"]
    search_fields = ["user__username", "user__email", "region__code", "region__name", "institution"]
    autocomplete_fields = ["region"]
    raw_id_fields = ["user"]


@admin.register(Profile)
class ProfileAdmin(SimpleHistoryAdmin):
    list_display = ["user", "language"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at", "expires_at", "read_only", "revoked_at"]
    # The hash is never shown or edited; a token is created by its owner on the tokens page.
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "read_only"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "subject", "status", "created_at", "sent_at"]
    list_filter = ["status", "template_name"]
    search_fields = ["recipient__username", "recipient__email", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False
