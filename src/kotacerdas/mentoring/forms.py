"""Forms of the mentoring pages: they turn what was typed into values (a date that is not a date
is named with Django's own translated message); the rules live in services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ScheduleForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    starts_on = forms.DateField(label=_("Starts on"))
    ends_on = forms.DateField(label=_("Ends on"))
    due_on = forms.DateField(label=_("Outputs due"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    video_link = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea)


class AttendanceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    body = forms.CharField(label=_("Agency or body"), max_length=200)
    position = forms.CharField(label=_("Position"), required=False, max_length=160)


class TrainingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"))
    place = forms.CharField(label=_("Place"), max_length=200)


def errors_of(form):
    """The form's errors as one message per field, naming the field."""
    return [f"{form.fields[name].label if name in form.fields else ''}: {' '.join(messages)}".lstrip(": ") for name, messages in form.errors.items()]
