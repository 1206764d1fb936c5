"""The values framework as versioned data.

Values and behaviours are records, not constants: organisations change them.
A framework (for all staff, or for managers) has dated versions; each version
owns its values and their behaviours. Published versions are frozen, so
interviews, conversations and survey questions tied to a behaviour keep
exactly the words they were tied to. `key` is stable across versions (the
"positive" value of version 1 and of version 2 share a key) so analytics can
follow a value through time.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class Framework(models.Model):
    class Audience(models.TextChoices):
        ALL_STAFF = "all", "All staff"
        MANAGERS = "managers", "Managers"

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.ALL_STAFF)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["audience", "name"]

    def __str__(self):
        return self.name


class FrameworkVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=FrameworkVersion.Status.PUBLISHED)

    def current(self, on=None):
        on = on or timezone.localdate()
        return self.published().filter(
            Q(effective_from__lte=on), Q(effective_to__isnull=True) | Q(effective_to__gt=on)
        )


class FrameworkVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    effective_from = models.DateField(null=True, blank=True)
    effective_to = models.DateField(null=True, blank=True, help_text="Exclusive")
    change_note = models.TextField(blank=True, help_text="What changed, and why")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = FrameworkVersionQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="uniq_framework_version"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=False, effective_to__gt=models.F("effective_from")),
                name="version_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(effective_from__isnull=False),
                name="published_version_has_start",
            ),
        ]

    def __str__(self):
        return f"{self.framework} v{self.number} ({self.get_status_display().lower()})"

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.PUBLISHED


class ValueQuerySet(models.QuerySet):
    def current(self, audience=Framework.Audience.ALL_STAFF, on=None):
        versions = FrameworkVersion.objects.current(on).filter(framework__audience=audience)
        return self.filter(version__in=versions)


class Value(ClusterableModel):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="values")
    key = models.SlugField(help_text="Stable across versions, e.g. 'positive'")
    name = models.CharField(max_length=60)
    summary = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    objects = ValueQuerySet.as_manager()

    panels = [
        FieldPanel("version"),
        FieldPanel("name"),
        FieldPanel("key"),
        FieldPanel("summary"),
        FieldPanel("order"),
        InlinePanel("behaviours", label="Behaviours", min_num=1),
    ]

    class Meta:
        ordering = ["version", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="uniq_value_key_per_version")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.version_id and self.version.is_frozen:
            raise ValidationError(
                "This version is published and cannot change. Create a new draft version instead."
            )


class Behaviour(Orderable):
    value = ParentalKey(Value, on_delete=models.CASCADE, related_name="behaviours")
    key = models.SlugField(help_text="Stable across versions")
    statement = models.CharField(max_length=200)
    when_present = models.TextField("What it looks like when present")
    when_absent = models.TextField("What it looks like when absent")

    panels = [
        FieldPanel("statement"),
        FieldPanel("key"),
        FieldPanel("when_present"),
        FieldPanel("when_absent"),
    ]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["value", "key"], name="uniq_behaviour_key_per_value")
        ]

    def __str__(self):
        return self.statement
