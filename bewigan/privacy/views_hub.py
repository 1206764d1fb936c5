"""The data protection hub: one starting point for HR admins and data
protection officers, linking each UK GDPR tool."""

from django.shortcuts import render

from bewigan.core.permissions import require_perm

from .holds import holds_visible_to
from .models import SubjectAccessRequest
from .roles import is_data_protection_officer


def index(request):
    require_perm(request.user, "privacy.view_hub")
    waiting = SubjectAccessRequest.objects.filter(
        requested_by=request.user,
        status__in=[SubjectAccessRequest.Status.REVIEW, SubjectAccessRequest.Status.READY],
        released_at__isnull=True,
    ).count()
    # Only holds on people, candidates and records in the user's reach, as
    # on the holds page itself.
    holds = len(holds_visible_to(user=request.user, active=True))
    return render(
        request,
        "privacy/index.html",
        {
            "sar_waiting": waiting,
            "active_holds": holds,
            "may_handle_sar": is_data_protection_officer(request.user),
        },
    )
