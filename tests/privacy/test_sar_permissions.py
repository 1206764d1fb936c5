"""Who may handle subject access requests: data protection officers for
people in their reach (own organisation, or a partner that granted theirs
access for HR). HR admins, superusers without the role, staff, line
managers and other partners' officers are refused on every route; nobody
handles a request about themselves."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from bewigan.partners.models import DataSharingGrant
from bewigan.privacy import sar as services
from bewigan.privacy.models import SubjectAccessRequest
from bewigan.privacy.roles import DATA_PROTECTION_OFFICER
from tests.appraisals.factories import ConversationFactory
from tests.conftest import make_persona
from tests.privacy.sar_fixtures import *  # noqa: F403
from tests.privacy.sar_fixtures import REASON, start
from tests.recruitment.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_request(staff, line_manager, colleague, dpo):
    """A request waiting for review (a colleague's name in a comment)."""
    ConversationFactory(
        person=staff.person,
        manager=line_manager.person,
        meeting_date=timezone.localdate() - datetime.timedelta(days=3),
        staff_comments="Kai Ward helped me",
    )
    sar = start(dpo, person=staff.person)
    assert sar.status == SubjectAccessRequest.Status.REVIEW
    return sar


@pytest.fixture
def ready_request(colleague, dpo):
    sar = start(dpo, person=colleague.person, reference="SAR-READY")
    assert sar.status == SubjectAccessRequest.Status.READY
    return sar


def _object_routes(sar):
    return [
        ("get", reverse("privacy:sar_detail", args=[sar.pk]), {}),
        ("post", reverse("privacy:sar_detail", args=[sar.pk]), {"action": "retry"}),
        ("get", reverse("privacy:sar_review", args=[sar.pk]), {}),
        ("post", reverse("privacy:sar_review", args=[sar.pk]), {"action": "redact_rest"}),
        ("get", reverse("privacy:sar_download", args=[sar.pk]), {}),
    ]


@pytest.mark.parametrize(
    "who", ["staff", "line_manager", "colleague", "survey_admin", "hr_admin", "superuser"]
)
def test_people_without_the_officer_role_get_403_on_every_route(
    who, request, pending_request, ready_request, client_for
):
    client = client_for(request.getfixturevalue(who))
    routes = [
        ("get", reverse("privacy:sar_list"), {}),
        ("get", reverse("privacy:sar_new"), {}),
        ("get", reverse("privacy:sar_new") + f"?person={pending_request.person_id}", {}),
        ("post", reverse("privacy:sar_new"), {"person": pending_request.person_id}),
    ]
    routes += _object_routes(pending_request) + _object_routes(ready_request)
    for method, url, data in routes:
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (who, method, url)
    assert not pending_request.mentions.exclude(decision="pending").exists()


def test_officer_of_another_organisation_gets_404_and_sees_nothing(
    pending_request, ready_request, other_dpo, staff, client_for
):
    client = client_for(other_dpo)
    listing = client.get(reverse("privacy:sar_list"))
    assert listing.status_code == 200
    assert "SAR-2026-001" not in listing.content.decode()
    assert "SAR-READY" not in listing.content.decode()
    for method, url, data in _object_routes(pending_request) + _object_routes(ready_request):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (method, url)
    new = reverse("privacy:sar_new")
    assert client.get(f"{new}?person={staff.person.pk}").status_code == 404
    assert (
        client.post(
            new, {"person": staff.person.pk, "reference": "X1", "reason": REASON}
        ).status_code
        == 404
    )
    search = client.get(f"{new}?q=Turner")
    assert search.status_code == 200 and "Sam Turner" not in search.content.decode()
    with pytest.raises(PermissionDenied):
        services.sar_start(
            actor=other_dpo,
            person=staff.person,
            reference="X",
            reason=REASON,
            received_on=timezone.localdate(),
            received_via="email",
        )
    assert SubjectAccessRequest.objects.count() == 2


def test_a_candidate_is_in_reach_only_for_hr_of_the_vacancys_organisation(
    organisation, dpo, other_dpo, client_for
):
    candidate = CandidateFactory(
        vacancy__organisation=organisation, first_name="Nadia", last_name="Hussain"
    )
    url = reverse("privacy:sar_new") + f"?candidate={candidate.pk}"
    assert client_for(other_dpo).get(url).status_code == 404
    assert client_for(dpo).get(url).status_code == 200


def test_a_data_sharing_grant_brings_the_partners_people_into_reach(
    organisation, other_organisation, other_dpo, staff, client_for
):
    DataSharingGrant.objects.create(
        sharing_organisation=organisation,
        receiving_organisation=other_organisation,
        purpose=DataSharingGrant.Purpose.HR,
        agreement_reference="DSA-2026-01",
    )
    response = client_for(other_dpo).get(reverse("privacy:sar_new") + f"?person={staff.person.pk}")
    assert response.status_code == 200
    sar = start(other_dpo, person=staff.person)
    assert sar.organisation == organisation
    assert (
        client_for(other_dpo).get(reverse("privacy:sar_detail", args=[sar.pk])).status_code == 200
    )


def test_nobody_handles_a_request_about_themselves(
    dpo, organisation, team, staff, client_for, settings
):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "hr2@wigan.gov.uk"]
    second_hr = make_persona(
        organisation,
        team,
        "hr2@wigan.gov.uk",
        [DATA_PROTECTION_OFFICER],
        first_name="Hamid",
        last_name="Ali",
    )
    client = client_for(dpo)
    new = reverse("privacy:sar_new")
    assert client.get(f"{new}?person={dpo.person.pk}").status_code == 404
    with pytest.raises(PermissionDenied):
        services.sar_start(
            actor=dpo,
            person=dpo.person,
            reference="X",
            reason=REASON,
            received_on=timezone.localdate(),
            received_via="email",
        )
    about_me = start(second_hr, person=dpo.person, reference="SAR-ABOUT-HELEN")
    assert client.get(reverse("privacy:sar_detail", args=[about_me.pk])).status_code == 404
    assert client.get(reverse("privacy:sar_download", args=[about_me.pk])).status_code == 404
    assert "SAR-ABOUT-HELEN" not in client.get(reverse("privacy:sar_list")).content.decode()
    assert (
        client_for(second_hr).get(reverse("privacy:sar_detail", args=[about_me.pk])).status_code
        == 200
    )


def test_a_superuser_needs_the_officer_role_too(superuser, outsider, client_for):
    url = reverse("privacy:sar_new") + f"?person={outsider.person.pk}"
    assert client_for(superuser).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.sar_start(
            actor=superuser,
            person=outsider.person,
            reference="X",
            reason=REASON,
            received_on=timezone.localdate(),
            received_via="email",
        )
    superuser.groups.add(Group.objects.get(name=DATA_PROTECTION_OFFICER))
    superuser = type(superuser).objects.get(pk=superuser.pk)  # fresh group cache
    assert client_for(superuser).get(url).status_code == 200


def test_an_hr_admin_cannot_start_a_pack(hr_admin, staff):
    with pytest.raises(PermissionDenied):
        services.sar_start(
            actor=hr_admin,
            person=staff.person,
            reference="X",
            reason=REASON,
            received_on=timezone.localdate(),
            received_via="email",
        )
    assert not SubjectAccessRequest.objects.exists()


def test_a_request_must_be_recorded_as_received(dpo, staff):
    with pytest.raises(ValidationError):
        services.sar_start(
            actor=dpo,
            person=staff.person,
            reference="X",
            reason=REASON,
            received_on=timezone.localdate() + datetime.timedelta(days=1),
            received_via="email",
        )
    with pytest.raises(ValidationError):
        services.sar_start(
            actor=dpo,
            person=staff.person,
            reference="X",
            reason=REASON,
            received_on=timezone.localdate(),
            received_via="carrier pigeon",
        )
    assert not SubjectAccessRequest.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(client, ready_request):
    for url in (
        reverse("privacy:sar_list"),
        reverse("privacy:sar_new"),
        reverse("privacy:sar_detail", args=[ready_request.pk]),
        reverse("privacy:sar_review", args=[ready_request.pk]),
        reverse("privacy:sar_download", args=[ready_request.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
