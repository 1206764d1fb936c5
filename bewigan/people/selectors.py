"""Reads for people pages. Each returns everything its page needs, so the
page's query count is settled here and does not grow with the data."""

from dataclasses import dataclass

from django.http import Http404

from .models import Person, TeamMembership


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
