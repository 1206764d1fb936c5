"""The data protection hub: one starting point for HR admins and data
protection officers, linking each UK GDPR tool."""

from django.shortcuts import render

from bewigan.core.permissions import require_perm

from .models import LegalHold, SubjectAccessRequest


def index(request):
    require_perm(request.user, "privacy.view_hub")
    waiting = SubjectAccessRequest.objects.filter(
        requested_by=request.user,
        status__in=[SubjectAccessRequest.Status.REVIEW, SubjectAccessRequest.Status.READY],
        released_at__isnull=True,
    ).count()
    holds = LegalHold.objects.active().count()
    return render(request, "privacy/index.html", {"sar_waiting": waiting, "active_holds": holds})
