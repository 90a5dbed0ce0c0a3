"""Accounts: granting roles, importing accounts in bulk, API tokens, deactivation, notifications.

Each function that writes several rows runs in one transaction: it all lands or none of it does.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from kotacerdas.lib.jobs.services import a_worker_is_alive, uses_the_database_queue
from kotacerdas.lib.tabular import CellError, TableError, read_table
from kotacerdas.regions.models import Region

from .models import ApiToken, Notification, Profile, Role, RoleGrant

logger = logging.getLogger("kotacerdas.accounts")

User = get_user_model()


# --- roles -----------------------------------------------------------------------------------


def profile_of(user):
    """The user's profile, created empty the first time."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def grant_role(user, role, *, region=None, phase=None, institution=""):
    """Give ``user`` a role (kept if they hold it already). A ministry admin administers the
    whole platform, Django's admin included."""
    if role == Role.OPERATOR and region is None:
        raise ValidationError(_("A region operator needs a region."))
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, region=region, phase=phase, defaults={"institution": institution}
    )
    if role == Role.MINISTRY and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    return grant


@transaction.atomic
def ensure_account(username, password, role, *, first_name="", last_name="", region=None, institution=""):
    """An account with one role, created with ``password`` if it does not exist; left as it is
    otherwise (the demo runs this every time it starts)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(
            username, f"{username}@demo.kotacerdas.invalid", password,
            first_name=first_name, last_name=last_name,
        )
    profile_of(user)
    if not user.role_grants.filter(role=role, region=region).exists():
        grant_role(user, role, region=region, institution=institution)
    return user


@transaction.atomic
def deactivate_user(user, *, by=None):
    """Close an account: it can no longer log in and its tokens stop working. The user, their
    grants and their history stay (decisions they took keep their author)."""
    user.is_active = False
    user._history_user = by
    user.save()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --- notifications ---------------------------------------------------------------------------


def notify(user, template_name, context=None):
    """Queue an e-mail to ``user`` from ``<template_name>_subject.txt`` and ``_body.txt``,
    rendered in the user's language, stored as a :class:`Notification` and sent by a task.

    Called inside a transaction, the stored notification and its task land (or not) with it.
    """
    from .tasks import send_notification

    language = profile_of(user).language
    context = {"user": user, **(context or {})}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_name}_subject.txt", context).split())
        body = render_to_string(f"{template_name}_body.txt", context)
    notification = Notification.objects.create(
        recipient=user, template_name=template_name, language=language,
        to_address=user.email, subject=subject, body=body,
    )
    if uses_the_database_queue() and not a_worker_is_alive():
        # No worker would pick it up (a small deployment, the demo's loading, a command): send it
        # here once the notification is committed, so that it never stays "queued".
        transaction.on_commit(lambda: _send_now(notification.pk))
    else:
        send_notification.enqueue(notification.pk)
    return notification


def _send_now(notification_id):
    from .tasks import send_notification

    try:
        send_notification.call(notification_id)
    except Exception:  # recorded on the notification as "failed" with its reason
        logger.exception("e-mail notification %s could not be sent", notification_id)


def password_link(user, base_url):
    """A link to set a new password (Django's password-reset token: valid once, and for
    PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return base_url.rstrip("/") + path


def invite(user, *, base_url=None, invited_by=None):
    """Email the user a link to choose a password (an invitation), sent as a notification."""
    base_url = base_url or settings.KOTACERDAS_BASE_URL
    return notify(
        user,
        "accounts/email/invitation",
        {
            "link": password_link(user, base_url),
            "roles": [grant.get_role_display() for grant in user.role_grants.all()],
            "invited_by": invited_by,
            "base_url": base_url,
        },
    )


# --- bulk accounts ---------------------------------------------------------------------------

ACCOUNT_COLUMNS = ("name", "email", "role")
# Optional columns: region (the operator's region code), institution, language.


# The e-mail address is also the user name (150 characters in Django's user table); a name is
# split into first and last names of 150 each.
EMAIL_MAX = 150
NAME_MAX = 300
INSTITUTION_MAX = RoleGrant._meta.get_field("institution").max_length


def _check_account_rows(table):
    """Every row turned into an account spec, or a :class:`TableError` listing every bad cell."""
    errors = []
    specs = []
    seen_emails = {}
    codes = {row.get("region", "") for _line, row in table.rows} - {""}
    regions = {region.code: region for region in Region.objects.filter(code__in=codes)}
    wanted = [row.get("email", "").lower() for _line, row in table.rows if row.get("email")]
    existing = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .values_list("email_lower", flat=True)
    )
    languages = dict(settings.LANGUAGES)
    for line, row in table.rows:
        row_errors = []
        name = row.get("name", "")
        email = row.get("email", "")
        role = row.get("role", "").strip().lower()
        code = row.get("region", "")
        language = row.get("language", "").strip().lower() or settings.LANGUAGE_CODE
        if not name:
            row_errors.append(CellError(line, "name", _("A name is required.")))
        elif len(name) > NAME_MAX:
            row_errors.append(CellError(line, "name", _("A name has at most %(limit)s characters.") % {"limit": NAME_MAX}))
        if len(email) > EMAIL_MAX:
            row_errors.append(CellError(line, "email", _("An e-mail address has at most %(limit)s characters.") % {"limit": EMAIL_MAX}))
        elif not email:
            row_errors.append(CellError(line, "email", _("An e-mail address is required.")))
        else:
            try:
                validate_email(email)
            except ValidationError:
                row_errors.append(CellError(line, "email", _("“%(email)s” is not a valid e-mail address.") % {"email": email}))
            else:
                key = email.lower()
                if key in seen_emails:
                    row_errors.append(CellError(line, "email", _("This e-mail address is already in row %(row)s.") % {"row": seen_emails[key]}))
                elif key in existing:
                    row_errors.append(CellError(line, "email", _("An account with this e-mail address already exists.")))
                seen_emails.setdefault(key, line)
        institution = row.get("institution", "")
        if len(institution) > INSTITUTION_MAX:
            row_errors.append(CellError(line, "institution", _("An institution has at most %(limit)s characters.") % {"limit": INSTITUTION_MAX}))
        if role not in Role.values:
            row_errors.append(CellError(line, "role", _("Unknown role “%(role)s”; use one of: %(roles)s.") % {"role": row.get("role", ""), "roles": ", ".join(Role.values)}))
        region = None
        if code:
            region = regions.get(code)
            if region is None:
                row_errors.append(CellError(line, "region", _("No region has the code “%(code)s”.") % {"code": code}))
        elif role == Role.OPERATOR:
            row_errors.append(CellError(line, "region", _("A region operator needs a region code.")))
        if language not in languages:
            row_errors.append(CellError(line, "language", _("Unknown language “%(language)s”; use one of: %(languages)s.") % {"language": language, "languages": ", ".join(languages)}))
        errors += row_errors
        if not row_errors:
            specs.append({
                "name": name, "email": email, "role": role, "region": region,
                "institution": row.get("institution", ""), "language": language,
            })
    if not table.rows:
        errors.append(CellError(1, "", _("The file has no accounts.")))
    if errors:
        raise TableError(table.source, errors)
    return specs


def import_accounts(path_or_file, *, name=None, invited_by=None, base_url=None):
    """Create the accounts listed in a CSV or XLSX file and invite each by e-mail.

    Columns: name, email, role (ministry, assessor, mentor, operator), and as needed region
    (the operator's Kemendagri code), institution, language (id or en). The whole file is
    checked first; one bad row and nothing is written (:class:`TableError` lists every bad
    cell).
    """
    table = read_table(path_or_file, required_columns=ACCOUNT_COLUMNS, name=name)
    specs = _check_account_rows(table)
    users = []
    with transaction.atomic():
        for spec in specs:
            first_name, _space, last_name = spec["name"].partition(" ")
            user = User(
                username=spec["email"].lower(), email=spec["email"],
                first_name=first_name[:150], last_name=last_name[:150],
            )
            # No password until the person sets one from the invitation.
            user.set_unusable_password()
            user._history_user = invited_by
            user.save()
            Profile.objects.create(user=user, language=spec["language"])
            grant_role(user, spec["role"], region=spec["region"], institution=spec["institution"])
            invite(user, base_url=base_url, invited_by=invited_by)
            users.append(user)
    return users


# --- API tokens ------------------------------------------------------------------------------

TOKEN_PREFIX = "kc_"


def _hash(token):
    # Tokens are 256 random bits, so one round of SHA-256 is enough (no dictionary to resist).
    return hashlib.sha256(token.encode()).hexdigest()


# How long a token may live; its owner chooses within these (days).
TOKEN_LIFETIMES = (30, 90, 365)


def create_token(user, name, *, days=90, read_only=False):
    """A new token for ``user`` ending after ``days``: returns (the stored token, the secret to show once)."""
    if days not in TOKEN_LIFETIMES:
        raise ValidationError(_("A token lives %(choices)s days.") % {"choices": ", ".join(map(str, TOKEN_LIFETIMES))})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=_hash(secret), prefix=secret[:10],
        expires_at=timezone.now() + datetime.timedelta(days=days), read_only=read_only,
    )
    return token, secret


def token_for_secret(secret):
    """The live token ``secret`` is (not revoked, not expired, its user active), or None."""
    if not secret or len(secret) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(secret), revoked_at__isnull=True, user__is_active=True)
        .exclude(expires_at__lte=now)
        .first()
    )
    if token is None:
        return None
    # Written at most once a minute, so a busy script does not write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke_token(token):
    """Revoke an API token from now on (a revoked token stays revoked)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
