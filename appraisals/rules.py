"""Who may do what with my-time records. Declared once.

Relationship roles come from the data: "the person" is the conversation's
subject; "their manager" is the person's CURRENT line manager (so a new
manager sees the shared history and a previous manager stops seeing it).

Check with `can(user, perm, obj)`, not `user.has_perm`: Django's ModelBackend
answers True to every permission for a superuser, and nobody (superusers
included) may read another person's my-time records by default.
"""

import rules
from django.utils import timezone

from bewigan.partners.boundaries import HR, person_in_reach
from bewigan.people.roles import is_hr_admin, person_of


def can(user, perm: str, obj=None) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return rules.has_perm(perm, user, obj)


def _me(user):
    return person_of(user)


@rules.predicate
def is_the_person(user, conversation):
    return conversation is not None and conversation.person.user_id == user.id


@rules.predicate
def is_current_manager(user, conversation):
    me = _me(user)
    return (
        me is not None and conversation is not None and conversation.person.line_manager_id == me.pk
    )


@rules.predicate
def held_it_as_manager(user, conversation):
    me = _me(user)
    return me is not None and conversation is not None and conversation.manager_id == me.pk


@rules.predicate
def is_confirmed(user, conversation):
    return conversation is not None and conversation.is_confirmed


@rules.predicate
def has_break_glass(user, conversation):
    """An open break-glass access, while the person is still in the HR
    admin's reach (own organisation or an active HR grant)."""
    if conversation is None or not is_hr_admin(user):
        return False
    from .models import BreakGlassAccess

    if not person_in_reach(user, conversation.person, HR):
        return False

    return BreakGlassAccess.objects.filter(
        hr_user=user, person_id=conversation.person_id, expires_at__gt=timezone.now()
    ).exists()


@rules.predicate
def is_self(user, person):
    return person is not None and person.user_id == user.id


@rules.predicate
def manages(user, person):
    me = _me(user)
    return me is not None and person is not None and person.line_manager_id == me.pk


@rules.predicate
def is_subject(user, feedback_round):
    return feedback_round is not None and feedback_round.subject.user_id == user.id


@rules.predicate
def is_rater(user, feedback_request):
    return feedback_request is not None and feedback_request.rater.user_id == user.id


@rules.predicate
def is_team_member(user, team_time):
    """A current member of the team. Whoever facilitated a team time and has
    since moved team loses access with everyone else who left (issue #8)."""
    me = _me(user)
    if me is None or team_time is None:
        return False
    from bewigan.people.models import TeamMembership

    return TeamMembership.objects.current().filter(person=me, team_id=team_time.team_id).exists()


@rules.predicate
def is_facilitator(user, team_time):
    me = _me(user)
    return me is not None and team_time is not None and team_time.facilitator_id == me.pk


is_party = is_the_person | is_current_manager

rules.add_perm("appraisals.view_conversation", is_party | has_break_glass)
rules.add_perm("appraisals.change_conversation", is_party & ~is_confirmed)
rules.add_perm("appraisals.confirm_conversation", is_party & ~is_confirmed)
rules.add_perm("appraisals.comment_conversation", is_the_person)
rules.add_perm("appraisals.add_talking_point", is_party & ~is_confirmed)
rules.add_perm("appraisals.add_action", is_party)
# Only the manager who held the conversation, while still the manager.
rules.add_perm("appraisals.write_private_note", held_it_as_manager & is_current_manager)

rules.add_perm("appraisals.view_timeline", is_self | manages)
rules.add_perm("appraisals.plan_my_time", is_self | manages)
rules.add_perm("appraisals.request_feedback_for", is_self | manages)
rules.add_perm("appraisals.view_feedback_round", is_subject)
rules.add_perm("appraisals.answer_feedback_request", is_rater)

rules.add_perm("appraisals.view_team_time", is_team_member)
rules.add_perm("appraisals.contribute_team_time", is_team_member)
rules.add_perm("appraisals.facilitate_team_time", is_facilitator & is_team_member)

rules.add_perm("appraisals.view_coverage", is_hr_admin)
rules.add_perm("appraisals.break_glass", is_hr_admin)
rules.add_perm("appraisals.manage_support_routes", is_hr_admin)
