"""Forms of the eligibility rules page; the rules themselves are checked in :mod:`.rules`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.indicators.models import Indicator
from kotacerdas.lib.numbers import NumberField

from . import rules
from .models import Operator


class ThresholdRuleForm(forms.Form):
    indicator = forms.ModelChoiceField(
        Indicator.objects.all(), to_field_name="code", label=_("Indicator"),
        error_messages={"invalid_choice": _("“%(value)s” is not an indicator of the catalogue."),
                        "required": _("Choose an indicator of the catalogue.")},
    )
    operator = forms.ChoiceField(
        choices=Operator.choices, label=_("Operator"),
        error_messages={"invalid_choice": _("Choose “at least” (>=) or “at most” (<=).")},
    )
    threshold = NumberField(
        as_float=True, required=False, label=_("Number"), help_text=_("For an indicator measured as a number."),
    )
    category = forms.CharField(
        required=False, max_length=60, label=_("Category"), help_text=_("For an indicator with categories."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].label_from_instance = lambda i: f"{i.name} ({i.code})"
        # Every category of every categorical indicator, grouped by indicator; the rule checks
        # that the one chosen belongs to the indicator chosen.
        groups = [(indicator.name, [(c["label"], c["label"]) for c in indicator.categories])
                  for indicator in Indicator.objects.all() if indicator.is_categorical]
        self.fields["category"].widget = forms.Select(choices=[("", "–"), *groups])

    def clean(self):
        data = super().clean()
        if "indicator" in data and "operator" in data:
            for field, message in rules.threshold_errors(
                data["indicator"], data["operator"], data.get("threshold"), data.get("category", "")
            ).items():
                if field not in self.errors:
                    self.add_error(field, message)
        return data


class RequirementForm(forms.Form):
    requirement = forms.CharField(
        max_length=rules.REQUIREMENT_LENGTH, label=_("Requirement"),
        help_text=_("For example “Surat minat dan SK tim smart city daerah”."),
        error_messages={"required": _("Give the requirement's name.")},
    )


class ChecklistImportForm(forms.Form):
    file = forms.FileField(
        label=_("Checklist file"),
        help_text=_("A CSV or XLSX file with the columns region_code, met (ya/tidak, yes/no, 1/0, true/false) and "
                    "optionally note."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
