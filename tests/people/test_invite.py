"""HR admins invite people outside the self-sign-up domains, into their own
organisation only; everyone else is refused."""

import pytest
from django.core import mail

from bewigan.core.models import AuditEntry
from bewigan.people.models import Invitation
from bewigan.people.services import invitation_create
from tests.core.signin import csrf_client, csrf_token, sign_in

pytestmark = pytest.mark.django_db
URL = "/people/invite/"


def test_hr_admin_sees_the_invite_page(client_for, hr_admin):
    response = client_for(hr_admin).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1 and "Invite someone" in html
    assert "Wigan Council" in html


def test_hr_admin_invites_someone_into_their_organisation(
    client_for, hr_admin, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(hr_admin).post(
            URL, {"email": "Agency.Nurse@Gmail.com", "organisation": organisation.pk}
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "agency.nurse@gmail.com"
    assert invitation.organisation == organisation and invitation.invited_by == hr_admin
    assert mail.outbox[-1].to == ["agency.nurse@gmail.com"]
    assert AuditEntry.objects.filter(object_type="people.invitation", actor=hr_admin).exists()
    page = client_for(hr_admin).get(URL).content.decode()
    assert "agency.nurse@gmail.com" in page


def test_hr_admin_cannot_invite_into_another_organisation(client_for, hr_admin, other_organisation):
    response = client_for(hr_admin).post(
        URL, {"email": "someone@gmail.com", "organisation": other_organisation.pk}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not Invitation.objects.exists()
    assert "WWL NHS Trust" not in client_for(hr_admin).get(URL).content.decode()


@pytest.mark.parametrize(
    "email, message",
    [
        ("not-an-email", "Enter a valid email address"),
        ("", "This field is required"),
        ("staff@wigan.gov.uk", "already has a BeWigan account"),
        ("waiting@gmail.com", "already waiting"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    client_for, hr_admin, staff, organisation, email, message
):
    invitation_create(email="waiting@gmail.com", organisation=organisation, invited_by=hr_admin)
    response = client_for(hr_admin).post(URL, {"email": email, "organisation": organisation.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert Invitation.objects.count() == 1


def test_pending_list_shows_only_own_organisation(
    client_for, hr_admin, outsider, other_organisation
):
    invitation_create(
        email="theirs@gmail.com", organisation=other_organisation, invited_by=outsider
    )
    assert "theirs@gmail.com" not in client_for(hr_admin).get(URL).content.decode()


@pytest.mark.parametrize(
    "persona",
    ["staff", "line_manager", "survey_admin", "recruiting_manager", "comms_editor", "outsider"],
)
def test_others_cannot_invite(request, client_for, organisation, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"email": "x@gmail.com", "organisation": organisation.pk})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_invite_post_without_csrf_token_is_refused(settings, hr_admin, organisation):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [hr_admin.email]
    client = csrf_client()
    sign_in(client, hr_admin.email)
    refused = client.post(URL, {"email": "x@gmail.com", "organisation": organisation.pk})
    assert refused.status_code == 403
    assert not Invitation.objects.exists()
    token = csrf_token(client, URL)
    accepted = client.post(
        URL, {"email": "x@gmail.com", "organisation": organisation.pk, "csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302
    assert Invitation.objects.count() == 1


def test_invite_page_query_count_is_constant(
    client_for, hr_admin, organisation, django_assert_max_num_queries
):
    client = client_for(hr_admin)
    invitation_create(email="a0@gmail.com", organisation=organisation, invited_by=hr_admin)
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for i in range(1, 30):
        invitation_create(email=f"a{i}@gmail.com", organisation=organisation, invited_by=hr_admin)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
