"""The ministry's form for a new phase (instead of the Django admin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Phase


class PhaseForm(forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["year", "name", "quota", "invited_target", "assessed_target", "is_demo", "selection_complete", "source"]
        widgets = {"source": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "selection_complete": _("Tick only when the full published list of selected regions is recorded."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A new phase has no published list yet: the ministry ticks it when the list is complete.
        self.fields["selection_complete"].initial = False
