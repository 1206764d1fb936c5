"""Reads for people pages. Each returns everything its page needs, so the
page's query count is settled here and does not grow with the data."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from bewigan.partners.boundaries import HR, filter_in_reach

from .models import Organisation, Person, TeamMembership
from .pickers import suggestions


@dataclass
class Profile:
    person: Person
    memberships: list[TeamMembership]
    direct_reports: list[Person]
    all_reports_count: int
    show_details: bool


def person_for_user(*, user) -> Person | None:
    """The signed-in user's own profile with what every page shows of it."""
    return Person.objects.with_people().filter(user=user).first()


def person_get_for_user(*, user, pk: int) -> Person:
    """Any signed-in member of staff may see a colleague's working profile;
    404 for a missing person."""
    person = Person.objects.with_people().filter(pk=pk).first()
    if person is None or not user.has_perm("people.view_person", person):
        raise Http404
    return person


def profile_for(*, user, person: Person) -> Profile:
    memberships = list(
        TeamMembership.objects.current()
        .filter(person=person)
        .select_related("team__organisation", "team__neighbourhood")
    )
    direct_reports = list(
        Person.objects.active()
        .filter(line_manager=person)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    all_reports_count = Person.objects.active().reports_of(person).count()
    return Profile(
        person=person,
        memberships=memberships,
        direct_reports=direct_reports,
        all_reports_count=all_reports_count,
        show_details=user.has_perm("people.view_person_details", person),
    )


# --- The people finder -----------------------------------------------------------------------

FINDER_PAGE_SIZE = 20


def people_find(*, user, q: str = "", organisation_id: int | None = None, page: int = 1):
    """Active staff matching every word of `q` in their name, job title,
    team or organisation: working details only, as every signed-in member of
    staff sees on a profile (`people.view_person`). A Django Page of people,
    each with `current_memberships`; three queries whatever the page size
    (count, people, their current teams)."""
    if not user.has_perm("people.view_person"):
        return Paginator(Person.objects.none(), FINDER_PAGE_SIZE).get_page(1)
    people = Person.objects.active()
    for word in q.split()[:6]:
        in_team = TeamMembership.objects.current().filter(
            person=OuterRef("pk"), team__name__icontains=word
        )
        people = people.filter(
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__short_name__iexact=word)
            | Exists(in_team)
        )
    if organisation_id:
        people = people.filter(organisation_id=organisation_id)
    people = (
        people.select_related("user", "organisation")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.current().select_related("team"),
                to_attr="current_memberships",
            )
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )
    return Paginator(people, FINDER_PAGE_SIZE).get_page(page)


def organisations_for_finder():
    return list(Organisation.objects.order_by("name").values_list("pk", "name"))


def colleague_suggestions(
    *, user, q: str, scope: str = "", organisation_ids: list[int] | None = None
) -> list[Person]:
    """Up to 10 active colleagues for a picker, by the start of their names or
    email. `scope="hr"` narrows to the user's HR reach (break-glass);
    `organisation_ids` to those organisations (a panel's). Only narrows what
    is offered: each form checks the choice again."""
    if not user.has_perm("people.view_person"):
        return []
    people = Person.objects.active()
    if scope == "hr":
        people = filter_in_reach(people, user, HR)
    if organisation_ids:
        people = people.filter(organisation_id__in=organisation_ids)
    return suggestions(queryset=people, q=q)
