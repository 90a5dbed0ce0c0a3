"""Phases and participation in Django's admin.

Every change is kept with who, when and what (django-simple-history's history pages). A
participation's status goes through the program's rules (:func:`program.services.check_change`
in the form, :func:`program.services.set_status` to save) and needs a reason, kept as the
history's change reason.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Participation, Phase, PhaseStage
from .services import ParticipationRefused, check_change, set_status


class PhaseStageInline(admin.TabularInline):
    model = PhaseStage
    extra = 0
    fields = ("stage", "starts_on", "ends_on", "note")


@admin.register(Phase)
class PhaseAdmin(SimpleHistoryAdmin):
    list_display = ("year", "name", "quota", "invited_target", "assessed_target", "is_demo", "selection_complete")
    list_filter = ("is_demo", "selection_complete")
    search_fields = ("name",)
    ordering = ("year",)
    inlines = (PhaseStageInline,)


class ParticipationAdminForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=100,
        help_text=_("Required: kept in the history with your name and the time."),
    )

    class Meta:
        model = Participation
        fields = ("phase", "region", "status", "source")

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region") if "region" in self.fields else self.instance.region
        phase = cleaned.get("phase") if "phase" in self.fields else self.instance.phase
        status = cleaned.get("status")
        reason = cleaned.get("reason")
        if region is None or phase is None or not status or not reason:
            return cleaned  # the missing field has its own error
        try:
            check_change(region, phase, status, reason=reason)
        except ParticipationRefused as refused:
            raise ValidationError(refused.messages) from refused
        return cleaned


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    form = ParticipationAdminForm
    list_display = ("region", "region_code", "phase", "status", "updated_at")
    list_filter = ("phase", "status")
    search_fields = ("region__name", "region__code")
    list_select_related = ("region", "phase")
    ordering = ("phase__year", "region__code")
    autocomplete_fields = ("region",)

    @admin.display(description=_("code"), ordering="region__code")
    def region_code(self, obj):
        return obj.region.code

    def get_readonly_fields(self, request, obj=None):
        # Which region and which phase a record is about never changes; only its status does.
        if obj is not None and obj.pk:
            return ("phase", "region", "updated_at")
        return ()

    def has_delete_permission(self, request, obj=None):
        # A participation is never deleted (that would drop a decision without a reason); its
        # status changes instead, e.g. to "withdrawn" or "not eligible".
        return False

    def save_model(self, request, obj, form, change):
        # Through the service: the rules are checked again under a lock, and the history row
        # gets the user and the reason.
        participation = set_status(
            obj.region,
            obj.phase,
            obj.status,
            user=request.user,
            reason=form.cleaned_data["reason"],
            source=obj.source,
        )
        obj.pk = participation.pk
        obj.updated_at = participation.updated_at


from .models import Round  # noqa: E402


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "year", "stage", "is_demo")
    list_filter = ("kind", "is_demo")
    readonly_fields = ("kind", "phase")
