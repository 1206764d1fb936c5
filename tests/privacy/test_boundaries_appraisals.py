"""Appraisals: break-glass access and the coverage report stay within the
HR admin's reach; a revoked grant closes an open break-glass access."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from appraisals import selectors, services
from appraisals.models import BreakGlassAccess, Conversation
from bewigan.partners.boundaries import grant_revoke
from tests.people.factories import PersonFactory, UserFactory

from .grants import GRANT_STATES, apply_state, make_grant

pytestmark = pytest.mark.django_db
REASON = "Formal grievance GR-2026-14 investigation"


@pytest.fixture
def outsider_record(outsider, other_organisation):
    manager = PersonFactory(
        user=UserFactory(email="boss@wwl.nhs.uk"), organisation=other_organisation
    )
    outsider.person.line_manager = manager
    outsider.person.save()
    return Conversation.objects.create(
        person=outsider.person,
        manager=manager,
        meeting_date=timezone.localdate() - datetime.timedelta(days=5),
        recorded_at=timezone.now(),
        wellbeing_score=2,
        what_matters="WWL-CONTENT",
    )


@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_break_glass_for_another_partners_staff(
    client_for,
    hr_admin,
    outsider,
    outsider_record,
    organisation,
    other_organisation,
    state,
    reaches,
):
    apply_state(state, own=organisation, other=other_organisation)
    client = client_for(hr_admin)
    r = client.post(reverse("appraisals:break_glass"), {"person": outsider.email, "reason": REASON})
    assert BreakGlassAccess.objects.exists() is reaches
    if not reaches:
        assert r.status_code == 400
        # The same words as for an unknown address: nothing leaks.
        assert "No colleague with that email address was found" in r.content.decode()
        return
    access = BreakGlassAccess.objects.get()
    assert client.get(reverse("appraisals:break_glass_detail", args=[access.pk])).status_code == 200
    url = reverse("appraisals:conversation_detail", args=[outsider_record.pk])
    assert client.get(url).status_code == 200


def test_revoking_the_grant_closes_an_open_access(
    client_for, hr_admin, outsider, outsider_record, organisation, other_organisation
):
    grant = make_grant(other_organisation, organisation, "hr")
    access = services.break_glass_open(actor=hr_admin, person=outsider.person, reason=REASON)
    client = client_for(hr_admin)
    conversation = reverse("appraisals:conversation_detail", args=[outsider_record.pk])
    detail = reverse("appraisals:break_glass_detail", args=[access.pk])
    assert client.get(conversation).status_code == 200
    grant_revoke(user=hr_admin, grant=grant)
    assert client.get(conversation).status_code == 404
    assert client.get(detail).status_code == 404
    listing = client.get(reverse("appraisals:break_glass")).content.decode()
    assert outsider.person.name not in listing


def test_own_organisation_break_glass_still_works(client_for, hr_admin, staff):
    r = client_for(hr_admin).post(
        reverse("appraisals:break_glass"), {"person": staff.email, "reason": REASON}
    )
    assert r.status_code == 302 and BreakGlassAccess.objects.filter(person=staff.person).exists()


@pytest.mark.parametrize("state, reaches", GRANT_STATES)
def test_coverage_report_counts_people_in_reach(
    client_for, hr_admin, outsider_record, organisation, other_organisation, state, reaches
):
    apply_state(state, own=organisation, other=other_organisation)
    page = client_for(hr_admin).get(reverse("appraisals:coverage"), {"by": "organisation"})
    assert page.status_code == 200
    names = {g.name for g in page.context["groups"]}
    assert ("WWL NHS Trust" in names) is reaches
    assert "Wigan Council" in names
    # The selector without a limit (command line, superusers) covers everyone.
    assert {r["organisation"] for r in selectors.coverage_rows()} >= {"WWL NHS Trust"}
