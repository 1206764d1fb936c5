from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bewigan.core.models import AuditEntry, Notification
from recruitment import analytics, selectors, services
from recruitment.models import (
    Candidate,
    ConsensusScore,
    Decision,
    EqualityMonitoring,
    QuestionScore,
)
from tests.recruitment.factories import InterviewFactory, post_data, submit

pytestmark = pytest.mark.django_db


def _decide_data(interview, outcome="appoint", score=4):
    vacancy = interview.candidate.vacancy
    plan = selectors.plan_questions(vacancy=vacancy)
    data = {"outcome": outcome, "rationale": "Strong evidence across the values"}
    for v in selectors.rated_values(vacancy=vacancy, plan=plan):
        data[f"agreed_{v.pk}"] = str(score)
    return data


def test_chair_records_consensus_decision_and_sends_asset_based_feedback(
    client_for,
    interview,
    panellist,
    second_panellist,
    recruiting_manager,
    django_capture_on_commit_callbacks,
):
    c = client_for(recruiting_manager)
    url = f"/recruitment/interviews/{interview.pk}/consensus/"
    submit(interview, panellist, 5)
    submit(interview, second_panellist, 3)
    r = c.get(url)
    # the chair sits on the panel and has not submitted: still blind
    assert r.status_code == 302
    submit(interview, recruiting_manager, 4)
    r = c.get(url)
    assert r.status_code == 200 and b"Discuss" in r.content and b"Record decision" in r.content
    r = c.post(url, _decide_data(interview) | {"rationale": ""})
    assert (
        r.status_code == 400
        and b"There is a problem" in r.content
        and not Decision.objects.exists()
    )
    r = c.post(url, _decide_data(interview))
    assert r.status_code == 302 and r.url.endswith("/feedback/")
    d = Decision.objects.get()
    assert (
        d.outcome == "appoint" and ConsensusScore.objects.filter(interview=interview).count() == 3
    )
    assert d.strengths and all("showed this strongly" in s for s in d.strengths)
    # a second decision (double submit) is refused, nothing duplicated
    r = c.post(url, _decide_data(interview, "not_appointed"))
    assert r.status_code == 403
    assert Decision.objects.count() == 1
    # scorecards are locked once the panel has decided
    r = client_for(panellist).post(
        f"/recruitment/interviews/{interview.pk}/scorecard/",
        post_data(interview.candidate.vacancy, 1, action="amend", revision="0", reason="x"),
    )
    assert r.status_code == 409
    c = client_for(recruiting_manager)
    fb = f"/recruitment/interviews/{interview.pk}/feedback/"
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(
            fb,
            {
                "intro": "Dear Ada",
                "strengths": "You listen well\nYou follow through",
                "development": "Lead more",
                "action": "send",
            },
        )
    assert r.status_code == 302
    assert len(mail.outbox) == 1 and "You listen well" in mail.outbox[0].body
    assert mail.outbox[0].body.index("You listen well") < mail.outbox[0].body.index("Lead more")
    r = c.post(fb, {"intro": "x", "strengths": "y", "action": "send"})
    assert len(mail.outbox) == 1


def test_decision_needs_every_panellist(interview, panellist, recruiting_manager):
    submit(interview, panellist)
    with pytest.raises(services.RecruitmentError, match="Every panellist"):
        services.decision_record(
            user=recruiting_manager,
            interview=interview,
            agreed={},
            outcome="appoint",
            rationale="x",
        )


def _complete(interview, panel, outcome, score=4, user=None):
    for u in panel:
        submit(interview, u, score)
    vacancy = interview.candidate.vacancy
    values = selectors.rated_values(vacancy=vacancy, plan=selectors.plan_questions(vacancy=vacancy))
    return services.decision_record(
        user=user or vacancy.recruiting_manager,
        interview=interview,
        agreed={v.pk: score for v in values},
        outcome=outcome,
        rationale="Agreed",
    )


def test_consented_panel_evidence_contract(
    interview, panellist, second_panellist, recruiting_manager, staff
):
    assert selectors.consented_panel_evidence(person=staff.person) is None
    cand = interview.candidate
    cand.email = staff.email
    cand.consent_share_evidence = True
    cand.save()
    _complete(interview, [panellist, second_panellist, recruiting_manager], "appoint", 5)
    cand.refresh_from_db()
    assert cand.appointed_person == staff.person  # matched by email on appointment
    evidence = selectors.consented_panel_evidence(person=staff.person)
    assert (
        evidence["vacancy"] == cand.vacancy.title
        and evidence["strengths"]
        and evidence["development"] == []
    )
    cand.consent_share_evidence = False
    cand.save()
    assert selectors.consented_panel_evidence(person=staff.person) is None


def test_my_work_lists_scorecards_and_decisions(
    interview, panellist, second_panellist, recruiting_manager
):
    titles = [w.title for w in selectors.my_work(user=panellist)]
    assert titles == [f"Score {interview.candidate.name} for {interview.candidate.vacancy.title}"]
    submit(interview, panellist)
    assert selectors.my_work(user=panellist) == []
    submit(interview, second_panellist)
    submit(interview, recruiting_manager)
    work = selectors.my_work(user=recruiting_manager)
    assert [w.title.startswith("Record the panel") for w in work] == [True]


def test_reminders_task_emails_outstanding_panellists_once_a_day(
    interview, panellist, second_panellist
):
    from recruitment.tasks import send_scorecard_reminders

    submit(interview, second_panellist)
    interview.scheduled_at = timezone.now() - timedelta(days=2)
    interview.save()
    send_scorecard_reminders.enqueue()
    recipients = set(Notification.objects.values_list("recipient__email", flat=True))
    assert recipients == {panellist.email, interview.candidate.vacancy.recruiting_manager.email}
    assert services.scorecard_reminders_send() == 0  # not again today


def test_retention_anonymises_unsuccessful_candidates_and_keeps_scores(
    interview, panellist, second_panellist, recruiting_manager
):
    from django.core.management import call_command

    d = _complete(interview, [panellist, second_panellist, recruiting_manager], "not_appointed", 2)
    appointed = InterviewFactory(candidate__vacancy=interview.candidate.vacancy)
    d2 = _complete(appointed, [panellist, second_panellist, recruiting_manager], "appoint", 5)
    Decision.objects.filter(pk__in=[d.pk, d2.pk]).update(
        decided_at=timezone.now() - timedelta(days=200)
    )
    # The retention schedule (bewigan/privacy/retention.py) anonymises them,
    # once a dry run has reported (docs/privacy/retention.md).
    call_command("apply_retention", "--dry-run")
    call_command("apply_retention")
    cand = Candidate.objects.get(pk=interview.candidate_id)
    assert cand.anonymised_at and cand.first_name == "" and cand.email == ""
    assert not EqualityMonitoring.objects.filter(candidate=cand).exists()
    kept = QuestionScore.objects.filter(scorecard__interview=interview)
    assert kept.count() == 9 and set(kept.values_list("evidence", flat=True)) == {""}
    assert Candidate.objects.get(pk=appointed.candidate_id).anonymised_at is None
    assert AuditEntry.objects.filter(action="delete", object_id=str(cand.pk)).exists()
    stats = {s.code: s for s in analytics.question_stats()}
    assert stats["POS-01"].interviews == 2 and stats["POS-01"].separation == 3.0


def test_hr_candidate_view_is_audited_and_others_are_denied(
    client_for, interview, hr_admin, recruiting_manager, panellist
):
    url = f"/recruitment/candidates/{interview.candidate_id}/"
    r = client_for(hr_admin).get(url)
    assert r.status_code == 200 and b"Equality monitoring" in r.content
    assert (
        AuditEntry.objects.filter(
            actor=hr_admin, action="view", object_type="recruitment.candidate"
        ).count()
        == 1
    )
    assert client_for(recruiting_manager).get(url).status_code == 404
    assert client_for(panellist).get(url).status_code == 404


def test_panellists_never_see_equality_answers(client_for, interview, panellist):
    EqualityMonitoring.objects.filter(candidate=interview.candidate).update(
        ethnicity="mixed", sex="female"
    )
    r = client_for(panellist).get(f"/recruitment/interviews/{interview.pk}/scorecard/")
    assert b"Mixed or multiple" not in r.content and b"Equality" not in r.content


def test_equality_outcomes_suppress_small_groups():
    rows = analytics.suppress([("A", 20, 5), ("B", 12, 6), ("C", 3, 1)], minimum=5)
    by = {r.group: r for r in rows}
    assert by["A"].total == 20 and by["A"].rate == "25%"
    assert by["C"].suppressed and by["C"].total is None
    assert by[
        "B"
    ].suppressed  # secondary suppression: C could be worked out from the totals otherwise
    assert not analytics.suppress([("A", 20, 5), ("B", 12, 6)], minimum=5)[0].suppressed


def test_analytics_page_hr_only_with_tables(
    client_for,
    interview,
    panellist,
    second_panellist,
    recruiting_manager,
    hr_admin,
    django_assert_max_num_queries,
):
    _complete(interview, [panellist, second_panellist, recruiting_manager], "appoint")
    c = client_for(hr_admin)
    with django_assert_max_num_queries(22):
        r = c.get("/recruitment/analytics/")
    assert (
        r.status_code == 200 and b"data for the chart" in r.content and b"Fewer than" in r.content
    )
    for _ in range(3):
        _complete(
            InterviewFactory(candidate__vacancy=interview.candidate.vacancy),
            [panellist, second_panellist, recruiting_manager],
            "not_appointed",
            2,
        )
    with django_assert_max_num_queries(22):
        assert c.get("/recruitment/analytics/").status_code == 200
    assert client_for(recruiting_manager).get("/recruitment/analytics/").status_code == 403


def test_consensus_query_count_is_constant_in_panel_and_plan_size(
    client_for,
    interview,
    panellist,
    second_panellist,
    recruiting_manager,
    hr_admin,
    django_assert_max_num_queries,
):
    submit(interview, panellist)
    c = client_for(hr_admin)
    url = f"/recruitment/interviews/{interview.pk}/consensus/"
    c.get(url)  # warm the per-process caches (permission map, session write) first
    with django_assert_max_num_queries(18) as small:
        assert c.get(url).status_code == 200
    from bewigan.people import roles
    from recruitment.models import Question
    from tests.conftest import make_persona

    vacancy = interview.candidate.vacancy
    for i in range(4):
        u = make_persona(vacancy.organisation, None, f"extra{i}@wigan.gov.uk", [roles.HIRING_PANEL])
        services.panel_member_add(user=recruiting_manager, vacancy=vacancy, member=u)
    # add questions before anyone else scores (the plan is frozen once scoring starts)
    QuestionScore.objects.all().delete()
    from recruitment.models import Scorecard

    Scorecard.objects.all().delete()
    for code in ("POS-02", "POS-03", "ACC-02", "ACC-03", "COU-02", "COU-03"):
        services.plan_question_add(
            user=recruiting_manager, vacancy=vacancy, question=Question.objects.get(code=code)
        )
    for m in vacancy.panel.all():
        submit(interview, m.user)
    with django_assert_max_num_queries(18) as big:
        assert c.get(url).status_code == 200
    assert _page_queries(big) == _page_queries(small) <= 15


def _page_queries(ctx):
    """Queries the page itself makes (the idle-timeout middleware may also
    save the session, which is not the page's doing)."""
    return len(
        [
            q
            for q in ctx.captured_queries
            if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]
    )
