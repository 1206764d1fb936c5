"""What a leaver still owned, described for whoever takes it over.

`open_work(person_ids)` finds everyone's open work in a fixed number of
queries per 2,000 people: my-time and team-time actions they own, "you said,
we did" survey actions they own, ideas they look after as innovation lead,
open vacancies they manage, and colleagues who still report to them.

`describe(owned, viewer=...)` turns one piece into an `OpenItem` that the
viewer may read: the text and a link where the viewer may open the record
(the app's own rules decide), otherwise a neutral line. A my-time action
between the leaver and someone else is named, never quoted, because only the
two people in a my time read it. Notifications (and their emails) carry
counts only; the handover page shows the items.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from bewigan.people.models import Person

CHUNK = 2000

# kind: (one, many)
KINDS = {
    "my_time_action": ("my time action", "my time actions"),
    "team_action": ("team action", "team actions"),
    "survey_action": ("“you said, we did” survey action", "“you said, we did” survey actions"),
    "idea": ("idea they look after", "ideas they look after"),
    "vacancy": ("open vacancy they manage", "open vacancies they manage"),
    "report": ("colleague who needs a new line manager", "colleagues who need a new line manager"),
}
HEADINGS = {
    "my_time_action": "My time action",
    "team_action": "Team action",
    "survey_action": "Survey action",
    "idea": "Idea",
    "vacancy": "Vacancy",
    "report": "Needs a new line manager",
}


@dataclass(frozen=True)
class Owned:
    kind: str
    obj: object
    due: datetime.date | None = None


@dataclass(frozen=True)
class OpenItem:
    kind: str
    heading: str
    text: str
    url: str = ""
    due: datetime.date | None = None


def _chunks(values, size=CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def open_work(person_ids) -> dict[int, list[Owned]]:
    """Each person's open work, oldest due first within each kind."""
    from appraisals.models import Action as MyTimeAction
    from appraisals.models import TeamAction
    from cms.models import Idea, IdeaStatus
    from recruitment.models import Vacancy
    from surveys.models import Action as SurveyAction

    ids = sorted({int(p) for p in person_ids})
    owned: dict[int, list[Owned]] = {pk: [] for pk in ids}
    open_ideas = [
        IdeaStatus.SUBMITTED,
        IdeaStatus.UNDER_REVIEW,
        IdeaStatus.SUPPORTED,
        IdeaStatus.TRIALLING,
    ]
    for chunk in _chunks(ids):
        person_of_user = dict(Person.objects.filter(pk__in=chunk).values_list("user_id", "pk"))
        for a in (
            MyTimeAction.objects.filter(owner_id__in=chunk, done_at__isnull=True)
            .select_related("conversation__person__user", "conversation__manager__user")
            .order_by("due_date", "pk")
        ):
            owned[a.owner_id].append(Owned("my_time_action", a, a.due_date))
        for a in (
            TeamAction.objects.filter(owner_id__in=chunk, done_at__isnull=True)
            .select_related("team", "team_time")
            .order_by("due_date", "pk")
        ):
            owned[a.owner_id].append(Owned("team_action", a, a.due_date))
        for a in (
            SurveyAction.objects.filter(owner_id__in=chunk)
            .exclude(status=SurveyAction.Status.DONE)
            .select_related("wave__survey")
            .order_by("due_on", "pk")
        ):
            owned[a.owner_id].append(Owned("survey_action", a, a.due_on))
        for idea in Idea.objects.filter(
            owner_id__in=list(person_of_user), status__in=open_ideas
        ).order_by("created_at", "pk"):
            owned[person_of_user[idea.owner_id]].append(Owned("idea", idea))
        for vacancy in Vacancy.objects.filter(
            recruiting_manager_id__in=list(person_of_user), status=Vacancy.Status.OPEN
        ).order_by("created_at", "pk"):
            owned[person_of_user[vacancy.recruiting_manager_id]].append(Owned("vacancy", vacancy))
        for report in (
            Person.objects.active()
            .filter(line_manager_id__in=chunk)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        ):
            owned[report.line_manager_id].append(Owned("report", report))
    return owned


def summary_lines(owned: list[Owned]) -> list[str]:
    """'2 my time actions', '1 open vacancy they manage', ... in KINDS order."""
    counts = dict.fromkeys(KINDS, 0)
    for item in owned:
        counts[item.kind] += 1
    return [
        f"{n} {KINDS[kind][0] if n == 1 else KINDS[kind][1]}" for kind, n in counts.items() if n
    ]


def describe(owned: Owned, *, viewer) -> OpenItem:
    describe_kind = {
        "my_time_action": _my_time_action,
        "team_action": _team_action,
        "survey_action": _survey_action,
        "idea": _idea,
        "vacancy": _vacancy,
        "report": _report,
    }[owned.kind]
    text, url = describe_kind(owned.obj, viewer)
    return OpenItem(owned.kind, HEADINGS[owned.kind], text, url, owned.due)


def _my_time_action(action, viewer):
    from appraisals.rules import can

    conversation = action.conversation
    if can(viewer, "appraisals.view_conversation", conversation):
        return action.text, reverse("appraisals:conversation_detail", args=[conversation.pk])
    other = (
        conversation.person if action.owner_id == conversation.manager_id else conversation.manager
    )
    return f"Agreed in a my time with {other.name} (only the two of them can read it)", ""


def _team_action(action, viewer):
    from appraisals.rules import can

    if can(viewer, "appraisals.view_team_time", action.team_time):
        return action.text, reverse("appraisals:team_time_detail", args=[action.team_time_id])
    return f"A team action of {action.team.name}", ""


def _survey_action(action, viewer):
    from surveys.models import GroupResult

    group = GroupResult.objects.filter(wave_id=action.wave_id, scope=action.scope).first()
    if group is not None and viewer.has_perm("surveys.view_group", group):
        url = (
            reverse("surveys:results", args=[action.wave_id])
            + "?"
            + urlencode({"scope": action.scope})
        )
        return f"You said: {action.you_said}", url
    return f"An action from the results of {action.wave}", ""


def _idea(idea, viewer):
    # Every member of staff may read ideas.
    return f"{idea.title} ({idea.get_status_display()})", idea.get_absolute_url()


def _vacancy(vacancy, viewer):
    from recruitment.models import Vacancy

    label = f"{vacancy.title} ({vacancy.reference})"
    if Vacancy.objects.visible_to(viewer).filter(pk=vacancy.pk).exists():
        return label, reverse("recruitment:vacancy_detail", args=[vacancy.pk])
    return label, ""


def _report(person, viewer):
    return person.name, reverse("people:person_detail", args=[person.pk])
