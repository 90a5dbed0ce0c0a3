"""The assessment in Django's admin, with history. The rubric and the scores are changed only
through the pages (which enforce locking); here they are read-only once scoring started."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Aspect, Assessor, PanelAssignment, DeclaredConflict, Mou, Panel, Score, Selection, Session


@admin.register(Assessor)
class AssessorAdmin(SimpleHistoryAdmin):
    list_display = ("user", "institution", "home_province", "max_load")
    search_fields = ("user__username", "user__first_name", "user__last_name", "institution")


class AspectInline(admin.TabularInline):
    model = Aspect
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.rubric_locked

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(Panel)
class PanelAdmin(SimpleHistoryAdmin):
    list_display = ("phase", "state", "per_candidate")
    readonly_fields = ("state",)
    inlines = (AspectInline,)


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(SimpleHistoryAdmin):
    list_display = ("assessor", "region", "reason", "declared_at")


@admin.register(PanelAssignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("panel", "region", "assessor", "submitted_at")
    list_filter = ("panel",)

    def has_change_permission(self, request, obj=None):
        return False  # swaps go through the panel page, which checks conflicts


@admin.register(Score)
class ScoreAdmin(SimpleHistoryAdmin):
    list_display = ("assignment", "aspect", "value")

    def has_change_permission(self, request, obj=None):
        return False

    has_add_permission = has_delete_permission = lambda self, request, obj=None: False


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ("panel", "region", "starts_at", "room")


@admin.register(Selection)
class SelectionAdmin(SimpleHistoryAdmin):
    list_display = ("panel", "letter_number", "letter_date", "confirmed_at")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Mou)
class MouAdmin(SimpleHistoryAdmin):
    list_display = ("phase", "region", "signed_on", "place", "number")
