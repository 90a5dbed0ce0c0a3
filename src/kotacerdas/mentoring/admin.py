from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.MentorInstitution)
class MentorInstitutionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "short_name", "is_demo")


@admin.register(models.Mentor)
class MentorAdmin(SimpleHistoryAdmin):
    list_display = ("user", "institution", "home_province", "max_load")
    list_select_related = ("user", "institution", "home_province")


@admin.register(models.MentorAssignment)
class MentorAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ("cohort", "region", "mentor", "assigned_at", "ended_at", "end_reason")
    list_filter = ("cohort",)


class RequiredOutputInline(admin.TabularInline):
    model = models.RequiredOutput
    extra = 0


@admin.register(models.Bimtek)
class BimtekAdmin(SimpleHistoryAdmin):
    list_display = ("cohort", "number", "title", "starts_on", "ends_on", "due_on")
    inlines = [RequiredOutputInline]


for model in (
    models.Cohort, models.DeclaredMentorConflict, models.TrainingOfTrainers, models.OutputUpload, models.Attendance,
    models.MentorNote, models.Council, models.CouncilMember, models.ImplementationTeam, models.TeamMember,
    models.Secretariat, models.ForumMeeting,
):
    admin.site.register(model, SimpleHistoryAdmin)
