"""Notifications: rendered in the recipient's language, stored, sent by a background task, and
listed for their recipient."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kotacerdas.accounts.models import Notification
from kotacerdas.accounts.services import notify, profile_of
from kotacerdas.lib.jobs.services import record_heartbeat

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
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
    settings.TASKS = DATABASE_QUEUE
    record_heartbeat("worker-1", started_at=timezone.now())  # a worker is running
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


def test_without_a_running_worker_the_email_is_sent_once_the_notification_is_committed(
        dave, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_QUEUE
    record_heartbeat("long-dead", started_at=timezone.now())
    from kotacerdas.lib.jobs.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timezone.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(dave, "accounts/email/invitation", CONTEXT)
        assert mailoutbox == []  # not before the notification is committed
    notification.refresh_from_db()
    assert notification.status == "sent" and len(mailoutbox) == 1 and DBTaskResult.objects.count() == 0


def test_a_new_operator_gets_the_set_password_mail_and_sets_a_password_without_a_worker(
        client, alice, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_QUEUE  # as deployed, with no worker running
    client.force_login(alice)
    upload = SimpleUploadedFile("accounts.csv", b"name,email,role,region\nSiti Rahma,siti@banjarkab.example,operator,63.03\n")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/accounts/users/import/", {"file": upload}).status_code == 302
    assert [mail.to for mail in mailoutbox] == [["siti@banjarkab.example"]]
    assert Notification.objects.get(to_address="siti@banjarkab.example").status == "sent"
    client.logout()
    link = re.search(r"http://testserver(/accounts/password/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    response = client.post(form.redirect_chain[-1][0], {"new_password1": "hujan-di-martapura-7", "new_password2": "hujan-di-martapura-7"})
    assert response.status_code == 302
    assert client.post("/accounts/login/", {"username": "siti@banjarkab.example", "password": "hujan-di-martapura-7"}).status_code == 302
