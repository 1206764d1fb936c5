"""Writes for people and organisations."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from bewigan.core.services import audit_record

from .models import Invitation, Organisation, OrganisationKindPeriod, Person


def _domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower().strip()


def organisation_for_email(email: str) -> Organisation | None:
    domain = _domain(email)
    for org in Organisation.objects.all():
        if domain in [d.lower() for d in org.email_domains]:
            return org
    return None


def signup_allowed_organisation(email: str) -> Organisation | None:
    """The organisation a self sign-up belongs to, or None if not allowed."""
    org = organisation_for_email(email)
    if org is not None and org.self_sign_up:
        return org
    invitation = (
        Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True)
        .select_related("organisation")
        .first()
    )
    return invitation.organisation if invitation else None


@transaction.atomic
def person_create_for_signup(*, user) -> Person | None:
    if hasattr(user, "person"):
        return user.person
    org = signup_allowed_organisation(user.email)
    if org is None:
        return None
    Invitation.objects.filter(email__iexact=user.email, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    from django.contrib.auth.models import Group

    staff, _ = Group.objects.get_or_create(name="Staff")
    user.groups.add(staff)
    return Person.objects.create(
        user=user,
        organisation=org,
        employee_number=f"SELF-{user.pk}",
        start_date=timezone.localdate(),
    )


@transaction.atomic
def invitation_create(*, email: str, organisation: Organisation, invited_by) -> Invitation:
    invitation = Invitation.objects.create(
        email=email.lower(), organisation=organisation, invited_by=invited_by
    )
    audit_record(actor=invited_by, action="create", obj=invitation)
    from django.conf import settings
    from django.core.mail import send_mail

    transaction.on_commit(
        lambda: send_mail(
            "You're invited to BeWigan",
            f"{invited_by} has invited you to BeWigan for {organisation}.\n\n"
            f"Create your account at {settings.BEWIGAN_BASE_URL}/accounts/signup/ "
            f"with this email address ({email}).",
            settings.DEFAULT_FROM_EMAIL,
            [email],
        )
    )
    return invitation


@transaction.atomic
def organisation_change_kind(
    *, organisation: Organisation, kind: str, on: date, user=None
) -> Organisation:
    """Change an organisation's kind, keeping the history (never overwrite)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    current = organisation.kind_history.filter(valid_to__isnull=True).first()
    if current is not None:
        if current.kind == kind:
            return organisation
        current.valid_to = on
        current.save(update_fields=["valid_to"])
    OrganisationKindPeriod.objects.create(organisation=organisation, kind=kind, valid_from=on)
    organisation.kind = kind
    organisation.save(update_fields=["kind"])
    audit_record(
        actor=user, action="update", obj=organisation, details={"kind": kind, "from": str(on)}
    )
    return organisation
