"""Site-wide guarantees that every new route inherits."""

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

OUR_NAMESPACES = {
    "core",
    "people",
    "values",
    "recruitment",
    "appraisals",
    "surveys",
    "cms",
    "privacy",
}
# Routes that must work signed out (sign-in itself, health, statements).
PUBLIC_PREFIXES = (
    "/accounts/",
    "/healthz",
    "/readyz",
    "/accessibility/",
    "/privacy/",
    "/admin/login/",
    "/_util/login/",
    "/static/",
)


def _walk(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern.name


def _example_path(route: str) -> str | None:
    """Turn a route into a concrete path with placeholder arguments."""
    if route.startswith("^") or "(?P" in route:
        return None  # regex routes belong to third parties (Wagtail, allauth)
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", path)
    path = re.sub(r"<(?:slug:|str:|path:)?\w+>", "x", path)
    return "/" + path


def our_routes():
    for route, namespace, name in _walk():
        if namespace in OUR_NAMESPACES:
            path = _example_path(route)
            if path is not None:
                yield f"{namespace}:{name}", path


@pytest.mark.django_db
@pytest.mark.parametrize("name,path", sorted(set(our_routes())))
def test_every_route_sends_anonymous_users_to_sign_in(client, name, path):
    response = client.get(path)
    if path.startswith(PUBLIC_PREFIXES):
        # Public: answered here (or, for the legacy sign-in pages, sent on to
        # allauth's), never bounced to sign-in itself. Example ids may not exist.
        location = response.get("Location", "")
        assert response.status_code < 500, f"{name} ({path}) answered {response.status_code}"
        assert not location.startswith(f"/accounts/login/?next={path}"), name
        return
    assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
    assert response["Location"].startswith("/accounts/login/"), f"{name} redirected elsewhere"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/admin/", "/django-admin/", "/documents/1/x/", "/some/wagtail/page/"]
)
def test_wagtail_and_admin_pages_need_sign_in(client, path):
    response = client.get(path, follow=True)
    # Django admin goes through its own login URL, which redirects to allauth.
    assert response.redirect_chain, path
    assert response.request["PATH_INFO"] == "/accounts/login/"


@pytest.mark.django_db
def test_every_route_is_classified_in_the_permissions_table():
    """docs/permissions.md lists every named route with who may use it, so a
    new route cannot ship unclassified."""
    table = (Path(__file__).resolve().parents[2] / "docs" / "permissions.md").read_text()
    missing = sorted({name for name, _ in our_routes() if f"`{name}`" not in table})
    assert not missing, f"Add these routes to docs/permissions.md: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/people/me/", "/values/", "/notifications/", "/accessibility/", "/privacy/", "/"]
)
def test_pages_have_exactly_one_h1(client_for, staff, path):
    from cms.demo import seed_home

    seed_home()
    response = client_for(staff).get(path)
    assert response.status_code == 200
    assert response.content.decode().count("<h1") == 1


@pytest.mark.django_db
def test_no_migrations_are_pending():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db
def test_public_views_are_few_and_explicit():
    """Only sign-in pages, health checks and statements skip sign-in."""
    from django.urls import resolve

    public = {
        name
        for name, path in our_routes()
        if getattr(resolve(path).func, "login_required", True) is False
    }
    assert public == {"core:accessibility", "core:privacy"}
    for path in ("/healthz", "/readyz"):
        assert getattr(resolve(path).func, "login_required", True) is False
