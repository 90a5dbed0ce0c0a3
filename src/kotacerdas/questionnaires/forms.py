"""The forms of the questionnaire pages: importing an XLSForm, attaching it to a phase, extending
a region's deadline."""

from django import forms
from django.utils.translation import gettext_lazy

from kotacerdas.program.models import Phase

from .models import AssignmentStage


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("XLSForm file (.xlsx, or a .zip with the workbook and its files)"))
    attachments = MultipleFileField(label=gettext_lazy("CSV and media files the form uses"), required=False)


class AttachForm(forms.Form):
    phase = forms.ModelChoiceField(Phase.objects.all(), label=gettext_lazy("phase"))
    stage = forms.ChoiceField(choices=AssignmentStage.choices, label=gettext_lazy("stage"))
    opens_at = forms.DateTimeField(label=gettext_lazy("opens at (WIB)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=gettext_lazy("closes at (WIB)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class ExtensionForm(forms.Form):
    region = forms.CharField(label=gettext_lazy("region code"), max_length=20)
    closes_at = forms.DateTimeField(label=gettext_lazy("closes at, in the region's time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=255, required=False)
