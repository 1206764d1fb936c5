"""Survey factories and bulk helpers for building results quickly."""

import datetime
import itertools

from django.utils import timezone

from surveys.models import (
    Answer,
    Comment,
    Participation,
    Question,
    Response,
    Survey,
    SurveyQuestion,
    Wave,
)
from tests.people.factories import PersonFactory, TeamMembershipFactory, UserFactory

_counter = itertools.count()


def make_question(kind="agreement", text=None, theme="wellbeing", choices=None):
    return Question.objects.create(
        kind=kind,
        text=text or f"Question {next(_counter)}",
        theme="enps" if kind == "enps" else theme,
        choices=choices or [],
    )


def make_survey(title=None, questions=None, **kwargs):
    survey = Survey.objects.create(title=title or f"Pulse {next(_counter)}", **kwargs)
    if questions is None:
        questions = [
            make_question(text="I can manage my workload.", theme="wellbeing"),
            make_question(text="I get recognition for good work.", theme="recognition"),
            make_question(kind="enps", text="How likely are you to recommend working here?"),
            make_question(
                kind="single",
                text="Where do you work?",
                theme="other",
                choices=["Office", "Community"],
            ),
            make_question(kind="text", text="What would help most?", theme="other"),
        ]
    for i, q in enumerate(questions):
        SurveyQuestion.objects.create(survey=survey, question=q, order=i)
    return survey


def make_wave(survey, *, opens_on=None, closes_on=None, organisations=(), teams=(), number=None):
    today = timezone.localdate()
    wave = Wave.objects.create(
        survey=survey,
        number=number or (survey.waves.count() + 1),
        opens_on=opens_on or today - datetime.timedelta(days=1),
        closes_on=closes_on or today + datetime.timedelta(days=7),
    )
    wave.organisations.set(organisations)
    wave.teams.set(teams)
    return wave


def add_responses(
    wave,
    n,
    *,
    organisation,
    team=None,
    value=4,
    enps=9,
    age_band="",
    comment=None,
    neighbourhood=None,
):
    """Bulk-add n anonymous responses (as the service would store them)."""
    responses = [
        Response(
            wave=wave,
            organisation=organisation,
            team=team,
            neighbourhood=neighbourhood or (team.neighbourhood if team else None),
            age_band=age_band,
        )
        for _ in range(n)
    ]
    Response.objects.bulk_create(responses)
    answers, comments = [], []
    for r in responses:
        for item in wave.survey.items.select_related("question"):
            q = item.question
            if q.kind == "agreement":
                answers.append(_answer(r, q, value))
            elif q.kind == "enps":
                answers.append(_answer(r, q, enps))
            elif q.kind == "single":
                answers.append(_answer(r, q, 0))
            elif q.kind == "text" and comment:
                comments.append(
                    Comment(
                        wave=wave,
                        question=q,
                        organisation=organisation,
                        team=team,
                        neighbourhood=r.neighbourhood,
                        text=comment,
                    )
                )
    Answer.objects.bulk_create(answers)
    Comment.objects.bulk_create(comments)
    return responses


def _answer(response, question, value):
    return Answer(
        response=response,
        wave=response.wave,
        question=question,
        value=value,
        organisation=response.organisation,
        team=response.team,
        neighbourhood=response.neighbourhood,
        age_band=response.age_band,
    )


def make_member(organisation, team, *, role="member", manager=None):
    person = PersonFactory(user=UserFactory(), organisation=organisation, line_manager=manager)
    TeamMembershipFactory(person=person, team=team, role=role, start_date=datetime.date(2020, 1, 1))
    return person


def participate(wave, person):
    return Participation.objects.create(wave=wave, person=person)
