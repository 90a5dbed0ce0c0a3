from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Comment, Dimension, Element, MasterPlan, Program, ProgressRecord, RpjmdPeriod, Taxonomy


class ReadOnlyTaxonomy(SimpleHistoryAdmin):
    """A taxonomy is loaded from its file (load_taxonomy), not edited by hand."""

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Taxonomy, ReadOnlyTaxonomy)
admin.site.register(Dimension, ReadOnlyTaxonomy)


@admin.register(Element)
class ElementAdmin(ReadOnlyTaxonomy):
    list_display = ["code", "name", "name_en", "dimension", "giffinger", "iso37120"]
    list_filter = ["taxonomy"]


@admin.register(MasterPlan)
class MasterPlanAdmin(SimpleHistoryAdmin):
    list_display = ["region", "version", "status", "start_year", "end_year", "is_demo"]
    list_filter = ["status", "is_demo"]
    search_fields = ["region__name", "region__code", "title"]
    # Plans change through the workflow (services), which keeps approved versions immutable.
    readonly_fields = ["status", "approved_at", "approved_by", "adopted_at", "submitted_at"]


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = ["name", "plan", "element", "owner_agency", "start_year", "end_year", "horizon", "quick_win"]
    list_filter = ["horizon", "quick_win"]
    search_fields = ["name"]
    readonly_fields = ["horizon", "lineage"]


admin.site.register(Comment, SimpleHistoryAdmin)
admin.site.register(ProgressRecord, SimpleHistoryAdmin)
admin.site.register(RpjmdPeriod, SimpleHistoryAdmin)
