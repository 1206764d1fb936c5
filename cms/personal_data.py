"""The intranet's personal data (issue #16): ideas, comments and support in
subject access packs; story tags removed on erasure; deleted comments'
traces on the retention schedule; ideas a leaver looked after. Run by
bewigan.privacy through settings.BEWIGAN_PERSONAL_DATA.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from bewigan.core.personal_data_types import (
    DELETE,
    FREE,
    FreeText,
    HandoverKind,
    Holdable,
    Owned,
    PersonalData,
    RetentionKind,
    Subject,
    delete_all,
    deleted,
    section,
)
from bewigan.people.models import Person

from .models import Idea, IdeaComment, IdeaStatus, IdeaSupport, InnovationStoryPage

# --- Subject access ------------------------------------------------------------------


def _ideas(s: Subject) -> list[dict]:
    u = s.user
    ideas = section(
        "ideas",
        "Ideas you shared",
        "Ideas you submitted to the ideas board.",
        [
            ("title", "Title", FREE),
            ("what_matters", "What matters", FREE),
            ("description", "The idea", FREE),
            ("support_detail", "Support needed", FREE),
            ("value", "Value", "text"),
            ("status", "Status", "text"),
            ("created", "Shared", "datetime"),
        ],
        [
            {
                "title": i.title,
                "what_matters": i.what_matters,
                "description": i.description,
                "support_detail": i.support_detail,
                "value": i.value.name,
                "status": i.get_status_display(),
                "created": i.created_at,
            }
            for i in Idea.objects.filter(author=u).select_related("value").order_by("created_at")
        ],
    )
    comments = section(
        "idea_comments",
        "Comments on ideas",
        "Comments you wrote on ideas, including any later removed from view.",
        [
            ("idea", "Idea", "text"),
            ("body", "Comment", FREE),
            ("created", "Written", "datetime"),
            ("edited", "Edited", "datetime"),
            ("deleted", "Removed", "datetime"),
        ],
        [
            {
                "idea": c.idea.title,
                "body": c.body,
                "created": c.created_at,
                "edited": c.edited_at,
                "deleted": c.deleted_at,
            }
            for c in IdeaComment.objects.filter(author=u)
            .select_related("idea")
            .order_by("created_at")
        ],
    )
    supports = section(
        "idea_supports",
        "Ideas you supported",
        "Ideas you added your support to.",
        [("idea", "Idea", "text"), ("when", "When", "datetime")],
        [
            {"idea": x.idea.title, "when": x.created_at}
            for x in IdeaSupport.objects.filter(user=u)
            .select_related("idea")
            .order_by("created_at")
        ],
    )
    stories = section(
        "stories",
        "Stories about you",
        "Intranet stories that name you as one of the people involved.",
        [("title", "Title", "text"), ("date", "Date", "date"), ("published", "Published", "bool")],
        [
            {"title": page.title, "date": page.date, "published": page.live}
            for page in InnovationStoryPage.objects.filter(people=s.person).order_by("date")
        ],
    )
    return [ideas, comments, supports, stories]


# --- Erasure -------------------------------------------------------------------------


def erase_person(person, now) -> Counter:
    """Story pages no longer tag them."""
    counts: Counter = Counter()
    through = InnovationStoryPage.people.through
    deleted(counts, "story_tags", through.objects.filter(person=person))
    return counts


# --- Retention -----------------------------------------------------------------------


def _comments_due(cutoff, holds, *, with_holds: bool = True):
    qs = IdeaComment.objects.filter(deleted_at__lt=cutoff.moment)
    if with_holds:
        qs = qs.exclude(author_id__in=sorted(holds.user_ids)).exclude(
            pk__in=holds.ids("cms.ideacomment")
        )
    return {"comments": qs}


RETENTION = [
    RetentionKind(
        key="idea_comments_deleted",
        label="Deleted idea comments",
        records=(
            "The trace of a comment its author or an innovation lead deleted (its text "
            "went at once)."
        ),
        starts="after it was deleted",
        action=DELETE,
        default_months=6,
        minimum_months=1,
        legal_basis="Kept only to answer questions about moderation (UK GDPR Art. 5(1)(e)).",
        held_by="a hold on the comment's author or the comment",
        due=_comments_due,
        apply=delete_all,
    ),
]

# --- Leavers -------------------------------------------------------------------------

OPEN_IDEAS = [
    IdeaStatus.SUBMITTED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SUPPORTED,
    IdeaStatus.TRIALLING,
]


def open_work(person_ids) -> dict[int, list[Owned]]:
    """Open ideas the leavers look after as innovation lead."""
    owned: dict[int, list[Owned]] = defaultdict(list)
    ids = list(person_ids)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        person_of_user = dict(Person.objects.filter(pk__in=chunk).values_list("user_id", "pk"))
        for idea in Idea.objects.filter(
            owner_id__in=list(person_of_user), status__in=OPEN_IDEAS
        ).order_by("created_at", "pk"):
            owned[person_of_user[idea.owner_id]].append(Owned("idea", idea))
    return owned


def _describe_idea(idea, viewer):
    # Every member of staff may read ideas.
    return f"{idea.title} ({idea.get_status_display()})", idea.get_absolute_url()


DECLARATION = PersonalData(
    app="cms",
    person_sections=[(40, "Ideas", _ideas)],
    erase_person=[erase_person],
    count_labels={"story_tags": "Story pages no longer tagging them"},
    free_text=[
        FreeText("cms.Idea", ("title", "what_matters", "description", "support_detail")),
        FreeText("cms.IdeaComment", ("body",)),
    ],
    retention=RETENTION,
    open_work=[open_work],
    handover_kinds=[
        HandoverKind(
            "idea", "idea they look after", "ideas they look after", "Idea", _describe_idea
        )
    ],
    holdable=[Holdable("cms.ideacomment", "Idea comment", "author__person__organisation_id")],
)
