import datetime

import pytest
from django.utils import timezone

from bewigan.core.models import SealedAnswer
from surveys.models import Answer, Comment, Draft, Participation, Question, Response
from surveys.selectors import my_work
from surveys.services import (
    Submission,
    SubmissionRefused,
    answers_channel,
    response_submit,
    wave_release_answers,
)

from .factories import make_member

pytestmark = pytest.mark.django_db


def _post_data(wave, **over):
    data = {}
    for item in wave.survey.items.select_related("question"):
        q = item.question
        if q.kind == "agreement":
            data[f"q{q.pk}"] = "4"
        elif q.kind == "enps":
            data[f"q{q.pk}"] = "8"
        elif q.kind == "single":
            data[f"q{q.pk}"] = "1"
        elif q.kind == "text":
            data[f"q{q.pk}"] = "Fewer meetings please"
    data.update(over)
    return data


def _nothing_saved(wave):
    return not (
        Response.objects.filter(wave=wave).exists()
        or Answer.objects.filter(wave=wave).exists()
        or Comment.objects.filter(wave=wave).exists()
        or Participation.objects.filter(wave=wave).exists()
        or SealedAnswer.objects.filter(channel=answers_channel(wave.pk)).exists()
    )


def test_staff_answer_a_pulse_and_it_leaves_my_work(client_for, staff, open_wave):
    assert [i.due for i in my_work(user=staff)] == [open_wave.closes_on]
    client = client_for(staff)
    page = client.get(f"/surveys/waves/{open_wave.pk}/answer/")
    assert page.status_code == 200 and b"Send my answers" in page.content
    response = client.post(f"/surveys/waves/{open_wave.pk}/answer/", _post_data(open_wave))
    assert response.status_code == 302 and response.url.endswith("/thank-you/")
    assert Participation.objects.filter(wave=open_wave, person=staff.person).count() == 1
    # Sealed until a batch of at least the minimum can be released.
    assert SealedAnswer.objects.filter(channel=answers_channel(open_wave.pk)).count() == 1
    assert not Response.objects.filter(wave=open_wave).exists()
    assert wave_release_answers(open_wave, final=True) == 1
    assert Response.objects.filter(wave=open_wave).count() == 1
    assert Answer.objects.filter(wave=open_wave).count() == 4
    assert Comment.objects.get(wave=open_wave).text == "Fewer meetings please"
    assert my_work(user=staff) == []


def test_out_of_scale_answer_is_refused_with_a_message_and_nothing_saved(
    client_for, staff, open_wave
):
    agree = open_wave.survey.items.get(question__kind="agreement", order=0).question
    client = client_for(staff)
    response = client.post(
        f"/surveys/waves/{open_wave.pk}/answer/", _post_data(open_wave, **{f"q{agree.pk}": "9"})
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert _nothing_saved(open_wave)


def test_service_refuses_out_of_scale_and_unknown_questions(staff, open_wave):
    agree = open_wave.survey.items.get(question__kind="agreement", order=0).question
    enps = open_wave.survey.items.get(question__kind="enps").question
    for scores in ({agree.pk: 6}, {enps.pk: 11}, {agree.pk: 0}, {999999: 3}):
        with pytest.raises(SubmissionRefused):
            response_submit(
                wave=open_wave,
                person=staff.person,
                submission=Submission(scores=scores, multiple={}, comments={}),
            )
    assert _nothing_saved(open_wave)


def test_second_submission_is_refused(client_for, staff, open_wave):
    client = client_for(staff)
    client.post(f"/surveys/waves/{open_wave.pk}/answer/", _post_data(open_wave))
    again = client.post(
        f"/surveys/waves/{open_wave.pk}/answer/", _post_data(open_wave), follow=True
    )
    assert b"already answered" in again.content
    assert SealedAnswer.objects.filter(channel=answers_channel(open_wave.pk)).count() == 1
    full = Submission(scores={}, multiple={}, comments={})
    with pytest.raises(SubmissionRefused, match="already answered|Answer"):
        response_submit(wave=open_wave, person=staff.person, submission=full)


def test_submission_after_close_is_refused(client_for, staff, open_wave):
    open_wave.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    open_wave.save()
    client = client_for(staff)
    response = client.post(
        f"/surveys/waves/{open_wave.pk}/answer/", _post_data(open_wave), follow=True
    )
    assert b"not open for answers" in response.content
    assert _nothing_saved(open_wave)


def test_forged_audience_is_refused(client_for, outsider, open_wave):
    response = client_for(outsider).post(
        f"/surveys/waves/{open_wave.pk}/answer/", _post_data(open_wave)
    )
    assert response.status_code == 404
    assert _nothing_saved(open_wave)
    with pytest.raises(SubmissionRefused, match="not open to you"):
        response_submit(
            wave=open_wave,
            person=outsider.person,
            submission=Submission(scores={}, multiple={}, comments={}),
        )


def test_forged_team_is_refused(staff, open_wave, other_team):
    from .test_anonymity import _submission

    submission = _submission(open_wave)
    submission.team_id = other_team.pk  # not one of staff's teams
    with pytest.raises(SubmissionRefused, match="your own teams"):
        response_submit(wave=open_wave, person=staff.person, submission=submission)
    assert _nothing_saved(open_wave)


def test_progress_is_saved_and_resumed(client_for, staff, open_wave):
    agree = open_wave.survey.items.get(question__kind="agreement", order=0).question
    client = client_for(staff)
    saved = client.post(
        f"/surveys/waves/{open_wave.pk}/answer/", {f"q{agree.pk}": "2", "save": "1"}
    )
    assert saved.status_code == 302
    assert Draft.objects.get(person=staff.person).data == {f"q{agree.pk}": ["2"]}
    assert _nothing_saved(open_wave)
    page = client.get(f"/surveys/waves/{open_wave.pk}/answer/").content.decode()
    assert f'name="q{agree.pk}" type="radio" value="2" checked' in page
    auto = client.post(
        f"/surveys/waves/{open_wave.pk}/answer/",
        {f"q{agree.pk}": "3", "autosave": "1"},
        headers={"X-Requested-With": "fetch"},
    )
    assert auto.json() == {"saved": True}
    assert Draft.objects.get(person=staff.person).data[f"q{agree.pk}"] == ["3"]


def test_multiple_choice_and_team_choice(organisation, team, other_team, survey, open_wave):
    multi = Question.objects.create(
        kind="multiple", text="Which?", theme="other", choices=["A", "B", "C"]
    )
    survey.items.create(question=multi, order=10)
    person = make_member(organisation, team)
    from bewigan.people.models import TeamMembership

    TeamMembership.objects.create(
        person=person, team=other_team, is_primary=False, start_date=datetime.date(2021, 1, 1)
    )
    from .test_anonymity import _submission

    bad = _submission(open_wave)
    bad.multiple = {multi.pk: [0, 7]}
    with pytest.raises(SubmissionRefused):
        response_submit(wave=open_wave, person=person, submission=bad)
    good = _submission(open_wave)
    good.multiple = {multi.pk: [0, 2]}
    good.team_id = other_team.pk
    response_submit(wave=open_wave, person=person, submission=good)
    wave_release_answers(open_wave, final=True)
    assert Response.objects.get(wave=open_wave).team_id == other_team.pk
    assert sorted(Answer.objects.filter(question=multi).values_list("value", flat=True)) == [0, 2]
