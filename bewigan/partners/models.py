"""Data-sharing grants between partner organisations: the rule that decides
whose people an HR admin or survey admin may act on (`boundaries.py`).

Below the capabilities: recruitment, appraisals, surveys and people read
reach from here; the data protection tools (privacy) record and revoke
grants. The table kept its name from when privacy owned the model.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bewigan.people.models import Organisation


class DataSharingGrantQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            Q(starts_on__lte=on),
            Q(ends_on__isnull=True) | Q(ends_on__gt=on),
            revoked_at__isnull=True,
        )


class DataSharingGrant(models.Model):
    """An explicit agreement that admins of `receiving_organisation` may act on
    people of `sharing_organisation` for one purpose, between two dates.

    Without a grant, HR admins and survey admins act within their own
    organisation only. A grant is one-way; a reciprocal arrangement is two.
    """

    class Purpose(models.TextChoices):
        HR = "hr", "HR administration (people, appraisals, recruitment, subject access)"
        SURVEYS = "surveys", "Staff surveys (results and administration)"

    sharing_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grants_given"
    )
    receiving_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grants_received"
    )
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    agreement_reference = models.CharField(
        max_length=100, help_text="The data-sharing agreement this grant records"
    )
    description = models.TextField(blank=True, help_text="What is shared and why")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True, help_text="Exclusive; empty means open-ended")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = DataSharingGrantQuerySet.as_manager()

    class Meta:
        # Kept from when the privacy app owned the model (no data moved).
        db_table = "privacy_datasharinggrant"
        ordering = ["sharing_organisation__name", "receiving_organisation__name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sharing_organisation=models.F("receiving_organisation")),
                name="grant_between_two_organisations",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="grant_dates_ordered",
            ),
        ]

    def __str__(self):
        return (
            f"{self.sharing_organisation.label} → {self.receiving_organisation.label}"
            f" ({self.get_purpose_display()})"
        )
