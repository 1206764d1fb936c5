from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .selectors import notifications_for
from .services import notification_mark_read


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. Reveals nothing."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def readyz(request):
    """Readiness: database, cache and task queue reachable. Reveals nothing else."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "fail"
    try:
        cache.set("readyz", "1", 5)
        checks["cache"] = "ok" if cache.get("readyz") == "1" else "fail"
    except Exception:
        checks["cache"] = "fail"
    try:
        from django_tasks import default_task_backend

        checks["tasks"] = "ok" if default_task_backend is not None else "fail"
        if (
            checks["database"] == "ok"
            and "django_tasks_db" in type(default_task_backend).__module__
        ):
            from django_tasks_db.models import DBTaskResult

            DBTaskResult.objects.exists()
    except Exception:
        checks["tasks"] = "fail"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", **checks}, status=200 if ok else 503)


def notification_list(request):
    page = Paginator(notifications_for(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page})


@require_POST
def notification_read_all(request):
    notification_mark_read(user=request.user)
    return redirect("core:notification_list")


@login_not_required
def accessibility_statement(request):
    return render(request, "core/accessibility.html")


@login_not_required
def privacy_notice(request):
    return render(request, "core/privacy.html")


DATABASE_DOWN_ERRORS = (OperationalError, InterfaceError)


def server_error(request):
    """handler500: a database outage gets the friendly 503 page (and a
    Retry-After), anything else the 500 page. Neither touches the database,
    and neither shows a stack trace. Once PostgreSQL is back, the next
    request reconnects (CONN_HEALTH_CHECKS), so no restart is needed."""
    import sys

    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN_ERRORS):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
    else:
        response = HttpResponse(loader.render_to_string("500.html"), status=500)
    response["Cache-Control"] = "no-store"
    return response
