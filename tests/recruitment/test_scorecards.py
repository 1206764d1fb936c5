import threading

import pytest
from django.db import connection

from recruitment import services
from recruitment.models import QuestionScore, Scorecard, ScorecardRevision
from tests.recruitment.factories import full_answers, post_data, submit

pytestmark = pytest.mark.django_db


def test_autosave_draft_then_submit_locks(client_for, interview, panellist):
    c = client_for(panellist)
    url = f"/recruitment/interviews/{interview.pk}/scorecard/"
    r = c.get(url)
    assert r.status_code == 200 and b"data-autosave" in r.content
    data = post_data(interview.candidate.vacancy, 3, action="save")
    data.pop(next(k for k in data if k.endswith("_score")))  # a half-finished draft is fine
    r = c.post(url, data | {"autosave": "1"}, headers={"X-Requested-With": "fetch"})
    assert r.status_code == 200 and r.json() == {"ok": True, "version": 1}
    card = Scorecard.objects.get(interview=interview, panellist=panellist)
    assert (
        card.status == "draft"
        and QuestionScore.objects.filter(scorecard=card, score=3).count() == 2
    )
    # submitting an incomplete card: errors beside fields, nothing submitted
    r = c.post(url, data | {"action": "submit"})
    assert r.status_code == 400 and b"before you submit" in r.content
    card.refresh_from_db()
    assert card.status == "draft"
    r = c.post(url, post_data(interview.candidate.vacancy, 4))
    assert r.status_code == 302
    card.refresh_from_db()
    assert card.status == "submitted" and card.submitted_at
    # double submit and a late autosave are refused, the submitted work untouched
    r = c.post(url, post_data(interview.candidate.vacancy, 1))
    assert r.status_code == 409 and b"already submitted" in r.content
    r = c.post(
        url,
        post_data(interview.candidate.vacancy, 1, action="save") | {"autosave": "1"},
        headers={"X-Requested-With": "fetch"},
    )
    assert r.status_code == 409
    assert set(QuestionScore.objects.filter(scorecard=card).values_list("score", flat=True)) == {4}


def test_score_outside_the_scale_is_refused(client_for, interview, panellist):
    c = client_for(panellist)
    data = post_data(interview.candidate.vacancy, 4)
    key = next(k for k in data if k.endswith("_score"))
    r = c.post(f"/recruitment/interviews/{interview.pk}/scorecard/", data | {key: "7"})
    assert r.status_code == 400 and b"Choose a score from 1 to 5" in r.content
    assert not Scorecard.objects.filter(status="submitted").exists()
    card = services.scorecard_for(interview=interview, user=panellist)
    answers, _, _ = full_answers(interview.candidate.vacancy)
    first = next(iter(answers["questions"]))
    answers["questions"][first] = (9, "")
    with pytest.raises(services.RecruitmentError):
        services.scorecard_save_draft(user=panellist, scorecard_id=card.pk, answers=answers)


def test_amendment_keeps_the_earlier_version_and_who_changed_it(client_for, interview, panellist):
    submit(interview, panellist, score=2)
    c = client_for(panellist)
    url = f"/recruitment/interviews/{interview.pk}/scorecard/"
    r = c.get(url + "?amend=1")
    assert b"Why are you amending" in r.content
    r = c.post(
        url, post_data(interview.candidate.vacancy, 3, action="amend", revision="0", reason="")
    )
    assert r.status_code == 409 and b"Say why" in r.content
    r = c.post(
        url,
        post_data(
            interview.candidate.vacancy, 3, action="amend", revision="0", reason="Misread my notes"
        ),
    )
    assert r.status_code == 302
    rev = ScorecardRevision.objects.get()
    assert rev.changed_by == panellist and rev.reason == "Misread my notes"
    assert {q["score"] for q in rev.snapshot["questions"].values()} == {2}
    # a stale second window cannot overwrite the amendment
    r = c.post(
        url,
        post_data(interview.candidate.vacancy, 5, action="amend", revision="0", reason="Other tab"),
    )
    assert r.status_code == 409 and b"another window" in r.content
    assert set(QuestionScore.objects.values_list("score", flat=True)) == {3}
    assert b"Misread my notes" in c.get(url).content


def test_independence_blind_until_own_submission(
    client_for, interview, panellist, second_panellist
):
    submit(interview, second_panellist, score=5)
    c = client_for(panellist)
    consensus = f"/recruitment/interviews/{interview.pk}/consensus/"
    r = c.get(consensus)
    assert r.status_code == 302 and r.url.endswith("/scorecard/")
    r = c.get(f"/recruitment/interviews/{interview.pk}/scorecard/")
    assert b"Evidence 5" not in r.content and b"Clear example" not in r.content
    submit(interview, panellist, score=2)
    r = c.get(consensus)
    assert r.status_code == 200 and b"Clear example" in r.content and b"Discuss" in r.content


def test_strict_visibility_waits_for_the_whole_panel(
    client_for, interview, panellist, second_panellist
):
    vacancy = interview.candidate.vacancy
    vacancy.visibility = "after_close"
    vacancy.save()
    submit(interview, panellist)
    submit(interview, second_panellist)
    c = client_for(panellist)
    assert (
        c.get(f"/recruitment/interviews/{interview.pk}/consensus/").status_code == 302
    )  # the chair is outstanding
    submit(interview, vacancy.recruiting_manager)
    assert c.get(f"/recruitment/interviews/{interview.pk}/consensus/").status_code == 200


def test_drafts_are_never_shown_to_others(
    client_for, interview, panellist, second_panellist, hr_admin
):
    card = services.scorecard_for(interview=interview, user=second_panellist)
    answers, _, _ = full_answers(interview.candidate.vacancy, 1, evidence="SECRET DRAFT")
    services.scorecard_save_draft(user=second_panellist, scorecard_id=card.pk, answers=answers)
    submit(interview, panellist)
    for user in (panellist, hr_admin):
        r = client_for(user).get(f"/recruitment/interviews/{interview.pk}/consensus/")
        assert r.status_code == 200 and b"SECRET DRAFT" not in r.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_and_creates_are_safe(interview, panellist):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    answers, plan_ids, value_ids = full_answers(interview.candidate.vacancy)
    Scorecard.objects.filter(interview=interview, panellist=panellist).delete()
    results, barrier = [], threading.Barrier(4)

    def create():
        try:
            barrier.wait()
            results.append(
                ("create", services.scorecard_for(interview=interview, user=panellist).pk)
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len({pk for _, pk in results}) == 1
    assert Scorecard.objects.filter(interview=interview, panellist=panellist).count() == 1
    card_id = results[0][1]
    outcomes, barrier = [], threading.Barrier(4)

    def submit_once(score):
        try:
            barrier.wait()
            a = {
                "questions": dict.fromkeys(answers["questions"], (score, "x")),
                "values": dict.fromkeys(answers["values"], (score, "y")),
            }
            services.scorecard_submit(
                user=panellist,
                scorecard_id=card_id,
                answers=a,
                plan_ids=plan_ids,
                value_ids=value_ids,
            )
            outcomes.append(("ok", score))
        except services.ScorecardLocked:
            outcomes.append(("locked", score))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_once, args=(s,)) for s in (1, 2, 3, 4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    winners = [s for kind, s in outcomes if kind == "ok"]
    assert len(winners) == 1 and len(outcomes) == 4
    assert set(
        QuestionScore.objects.filter(scorecard_id=card_id).values_list("score", flat=True)
    ) == {winners[0]}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_panellists_submitting_at_the_same_moment_both_count(
    interview, panellist, second_panellist
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from recruitment.models import InterviewQuestionSummary

    answers, plan_ids, value_ids = full_answers(interview.candidate.vacancy)
    cards = {
        u.pk: services.scorecard_for(interview=interview, user=u).pk
        for u in (panellist, second_panellist)
    }
    barrier, errors = threading.Barrier(2), []

    def go(user, score):
        try:
            barrier.wait()
            a = {
                "questions": dict.fromkeys(answers["questions"], (score, "x")),
                "values": answers["values"],
            }
            services.scorecard_submit(
                user=user,
                scorecard_id=cards[user.pk],
                answers=a,
                plan_ids=plan_ids,
                value_ids=value_ids,
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=go, args=(u, s)) for u, s in ((panellist, 2), (second_panellist, 5))
    ]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    summaries = InterviewQuestionSummary.objects.filter(interview=interview)
    assert summaries.count() == len(plan_ids)
    assert all(s.scores == 2 and s.lowest == 2 and s.highest == 5 for s in summaries)


def test_scorecard_and_home_query_counts_are_flat(
    client_for, vacancy, interview, panellist, recruiting_manager, django_assert_max_num_queries
):
    from recruitment.models import Question
    from tests.recruitment.factories import InterviewFactory

    c = client_for(panellist)
    url = f"/recruitment/interviews/{interview.pk}/scorecard/"
    c.get(url)
    with django_assert_max_num_queries(22):
        assert c.get(url).status_code == 200
    with django_assert_max_num_queries(15):
        assert c.get("/recruitment/").status_code == 200
    for code in ("POS-02", "POS-03", "ACC-02", "ACC-03", "COU-02", "COU-03"):
        services.plan_question_add(
            user=recruiting_manager, vacancy=vacancy, question=Question.objects.get(code=code)
        )
    for _ in range(6):
        InterviewFactory(candidate__vacancy=vacancy)
    with django_assert_max_num_queries(22):
        assert c.get(url).status_code == 200
    with django_assert_max_num_queries(15):
        assert c.get("/recruitment/").status_code == 200
