import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from bewigan.people.models import Neighbourhood, Organisation, Person, Team, TeamMembership

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@council.example")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        # HR-provisioned accounts have a verified work address.
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get_or_create(name=name)[0])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    short_name = factory.Sequence(lambda n: f"Org{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    kind = Organisation.Kind.COUNCIL
    email_domains = factory.LazyAttribute(lambda o: [f"{o.slug}.example"])


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    slug = factory.Sequence(lambda n: f"hood-{n}")
    population = 40_000


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    code = factory.Sequence(lambda n: f"team-{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    job_title = "Support worker"
    start_date = factory.Faker("date_between", start_date="-8y", end_date="-1m")


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    person = factory.SubFactory(PersonFactory)
    team = factory.SubFactory(TeamFactory)
    start_date = factory.Faker("date_between", start_date="-5y", end_date="-1m")
