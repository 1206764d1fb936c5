"""Shared, domain-free models: the user account, the audit log and notifications."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import connections, models, router, transaction
from django.utils import timezone


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A sign-in. People's working details live on `people.Person`."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email


# No audit entry younger than this can ever be deleted, whatever the retention
# schedule says; the PostgreSQL trigger (migration 0003) holds the same floor.
AUDIT_RETENTION_FLOOR = timedelta(days=365)


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit entries cannot be changed.")

    def delete(self):
        raise PermissionError("Audit entries cannot be deleted.")

    def retention_delete_before(self, cutoff) -> int:
        """The one controlled exception to append-only, for the retention
        schedule (bewigan/privacy/retention.py): delete the entries of this
        queryset older than `cutoff`, which must itself be older than
        AUDIT_RETENTION_FLOOR. On PostgreSQL the trigger lets these DELETEs
        through only inside this transaction, only while
        `bewigan.retention` is 'on' and only for rows older than
        `bewigan.retention_before` and the floor; UPDATE stays refused."""
        if cutoff > timezone.now() - AUDIT_RETENTION_FLOOR:
            raise PermissionError(
                "Audit entries younger than the retention floor cannot be deleted."
            )
        using = self._db or router.db_for_write(self.model)
        expired = self.using(using).filter(at__lt=cutoff)
        connection = connections[using]
        on_postgres = connection.vendor == "postgresql"
        with transaction.atomic(using=using):
            if on_postgres:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('bewigan.retention', 'on', true),"
                        " set_config('bewigan.retention_before', %s, true)",
                        [cutoff.isoformat()],
                    )
            try:
                deleted, _ = models.QuerySet.delete(expired)
            finally:
                if on_postgres:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT set_config('bewigan.retention', 'off', true)")
        return deleted


class AuditEntry(models.Model):
    """Who did or viewed which sensitive record, when and why.

    Append-only: the model refuses updates and deletes, and on PostgreSQL a
    trigger refuses them in the database as well.
    """

    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        UPDATE = "update", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        IMPORT = "import", "Imported"
        SIGN_IN = "sign_in", "Signed in"
        ACCESS = "access", "Special access"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries_made",
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, help_text="app_label.model")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries_about",
        help_text="The person the record is about, where there is one.",
    )
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.get_action_display()} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit entries cannot be deleted.")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=50, blank=True, help_text="For filtering, e.g. idea_status")
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


def random_id() -> int:
    """A random positive 63-bit id: carries no order and no time."""
    return secrets.randbits(62) + 1


class SealedAnswer(models.Model):
    """An anonymous answer not yet released: a sealed box to the release
    key, under its capability's channel. No time, no person, a random id
    (bewigan/core/sealed.py)."""

    id = models.BigIntegerField(primary_key=True, default=random_id, editable=False)
    channel = models.CharField(max_length=60, db_index=True)
    box = models.BinaryField()

    def __str__(self):
        return "Sealed answer"
