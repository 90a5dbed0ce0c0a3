"""Background tasks of the accounts app (run by ``kotacerdas db_worker``)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification, NotificationStatus


@task()
def send_notification(notification_id):
    """Send one stored notification by e-mail and record the outcome on it."""
    notification = Notification.objects.get(pk=notification_id)
    if notification.status == NotificationStatus.SENT:
        return notification.status  # a task run twice sends once
    try:
        send_mail(
            notification.subject,
            notification.body,
            settings.DEFAULT_FROM_EMAIL,
            [notification.to_address],
        )
    except Exception as exc:  # any transport failure is recorded on the notification
        notification.status = NotificationStatus.FAILED
        notification.error = str(exc)
        notification.save(update_fields=["status", "error"])
        raise
    notification.status = NotificationStatus.SENT
    notification.sent_at = timezone.now()
    notification.error = ""
    notification.save(update_fields=["status", "sent_at", "error"])
    return notification.status
