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

# Every per-process memo the code keeps as a module-level dict, by dotted
# name (functools caches in the apps are found and cleared without a list).
# A test's rollback sends no signals, so without this a memo filled by one
# test answers the next with rows that no longer exist, or hides a query a
# query-count test should see. Adding a memo? List it here:
# tests/core/test_process_caches.py finds every module-level memo in the apps
# and fails until it is.
PROCESS_MEMOS = (
    "cms.selectors._MEMO",
    "bewigan.core.work._MEMO",
    "bewigan.core.context_processors._PERMISSION_MAP",
)
APP_PACKAGES = ("bewigan.", "recruitment.", "appraisals.", "surveys.", "cms.")
_functools_caches: dict[int, list] = {}


def app_functools_caches() -> list:
    """Every functools cache (@cache, @lru_cache) defined in the apps' loaded modules."""
    import sys

    found = _functools_caches.get(len(sys.modules))
    if found is None:
        found = []
        for name, module in list(sys.modules.items()):
            if not name.startswith(APP_PACKAGES) or module is None:
                continue
            for value in list(vars(module).values()):
                if (
                    callable(getattr(value, "cache_clear", None))
                    and getattr(value, "__module__", "") == name
                ):
                    found.append(value)
        _functools_caches.clear()
        _functools_caches[len(sys.modules)] = found
    return found


def reset_process_caches(*, database: bool) -> None:
    """The one reset of every process cache, run before each test.
    `database`: the test database is open, so database-backed caches can be
    cleared too."""
    from importlib import import_module

    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    for dotted in PROCESS_MEMOS:
        module, _, name = dotted.rpartition(".")
        getattr(import_module(module), name).clear()
    for cached in app_functools_caches():
        cached.cache_clear()
    cache = caches["default"]
    if database or not isinstance(cache, DatabaseCache):
        cache.clear()  # rate limits, "my work" tokens, Wagtail's site root paths
    if database:
        from django.contrib.contenttypes.models import ContentType

        # Transactional tests flush the database and content types come back
        # with new ids: never reuse ids cached by an earlier test.
        ContentType.objects.clear_cache()


# --- Migration-seeded rows, whatever ran before ----------------------------
# Transactional tests (browser, concurrency) flush the database when they end,
# which also removes the rows migrations seed (Wagtail's root page and site,
# groups, values, the question bank). pytest-django runs them after every other
# database test, but one transactional test may follow another in any order:
# each starts from the seeded rows, kept at the start of the run and put back
# when a flush removed them. A reused database (`pytest --reuse-db`) gets them
# back at the end of the run too; one an interrupted run left flushed is
# created afresh.


def pytest_configure(config):
    from django.conf import settings

    default = settings.DATABASES["default"]
    if config.getvalue("reuse_db") and default["ENGINE"].endswith("sqlite3"):
        # In memory there is nothing to reuse: keep SQLite's test database in a
        # file (pytest-xdist adds _gw0, _gw1, … for its workers).
        default.setdefault("TEST", {})["NAME"] = str(settings.DATA_DIR / "test_bewigan.sqlite3")


def _seeded(cursor) -> bool:
    """Migration-seeded rows are there: Wagtail's root page, and the question
    bank (which, unlike the root page, the browser tests never put back)."""
    try:
        cursor.execute(
            "SELECT (SELECT count(*) FROM wagtailcore_page WHERE depth = 1),"
            " (SELECT count(*) FROM recruitment_question)"
        )
        root, questions = cursor.fetchone()
        return root == 1 and questions > 0
    except Exception:
        return False


_flushed = {"by": None}  # the first transactional test in this process, if any
_seeded_rows = {"serialized": None}  # the database as migrations left it


def _restore_seeded_rows() -> None:
    from django.core.management import call_command
    from django.db import connection

    # Without post_migrate, so content types and permissions come back with
    # their original ids rather than clashing with new ones.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(_seeded_rows["serialized"])
    # The rows come back with their own ids; on PostgreSQL the flush reset
    # every sequence to 1, so move them past those ids (or the next insert,
    # e.g. a Locale, collides with a restored row).
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _reused_database_is_whole() -> bool | None:
    """None when there is no test database to reuse yet."""
    import sqlite3
    from pathlib import Path

    from django.conf import settings

    default = settings.DATABASES["default"]
    name = default.get("TEST", {}).get("NAME") or f"test_{default['NAME']}"
    if default["ENGINE"].endswith("sqlite3"):
        if not Path(name).exists():
            return None
        with sqlite3.connect(name) as connection:
            return _seeded(connection.cursor())
    import psycopg

    try:
        connection = psycopg.connect(
            dbname=name,
            host=default.get("HOST") or None,
            port=default.get("PORT") or None,
            user=default.get("USER") or None,
            password=default.get("PASSWORD") or None,
            connect_timeout=5,
        )
    except psycopg.OperationalError:
        return None
    with connection:
        return _seeded(connection.cursor())


@pytest.fixture(scope="session")
def django_db_createdb(request, django_db_keepdb, django_db_modify_db_settings):
    if request.config.getvalue("create_db"):
        return True
    return django_db_keepdb and _reused_database_is_whole() is False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    from django.db import connection

    with django_db_blocker.unblock():
        _seeded_rows["serialized"] = connection.creation.serialize_db_to_string()
    yield
    if django_db_keepdb and _flushed["by"] is not None:
        with django_db_blocker.unblock():
            _restore_seeded_rows()


@pytest.fixture(autouse=True)
def _media_and_cache(request, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    )
    if uses_db:
        # Open the test database first (pytest-django picks plain or
        # transactional from the test's marker and fixtures).
        request.getfixturevalue("_django_db_helper")
        marker = request.node.get_closest_marker("django_db")
        if (marker and marker.kwargs.get("transaction")) or {
            "transactional_db",
            "live_server",
        } & set(request.fixturenames):
            from django.db import connection

            if _flushed["by"] is not None:
                with connection.cursor() as cursor:
                    whole = _seeded(cursor)
                if not whole:  # an earlier transactional test flushed it
                    _restore_seeded_rows()
            _flushed["by"] = _flushed["by"] or request.node.nodeid
    reset_process_caches(database=bool(uses_db))


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


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """`-q` hides pytest-randomly's header line: say how to rerun this order."""
    seed = getattr(config.option, "randomly_seed", None)
    if seed is not None and config.pluginmanager.hasplugin("randomly"):
        terminalreporter.write_line(
            f"Random test order: rerun it with `pytest --randomly-seed={seed}` "
            "(same files and -n, for the same order on each worker)"
        )
