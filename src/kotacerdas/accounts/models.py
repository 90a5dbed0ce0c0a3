"""Who may do what: roles granted to users, their profile, API tokens and the notifications sent
to them.

A person may hold several roles at once or over time (an academic assesses in one phase and
mentors in the next), so roles are rows (:class:`RoleGrant`), not a field on the user, and every
grant, profile and user change is kept by django-simple-history.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history import register
from simple_history.models import HistoricalRecords

# Deactivation and every other change to an account is kept (who, when, before, after).
register(get_user_model(), app=__package__, table_name="accounts_historicaluser")


class Role(models.TextChoices):
    MINISTRY = "ministry", _("Ministry admin")
    ASSESSOR = "assessor", _("Assessor")
    MENTOR = "mentor", _("Mentor")
    OPERATOR = "operator", _("Region operator")


class RoleGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="role_grants", on_delete=models.CASCADE
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, db_index=True)
    # The region a region operator works for (required for operators).
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), related_name="role_grants",
        on_delete=models.PROTECT, null=True, blank=True,
    )
    # Limits the grant to one phase (an assessor of the 2018 phase); empty means every phase.
    phase = models.ForeignKey(
        "program.Phase", verbose_name=_("phase"), related_name="role_grants",
        on_delete=models.PROTECT, null=True, blank=True,
    )
    # An operator's grant may name one agency (OPD) of their region: that operator then edits
    # only that agency's programs and progress reports.
    agency = models.ForeignKey(
        "regions.Agency", verbose_name=_("agency"), related_name="role_grants",
        on_delete=models.PROTECT, null=True, blank=True,
    )
    institution = models.CharField(_("institution"), max_length=160, blank=True)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["user__username", "role"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="operator") | Q(region__isnull=False),
                name="operator_has_a_region",
            ),
        ]

    def __str__(self):
        where = self.region or self.institution
        return f"{self.user} – {self.get_role_display()}" + (f" ({where})" if where else "")


class Profile(models.Model):
    """What a user's account needs beyond Django's user: the language of their e-mails and a
    phone number (personal data, shown only to roles that need it, UU PDP 27/2022)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, related_name="profile", on_delete=models.CASCADE)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    phone = models.CharField(_("phone number"), max_length=32, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class ApiToken(models.Model):
    """A token for scripts (``Authorization: Bearer <token>``). Only its SHA-256 hash is stored;
    the token itself is shown once, when it is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), related_name="api_tokens", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so a user can tell their tokens apart without the secret.
    prefix = models.CharField(_("starts with"), max_length=12)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Every token ends (its owner chooses when, a year at most), so a forgotten one stops working.
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    # A read-only token reads what its owner may read and changes nothing.
    read_only = models.BooleanField(_("read only"), default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self):
        from django.utils import timezone

        return self.expires_at is not None and self.expires_at <= timezone.now()


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(models.Model):
    """One e-mail to one user, rendered in the recipient's language when it was queued."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), related_name="notifications",
        on_delete=models.CASCADE,
    )
    template_name = models.CharField(_("template"), max_length=120)
    language = models.CharField(_("language"), max_length=8)
    to_address = models.EmailField(_("sent to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("message"))
    status = models.CharField(
        _("status"), max_length=8, choices=NotificationStatus.choices, default=NotificationStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return self.subject


class ThrottleCount(models.Model):
    """Attempts of one kind from one client in one time window (bad API tokens, password-reset
    requests), counted in the database so that every app server sees the same count, as
    django-axes counts failed logins. Rows outlive their window by at most a day."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count}"
