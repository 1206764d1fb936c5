import datetime

import factory
from django.utils import timezone

from bewigan.values.models import Value
from recruitment import services
from recruitment.models import Candidate, EqualityMonitoring, Interview, Question, Vacancy
from recruitment.selectors import plan_questions, rated_values
from tests.people.factories import OrganisationFactory, UserFactory


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Support worker {n}")
    reference = factory.Sequence(lambda n: f"VAC-{n:04d}")
    organisation = factory.SubFactory(OrganisationFactory)
    recruiting_manager = factory.SubFactory(UserFactory)

    @factory.post_generation
    def with_values(self, create, extracted, **kwargs):
        if create and extracted is not False:
            self.values.set(Value.objects.current())


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    vacancy = factory.SubFactory(VacancyFactory)
    first_name = factory.Sequence(lambda n: f"Cand{n}")
    last_name = "Idate"
    email = factory.Sequence(lambda n: f"cand{n}@example.org")
    equality = factory.RelatedFactory(
        "tests.recruitment.factories.EqualityFactory", factory_related_name="candidate"
    )


class EqualityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EqualityMonitoring

    candidate = factory.SubFactory(CandidateFactory, equality=None)


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    candidate = factory.SubFactory(CandidateFactory)
    scheduled_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


def plan_vacancy(vacancy, codes=("POS-01", "ACC-01", "COU-01"), panel=(), chair=None):
    """A vacancy with a plan from the seeded bank and a panel."""
    for code in codes:
        services.plan_question_add(
            user=vacancy.recruiting_manager,
            vacancy=vacancy,
            question=Question.objects.get(code=code),
        )
    if chair is not None:
        services.panel_member_add(
            user=vacancy.recruiting_manager, vacancy=vacancy, member=chair, is_chair=True
        )
    for user in panel:
        services.panel_member_add(user=vacancy.recruiting_manager, vacancy=vacancy, member=user)
    return vacancy


def full_answers(vacancy, score=4, evidence="Clear example"):
    plan = plan_questions(vacancy=vacancy)
    values = rated_values(vacancy=vacancy, plan=plan)
    answers = {
        "questions": {pq.pk: (score, evidence) for pq in plan},
        "values": {v.pk: (score, "Overall good") for v in values},
    }
    return answers, {p.pk for p in plan}, {v.pk for v in values}


def submit(interview, user, score=4):
    answers, plan_ids, value_ids = full_answers(interview.candidate.vacancy, score)
    card = services.scorecard_for(interview=interview, user=user)
    return services.scorecard_submit(
        user=user, scorecard_id=card.pk, answers=answers, plan_ids=plan_ids, value_ids=value_ids
    )


def post_data(vacancy, score=4, action="submit", **extra):
    plan = plan_questions(vacancy=vacancy)
    values = rated_values(vacancy=vacancy, plan=plan)
    data = {"action": action, **extra}
    for pq in plan:
        data[f"q{pq.pk}_score"] = str(score)
        data[f"q{pq.pk}_evidence"] = f"Evidence {score}"
    for v in values:
        data[f"v{v.pk}_score"] = str(score)
        data[f"v{v.pk}_comment"] = "Overall"
    return data
