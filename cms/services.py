"""Every write for ideas and stories: transactions, audit, notifications.

Views check permissions with cms.rules first; these functions check again
where a mistake would let someone change another person's idea or status.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from bewigan.core.models import AuditEntry
from bewigan.core.services import audit_record, notify
from bewigan.people.roles import COMMS_EDITOR

from .models import (
    TRANSITIONS,
    Idea,
    IdeaComment,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
    InnovationStoryPage,
    StoryIndexPage,
)

A = AuditEntry.Action


def _audit(*, event: str, details: dict | None = None, **kwargs):
    """Audit entries use core's action vocabulary; `event` says what exactly happened."""
    return audit_record(details={"event": event, **(details or {})}, **kwargs)


# Submissions per person per window (a shared cache, so every worker counts).
RATE_LIMITS = {"idea": (5, 60 * 60), "comment": (20, 10 * 60), "story": (5, 60 * 60)}


class RateLimited(Exception):
    pass


def rate_limit_hit(*, user, action: str) -> None:
    """Count one submission; raise RateLimited when over the limit."""
    limit, window = RATE_LIMITS[action]
    key = f"cms:rate:{action}:{user.pk}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(action)


def _people_to_tell(idea, *, exclude_user=None):
    users = {idea.author}
    users.update(s.user for s in idea.supports.select_related("user"))
    return [u for u in users if exclude_user is None or u.pk != exclude_user.pk]


# --- Ideas -----------------------------------------------------------------


@transaction.atomic
def idea_submit(*, user, data: dict) -> Idea:
    rate_limit_hit(user=user, action="idea")
    team = data.get("team")
    idea = Idea.objects.create(
        author=user,
        organisation=team.organisation
        if team is not None
        else getattr(getattr(user, "person", None), "organisation", None),
        **data,
    )
    IdeaStatusChange.objects.create(
        idea=idea,
        from_status="",
        to_status=IdeaStatus.SUBMITTED,
        reason="Idea submitted",
        changed_by=user,
    )
    _audit(actor=user, action=A.CREATE, event="idea.submit", obj=idea)
    return idea


@transaction.atomic
def idea_update(*, user, idea: Idea, data: dict) -> Idea:
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    if not user.has_perm("cms.change_idea", idea):
        raise PermissionDenied("Only the author may change an idea, and only before it is reviewed")
    for field, value in data.items():
        setattr(idea, field, value)
    if "team" in data and data["team"] is not None:
        idea.organisation = data["team"].organisation
    idea.save()
    _audit(actor=user, action=A.UPDATE, event="idea.update", obj=idea)
    return idea


@transaction.atomic
def idea_status_change(
    *, user, idea: Idea, to_status: str, reason: str, merged_into: Idea | None = None
) -> Idea:
    if not user.has_perm("cms.change_idea_status", idea):
        raise PermissionDenied("Only innovation leads change an idea's status")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for the change"})
    idea = Idea.objects.select_for_update().get(pk=idea.pk)
    to_status = IdeaStatus(to_status)
    if to_status not in TRANSITIONS[IdeaStatus(idea.status)]:
        raise ValidationError(
            {
                "to_status": f"An idea that is “{idea.get_status_display()}” cannot become “{to_status.label}”"
            }
        )
    if to_status == IdeaStatus.MERGED:
        if merged_into is None:
            raise ValidationError({"merged_into": "Enter the number of the idea to merge into"})
        if merged_into.pk == idea.pk:
            raise ValidationError({"merged_into": "An idea cannot be merged into itself"})
        if merged_into.status == IdeaStatus.MERGED:
            raise ValidationError(
                {"merged_into": "That idea has itself been merged; choose the idea it went into"}
            )
        idea.merged_into = merged_into
    from_status = idea.status
    idea.status = to_status
    idea.status_changed_at = timezone.now()
    if idea.owner_id is None:
        idea.owner = user
    idea.save()
    IdeaStatusChange.objects.create(
        idea=idea, from_status=from_status, to_status=to_status, reason=reason, changed_by=user
    )
    if to_status == IdeaStatus.MERGED:
        # Supporters of the duplicate now support the idea it joined.
        moved = 0
        for support in idea.supports.all():
            _, created = IdeaSupport.objects.get_or_create(idea=merged_into, user=support.user)
            moved += created
        if moved:
            Idea.objects.filter(pk=merged_into.pk).update(
                supporter_count=F("supporter_count") + moved
            )
    _audit(
        actor=user,
        action=A.UPDATE,
        event="idea.status_change",
        obj=idea,
        reason=reason,
        details={
            "from": from_status,
            "to": to_status.value,
            "merged_into": getattr(merged_into, "pk", None),
        },
    )
    url = idea.get_absolute_url()
    for recipient in _people_to_tell(idea, exclude_user=user):
        notify(
            recipient=recipient,
            title=f"Idea “{idea.title}” is now {to_status.label.lower()}",
            body=reason,
            url=url,
            kind="idea_status",
        )
    return idea


@transaction.atomic
def idea_assign(*, user, idea: Idea, owner) -> Idea:
    if not user.has_perm("cms.assign_idea", idea):
        raise PermissionDenied
    Idea.objects.filter(pk=idea.pk).update(owner=owner)
    idea.owner = owner
    _audit(
        actor=user,
        action=A.UPDATE,
        event="idea.assign",
        obj=idea,
        details={"owner": getattr(owner, "pk", None)},
    )
    if owner is not None and owner.pk != user.pk:
        notify(
            recipient=owner,
            title=f"You are looking after the idea “{idea.title}”",
            url=idea.get_absolute_url(),
            kind="idea_assigned",
        )
    return idea


def idea_support(*, user, idea: Idea) -> bool:
    """Support an idea once; True if this call added the support."""
    if not user.has_perm("cms.support_idea", idea):
        raise PermissionDenied
    try:
        with transaction.atomic():
            IdeaSupport.objects.create(idea=idea, user=user)
            Idea.objects.filter(pk=idea.pk).update(supporter_count=F("supporter_count") + 1)
            _audit(actor=user, action=A.CREATE, event="idea.support", obj=idea)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def idea_withdraw_support(*, user, idea: Idea) -> bool:
    deleted, _ = IdeaSupport.objects.filter(idea=idea, user=user).delete()
    if deleted:
        Idea.objects.filter(pk=idea.pk, supporter_count__gt=0).update(
            supporter_count=F("supporter_count") - 1
        )
        _audit(actor=user, action=A.DELETE, event="idea.unsupport", obj=idea)
    return bool(deleted)


# --- Comments ----------------------------------------------------------------


@transaction.atomic
def comment_add(*, user, idea: Idea, body: str) -> IdeaComment:
    if not user.has_perm("cms.comment_idea", idea):
        raise PermissionDenied
    rate_limit_hit(user=user, action="comment")
    comment = IdeaComment.objects.create(idea=idea, author=user, body=body.strip())
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    _audit(
        actor=user, action=A.CREATE, event="idea.comment", obj=idea, details={"comment": comment.pk}
    )
    if idea.author_id != user.pk:
        notify(
            recipient=idea.author,
            title=f"New comment on your idea “{idea.title}”",
            url=idea.get_absolute_url() + f"#comment-{comment.pk}",
            kind="idea_comment",
            email=False,
        )
    return comment


@transaction.atomic
def comment_edit(*, user, comment: IdeaComment, body: str) -> IdeaComment:
    comment = IdeaComment.objects.select_for_update().get(pk=comment.pk)
    if not user.has_perm("cms.change_ideacomment", comment):
        raise PermissionDenied("Comments can be changed by their author for 15 minutes")
    comment.body = body.strip()
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    _audit(
        actor=user,
        action=A.UPDATE,
        event="idea.comment_edit",
        obj=comment.idea,
        details={"comment": comment.pk},
    )
    return comment


@transaction.atomic
def comment_delete(*, user, comment: IdeaComment) -> IdeaComment:
    """Soft delete: the text goes, a trace of who removed it and when stays."""
    comment = IdeaComment.objects.select_for_update().get(pk=comment.pk)
    if not user.has_perm("cms.delete_ideacomment", comment):
        raise PermissionDenied
    comment.body = ""
    comment.deleted_at = timezone.now()
    comment.deleted_by = user
    comment.save(update_fields=["body", "deleted_at", "deleted_by"])
    Idea.objects.filter(pk=comment.idea_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
    _audit(
        actor=user,
        action=A.DELETE,
        event="idea.comment_delete",
        obj=comment.idea,
        details={"comment": comment.pk},
    )
    return comment


# --- Stories -----------------------------------------------------------------


def _paragraphs_html(text: str) -> str:
    """Plain text from a form → escaped rich-text paragraphs (never raw HTML)."""
    parts = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br/>')}</p>" for p in parts)


def _unique_slug(parent, title: str) -> str:
    base = slugify(title)[:60] or "story"
    slug, n = base, 1
    existing = set(
        parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True)
    )
    while slug in existing:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _story_index():
    index = StoryIndexPage.objects.order_by("path").first()
    if index is None:
        raise ValidationError("There is no story index page yet: ask a comms editor to create one")
    return index


@transaction.atomic
def story_create_from_idea(*, user, idea: Idea) -> InnovationStoryPage:
    """An adopted idea becomes a draft story, prefilled and linked both ways
    (story.source_idea and idea.stories), for a comms editor to finish."""
    if not user.has_perm("cms.create_story_from_idea", idea):
        raise PermissionDenied
    existing = idea.stories.first()
    if existing is not None:
        return existing
    index = _story_index()
    adopted = (
        idea.status_changes.filter(to_status=IdeaStatus.ADOPTED).order_by("-created_at").first()
    )
    body = [
        {"type": "text", "value": "<h2>What mattered</h2>" + _paragraphs_html(idea.what_matters)},
        {"type": "text", "value": "<h2>The idea</h2>" + _paragraphs_html(idea.description)},
    ]
    if adopted is not None:
        body.append(
            {
                "type": "text",
                "value": "<h2>Why it was adopted</h2>" + _paragraphs_html(adopted.reason),
            }
        )
    story = InnovationStoryPage(
        title=idea.title,
        slug=_unique_slug(index, idea.title),
        summary=(idea.what_matters[:297] + "…")
        if len(idea.what_matters) > 300
        else idea.what_matters,
        body=body,
        source_idea=idea,
        live=False,
        owner=user,
        content_owner=user,
    )
    # Parental many-to-many values are held in memory and saved with the page.
    story.values.set([idea.value])
    if idea.organisation is not None:
        story.organisations.set([idea.organisation])
    if idea.neighbourhood is not None:
        story.neighbourhoods.set([idea.neighbourhood])
    person = getattr(idea.author, "person", None)
    if person is not None:
        story.people.set([person])
    index.add_child(instance=story)
    story.save_revision(user=user, log_action=True)
    _audit(
        actor=user,
        action=A.CREATE,
        event="idea.story_created",
        obj=idea,
        details={"page": story.pk},
    )
    notify(
        recipient=idea.author,
        title=f"Your idea “{idea.title}” is becoming a story",
        body="A comms editor will finish and publish it.",
        url=idea.get_absolute_url(),
        kind="idea_story",
        email=False,
    )
    story_draft_tell_comms_editors(
        story=story, actor=user, body="Made from an adopted idea. Finish it and publish it."
    )
    return story


def story_draft_tell_comms_editors(*, story: InnovationStoryPage, actor, body: str) -> int:
    """Tell every comms editor (but the one who made it) that a story draft
    waits for them, on the site and by email, linking to the page editor.
    The Wagtail dashboard lists the same drafts (cms.wagtail_hooks)."""
    from django.contrib.auth import get_user_model

    editors = (
        get_user_model()
        .objects.filter(groups__name=COMMS_EDITOR, is_active=True)
        .exclude(pk=getattr(actor, "pk", None))
        .distinct()
    )
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    sent = 0
    for editor in editors:
        notify(
            recipient=editor,
            title=f"A story draft waits for you: “{story.title}”",
            body=body,
            url=url,
            kind="story_draft",
        )
        sent += 1
    return sent


@transaction.atomic
def story_submit_draft(
    *, user, title: str, summary: str, text: str, values=()
) -> InnovationStoryPage:
    """Staff write a story on the front end: a draft page, submitted to the
    comms-editor approval workflow. Nothing is published without approval."""
    if not user.has_perm("cms.write_story"):
        raise PermissionDenied
    rate_limit_hit(user=user, action="story")
    index = _story_index()
    story = InnovationStoryPage(
        title=title,
        slug=_unique_slug(index, title),
        summary=summary,
        body=[{"type": "text", "value": _paragraphs_html(text)}],
        live=False,
        owner=user,
        content_owner=user,
    )
    story.values.set(list(values))
    person = getattr(user, "person", None)
    if person is not None:
        story.people.set([person])
    index.add_child(instance=story)
    story.save_revision(user=user, log_action=True)
    workflow = story.get_workflow()
    if workflow is not None:
        workflow.start(story, user)
    _audit(actor=user, action=A.CREATE, event="story.submit", obj=story)
    story_draft_tell_comms_editors(
        story=story,
        actor=user,
        body=f"Written by {user.get_full_name() or user.email} and sent for approval.",
    )
    return story
