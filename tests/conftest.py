"""Shared fixtures: persona users for every organisational and relationship
role, built on one organisation and team. Relationship roles come from the
data: `line_manager` manages `staff`."""

import pytest
from django.contrib.auth.models import Group

from bewigan.people import roles
from tests.people.factories import (
    PASSWORD,
    OrganisationFactory,
    PersonFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _media_and_cache(request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:  # the cache is the database cache: only clear it where the DB is open
        from django.contrib.contenttypes.models import ContentType
        from django.core.cache import cache

        cache.clear()
        # Transactional tests flush the database and content types come back
        # with new ids: never reuse ids cached by an earlier test.
        ContentType.objects.clear_cache()
    from bewigan.core.context_processors import clear_permission_map

    clear_permission_map()  # per-process permission map (test rollbacks send no signals)


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def organisation(db):
    return OrganisationFactory(
        slug="wigan-council",
        name="Wigan Council",
        short_name="Council",
        email_domains=["wigan.gov.uk"],
    )


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(
        slug="wwl",
        name="WWL NHS Trust",
        short_name="WWL",
        kind="nhs_trust",
        email_domains=["wwl.nhs.uk"],
    )


@pytest.fixture
def team(organisation):
    return TeamFactory(organisation=organisation, name="Reablement Wigan", code="reablement-wigan")


def make_persona(
    organisation, team, email, groups=(), *, manager=None, first_name="Pat", last_name="Jones"
):
    user = UserFactory(email=email, first_name=first_name, last_name=last_name)
    group_objs = [Group.objects.get_or_create(name=g)[0] for g in (roles.STAFF, *groups)]
    user.groups.add(*group_objs)
    person = PersonFactory(user=user, organisation=organisation, line_manager=manager)
    if team is not None:
        TeamMembershipFactory(person=person, team=team)
    return user


@pytest.fixture
def line_manager(organisation, team):
    return make_persona(
        organisation, team, "manager@wigan.gov.uk", first_name="Priya", last_name="Shah"
    )


@pytest.fixture
def staff(organisation, team, line_manager):
    return make_persona(
        organisation,
        team,
        "staff@wigan.gov.uk",
        manager=line_manager.person,
        first_name="Sam",
        last_name="Turner",
    )


@pytest.fixture
def colleague(organisation, team, line_manager):
    return make_persona(
        organisation,
        team,
        "colleague@wigan.gov.uk",
        manager=line_manager.person,
        first_name="Kai",
        last_name="Ward",
    )


@pytest.fixture
def outsider(other_organisation):
    """Staff in another partner, with no relationship to the others."""
    return make_persona(
        other_organisation, None, "outsider@wwl.nhs.uk", first_name="Olu", last_name="Ade"
    )


@pytest.fixture
def panellist(organisation, team):
    return make_persona(
        organisation,
        team,
        "panel@wigan.gov.uk",
        [roles.HIRING_PANEL],
        first_name="Joe",
        last_name="Fletcher",
    )


@pytest.fixture
def recruiting_manager(organisation, team):
    return make_persona(
        organisation,
        team,
        "recruiter@wigan.gov.uk",
        [roles.RECRUITING_MANAGER, roles.HIRING_PANEL],
        first_name="Aisha",
        last_name="Khan",
    )


@pytest.fixture
def hr_admin(organisation, team):
    return make_persona(
        organisation,
        team,
        "hr@wigan.gov.uk",
        [roles.HR_ADMIN],
        first_name="Helen",
        last_name="Barker",
    )


@pytest.fixture
def survey_admin(organisation, team):
    return make_persona(
        organisation,
        team,
        "surveys@wigan.gov.uk",
        [roles.SURVEY_ADMIN],
        first_name="Tom",
        last_name="Ashworth",
    )


@pytest.fixture
def comms_editor(organisation, team):
    return make_persona(
        organisation,
        team,
        "comms@wigan.gov.uk",
        [roles.COMMS_EDITOR],
        first_name="Ruth",
        last_name="Hughes",
    )


@pytest.fixture
def innovation_lead(organisation, team):
    return make_persona(
        organisation,
        team,
        "innovation@wigan.gov.uk",
        [roles.INNOVATION_LEAD],
        first_name="Dev",
        last_name="Patel",
    )


@pytest.fixture
def mfa_exempt(settings):
    """Let privileged personas through the MFA requirement in view tests
    (the MFA middleware has its own tests)."""
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [
        "hr@wigan.gov.uk",
        "surveys@wigan.gov.uk",
        "recruiter@wigan.gov.uk",
        "comms@wigan.gov.uk",
        "innovation@wigan.gov.uk",
        "panel@wigan.gov.uk",
    ]


@pytest.fixture
def client_for(client, mfa_exempt):
    """`client_for(user)` returns the test client signed in as that user."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
