"""Who may see and do what in surveys. Every number behind these rules is
already an aggregate above the minimum group size: nobody, admins and
superusers included, can reach an individual response.

- survey admins and HR admins: every group's results;
- line managers (team leads, from the data): their teams and the teams below;
- all staff: partnership and own-organisation results once an admin publishes them.
"""

import rules

from bewigan.people.models import Team, TeamMembership
from bewigan.people.roles import is_hr_admin, is_survey_admin, person_of

is_results_admin = is_survey_admin | is_hr_admin


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
rules.add_perm("surveys.view_group", is_results_admin | manages_group | published_to_staff)
rules.add_perm("surveys.add_action", is_results_admin | manages_group)
rules.add_perm("surveys.reply_comment", is_results_admin | manages_group)
