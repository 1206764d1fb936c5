from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect, render

from bewigan.values.selectors import current_values

from .pickers import colleague_label
from .selectors import (
    colleague_suggestions,
    organisations_for_finder,
    people_find,
    person_for_user,
    person_get_for_user,
    profile_for,
)


def my_profile(request):
    person = person_for_user(user=request.user)
    if person is None:
        messages.info(request, "Your account has no staff profile yet. Ask an HR admin to add you.")
        return render(request, "people/no_profile.html", status=200)
    return _render_profile(request, person, is_me=True)


def person_detail(request, pk: int):
    person = person_get_for_user(user=request.user, pk=pk)
    if person.user_id == request.user.id:
        return redirect("people:my_profile")
    return _render_profile(request, person, is_me=False)


def _render_profile(request, person, *, is_me):
    profile = profile_for(user=request.user, person=person)
    if not is_me and not request.user.has_perm("people.view_person", person):
        raise PermissionDenied
    return render(
        request,
        "people/profile.html",
        {"profile": profile, "is_me": is_me, "values": current_values()},
    )


def finder(request):
    """Search staff by name, team or organisation (working details only)."""
    q = request.GET.get("q", "").strip()[:100]
    try:
        organisation_id = int(request.GET.get("organisation") or 0) or None
    except ValueError:
        organisation_id = None
    searched = bool(q or organisation_id)
    page = (
        people_find(
            user=request.user, q=q, organisation_id=organisation_id, page=request.GET.get("page")
        )
        if searched
        else None
    )
    query = urlencode({k: v for k, v in (("q", q), ("organisation", organisation_id or "")) if v})
    return render(
        request,
        "people/finder.html",
        {
            "q": q,
            "organisation_id": organisation_id,
            "organisations": organisations_for_finder(),
            "page": page,
            "query": query,
            "searched": searched,
        },
    )


def suggest(request):
    """Suggestions for a colleague picker (JSON). `scope=hr` narrows to the
    HR reach of the signed-in user (break-glass); `org` to those
    organisations (panels). Forms check the choice again on submit."""
    people = colleague_suggestions(
        user=request.user,
        q=request.GET.get("q", "")[:100],
        scope=request.GET.get("scope", ""),
        organisation_ids=[int(o) for o in request.GET.getlist("org") if o.isdigit()],
    )
    results = [
        {
            "name": p.name,
            "detail": ", ".join(x for x in (p.job_title, p.organisation.label) if x),
            "value": colleague_label(p),
        }
        for p in people
    ]
    return JsonResponse({"results": results})
