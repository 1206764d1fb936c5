"""Cross-cutting request handling: request ids, session timeouts, MFA
enforcement for privileged roles, and no-store caching for personal pages."""

import time
import uuid
from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from .logging import reset_request_id, set_request_id


class HealthMiddleware:
    """`/healthz` and `/readyz` answer here, first in MIDDLEWARE. Below this,
    sessions, sign-in, MFA and the Wagtail site lookup read the database (or
    the cache): a database outage would turn liveness red, so a supervisor
    would restart healthy workers for nothing, and readiness would answer
    with whatever page the first failing middleware produced instead of its
    own report. Skipping the stack also skips the HTTPS redirect and the host
    check, so a probe on the loopback address gets its answer."""

    def __init__(self, get_response):
        from . import views

        self.get_response = get_response
        self.probes = {"/healthz": views.healthz, "/readyz": views.readyz}

    def __call__(self, request):
        probe = self.probes.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex
        request.request_id = request_id
        token = set_request_id(request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request_id
        return response


class SessionTimeoutMiddleware:
    """Sign people out after a period of inactivity and after a maximum age."""

    IDLE_KEY = "bewigan_last_seen"
    START_KEY = "bewigan_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(self.START_KEY)
            last_seen = request.session.get(self.IDLE_KEY, now)
            if started is None:
                request.session[self.START_KEY] = started = now
            idle = now - last_seen > settings.BEWIGAN_SESSION_IDLE_TIMEOUT
            too_old = now - started > settings.SESSION_COOKIE_AGE
            if idle or too_old:
                logout(request)
                messages.info(request, "You were signed out to keep your account safe.")
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
            # Write at most once a minute to keep session writes cheap.
            if now - last_seen >= 60 or self.IDLE_KEY not in request.session:
                request.session[self.IDLE_KEY] = now
        return self.get_response(request)


MFA_EXEMPT_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "account_email",
    "account_confirm_email",
    "account_login",
    "healthz",
    "readyz",
}


def mfa_required_for(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.email.lower() in {e.lower() for e in settings.BEWIGAN_MFA_EXEMPT_EMAILS}:
        return False
    if user.is_superuser:
        return True
    required = set(settings.BEWIGAN_MFA_REQUIRED_GROUPS)
    # The same per-request cache that `rules.is_group_member` uses, so a
    # page that also checks a group permission costs no second query.
    load_groups_and_unread(user)
    return bool(required & user._group_names_cache)


def load_groups_and_unread(user) -> None:
    """The user's group names and unread notification count in one query,
    remembered on the user object for the rest of the request: group names
    in `_group_names_cache` (shared with `rules.is_group_member` and
    `bewigan.people.roles.group_names`), the count in `_unread_at_start` (the
    header's count; see context_processors.site)."""
    if not user.is_authenticated or hasattr(user, "_group_names_cache"):
        return
    from django.contrib.auth import get_user_model
    from django.db import connections

    alias = get_user_model().objects.db
    sql = _GROUPS_AND_UNREAD_SQL.get(alias) or _groups_and_unread_sql(alias)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [user.pk])
        rows = cursor.fetchall()
    user._group_names_cache = {name for name, _ in rows if name is not None}
    user._unread_at_start = (rows[0][1] or 0) if rows else 0


# Compiling that query cost ~25 times running it (0.9 ms a request): the
# ORM builds it once per process and database, then only the user id changes.
_GROUPS_AND_UNREAD_SQL: dict[str, str] = {}


def _groups_and_unread_sql(alias: str) -> str:
    from django.contrib.auth import get_user_model
    from django.db.models import Count, OuterRef, Subquery

    from .models import Notification

    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    query = (
        get_user_model()
        .objects.filter(pk=0)
        .annotate(unread=Subquery(unread))
        .values_list("groups__name", "unread")
        .query
    )
    sql, params = query.get_compiler(alias).as_sql()
    assert tuple(params) == (0,), params  # the user id is the only parameter
    _GROUPS_AND_UNREAD_SQL[alias] = sql
    return sql


class RequireMfaMiddleware:
    """allauth offers MFA but does not enforce it: privileged roles must
    set up TOTP or a passkey before they can use anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = getattr(request, "resolver_match", None)
        url_name = match.url_name if match else None
        if url_name and (url_name in MFA_EXEMPT_URL_NAMES or url_name.startswith("mfa_")):
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        user = request.user
        load_groups_and_unread(user)
        if mfa_required_for(user) and not is_mfa_enabled(user, ["totp", "webauthn"]):
            messages.warning(
                request,
                "Your role needs two-factor authentication. Set up an authenticator app to continue.",
            )
            return redirect("mfa_activate_totp")
        return None


class AdminAccessMiddleware:
    """A signed-in person without access to Wagtail's admin gets 403 at
    `/admin/…`. Wagtail itself sends them to sign-in with `?next=/admin/`,
    and sign-in sends a signed-in person straight back: a redirect loop.
    Anonymous people still go to sign-in (LoginRequiredMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if self.prefix is None:
            self.prefix = reverse("wagtailadmin_home")
        if not request.path_info.startswith(self.prefix):
            return None
        user = request.user
        if user.is_authenticated and not user.has_perm("wagtailadmin.access_admin"):
            raise PermissionDenied("No access to the admin")
        return None


class NoStoreMiddleware:
    """Pages for signed-in people show personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Replace any weaker header a view set (e.g. "public, max-age=...").
        if request.user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store, private"
        return response
