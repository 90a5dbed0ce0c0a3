"""The assessment in Django's admin, with history. The rubric and the scores are changed only
through the pages (which enforce locking); here they are read-only once scoring started."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kotacerdas.lib.admin import GuardedAdmin, ReadOnlyAdmin

from .models import Aspect, Assessor, DeclaredConflict, Mou, Panel, PanelAssignment, Score, Selection, Session


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
class PanelAdmin(GuardedAdmin, SimpleHistoryAdmin):
    """Settings and weights change only while the panel prepares (the panel page's rule); a closed
    panel's weights are behind its results and any published decision."""

    list_display = ("phase", "state", "per_candidate")
    readonly_fields = ("state",)
    inlines = (AspectInline,)

    def editable(self, obj):
        return not obj.rubric_locked

    def deletable(self, obj):
        return not obj.rubric_locked and not obj.assignments.exists()


@admin.register(DeclaredConflict)
class DeclaredConflictAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Declared by the assessor on the platform; assignments are checked against them there."""

    list_display = ("assessor", "region", "reason", "declared_at")


@admin.register(PanelAssignment)
class PanelAssignmentAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Made and swapped on the panel page, which checks declared conflicts and loads."""

    list_display = ("panel", "region", "assessor", "submitted_at")
    list_filter = ("panel",)


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ("assignment", "aspect", "value")


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ("panel", "region", "starts_at", "room")


@admin.register(Selection)
class SelectionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    """Proposed and confirmed on the selection page; a published decision is never deleted."""

    list_display = ("panel", "letter_number", "letter_date", "confirmed_at")


@admin.register(Mou)
class MouAdmin(SimpleHistoryAdmin):
    list_display = ("phase", "region", "signed_on", "place", "number")
