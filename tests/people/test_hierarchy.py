import pytest
from django.db import IntegrityError

from bewigan.people.models import Person
from tests.people.factories import OrganisationFactory, PersonFactory


def _chain(depth, org):
    top = PersonFactory(organisation=org)
    people = [top]
    for _ in range(depth):
        people.append(PersonFactory(organisation=org, line_manager=people[-1]))
    return people


@pytest.mark.django_db
def test_reports_of_returns_direct_and_indirect_reports_in_one_query(django_assert_num_queries):
    org = OrganisationFactory()
    people = _chain(6, org)
    side = PersonFactory(organisation=org, line_manager=people[2])
    with django_assert_num_queries(1):
        ids = set(Person.objects.reports_of(people[0]).values_list("pk", flat=True))
    assert ids == {p.pk for p in people[1:]} | {side.pk}
    assert set(Person.objects.reports_of(people[0], direct_only=True)) == {people[1]}


@pytest.mark.django_db
def test_managers_of_walks_up_the_line(django_assert_num_queries):
    org = OrganisationFactory()
    people = _chain(4, org)
    with django_assert_num_queries(1):
        ids = set(Person.objects.managers_of(people[-1]).values_list("pk", flat=True))
    assert ids == {p.pk for p in people[:-1]}


@pytest.mark.django_db
def test_employee_number_unique_within_an_organisation_only():
    org, other = OrganisationFactory(), OrganisationFactory()
    PersonFactory(organisation=org, employee_number="E1")
    PersonFactory(organisation=other, employee_number="E1")
    with pytest.raises(IntegrityError):
        PersonFactory(organisation=org, employee_number="E1")


@pytest.mark.django_db
def test_person_cannot_manage_themself():
    person = PersonFactory()
    person.line_manager_id = person.pk
    with pytest.raises(IntegrityError):
        person.save()


@pytest.mark.django_db
def test_organisation_kind_change_keeps_history():
    import datetime

    from bewigan.people.services import organisation_change_kind

    org = OrganisationFactory(kind="ccg")
    organisation_change_kind(organisation=org, kind="ccg", on=datetime.date(2013, 4, 1))
    organisation_change_kind(organisation=org, kind="icb", on=datetime.date(2022, 7, 1))
    org.refresh_from_db()
    history = list(org.kind_history.values_list("kind", "valid_from", "valid_to"))
    assert org.kind == "icb"
    assert history == [
        ("ccg", datetime.date(2013, 4, 1), datetime.date(2022, 7, 1)),
        ("icb", datetime.date(2022, 7, 1), None),
    ]
