from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from bewigan.values.selectors import current_values

from .selectors import person_for_user, person_get_for_user, profile_for


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
