"""The single rule: an admin reaches their own organisation, plus those with
an active grant (same purpose) to it. One-way, dated, revocable; superusers
reach everyone; cached per request user."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bewigan.core.models import AuditEntry
from bewigan.partners import boundaries
from bewigan.partners.boundaries import (
    HR,
    SURVEYS,
    filter_in_reach,
    grant_record,
    grant_revoke,
    grant_status,
    has_full_reach,
    organisations_in_reach,
    person_in_reach,
)
from bewigan.partners.models import DataSharingGrant
from tests.people.factories import OrganisationFactory

from .grants import GRANT_STATES, apply_state, make_grant

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request would load it (no cached reach)."""
    return get_user_model().objects.get(pk=user.pk)


def test_own_organisation_only_by_default(hr_admin, organisation, other_organisation):
    assert organisations_in_reach(hr_admin, HR) == {organisation.pk}
    assert organisations_in_reach(hr_admin, SURVEYS) == {organisation.pk}


@pytest.mark.parametrize("state, reaches", GRANT_STATES)
@pytest.mark.parametrize("purpose", [HR, SURVEYS])
def test_grant_states(
    hr_admin, outsider, organisation, other_organisation, state, reaches, purpose
):
    apply_state(state, own=organisation, other=other_organisation, purpose=purpose)
    user = fresh(hr_admin)
    assert (other_organisation.pk in organisations_in_reach(user, purpose)) is reaches
    assert person_in_reach(user, outsider.person, purpose) is reaches
    assert organisation.pk in organisations_in_reach(user, purpose)


def test_one_way(hr_admin, outsider, organisation, other_organisation):
    make_grant(other_organisation, organisation, HR)
    assert person_in_reach(fresh(hr_admin), outsider.person, HR)
    # The sharing side gains nothing.
    assert organisations_in_reach(fresh(outsider), HR) == {other_organisation.pk}


def test_grant_end_date_is_exclusive(hr_admin, organisation, other_organisation):
    today = timezone.localdate()
    make_grant(
        other_organisation,
        organisation,
        HR,
        ends_on=today + datetime.timedelta(days=1),
    )
    assert other_organisation.pk in organisations_in_reach(fresh(hr_admin), HR)
    DataSharingGrant.objects.update(ends_on=today)
    assert other_organisation.pk not in organisations_in_reach(fresh(hr_admin), HR)


def test_superuser_reaches_everyone(organisation, other_organisation):
    root = get_user_model().objects.create_superuser(email="root@example.org", password="x" * 20)
    assert organisations_in_reach(root, HR) == {organisation.pk, other_organisation.pk}
    assert has_full_reach(root, SURVEYS)
    assert boundaries.reach_q(root, HR) == boundaries.Q()


def test_nobody_without_a_profile_or_after_leaving(hr_admin, organisation):
    lone = get_user_model().objects.create_user(email="lone@example.org", password="x" * 20)
    assert organisations_in_reach(lone, HR) == frozenset()
    hr_admin.person.leaver_date = timezone.localdate() - datetime.timedelta(days=1)
    hr_admin.person.save()
    assert organisations_in_reach(fresh(hr_admin), HR) == frozenset()


def test_anonymous_reaches_nobody(organisation):
    from django.contrib.auth.models import AnonymousUser

    assert organisations_in_reach(AnonymousUser(), HR) == frozenset()
    assert not filter_in_reach(DataSharingGrant.objects.all(), AnonymousUser(), HR).exists()


def test_unknown_purpose_is_a_programming_error(hr_admin):
    with pytest.raises(ValueError):
        organisations_in_reach(hr_admin, "marketing")


def test_reach_is_one_query_then_cached(
    hr_admin, organisation, other_organisation, django_assert_num_queries
):
    user = fresh(hr_admin)
    user.person  # noqa: B018 - every page has loaded it already
    with django_assert_num_queries(1):
        organisations_in_reach(user, HR)
    with django_assert_num_queries(0):
        organisations_in_reach(user, HR)
        person_in_reach(user, hr_admin.person, HR)


def test_a_grant_change_clears_the_cache(hr_admin, organisation, other_organisation):
    assert other_organisation.pk not in organisations_in_reach(hr_admin, HR)
    grant = make_grant(other_organisation, organisation, HR)
    assert other_organisation.pk in organisations_in_reach(hr_admin, HR)
    grant_revoke(user=hr_admin, grant=grant)
    assert other_organisation.pk not in organisations_in_reach(hr_admin, HR)


def test_full_reach_needs_every_partner(survey_admin, organisation, other_organisation):
    assert not has_full_reach(survey_admin, SURVEYS)
    make_grant(other_organisation, organisation, SURVEYS)
    assert has_full_reach(survey_admin, SURVEYS)
    OrganisationFactory(slug="third")
    assert not has_full_reach(fresh(survey_admin), SURVEYS)


def test_filter_in_reach(hr_admin, staff, outsider, organisation, other_organisation):
    from bewigan.people.models import Person

    people = Person.objects.filter(pk__in=[staff.person.pk, outsider.person.pk])
    assert list(filter_in_reach(people, hr_admin, HR)) == [staff.person]
    make_grant(other_organisation, organisation, HR)
    assert set(filter_in_reach(people, fresh(hr_admin), HR)) == {staff.person, outsider.person}


# --- Recording and revoking -------------------------------------------------------------------


def test_record_a_grant_from_your_own_organisation(hr_admin, organisation, other_organisation):
    grant = grant_record(
        user=hr_admin,
        sharing_organisation=organisation,
        receiving_organisation=other_organisation,
        purpose=HR,
        agreement_reference=" DSA-2026-04 ",
        description="Integrated discharge team",
    )
    assert grant.recorded_by == hr_admin and grant.agreement_reference == "DSA-2026-04"
    assert grant.starts_on == timezone.localdate() and grant_status(grant) == "Active"
    entry = AuditEntry.objects.get(object_type="partners.datasharinggrant")
    assert entry.actor == hr_admin and entry.action == "create"
    assert entry.details["receiving_organisation"] == other_organisation.pk


def test_nobody_grants_themselves_another_partner(hr_admin, organisation, other_organisation):
    with pytest.raises(PermissionDenied):
        grant_record(
            user=hr_admin,
            sharing_organisation=other_organisation,
            receiving_organisation=organisation,
            purpose=HR,
            agreement_reference="DSA-X",
        )
    assert not DataSharingGrant.objects.exists()


def test_staff_cannot_record_grants(staff, organisation, other_organisation):
    with pytest.raises(PermissionDenied):
        grant_record(
            user=staff,
            sharing_organisation=organisation,
            receiving_organisation=other_organisation,
            purpose=HR,
            agreement_reference="DSA-X",
        )


def test_invalid_grants_are_refused(hr_admin, organisation, other_organisation):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as err:
        grant_record(
            user=hr_admin,
            sharing_organisation=organisation,
            receiving_organisation=organisation,
            purpose=HR,
            agreement_reference="DSA-X",
            starts_on=today,
            ends_on=today,
        )
    assert set(err.value.message_dict) == {"receiving_organisation", "ends_on"}
    # The database says the same.
    with pytest.raises(IntegrityError), transaction.atomic():
        DataSharingGrant.objects.create(
            sharing_organisation=organisation,
            receiving_organisation=organisation,
            purpose=HR,
            agreement_reference="DSA-Y",
        )


def test_either_side_revokes_once(hr_admin, outsider, organisation, other_organisation):
    grant = make_grant(other_organisation, organisation, HR)
    assert boundaries.may_revoke_grant(hr_admin, grant)
    grant_revoke(user=hr_admin, grant=grant, reason="Agreement ended early")
    grant.refresh_from_db()
    assert grant.revoked_at is not None and grant_status(grant) == "Revoked"
    assert AuditEntry.objects.filter(reason="Agreement ended early").exists()
    with pytest.raises(PermissionDenied):
        grant_revoke(user=hr_admin, grant=grant)
    assert DataSharingGrant.objects.count() == 1  # kept in the register


def test_third_parties_cannot_revoke(staff, organisation, other_organisation):
    third = OrganisationFactory(slug="third")
    grant = make_grant(other_organisation, third, HR)
    from bewigan.people import roles
    from tests.conftest import make_persona

    hr_elsewhere = make_persona(organisation, None, "hr2@wigan.gov.uk", [roles.HR_ADMIN])
    assert not boundaries.may_revoke_grant(hr_elsewhere, grant)
    assert not boundaries.may_revoke_grant(staff, grant)
    assert grant not in boundaries.grants_visible_to(user=hr_elsewhere)


@pytest.mark.parametrize(
    "state, label", [("active", "Active"), ("expired", "Ended"), ("future", "Starts later")]
)
def test_status_labels(organisation, other_organisation, state, label):
    assert grant_status(make_grant(other_organisation, organisation, HR, state)) == label
