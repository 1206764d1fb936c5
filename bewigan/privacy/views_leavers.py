"""Leavers pages: HR admins find someone and mark them as a leaver; the
leaver's line and HR see what they still owned. Thin: check the permission,
call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bewigan.core.permissions import require_perm

from . import leavers, selectors_leavers
from .forms_leavers import LeaverMarkForm, LeaverSearchForm


def leaver_list(request):
    require_perm(request.user, "privacy.manage_leavers")
    form = LeaverSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        "privacy/leaver_list.html",
        {
            "form": form,
            "query": query,
            "found": selectors_leavers.people_to_mark(user=request.user, query=query),
            "scheduled": selectors_leavers.leavers_scheduled(user=request.user),
            "recent": selectors_leavers.leavers_recent(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def leaver_mark(request, pk: int):
    require_perm(request.user, "privacy.manage_leavers")
    person = selectors_leavers.person_for_marking(user=request.user, pk=pk)
    if person.is_leaver:
        messages.info(request, f"{person.name} has already left.")
        return redirect("privacy:leaver_handover", pk=person.pk)
    form = LeaverMarkForm(
        request.POST or None, person=person, initial={"leaver_date": person.leaver_date}
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = leavers.leaver_mark(
                actor=request.user,
                person=person,
                leaver_date=form.cleaned_data["leaver_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if record is None:
                messages.success(
                    request,
                    f"{person.name} leaves on {person.leaver_date:%-d %B %Y}. Their account "
                    "closes on that day.",
                )
                return redirect("privacy:leaver_list")
            messages.success(
                request,
                f"{person.name} is now a leaver: their account is closed and they have been "
                "signed out everywhere.",
            )
            return redirect("privacy:leaver_handover", pk=person.pk)
    return render(request, "privacy/leaver_mark.html", {"person": person, "form": form})


def leaver_handover(request, pk: int):
    handover = selectors_leavers.handover_for(user=request.user, pk=pk)
    return render(request, "privacy/leaver_handover.html", {"h": handover})
