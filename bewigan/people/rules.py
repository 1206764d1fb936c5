"""Who may see whose profile. Declared once; views ask `user.has_perm`."""

import rules

from bewigan.partners.boundaries import HR, organisation_in_reach, person_in_reach

from .roles import is_hr_admin, person_of


@rules.predicate
def is_self(user, person):
    return person is not None and person.user_id == user.id


@rules.predicate
def is_in_line_above(user, person):
    """The user manages the person directly or indirectly."""
    me = person_of(user)
    if me is None or person is None:
        return False
    from .models import Person

    return Person.objects.managers_of(person).filter(pk=me.pk).exists()


@rules.predicate
def is_hr_admin_for(user, person):
    """HR admins of the person's organisation, or of one it has granted
    access for HR (`bewigan.partners.boundaries`)."""
    if person is None:
        return False
    if user.is_superuser:
        return True
    return bool(is_hr_admin(user) and person_in_reach(user, person, HR))


# Every member of staff can see a colleague's working profile (name, job,
# teams): that is what an intranet directory is for. Personal details
# (employee number, dates) are for the person, their line and HR.
rules.add_perm("people.view_person", rules.is_authenticated)
rules.add_perm("people.view_person_details", is_self | is_in_line_above | is_hr_admin_for)
rules.add_perm("people.import_people", is_hr_admin)
rules.add_perm("people.invite_person", is_hr_admin)
rules.add_perm("people.view_audit_log", is_hr_admin)


@rules.predicate
def is_hr_admin_of_organisation(user, organisation):
    """HR admins import people for their own organisation, and for those
    that granted theirs access for HR."""
    if organisation is None:
        return False
    return bool(is_hr_admin(user) and organisation_in_reach(user, organisation, HR))


rules.add_perm(
    "people.import_people_for_organisation", rules.is_superuser | is_hr_admin_of_organisation
)
