"""Who may see and do what in surveys. Every number behind these rules is
already an aggregate above the minimum group size: nobody, admins and
superusers included, can reach an individual response.

- survey admins and HR admins: partnership-wide groups (everyone, age
  bands, neighbourhoods), and the organisation and team groups of the
  organisations in their reach for surveys: their own and those with an
  active data-sharing grant to it (`bewigan.partners.boundaries`). Comments of
  partnership-wide groups need the whole partnership in reach;
- line managers (team leads, from the data): their teams and the teams below;
- all staff: partnership and own-organisation results once an admin publishes them.
"""

import rules

from bewigan.partners.boundaries import SURVEYS, has_full_reach, organisations_in_reach
from bewigan.people.models import Team, TeamMembership
from bewigan.people.roles import is_hr_admin, is_survey_admin, person_of

is_results_admin = is_survey_admin | is_hr_admin


def reach_team_ids(user) -> frozenset[int]:
    """Teams whose results a survey or HR admin may open: the teams of the
    organisations in their reach for surveys, less cross-organisation teams
    with a current member from an organisation outside it (2 queries, cached
    per request user)."""
    reach = organisations_in_reach(user, SURVEYS)
    cached = getattr(user, "_surveys_reach_teams", None)
    if cached is not None and cached[0] == reach:
        return cached[1]
    teams = list(
        Team.objects.filter(organisation_id__in=reach).values_list("id", "is_cross_organisation")
    )
    cross = [pk for pk, is_cross in teams if is_cross]
    outside = set()
    if cross:
        outside = set(
            TeamMembership.objects.current()
            .filter(team_id__in=cross)
            .exclude(person__organisation_id__in=reach)
            .values_list("team_id", flat=True)
        )
    out = frozenset(pk for pk, _ in teams if pk not in outside)
    user._surveys_reach_teams = (reach, out)
    return out


def _partnership_scope(base: str) -> bool:
    """Everyone, or a neighbourhood: aggregates across every partner, not
    broken down by organisation."""
    return base == "all" or base.startswith("hood:")


def _scope_in_reach(user, group) -> bool:
    base = group.scope.split("|", 1)[0]
    if base.startswith("org:"):
        return int(base[4:]) in organisations_in_reach(user, SURVEYS)
    if base.startswith("team:"):
        teams = reach_team_ids(user)
        return all(int(t) in teams for t in (group.team_ids or [base[5:]]))
    return False


@rules.predicate
def group_in_reach(user, group) -> bool:
    """A partnership-wide group, or an organisation or team group of an
    organisation in the admin's reach for surveys."""
    if group is None:
        return False
    if user.is_superuser or _partnership_scope(group.scope.split("|", 1)[0]):
        return True
    return _scope_in_reach(user, group)


@rules.predicate
def group_wholly_in_reach(user, group) -> bool:
    """Every respondent of the group belongs to an organisation in reach
    (for comments, which are words rather than numbers)."""
    if group is None:
        return False
    if _partnership_scope(group.scope.split("|", 1)[0]):
        return has_full_reach(user, SURVEYS)
    return user.is_superuser or _scope_in_reach(user, group)


def managed_team_ids(user) -> set[int]:
    """Teams a person leads now, and every team below them (2 queries, cached per request user)."""
    cached = getattr(user, "_surveys_managed_teams", None)
    if cached is not None:
        return cached
    person = person_of(user)
    out: set[int] = set()
    if person is not None:
        led = set(
            TeamMembership.objects.current()
            .filter(person=person, role=TeamMembership.Role.LEAD)
            .values_list("team_id", flat=True)
        )
        if led:
            children: dict[int, list[int]] = {}
            for pk, parent in Team.objects.values_list("id", "parent_id"):
                if parent is not None:
                    children.setdefault(parent, []).append(pk)
            stack = list(led)
            while stack:
                t = stack.pop()
                if t not in out:
                    out.add(t)
                    stack.extend(children.get(t, []))
    user._surveys_managed_teams = out
    return out


def scope_team_id(scope: str) -> int | None:
    if scope.startswith("team:") and "|" not in scope:
        return int(scope[5:])
    return None


@rules.predicate
def manages_group(user, group) -> bool:
    team = scope_team_id(group.scope)
    return team is not None and team in managed_team_ids(user)


@rules.predicate
def published_to_staff(user, group) -> bool:
    if not group.wave.results_published:
        return False
    person = person_of(user)
    base = group.scope.split("|", 1)[0]
    return base == "all" or (person is not None and base == f"org:{person.organisation_id}")


rules.add_perm("surveys.manage_surveys", is_survey_admin)
rules.add_perm("surveys.view_all_results", is_results_admin)
rules.add_perm(
    "surveys.view_group", (is_results_admin & group_in_reach) | manages_group | published_to_staff
)
rules.add_perm("surveys.add_action", (is_results_admin & group_in_reach) | manages_group)
rules.add_perm("surveys.reply_comment", (is_results_admin & group_wholly_in_reach) | manages_group)
# Comments of a group are shown to whoever may read them (see selectors.comments_for).
rules.add_perm(
    "surveys.read_comments",
    (is_results_admin & group_wholly_in_reach) | manages_group | published_to_staff,
)
