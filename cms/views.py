"""Ideas, search, the triage board and front-end story drafts. Thin views:
check permission, call a selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import AssignForm, CommentForm, IdeaForm, StatusChangeForm, StoryDraftForm
from .models import IdeaStatus

RATE_LIMIT_MESSAGES = {
    "idea": "You have submitted several ideas in the last hour. Try again later.",
    "comment": "You have posted many comments in the last few minutes. Try again later.",
    "story": "You have sent several stories in the last hour. Try again later.",
}


def _page(request, items, per_page):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def idea_list(request):
    filters = selectors.IdeaFilters.from_params(request.GET)
    ideas = selectors.idea_list(filters=filters, user=request.user)
    return render(
        request,
        "cms/idea_list.html",
        {
            "filters": filters,
            "ideas": _page(request, ideas, 25),
            "query": filters.querystring(),
            **selectors.idea_filter_options(),
        },
    )


def idea_create(request):
    if not request.user.has_perm("cms.add_idea"):
        raise PermissionDenied
    form = IdeaForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_submit(user=request.user, data=form.idea_data())
        except services.RateLimited:
            form.add_error(None, RATE_LIMIT_MESSAGES["idea"])
            status = 429
        else:
            messages.success(
                request, "Your idea has been submitted. You can follow its progress here."
            )
            return redirect(idea)
    return render(request, "cms/idea_form.html", {"form": form, "editing": False}, status=status)


def idea_edit(request, pk):
    idea = selectors.idea_get(pk=pk)
    if not request.user.has_perm("cms.change_idea", idea):
        raise PermissionDenied
    form = IdeaForm(request.POST or None, instance=idea)
    if request.method == "POST" and form.is_valid():
        services.idea_update(user=request.user, idea=idea, data=form.idea_data())
        messages.success(request, "Your idea has been updated.")
        return redirect(idea)
    return render(request, "cms/idea_form.html", {"form": form, "editing": True, "idea": idea})


def _detail(request, idea, *, comment_form=None, status_form=None, status=200):
    user = request.user
    context = {
        "idea": idea,
        "comment_form": comment_form or CommentForm(),
        "can_support": user.has_perm("cms.support_idea", idea),
        "can_comment": user.has_perm("cms.comment_idea", idea),
        "can_edit": user.has_perm("cms.change_idea", idea),
        "can_change_status": user.has_perm("cms.change_idea_status", idea),
        "can_create_story": user.has_perm("cms.create_story_from_idea", idea),
        **selectors.idea_detail(idea=idea, user=user),
    }
    if context["can_change_status"]:
        context["status_form"] = status_form or StatusChangeForm(idea=idea)
        context["assign_form"] = AssignForm(
            initial={"owner": idea.owner_id}, leads=selectors.innovation_leads()
        )
    for comment in context["comments"]:
        comment.can_edit = user.has_perm("cms.change_ideacomment", comment)
        comment.can_delete = user.has_perm("cms.delete_ideacomment", comment)
    return render(request, "cms/idea_detail.html", context, status=status)


def idea_detail(request, pk):
    return _detail(request, selectors.idea_get(pk=pk))


@require_POST
def idea_support(request, pk):
    idea = selectors.idea_get(pk=pk)
    if not request.user.has_perm("cms.support_idea", idea):
        raise PermissionDenied
    if services.idea_support(user=request.user, idea=idea):
        messages.success(request, "You support this idea.")
    return redirect(idea)


@require_POST
def idea_withdraw_support(request, pk):
    idea = selectors.idea_get(pk=pk)
    if services.idea_withdraw_support(user=request.user, idea=idea):
        messages.success(request, "You no longer support this idea.")
    return redirect(idea)


@require_POST
def comment_add(request, pk):
    idea = selectors.idea_get(pk=pk)
    if not request.user.has_perm("cms.comment_idea", idea):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_add(
                user=request.user, idea=idea, body=form.cleaned_data["body"]
            )
        except services.RateLimited:
            form.add_error(None, RATE_LIMIT_MESSAGES["comment"])
            return _detail(request, idea, comment_form=form, status=429)
        return redirect(f"{idea.get_absolute_url()}#comment-{comment.pk}")
    return _detail(request, idea, comment_form=form, status=400)


def comment_edit(request, pk):
    comment = selectors.idea_comment_get(pk=pk)
    if not request.user.has_perm("cms.change_ideacomment", comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    form.fields["body"].label = "Your comment"
    if request.method == "POST" and form.is_valid():
        services.comment_edit(user=request.user, comment=comment, body=form.cleaned_data["body"])
        return redirect(f"{comment.idea.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "cms/comment_form.html", {"form": form, "comment": comment})


@require_POST
def comment_delete(request, pk):
    comment = selectors.idea_comment_get(pk=pk)
    if not request.user.has_perm("cms.delete_ideacomment", comment):
        raise PermissionDenied
    services.comment_delete(user=request.user, comment=comment)
    messages.success(request, "The comment has been deleted.")
    return redirect(f"{comment.idea.get_absolute_url()}#comment-{comment.pk}")


@require_POST
def idea_status(request, pk):
    idea = selectors.idea_get(pk=pk)
    if not request.user.has_perm("cms.change_idea_status", idea):
        raise PermissionDenied
    form = StatusChangeForm(request.POST, idea=idea)
    if form.is_valid():
        try:
            services.idea_status_change(
                user=request.user,
                idea=idea,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                merged_into=form.cleaned_data.get("merged_target"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "The status has been changed and people have been told.")
            return redirect(idea)
    return _detail(request, idea, status_form=form, status=400)


@require_POST
def idea_assign(request, pk):
    idea = selectors.idea_get(pk=pk)
    if not request.user.has_perm("cms.assign_idea", idea):
        raise PermissionDenied
    form = AssignForm(request.POST, leads=selectors.innovation_leads())
    if form.is_valid():
        services.idea_assign(user=request.user, idea=idea, owner=form.cleaned_data["owner"])
        messages.success(request, "The idea's owner has been changed.")
    return redirect(idea)


@require_POST
def idea_create_story(request, pk):
    idea = selectors.idea_get(pk=pk)
    if not request.user.has_perm("cms.create_story_from_idea", idea):
        raise PermissionDenied
    try:
        story = services.story_create_from_idea(user=request.user, idea=idea)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(idea)
    messages.success(
        request, f"A draft story “{story.title}” has been created for a comms editor to finish."
    )
    if request.user.has_perm("wagtailadmin.access_admin"):
        return redirect(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    return redirect(idea)


def triage(request):
    if not request.user.has_perm("cms.triage_ideas"):
        raise PermissionDenied
    params = request.GET.copy()
    filters = selectors.IdeaFilters.from_params(params)
    ideas = selectors.idea_list(filters=filters, user=request.user)
    if not filters.waiting_days and not filters.status:
        ideas = ideas.order_by("status_changed_at", "pk").filter(
            status__in=[
                IdeaStatus.SUBMITTED,
                IdeaStatus.UNDER_REVIEW,
                IdeaStatus.SUPPORTED,
                IdeaStatus.TRIALLING,
            ]
        )
    return render(
        request,
        "cms/triage.html",
        {
            "filters": filters,
            "ideas": _page(request, ideas, 25),
            "query": filters.querystring(),
            "summary": selectors.triage_summary(waiting_days=filters.waiting_days or 14),
            "waiting_days": filters.waiting_days or 14,
            **selectors.idea_filter_options(),
        },
    )


def search(request):
    query = (request.GET.get("q") or "").strip()
    kind = request.GET.get("type", "")
    kind = kind if kind in dict(selectors.SEARCH_KINDS) else ""
    idea_status = request.GET.get("status", "")
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() and 0 < int(page_number) < 1000 else 1
    per_page = 10 if kind == "" else 20
    selectors.prime_site_root_paths(request)
    pages, page_total, ideas, idea_total = selectors.search_cached(
        user=request.user,
        query=query,
        kind=kind,
        idea_status=idea_status,
        limit=per_page,
        offset=(page_number - 1) * per_page if kind else 0,
        request=request,
    )
    total = page_total if kind in ("stories", "news", "pages") else idea_total
    error = "Enter a word or phrase to search for" if "q" in request.GET and not query else ""
    from urllib.parse import urlencode

    return render(
        request,
        "cms/search.html",
        {
            "q": query,
            "kind": kind,
            "idea_status": idea_status,
            "kinds": selectors.SEARCH_KINDS,
            "status_options": IdeaStatus.choices,
            "page_hits": pages,
            "page_total": page_total,
            "idea_hits": ideas,
            "idea_total": idea_total,
            "error": error,
            "page_number": page_number,
            "has_next": bool(kind) and page_number * per_page < total,
            "base_query": urlencode(
                {k: v for k, v in {"q": query, "type": kind, "status": idea_status}.items() if v}
            ),
        },
    )


def story_write(request):
    if not request.user.has_perm("cms.write_story"):
        raise PermissionDenied
    form = StoryDraftForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.story_submit_draft(
                user=request.user,
                title=form.cleaned_data["title"],
                summary=form.cleaned_data["summary"],
                text=form.cleaned_data["text"],
                values=form.cleaned_data["values"],
            )
        except services.RateLimited:
            form.add_error(None, RATE_LIMIT_MESSAGES["story"])
            status = 429
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            status = 400
        else:
            messages.success(
                request,
                "Thank you. Your story has been sent to the comms team to check before it is published.",
            )
            return redirect("cms:idea_list")
    return render(request, "cms/story_form.html", {"form": form}, status=status)
