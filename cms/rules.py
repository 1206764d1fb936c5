"""Who may do what with ideas and stories (object rules, checked in views
with `user.has_perm(perm, obj)`). Reading ideas is open to every signed-in
member of staff; changing them is not."""

import rules
from django.utils import timezone

from bewigan.people.roles import is_comms_editor, is_innovation_lead

from .models import IdeaComment, IdeaStatus


@rules.predicate
def is_signed_in(user):
    return user.is_authenticated


@rules.predicate
def is_idea_author(user, idea):
    return idea is not None and idea.author_id == user.pk


@rules.predicate
def idea_is_unanswered(user, idea):
    # An author edits their idea only until someone starts looking at it.
    return idea is not None and idea.status == IdeaStatus.SUBMITTED


@rules.predicate
def idea_is_open(user, idea):
    return idea is not None and idea.status not in (IdeaStatus.MERGED,)


@rules.predicate
def idea_is_adopted(user, idea):
    return idea is not None and idea.status == IdeaStatus.ADOPTED


@rules.predicate
def is_comment_author(user, comment):
    return comment is not None and comment.author_id == user.pk


@rules.predicate
def comment_in_edit_window(user, comment):
    return (
        comment is not None
        and comment.deleted_at is None
        and timezone.now() < comment.created_at + IdeaComment.EDIT_WINDOW
    )


@rules.predicate
def comment_not_deleted(user, comment):
    return comment is not None and comment.deleted_at is None


rules.add_perm("cms.add_idea", is_signed_in)
rules.add_perm("cms.change_idea", is_idea_author & idea_is_unanswered)
rules.add_perm("cms.change_idea_status", is_innovation_lead)
rules.add_perm("cms.assign_idea", is_innovation_lead)
rules.add_perm("cms.triage_ideas", is_innovation_lead)
rules.add_perm("cms.support_idea", is_signed_in & ~is_idea_author & idea_is_open)
rules.add_perm("cms.comment_idea", is_signed_in & idea_is_open)
rules.add_perm("cms.change_ideacomment", is_comment_author & comment_in_edit_window)
rules.add_perm(
    "cms.delete_ideacomment", comment_not_deleted & (is_comment_author | is_innovation_lead)
)
rules.add_perm(
    "cms.create_story_from_idea", idea_is_adopted & (is_innovation_lead | is_comms_editor)
)
rules.add_perm("cms.write_story", is_signed_in)
