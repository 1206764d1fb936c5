"""HR-admin pages outside the Wagtail admin: invite someone, read the audit
log. Thin: check permission, call a selector or service, render."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from bewigan.core.models import AuditEntry
from bewigan.core.services import audit_record
from bewigan.core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_lines, xlsx_bytes

from .forms_admin import AuditFilterForm, InviteForm
from .selectors_admin import (
    audit_entries_visible_to,
    audit_object_types,
    audit_single_subject,
    invitable_organisations,
    pending_invitations,
)
from .services import invitation_create

AUDIT_PAGE_SIZE = 50
# Spreadsheets are built in memory; larger exports go to CSV, which streams.
AUDIT_XLSX_MAX_ROWS = 100_000


@require_http_methods(["GET", "POST"])
def invite_person(request):
    if not request.user.has_perm("people.invite_person"):
        raise PermissionDenied
    organisations = invitable_organisations(user=request.user)
    form = InviteForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        invitation = invitation_create(
            email=form.cleaned_data["email"],
            organisation=form.cleaned_data["organisation"],
            invited_by=request.user,
        )
        messages.success(
            request,
            f"We have emailed an invitation to {invitation.email}. "
            "They can now create an account with that address.",
        )
        return redirect("people:invite")
    return render(
        request,
        "people/invite.html",
        {"form": form, "pending": pending_invitations(user=request.user)},
    )


def _audit_form(request):
    return AuditFilterForm(request.GET or None, object_types=audit_object_types(user=request.user))


def _audit_query(filters: dict) -> str:
    return urlencode(
        {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in filters.items()}
    )


def audit_log(request):
    if not request.user.has_perm("people.view_audit_log"):
        raise PermissionDenied
    form = _audit_form(request)
    filters = form.filters()
    entries = audit_entries_visible_to(user=request.user, **filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/audit_log.html",
        {
            "form": form,
            "page": page,
            "query": _audit_query(filters),
            "filtered": bool(filters),
            "xlsx_max_rows": AUDIT_XLSX_MAX_ROWS,
        },
    )


AUDIT_EXPORT_COLUMNS = [
    "When (UK time)",
    "Done by",
    "Done by (email)",
    "Action",
    "Kind of record",
    "Record number",
    "Record",
    "About",
    "About (email)",
    "Reason",
    "Request id",
    "Details",
]


def _audit_rows(entries):
    yield AUDIT_EXPORT_COLUMNS
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            str(entry.actor) if entry.actor else "System",
            entry.actor.email if entry.actor else "",
            entry.get_action_display(),
            entry.object_type,
            entry.object_id,
            entry.object_repr,
            str(entry.subject) if entry.subject else "",
            entry.subject.email if entry.subject else "",
            entry.reason,
            entry.request_id,
            json.dumps(entry.details, sort_keys=True, default=str) if entry.details else "",
        ]


@require_POST
def audit_log_export(request):
    """Download the filtered entries (the filters ride in the query string,
    the POST carries the CSRF token and the format). The export is itself
    written to the audit log, with its filters and size, before the file
    is built; the new entry is not part of the file."""
    if not request.user.has_perm("people.view_audit_log"):
        raise PermissionDenied
    fmt = request.POST.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest("Choose CSV or XLSX.")
    form = _audit_form(request)
    back = reverse("people:audit_log") + (f"?{request.GET.urlencode()}" if request.GET else "")
    if form.is_bound and not form.is_valid():
        return redirect(back)
    filters = form.filters()
    entries = audit_entries_visible_to(user=request.user, **filters)
    count = entries.count()
    if fmt == "xlsx" and count > AUDIT_XLSX_MAX_ROWS:
        messages.error(
            request,
            f"{count:,} entries is too many for a spreadsheet (at most {AUDIT_XLSX_MAX_ROWS:,}). "
            "Narrow the filters or download a CSV file.",
        )
        return redirect(back)
    record = audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        object_type="core.auditentry",
        subject=audit_single_subject(text=filters.get("subject", "")),
        reason=f"Audit log export ({fmt.upper()}, {count} entries)",
        details={
            "format": fmt,
            "entries": count,
            "filters": {k: str(v) for k, v in filters.items()},
        },
    )
    entries = entries.exclude(pk=record.pk)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes(_audit_rows(entries), title="Audit log"), content_type=XLSX_CONTENT_TYPE
        )
    else:
        response = StreamingHttpResponse(
            csv_lines(_audit_rows(entries)), content_type=CSV_CONTENT_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.{fmt}"'
    return response
