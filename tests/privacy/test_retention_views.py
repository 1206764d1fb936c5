"""The retention schedule's pages. The schedule is partnership-wide: every
HR admin (of any partner) may see and change it, and nobody else may."""

import pytest
from django.utils import timezone

from bewigan.core.models import Notification
from bewigan.privacy.models import RetentionRule, RetentionRun
from bewigan.privacy.retention import retention_run
from tests.conftest import make_persona
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

SCHEDULE = "/data-protection/retention/"
EDIT = "/data-protection/retention/notifications/"
DRY_RUN = "/data-protection/retention/dry-run/"


@pytest.fixture
def other_hr_admin(other_organisation, settings, mfa_exempt):
    from bewigan.people import roles

    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "hr@wwl.nhs.uk"]
    return make_persona(other_organisation, None, "hr@wwl.nhs.uk", [roles.HR_ADMIN])


def test_anonymous_people_are_sent_to_sign_in(client):
    run = retention_run(dry_run=True)
    for url in (SCHEDULE, EDIT, f"/data-protection/retention/runs/{run.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client.post(DRY_RUN).status_code == 302
    assert RetentionRun.objects.count() == 1


@pytest.mark.parametrize(
    "persona", ["staff", "line_manager", "survey_admin", "recruiting_manager", "outsider"]
)
def test_everyone_but_hr_admins_is_refused(client_for, persona, request):
    run = retention_run(dry_run=True)
    client = client_for(request.getfixturevalue(persona))
    for url in (SCHEDULE, EDIT, f"/data-protection/retention/runs/{run.pk}/"):
        assert client.get(url).status_code == 403, url
    assert client.post(EDIT, {"period_months": "3", "enabled": "on"}).status_code == 403
    assert client.post(DRY_RUN).status_code == 403
    assert not RetentionRule.objects.exists() and RetentionRun.objects.count() == 1


def test_hr_admins_of_every_partner_and_superusers_see_the_schedule(
    client_for, hr_admin, other_hr_admin, settings
):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "root@wigan.gov.uk"]
    root = UserFactory(email="root@wigan.gov.uk", is_superuser=True, is_staff=True)
    for user in (hr_admin, other_hr_admin, root):
        page = client_for(user).get(SCHEDULE)
        html = page.content.decode()
        assert page.status_code == 200 and html.count("<h1") == 1
        assert "Unsuccessful candidates" in html and "Audit log entries" in html


def test_hr_admin_changes_a_period_within_the_limits(client_for, hr_admin, other_hr_admin):
    client = client_for(hr_admin)
    page = client.get(EDIT)
    assert page.status_code == 200 and page.content.decode().count("<h1") == 1
    for value, message in (
        ("2", "Notifications must be kept for at least 3 months"),
        ("241", "Enter a period of 240 months (20 years) or less"),
        ("twelve", "Enter the period as a whole number of months"),
        ("", "Enter how many months to keep them"),
    ):
        response = client.post(EDIT, {"period_months": value, "enabled": "on"})
        html = response.content.decode()
        assert response.status_code == 200 and message in html, value
        assert "govuk-error-summary" in html and "<title>Error:" in html
    assert not RetentionRule.objects.exists()
    done = client.post(EDIT, {"period_months": "18", "enabled": "on"})
    assert done.status_code == 302 and done.url == SCHEDULE
    rule = RetentionRule.objects.get(kind="notifications")
    assert (rule.period_months, rule.enabled, rule.updated_by) == (18, True, hr_admin)
    assert Notification.objects.filter(
        recipient=other_hr_admin, kind="privacy_retention_changed"
    ).exists()
    schedule = client.get(SCHEDULE).content.decode()
    assert "18 months" in schedule and "Waiting for a dry run" in schedule
    # switching a kind off
    client.post(EDIT, {"period_months": "18"})
    assert not RetentionRule.objects.get(kind="notifications").enabled
    assert "Switched off" in client.get(SCHEDULE).content.decode()
    assert client.get("/data-protection/retention/no-such-kind/").status_code == 404


def test_hr_admin_runs_a_dry_run_and_reads_it(client_for, hr_admin, staff):
    Notification.objects.create(recipient=staff, title="Old")
    Notification.objects.update(created_at=timezone.now() - timezone.timedelta(days=800))
    client = client_for(hr_admin)
    assert client.get(DRY_RUN).status_code == 405
    response = client.post(DRY_RUN)
    run = RetentionRun.objects.get()
    assert response.status_code == 302
    assert response.url == f"/data-protection/retention/runs/{run.pk}/"
    assert run.dry_run and run.triggered_by == hr_admin and run.counts["notifications"] == 1
    detail = client.get(response.url).content.decode()
    assert detail.count("<h1") == 1 and "Nothing was removed" in detail and "Would go" in detail
    assert Notification.objects.count() == 1
    schedule = client.get(SCHEDULE).content.decode()
    assert "What would go now" in schedule and "Applied nightly" in schedule
    assert client.get("/data-protection/retention/runs/999999/").status_code == 404


def test_schedule_query_count_does_not_grow_with_runs(
    client_for, hr_admin, django_assert_max_num_queries
):
    client = client_for(hr_admin)
    client.get(SCHEDULE)
    retention_run(dry_run=True)
    with django_assert_max_num_queries(14):
        assert client.get(SCHEDULE).status_code == 200
    for _ in range(15):
        retention_run(dry_run=True)
        retention_run(dry_run=False)
    with django_assert_max_num_queries(14):
        assert client.get(SCHEDULE).status_code == 200
