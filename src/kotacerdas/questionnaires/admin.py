from django.contrib import admin

from .models import Answer, FormAssignment, DeadlineExtension, Evidence, Form, FormVersion, StatusChange, Submission


class FormVersionInline(admin.TabularInline):
    model = FormVersion
    fields = ["number", "version_label", "title", "question_count", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Form)
class FormAdmin(admin.ModelAdmin):
    list_display = ["title", "form_id", "created_at"]
    search_fields = ["title", "form_id"]
    inlines = [FormVersionInline]


class ExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    raw_id_fields = ["region", "created_by"]


@admin.register(FormAssignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["form", "phase", "stage", "opens_at", "closes_at"]
    list_filter = ["stage", "phase"]
    inlines = [ExtensionInline]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "by", "at", "comment"]
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["region", "assignment", "status", "version", "updated_at"]
    list_filter = ["status", "assignment"]
    search_fields = ["region__name", "region__code"]
    raw_id_fields = ["region"]
    # Answers and status change only through the questionnaire pages, which keep the rules.
    readonly_fields = ["assignment", "region", "version", "status", "submitted_at"]
    inlines = [StatusChangeInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["submission", "key", "value", "revision", "updated_at"]
    search_fields = ["key", "submission__region__name"]
    readonly_fields = ["submission", "key", "value", "revision", "updated_by"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["submission", "key", "original_name", "content_type", "size", "uploaded_at"]
    readonly_fields = ["submission", "key", "file", "original_name", "content_type", "size", "uploaded_by"]
