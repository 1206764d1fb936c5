"""An uploaded HR file waiting between preview and confirmation.

The file's bytes are kept on the server (never round-tripped through the
browser) with their SHA-256, scoped to the person who uploaded them. Once
applied, discarded or expired the content is wiped: only counts remain.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PREVIEW_LIFETIME = timedelta(hours=2)


class PeopleImportQuerySet(models.QuerySet):
    def for_uploader(self, user):
        return self.filter(uploaded_by=user)

    def pending(self):
        return self.filter(status=PeopleImport.Status.PREVIEWED)


class PeopleImport(models.Model):
    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Waiting for confirmation"
        APPLIED = "applied", "Imported"
        DISCARDED = "discarded", "Discarded"

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people_imports"
    )
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    content = models.BinaryField(blank=True, help_text="Wiped once applied or discarded")
    sha256 = models.CharField(max_length=64)
    full_organisation = models.BooleanField(
        default=False, help_text="People of the file's organisations who are absent become leavers"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    summary = models.JSONField(
        default=dict, blank=True, help_text="Counts, and row errors while previewed"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = PeopleImportQuerySet.as_manager()

    class Meta:
        app_label = "people"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() - self.created_at > PREVIEW_LIFETIME

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PREVIEWED and not self.is_expired
