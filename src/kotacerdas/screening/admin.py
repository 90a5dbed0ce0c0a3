from django.contrib import admin

from kotacerdas.lib.admin import GuardedAdmin

from .models import AdministrativeCheck, EligibilityRule, ScreeningRun


def _locked(rule):
    """Rules applied to a confirmed run never change, in the admin as on the rules pages."""
    from .rules import confirmed_run

    return rule is not None and rule.phase_id is not None and confirmed_run(rule.phase) is not None


class AdministrativeCheckInline(admin.TabularInline):
    model = AdministrativeCheck
    extra = 0
    raw_id_fields = ("region",)

    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ("phase", "kind", "indicator", "operator", "threshold", "category", "requirement")
    list_filter = ("phase", "kind")
    inlines = [AdministrativeCheckInline]

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # The bulk delete would bypass the per-rule check above.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(ScreeningRun)
class ScreeningRunAdmin(GuardedAdmin, admin.ModelAdmin):
    """A run is a snapshot: nothing is edited; a confirmed run (it invited the shortlist and
    locks its phase's rules) is never deleted."""

    def has_add_permission(self, request):
        return False

    def editable(self, obj):
        return False

    def deletable(self, obj):
        return not obj.is_confirmed

    list_display = ("pk", "phase", "label", "status", "method", "shortlist_size", "created_at")
    list_filter = ("phase", "status")
    exclude = ("inputs", "outputs")
    readonly_fields = [f.name for f in ScreeningRun._meta.fields if f.name not in ("inputs", "outputs")]
