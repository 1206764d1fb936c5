"""Who may do what in recruitment. Organisational roles come from groups;
panel seats and vacancy ownership come from the data. Views ask
`user.has_perm("recruitment.<verb>_<model>", obj)`; selectors prefetch the
panel so these checks cost no queries."""

import rules

from bewigan.partners.boundaries import HR, organisation_in_reach
from bewigan.people.roles import HIRING_PANEL, HR_ADMIN, RECRUITING_MANAGER, in_group


@rules.predicate
def is_hr(user):
    return bool(user.is_authenticated and (user.is_superuser or in_group(user, HR_ADMIN)))


@rules.predicate
def is_hr_in_reach(user, obj=None):
    """HR admins act on the vacancies (and their candidates and interviews)
    of their own organisation and of those that granted theirs access for HR
    (`bewigan.partners.boundaries`). Without an object: any HR admin."""
    if not is_hr(user):
        return False
    if obj is None or user.is_superuser:
        return True
    vacancy = _vacancy(obj)
    return vacancy is not None and organisation_in_reach(user, vacancy.organisation_id, HR)


@rules.predicate
def is_recruiter(user):
    return bool(user.is_authenticated and in_group(user, RECRUITING_MANAGER))


@rules.predicate
def is_panel_group(user):
    return bool(user.is_authenticated and in_group(user, HIRING_PANEL))


def _vacancy(obj):
    if obj is None:
        return None
    if hasattr(obj, "recruiting_manager_id"):
        return obj
    if hasattr(obj, "candidate"):  # an Interview
        return obj.candidate.vacancy
    return getattr(obj, "vacancy", None)


def panel_seat(user, obj):
    vacancy = _vacancy(obj)
    if vacancy is None or not user.is_authenticated:
        return None
    for member in vacancy.panel.all():  # prefetched by the selectors
        if member.user_id == user.id:
            return member
    return None


@rules.predicate
def manages_vacancy(user, obj):
    vacancy = _vacancy(obj)
    return vacancy is not None and vacancy.recruiting_manager_id == user.id


@rules.predicate
def sits_on_panel(user, obj):
    return panel_seat(user, obj) is not None


@rules.predicate
def chairs_panel(user, obj):
    seat = panel_seat(user, obj)
    return seat is not None and seat.is_chair


@rules.predicate
def interview_undecided(user, interview):
    return interview is not None and not hasattr_decision(interview)


def hasattr_decision(interview) -> bool:
    from .models import Decision

    try:
        return interview.decision is not None
    except Decision.DoesNotExist:
        return False


rules.add_perm("recruitment.view_bank", is_hr | is_recruiter | is_panel_group)
rules.add_perm("recruitment.change_bank", is_hr | is_recruiter)
rules.add_perm("recruitment.approve_question", is_hr | is_recruiter)
rules.add_perm("recruitment.add_vacancy", is_hr | is_recruiter)
rules.add_perm("recruitment.view_vacancy", is_hr_in_reach | manages_vacancy | sits_on_panel)
rules.add_perm("recruitment.change_vacancy", is_hr_in_reach | manages_vacancy)
rules.add_perm("recruitment.view_interview", is_hr_in_reach | manages_vacancy | sits_on_panel)
rules.add_perm("recruitment.score_interview", sits_on_panel & interview_undecided)
# The consensus page shows everyone's scores: who else may see them is
# decided per interview by `selectors.may_see_panel_scores`.
rules.add_perm(
    "recruitment.decide_interview",
    (is_hr_in_reach | manages_vacancy | chairs_panel) & interview_undecided,
)
rules.add_perm("recruitment.edit_feedback", is_hr_in_reach | manages_vacancy | chairs_panel)
rules.add_perm("recruitment.view_candidate_data", is_hr_in_reach)
rules.add_perm("recruitment.link_candidate", is_hr_in_reach)
rules.add_perm("recruitment.view_analytics", is_hr)
