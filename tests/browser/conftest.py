"""Playwright on Debian's chromium against pytest-django's live server.

See ../shared/STACK-NOTES.md section 6 for the traps this file avoids.
"""

import os
import shutil

# ORM calls in test bodies while Playwright's sync loop runs.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    browser_items = [i for i in items if "tests/browser/" in str(i.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if CHROMIUM is None:
        if os.environ.get("CI", "").lower() == "true":
            # In CI a missing browser is a failure, never a silent skip.
            for item in browser_items:
                item.add_marker(
                    pytest.mark.xfail(reason="chromium missing in CI", run=False, strict=True)
                )
            raise pytest.UsageError(
                "CI=true but Debian's chromium is not installed (apt-get install chromium)"
            )
        skip = pytest.mark.skip(
            reason="Install Debian's chromium to run browser tests: sudo apt-get install chromium"
        )
        for item in browser_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture(autouse=True)
def _wagtail_rows(transactional_db):
    """live_server tests flush the database, and Playwright's loop makes
    serialized_rollback restore nothing: recreate the rows Wagtail's own
    migrations seed (and our groups and values) before each browser test."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page, Site

    from bewigan.people import roles
    from bewigan.values.models import Behaviour, Framework, FrameworkVersion, Value
    from bewigan.values.seed import seed_frameworks

    ContentType.objects.clear_cache()  # ids change when the flush recreates them
    if not Locale.objects.exists():
        Locale.objects.create(language_code="en")
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=Locale.objects.first()))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    for name in roles.ALL_GROUPS:
        Group.objects.get_or_create(name=name)
    _restore_group_permissions()
    seed_frameworks(Framework, FrameworkVersion, Value, Behaviour)
    from cms.demo import seed_home

    seed_home()
    if not Site.objects.exists():
        Site.objects.create(
            hostname="localhost", root_page=Page.objects.get(depth=2), is_default_site=True
        )


def _restore_group_permissions():
    from importlib import import_module

    from django.apps import apps as django_apps

    migration = import_module("bewigan.people.migrations.0002_groups")
    migration.create_groups(django_apps, None)


@pytest.fixture
def sign_in(page, live_server, password):
    """Sign in through allauth's real form (no force_login)."""

    def _sign_in(user, next_path="/"):
        page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_load_state()
        return page

    return _sign_in


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    checker = Axe()

    def _check(page):
        results = checker.run(page)
        assert results.violations_count == 0, results.generate_report()

    return _check
