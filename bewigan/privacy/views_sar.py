"""Subject access pages for data protection officers
(/data-protection/subject-access/).
Thin: check the permission, fetch through `sar.py`'s selectors (404 for
people out of reach), call its services, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import sar
from .forms_sar import MentionReviewForm, RequestForm, SubjectSearchForm
from .roles import is_data_protection_officer

PERM = "privacy.manage_subject_access"


def _require_officer(user) -> None:
    """The officer role itself, not `has_perm`: Django grants superusers
    every permission, and a superuser too needs the role here."""
    if not is_data_protection_officer(user):
        raise PermissionDenied


@require_GET
def sar_list(request):
    """Subject access requests about people in the HR admin's reach."""
    _require_officer(request.user)
    page = Paginator(sar.sar_list_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "privacy/sar_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def sar_new(request):
    """Find the person, then record the reference and reason to start."""
    _require_officer(request.user)
    params = request.POST if request.method == "POST" else request.GET
    person = candidate = None
    if params.get("person"):
        person = sar.sar_person_for_user(user=request.user, pk=params["person"])
    elif params.get("candidate"):
        candidate = sar.sar_candidate_for_user(user=request.user, pk=params["candidate"])
    if person is None and candidate is None:
        search = SubjectSearchForm(request.GET if "q" in request.GET else None)
        results = None
        if search.is_valid():
            results = sar.sar_subject_search(user=request.user, q=search.cleaned_data["q"])
        return render(
            request,
            "privacy/sar_new.html",
            {"search": search, "results": results},
            status=400 if search.errors else 200,
        )
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = sar.sar_start(
                actor=request.user,
                person=person,
                candidate=candidate,
                reference=form.cleaned_data["reference"],
                reason=form.cleaned_data["reason"],
                received_on=form.cleaned_data["received_on"],
                received_via=form.cleaned_data["received_via"],
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, f"Subject access request {created.reference} started.")
            return redirect("privacy:sar_detail", created.pk)
    return render(
        request,
        "privacy/sar_new.html",
        {"form": form, "person": person, "candidate": candidate},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def sar_detail(request, pk: int):
    """The request's progress, what was found, the download and its history.
    Answers the page's progress poll with JSON (the page works without it)."""
    _require_officer(request.user)
    request_obj = sar.sar_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        if request.POST.get("action") == "retry" and request_obj.status == sar.Status.FAILED:
            sar.sar_retry(actor=request.user, sar=request_obj)
            messages.success(request, "Generation started again.")
        return redirect("privacy:sar_detail", request_obj.pk)
    if request.headers.get("X-Requested-With") == "fetch":
        return JsonResponse(sar.sar_progress(sar=request_obj))
    data = None
    if request_obj.status in (sar.Status.REVIEW, sar.Status.READY):
        data = sar.sar_data(sar=request_obj)
    mentions = list(sar.sar_mentions(sar=request_obj))
    return render(
        request,
        "privacy/sar_detail.html",
        {
            "sar": request_obj,
            "working": request_obj.status in sar.WORKING,
            "sections": data["sections"] if data else [],
            "not_included": data["not_included"] if data else [],
            "mentions_total": len(mentions),
            "mentions_pending": sum(1 for m in mentions if m.decision == "pending"),
            "mentions_redacted": sum(1 for m in mentions if m.decision == "redact"),
            "history": sar.sar_history(sar=request_obj),
        },
    )


@require_http_methods(["GET", "POST"])
def sar_review(request, pk: int):
    """Decide, for each other person's name found, whether to redact it."""
    _require_officer(request.user)
    request_obj = sar.sar_get_for_user(user=request.user, pk=pk)
    if request_obj.status not in (sar.Status.REVIEW, sar.Status.READY):
        messages.info(request, "There is nothing to review yet.")
        return redirect("privacy:sar_detail", request_obj.pk)
    mentions = sar.sar_mentions(sar=request_obj)
    form = MentionReviewForm(request.POST or None, mentions=mentions)
    if request.method == "POST" and form.is_valid():
        decisions = form.decisions()
        if request.POST.get("action") == "redact_rest":
            for m in form.mentions:
                if m.decision == "pending":
                    decisions.setdefault(m.pk, "redact")
        try:
            changed = sar.sar_review(actor=request.user, sar=request_obj, decisions=decisions)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            request_obj.refresh_from_db(fields=["status"])
            if request_obj.status == sar.Status.REVIEW:
                messages.success(
                    request,
                    f"{changed} decision{'s' if changed != 1 else ''} saved. Some names still "
                    "need a decision.",
                )
                return redirect("privacy:sar_review", request_obj.pk)
            if changed:
                messages.success(request, "Review saved. The pack is being built.")
            return redirect("privacy:sar_detail", request_obj.pk)
    return render(
        request,
        "privacy/sar_review.html",
        {"sar": request_obj, "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
def sar_download(request, pk: int):
    """The pack (zip), as an attachment. Audited."""
    _require_officer(request.user)
    request_obj = sar.sar_get_for_user(user=request.user, pk=pk)
    try:
        content, name = sar.sar_download(actor=request.user, sar=request_obj)
    except sar.PackNotReady:
        messages.error(
            request, "The pack can be downloaded once every name has been reviewed and it is built."
        )
        return redirect("privacy:sar_detail", request_obj.pk)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Content-Length"] = str(len(content))
    return response
