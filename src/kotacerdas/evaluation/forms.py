from django import forms
from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.numbers import NumberField

from .models import DIMENSIONS, FindingKind, FollowUpStatus, WeightSet, dimension_labels


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX or CSV file"))
    year = forms.IntegerField(label=_("year"), min_value=2017, max_value=2100)
    stage = forms.TypedChoiceField(label=_("stage"), choices=[(1, "I"), (2, "II")], coerce=int)
    weights = forms.ModelChoiceField(label=_("weight set (for a new round)"), queryset=WeightSet.objects.all(),
                                     to_field_name="version", required=False)


class WeightsForm(forms.Form):
    weights = forms.ModelChoiceField(label=_("weight set"), queryset=WeightSet.objects.all(), to_field_name="version")


class PublishForm(forms.Form):
    objections_close_at = forms.DateTimeField(label=_("objections close at"), required=False)
    letter_date = forms.DateField(label=_("result letter date"), required=False)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, result=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dimension_labels()
        for dimension in DIMENSIONS:
            self.fields[dimension] = NumberField(label=labels[dimension], min_value=0, max_value=5, decimal_places=2,
                                                 initial=getattr(result, dimension, None))


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=FindingKind.choices)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=FollowUpStatus.choices)
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.FileField(label=_("evidence"), required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(label=_("objection"), widget=forms.Textarea(attrs={"rows": 3}))


class VerificationForm(forms.Form):
    per_candidate = forms.IntegerField(label=_("Assessors per region"), min_value=1, max_value=5, initial=2)
    smart_city = forms.BooleanField(label=_("Also score the six smart city dimensions"), required=False)


class InterviewForm(forms.Form):
    region = forms.CharField(label=_("Region code"), max_length=13)
    starts_at = forms.DateTimeField(label=_("Starts at (the region's local time)"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                    input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    room = forms.CharField(label=_("Room"), max_length=160, required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
