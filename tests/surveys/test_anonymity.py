"""Each anonymity invariant, proved."""

import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from bewigan.people.models import TeamMembership
from surveys import conf
from surveys.models import (
    Answer,
    Comment,
    Draft,
    GroupResult,
    Participation,
    QuestionResult,
    Response,
    Survey,
)
from surveys.services import Submission, draft_save, response_submit, wave_release_answers

from .factories import make_member

PERSONAL_MODELS = {"core.user", "people.person"}

pytestmark = pytest.mark.django_db


def _submission(wave, value=4, enps=9, comment="More time with residents"):
    scores, comments = {}, {}
    for item in wave.survey.items.select_related("question"):
        q = item.question
        if q.kind == "agreement":
            scores[q.pk] = value
        elif q.kind == "enps":
            scores[q.pk] = enps
        elif q.kind == "single":
            scores[q.pk] = 1
        elif q.kind == "text":
            comments[q.pk] = comment
    return Submission(scores=scores, multiple={}, comments=comments)


@pytest.mark.parametrize("model", [Response, Answer, Comment])
def test_answer_tables_hold_no_person_no_fine_time_and_random_ids(model):
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model is not None:
            assert field.related_model._meta.label_lower not in PERSONAL_MODELS, field
            assert field.related_model is not Participation
        assert not isinstance(field, (models.DateTimeField, models.TimeField)), field
        assert "email" not in field.name and "user" not in field.name and "person" not in field.name
    pk = model._meta.pk
    assert isinstance(pk, models.BigIntegerField) and not isinstance(pk, models.AutoField)
    assert callable(pk.default)


def test_participation_cannot_be_joined_to_answers():
    fields = {f.name for f in Participation._meta.get_fields()}
    assert fields == {"id", "wave", "person"}, "no date, no response link"
    response_fields = {f.name for f in Response._meta.get_fields()}
    # The only thing they share is the wave.
    assert (fields & response_fields) - {"id"} == {"wave"}
    assert not isinstance(Participation._meta.pk, models.AutoField)


def test_random_ids_share_nothing_with_participation(open_wave, organisation, team):
    """Ids carry no order. (Physical order, transaction ids and times are
    attacked in test_linkage_attacks.py.)"""
    people = [make_member(organisation, team) for _ in range(12)]
    for person in people:
        response_submit(wave=open_wave, person=person, submission=_submission(open_wave))
    wave_release_answers(open_wave, final=True)
    participation_ids = list(
        Participation.objects.filter(wave=open_wave, person__in=people)
        .order_by("id")
        .values_list("person_id", flat=True)
    )
    assert participation_ids != [p.pk for p in people]
    response_ids = list(Response.objects.filter(wave=open_wave).values_list("id", flat=True))
    assert len(set(response_ids)) == 12
    assert min(response_ids) > 2**40  # random 62-bit, not a sequence
    assert not set(response_ids) & set(Participation.objects.values_list("id", flat=True))


def test_coarse_attributes_are_captured_at_submission(open_wave, staff, team, other_team):
    response_submit(wave=open_wave, person=staff.person, submission=_submission(open_wave))
    TeamMembership.objects.filter(person=staff.person).update(team=other_team)
    wave_release_answers(open_wave, final=True)
    response = Response.objects.get(wave=open_wave)
    assert response.team_id == team.pk
    assert response.organisation_id == staff.person.organisation_id
    assert Comment.objects.get(wave=open_wave).team_id == team.pk


def test_draft_is_keyed_to_the_person_and_deleted_at_submission(open_wave, staff):
    draft_save(wave=open_wave, person=staff.person, data={"x": ["1"]})
    assert Draft.objects.filter(person=staff.person).exists()
    response_submit(wave=open_wave, person=staff.person, submission=_submission(open_wave))
    assert not Draft.objects.filter(person=staff.person).exists()


@pytest.mark.parametrize(
    "model", [Response, Answer, Comment, Participation, Draft, GroupResult, QuestionResult]
)
def test_raw_responses_are_not_in_the_admin_site(model):
    assert not admin.site.is_registered(model)


def test_superuser_cannot_browse_answers_in_the_admin(client, db, settings):
    from tests.people.factories import UserFactory

    settings.BEWIGAN_MFA_EXEMPT_EMAILS = ["root@wigan.gov.uk"]
    boss = UserFactory(email="root@wigan.gov.uk", is_staff=True, is_superuser=True)
    client.force_login(boss)
    for path in [
        "/django-admin/surveys/answer/",
        "/django-admin/surveys/response/",
        "/django-admin/surveys/comment/",
        "/django-admin/surveys/participation/",
    ]:
        assert client.get(path).status_code == 404
    assert client.get("/django-admin/surveys/wave/").status_code == 200  # the admin itself works


def test_minimum_group_size_never_below_five(db, settings):
    survey = Survey(title="Tiny", min_group_size=3, min_comment_group_size=10)
    with pytest.raises(ValidationError):
        survey.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(title="Tiny", min_group_size=4, min_comment_group_size=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Survey.objects.create(title="Tiny2", min_group_size=6, min_comment_group_size=5)
    settings.SURVEYS_MIN_GROUP_SIZE = 2
    assert conf.min_group_size() == 5  # clamped
    assert [e.id for e in conf.check_minimums()] == ["surveys.E001"]
    settings.SURVEYS_MIN_GROUP_SIZE = 7
    settings.SURVEYS_MIN_COMMENT_GROUP_SIZE = 6
    assert conf.min_group_size() == 7
    assert conf.min_comment_group_size() == 7  # never below the score minimum
    assert conf.check_minimums() == []


def test_no_submission_time_is_stored_anywhere(open_wave, staff):
    before = timezone.now() - datetime.timedelta(seconds=1)
    response_submit(wave=open_wave, person=staff.person, submission=_submission(open_wave))
    wave_release_answers(open_wave, final=True)
    for model in (Response, Answer, Comment, Participation):
        row = model.objects.values().first()
        assert row is not None, model
        for value in row.values():
            assert not isinstance(value, datetime.datetime) or value < before
