from django.contrib import admin

from .models import AdministrativeCheck, EligibilityRule, ScreeningRun


class AdministrativeCheckInline(admin.TabularInline):
    model = AdministrativeCheck
    extra = 0
    raw_id_fields = ("region",)


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ("phase", "kind", "indicator", "operator", "threshold", "category", "requirement")
    list_filter = ("phase", "kind")
    inlines = [AdministrativeCheckInline]


@admin.register(ScreeningRun)
class ScreeningRunAdmin(admin.ModelAdmin):
    list_display = ("pk", "phase", "label", "status", "method", "shortlist_size", "created_at")
    list_filter = ("phase", "status")
    exclude = ("inputs",)
    readonly_fields = [f.name for f in ScreeningRun._meta.fields if f.name != "inputs"]
