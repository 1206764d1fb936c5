"""HR-admin pages outside the Wagtail admin: invite someone, read the audit
log. Thin: check permission, call a selector or service, render."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .forms_admin import AuditFilterForm, InviteForm
from .selectors_admin import (
    audit_entries_visible_to,
    audit_object_types,
    invitable_organisations,
    pending_invitations,
)
from .services import invitation_create

AUDIT_PAGE_SIZE = 50


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


def audit_log(request):
    if not request.user.has_perm("people.view_audit_log"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types(user=request.user))
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    entries = audit_entries_visible_to(user=request.user, **filters)
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/audit_log.html",
        {"form": form, "page": page, "query": urlencode(filters), "filtered": bool(filters)},
    )
