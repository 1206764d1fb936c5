"""Organisational roles are groups (seeded by a data migration). Relationship
roles — line manager, panellist, rater — come from the data, never a group."""

import rules

STAFF = "Staff"
HIRING_PANEL = "Hiring panel member"
RECRUITING_MANAGER = "Recruiting manager"
HR_ADMIN = "HR admin"
SURVEY_ADMIN = "Survey admin"
COMMS_EDITOR = "Comms editor"
INNOVATION_LEAD = "Innovation lead"

ALL_GROUPS = [
    STAFF,
    HIRING_PANEL,
    RECRUITING_MANAGER,
    HR_ADMIN,
    SURVEY_ADMIN,
    COMMS_EDITOR,
    INNOVATION_LEAD,
]

is_hr_admin = rules.is_group_member(HR_ADMIN)
is_survey_admin = rules.is_group_member(SURVEY_ADMIN)
is_recruiting_manager = rules.is_group_member(RECRUITING_MANAGER)
is_comms_editor = rules.is_group_member(COMMS_EDITOR)
is_hiring_panel_member = rules.is_group_member(HIRING_PANEL)
is_innovation_lead = rules.is_group_member(INNOVATION_LEAD)


@rules.predicate
def has_person(user):
    return user.is_authenticated and hasattr(user, "person")


def person_of(user):
    """The signed-in user's Person, or None (e.g. a superuser without a profile)."""
    if not user.is_authenticated:
        return None
    try:
        return user.person
    except Exception:
        return None


def in_group(user, name: str) -> bool:
    if not user.is_authenticated:
        return False
    return name in group_names(user)


def group_names(user) -> set[str]:
    """The user's group names, fetched once per request (user object). Shares
    the attribute `rules.is_group_member` and the MFA middleware use, so one
    query serves all three."""
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_group_names_cache", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._group_names_cache = cache
    return cache
