from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from .models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["language", "phone"]


class AccountImportForm(forms.Form):
    file = forms.FileField(
        label=_("Accounts file"),
        help_text=_("A CSV or XLSX file with the columns name, email, role and, as needed, region, institution and language."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80, help_text=_("What the token is for, e.g. “nightly export”."))
    days = forms.TypedChoiceField(
        label=_("Valid for"), coerce=int, initial=90, required=False, empty_value=90,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year"))],
    )
    read_only = forms.BooleanField(
        label=_("Read only"), required=False,
        help_text=_("The token can read what you may read and cannot change anything."),
    )


class NotifyingPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the e-mail sent and stored as a notification like every
    other (in the user's language, by a background task)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        from .services import notify

        user = context["user"]
        base_url = f"{context['protocol']}://{context['domain']}"
        notify(user, "accounts/email/password_reset", {**context, "base_url": base_url})
