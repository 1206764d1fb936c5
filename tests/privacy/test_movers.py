"""When someone moves team, organisation or manager, access follows the new
position from that moment: the same signed-in session loses the old team's
and organisation's data on its next request and gains the new. Moves come
from the HR import, as in production."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from appraisals.models import TeamTime
from appraisals.rules import can
from bewigan.core.models import AuditEntry, Notification
from bewigan.people import roles
from bewigan.people.models import TeamMembership
from surveys.services import wave_refresh_results
from tests.appraisals.factories import ConversationFactory
from tests.cms.conftest import home  # noqa: F401 - fixture
from tests.cms.factories import add_standard
from tests.conftest import make_persona
from tests.people.factories import TeamFactory
from tests.surveys.factories import add_responses, make_survey, make_wave

from .leavers_helpers import hr_import, row_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_team(organisation):
    return TeamFactory(organisation=organisation, name="Libraries", code="libraries")


@pytest.fixture
def wwl_team(other_organisation):
    return TeamFactory(organisation=other_organisation, name="INT Leigh", code="int-leigh")


def _results(client, wave, scope):
    return client.get(f"/surveys/waves/{wave.pk}/results/", {"scope": scope}).status_code


def test_a_team_lead_who_moves_team_loses_the_old_teams_survey_results_at_once(
    client_for, line_manager, organisation, team, new_team, django_capture_on_commit_callbacks
):
    TeamMembership.objects.filter(person=line_manager.person, team=team).update(role="lead")
    today = timezone.localdate()
    wave = make_wave(
        make_survey(),
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=30),
        organisations=[organisation],
    )
    add_responses(wave, 10, organisation=organisation, team=team)
    add_responses(wave, 10, organisation=organisation, team=new_team)
    wave_refresh_results(wave)
    client = client_for(line_manager)
    assert _results(client, wave, f"team:{team.pk}") == 200
    assert _results(client, wave, f"team:{new_team.pk}") == 404

    hr_import([row_for(line_manager, team_codes="libraries")], django_capture_on_commit_callbacks)

    assert _results(client, wave, f"team:{team.pk}") == 404
    # Leading the new team (recorded by HR) brings its results, at once.
    TeamMembership.objects.current().filter(person=line_manager.person, team=new_team).update(
        role="lead"
    )
    assert _results(client, wave, f"team:{new_team.pk}") == 200


def test_someone_who_moves_team_loses_the_old_teams_team_time_even_as_its_facilitator(
    client_for, staff, line_manager, team, new_team, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    old = TeamTime.objects.create(team=team, facilitator=staff.person, meeting_date=today)
    new = TeamTime.objects.create(
        team=new_team, facilitator=line_manager.person, meeting_date=today
    )
    client = client_for(staff)
    assert client.get(f"/my-time/team-time/{old.pk}/").status_code == 200
    assert client.get(f"/my-time/team-time/{new.pk}/").status_code == 404

    hr_import([row_for(staff, team_codes="libraries")], django_capture_on_commit_callbacks)

    assert client.get(f"/my-time/team-time/{old.pk}/").status_code == 404
    assert not can(staff, "appraisals.facilitate_team_time", old)
    assert client.get(f"/my-time/team-time/{new.pk}/").status_code == 200
    listing = client.get("/my-time/team-time/").content.decode()
    assert f"/my-time/team-time/{new.pk}/" in listing
    assert f"/my-time/team-time/{old.pk}/" not in listing


def test_a_new_line_manager_reads_the_shared_history_and_the_old_one_stops(
    client_for, organisation, team, staff, line_manager, django_capture_on_commit_callbacks
):
    conversation = ConversationFactory(person=staff.person, manager=line_manager.person)
    new_manager = make_persona(
        organisation, team, "newmanager@wigan.gov.uk", first_name="Nia", last_name="Jones"
    )
    url = f"/my-time/conversations/{conversation.pk}/"
    old_client = client_for(line_manager)
    assert old_client.get(url).status_code == 200

    hr_import(
        [
            row_for(new_manager),
            row_for(staff, line_manager_employee_number=new_manager.person.employee_number),
        ],
        django_capture_on_commit_callbacks,
    )

    assert old_client.get(url).status_code == 404
    assert client_for(new_manager).get(url).status_code == 200


def test_an_hr_admin_who_moves_organisation_loses_hr_powers_over_the_old_one(
    client_for,
    hr_admin,
    staff,
    wwl_team,
    django_capture_on_commit_callbacks,
):
    client = client_for(hr_admin)
    assert client.get("/people/import/").status_code == 200
    assert hr_admin.has_perm("people.view_person_details", staff.person)

    hr_import(
        [
            row_for(
                hr_admin,
                organisation="wwl",
                team_codes="int-leigh",
                employee_number="WWL-77",
            )
        ],
        django_capture_on_commit_callbacks,
    )

    hr_admin.refresh_from_db()
    del hr_admin._group_names_cache  # a fresh request has a fresh user object
    assert roles.HR_ADMIN not in roles.group_names(hr_admin)
    assert client.get("/people/import/").status_code == 403
    assert client.get("/data-protection/leavers/").status_code == 403
    assert not hr_admin.has_perm("people.view_person_details", staff.person)
    entry = AuditEntry.objects.get(reason="Moved organisation", subject=hr_admin)
    assert entry.details["roles_removed"] == [roles.HR_ADMIN]
    told = Notification.objects.get(recipient=hr_admin, kind="mover_roles")
    assert "HR admin" in told.title and "WWL NHS Trust" in told.title


def test_staff_who_move_organisation_see_the_new_organisations_results_not_the_old(
    client_for,
    staff,
    organisation,
    other_organisation,
    team,
    wwl_team,
    django_capture_on_commit_callbacks,
):
    today = timezone.localdate()
    wave = make_wave(
        make_survey(),
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=30),
        organisations=[organisation, other_organisation],
    )
    add_responses(wave, 10, organisation=organisation, team=team)
    add_responses(wave, 10, organisation=other_organisation, team=wwl_team)
    wave.results_published = True
    wave.save()
    wave_refresh_results(wave)
    client = client_for(staff)
    wigan, wwl = f"org:{organisation.pk}", f"org:{other_organisation.pk}"
    assert (_results(client, wave, wigan), _results(client, wave, wwl)) == (200, 404)

    hr_import(
        [
            row_for(
                staff, organisation="wwl", team_codes="int-leigh", line_manager_employee_number=""
            )
        ],
        django_capture_on_commit_callbacks,
    )

    assert (_results(client, wave, wigan), _results(client, wave, wwl)) == (404, 200)
    # Staff have no organisation role to lose, so nobody is told anything.
    assert not Notification.objects.filter(recipient=staff, kind="mover_roles").exists()
    assert list(staff.groups.values_list("name", flat=True)) == [roles.STAFF]


def test_cached_intranet_sections_follow_a_move(
    settings,
    client_for,
    home,  # noqa: F811
    hr_admin,
    wwl_team,
    django_capture_on_commit_callbacks,
):
    """The intranet keeps rendered lists per worker, keyed by the sections a
    person may see: losing the role that opened a section closes it at once."""
    from cms.selectors import memo_clear

    settings.BEWIGAN_CMS_CACHE_SECONDS = 30
    memo_clear()
    handbook = add_standard(home, title="HR handbook", slug="hr-handbook", summary="Checklist")
    restriction = PageViewRestriction.objects.create(
        page=handbook, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.HR_ADMIN)])
    client = client_for(hr_admin)
    assert client.get(handbook.url).status_code == 200
    assert (
        f'href="{handbook.url}"' in client.get("/ideas/search/", {"q": "handbook"}).content.decode()
    )

    hr_import(
        [row_for(hr_admin, organisation="wwl", team_codes="int-leigh", employee_number="WWL-9")],
        django_capture_on_commit_callbacks,
    )

    assert client.get(handbook.url).status_code != 200
    assert (
        f'href="{handbook.url}"'
        not in client.get("/ideas/search/", {"q": "handbook"}).content.decode()
    )
    memo_clear()
