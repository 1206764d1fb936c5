from django.db.models import QuerySet

from .models import Notification


def notifications_for(*, user) -> QuerySet[Notification]:
    """A person's own notifications, newest first. Nobody sees anyone else's."""
    return Notification.objects.for_user(user).order_by("-created_at", "-id")
