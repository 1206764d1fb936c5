"""The data protection hub: one starting point for HR admins and data
protection officers, linking each UK GDPR tool."""

from django.shortcuts import render

from bewigan.core.permissions import require_perm

from . import sar
from .holds import holds_visible_to
from .roles import is_data_protection_officer


def index(request):
    require_perm(request.user, "privacy.view_hub")
    waiting = sar.sar_waiting_count(user=request.user)
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
