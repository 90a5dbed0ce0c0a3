"""Evaluation in Django's admin: read-mostly. Results change only through the services (the
index, ranks and corrections must stay consistent), so they are read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Correction, EvaluationRound, Finding, FollowUp, Objection, Result, WeightSet


@admin.register(WeightSet)
class WeightSetAdmin(SimpleHistoryAdmin):
    list_display = ("version", "name", "baseline", "output", "outcome", "impact", "quick_win", "is_default")

    def has_change_permission(self, request, obj=None):
        # A weight set used by a round explains its results: it never changes.
        return obj is None or not obj.rounds.exists()


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "weight_set", "published_at", "closed_at")
    readonly_fields = ("round", "weight_set", "computed_at", "computed_by", "published_at", "published_by")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ("region", "round", "index", "national_rank", "province_rank", "weight_version", "differs_from_published")
    list_filter = ("round", "differs_from_published")
    search_fields = ("region__code", "region__name")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register(Correction)
admin.site.register(Finding, SimpleHistoryAdmin)
admin.site.register(FollowUp, SimpleHistoryAdmin)
admin.site.register(Objection, SimpleHistoryAdmin)
