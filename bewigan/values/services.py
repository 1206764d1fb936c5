"""Versioning: an edit never rewrites a published version. HR admins draft a
new version (a copy of the current one), edit the draft, then publish it from
a date; the previous version closes the day before."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bewigan.core.services import audit_record

from .models import Behaviour, Framework, FrameworkVersion, Value


@transaction.atomic
def version_create_draft(*, framework: Framework, user=None, based_on=None) -> FrameworkVersion:
    """Start a new draft, copying the values and behaviours of `based_on`
    (default: the latest published version)."""
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.versions.filter(status=FrameworkVersion.Status.DRAFT).exists():
        raise ValidationError("There is already a draft version: edit or publish that one first.")
    if based_on is None:
        based_on = framework.versions.published().order_by("-number").first()
    number = (framework.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    draft = FrameworkVersion.objects.create(framework=framework, number=number, created_by=user)
    if based_on is not None:
        for value in based_on.values.prefetch_related("behaviours"):
            new_value = Value.objects.create(
                version=draft,
                key=value.key,
                name=value.name,
                summary=value.summary,
                order=value.order,
            )
            Behaviour.objects.bulk_create(
                Behaviour(
                    value=new_value,
                    key=b.key,
                    statement=b.statement,
                    when_present=b.when_present,
                    when_absent=b.when_absent,
                    sort_order=b.sort_order,
                )
                for b in value.behaviours.all()
            )
    audit_record(
        actor=user, action="create", obj=draft, details={"based_on": getattr(based_on, "pk", None)}
    )
    return draft


@transaction.atomic
def version_publish(
    *, version: FrameworkVersion, effective_from: date, user=None, change_note: str | None = None
) -> FrameworkVersion:
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_frozen:
        raise ValidationError("This version is already published.")
    if not version.values.exists():
        raise ValidationError("A version needs at least one value before it can be published.")
    if Behaviour.objects.filter(value__version=version).count() == 0:
        raise ValidationError("Each value needs at least one behaviour.")
    previous = (
        FrameworkVersion.objects.select_for_update()
        .filter(framework=version.framework, status=FrameworkVersion.Status.PUBLISHED)
        .filter(effective_to__isnull=True)
        .first()
    )
    if previous is not None:
        if effective_from <= previous.effective_from:
            raise ValidationError(
                f"The new version must start after {previous.effective_from:%-d %B %Y}, "
                "when the current version started."
            )
        previous.effective_to = effective_from
        previous.save(update_fields=["effective_to"])
    version.status = FrameworkVersion.Status.PUBLISHED
    version.effective_from = effective_from
    version.published_at = timezone.now()
    fields = ["status", "effective_from", "published_at"]
    if change_note is not None:
        version.change_note = change_note
        fields.append("change_note")
    version.save(update_fields=fields)
    audit_record(
        actor=user, action="update", obj=version, details={"published_from": str(effective_from)}
    )
    return version
