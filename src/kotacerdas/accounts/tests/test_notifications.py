"""Notifications: rendered in the recipient's language, stored, sent by a background task, and
listed for their recipient."""

import re

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from kotacerdas.accounts.models import Notification
from kotacerdas.accounts.services import notify, profile_of

CONTEXT = {"link": "https://kotacerdas.example/accounts/password/x/y/", "roles": ["Assessor"]}


def test_a_notification_is_stored_and_sent_by_email(dave, mailoutbox):
    notification = notify(dave, "accounts/email/invitation", CONTEXT)
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.sent_at is not None
    assert mailoutbox[0].to == ["dave@example.org"]
    assert mailoutbox[0].subject == notification.subject
    assert CONTEXT["link"] in mailoutbox[0].body


def test_it_is_written_in_the_recipients_language(dave, erin, mailoutbox):
    for user, language in ((dave, "en"), (erin, "id")):
        profile = profile_of(user)
        profile.language = language
        profile.save()
        notify(user, "accounts/email/invitation", CONTEXT)
    english, indonesian = Notification.objects.order_by("pk")
    assert english.language == "en" and english.subject == "Your kotacerdas account"
    assert english.body.startswith("Hello Dave Uji,")
    assert indonesian.language == "id"


def test_a_failed_send_is_recorded(dave, settings):
    settings.EMAIL_BACKEND = "kotacerdas.accounts.tests.failing_email.EmailBackend"
    notification = notify(dave, "accounts/email/invitation", CONTEXT)
    notification.refresh_from_db()
    assert notification.status == "failed" and "mail server down" in notification.error


def test_with_the_database_backend_the_worker_sends_it(dave, settings, mailoutbox, monkeypatch):
    # The worker closes stale connections between tasks; inside a test's transaction that would
    # close the test's own connection.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    notification = notify(dave, "accounts/email/invitation", CONTEXT)
    assert DBTaskResult.objects.count() == 1 and mailoutbox == []
    notification.refresh_from_db()
    assert notification.status == "queued"
    call_command("db_worker", "--batch", "--interval", "0", verbosity=0)
    notification.refresh_from_db()
    assert notification.status == "sent" and len(mailoutbox) == 1


def test_each_user_sees_what_was_sent_to_them(client, dave, erin):
    mine = notify(dave, "accounts/email/invitation", CONTEXT)
    notify(erin, "accounts/email/invitation", {**CONTEXT, "link": "https://kotacerdas.example/erin-only"})
    client.force_login(dave)
    listing = client.get("/accounts/notifications/").content.decode()
    assert mine.subject in listing and f"/accounts/notifications/{mine.pk}/" in listing
    assert re.findall(r"/accounts/notifications/\d+/", listing) == [f"/accounts/notifications/{mine.pk}/"]
    detail = client.get(f"/accounts/notifications/{mine.pk}/").content.decode()
    assert CONTEXT["link"] in detail and "erin-only" not in detail


def test_the_demo_prints_emails_to_the_console_by_default():
    import os
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key != "KOTACERDAS_EMAIL_BACKEND"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    out = subprocess.run(
        [sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "kotacerdas.settings"},
        capture_output=True, text=True, check=True,
    ).stdout
    assert out.strip() == "django.core.mail.backends.console.EmailBackend"
