"""Background tasks. Thin wrappers that call services or send mail."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification


@task()
def notification_send_email(notification_id: int) -> bool:
    notification = (
        Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    )
    if notification is None or notification.emailed_at is not None:
        return False
    link = ""
    if notification.url:
        link = f"\n\n{settings.BEWIGAN_BASE_URL.rstrip('/')}{notification.url}"
    send_mail(
        subject=f"[BeWigan] {notification.title}",
        message=f"{notification.body}{link}\n\nYou can see all your notifications in BeWigan.",
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
