import io

import pytest

from recruitment import services
from recruitment.models import (
    Candidate,
    EqualityMonitoring,
    Interview,
    Question,
    Scorecard,
    Vacancy,
)
from recruitment.selectors import plan_coverage, plan_questions
from tests.recruitment.factories import VacancyFactory, plan_vacancy, submit

pytestmark = pytest.mark.django_db


def test_coverage_warns_for_missing_value_and_no_asset_question(recruiting_manager):
    v = plan_vacancy(
        VacancyFactory(recruiting_manager=recruiting_manager), codes=("POS-11", "ACC-10")
    )
    cov = plan_coverage(plan=plan_questions(vacancy=v), values=list(v.values.all()))
    assert [x.key for x in cov.missing_values] == ["courageous"]
    assert not cov.has_asset_question
    assert any("Courageous" in w for w in cov.warnings) and any(
        "asset-based" in w for w in cov.warnings
    )
    services.plan_question_add(
        user=recruiting_manager, vacancy=v, question=Question.objects.get(code="COU-01")
    )
    cov = plan_coverage(plan=plan_questions(vacancy=v), values=list(v.values.all()))
    assert cov.warnings == []


def test_plan_pins_the_approved_version_and_keeps_it_after_an_edit(recruiting_manager):
    v = plan_vacancy(VacancyFactory(recruiting_manager=recruiting_manager), codes=("POS-01",))
    q = Question.objects.get(code="POS-01")
    old_text = q.approved_version.text
    data = {f: getattr(q.latest_version, f) for f in services.VERSION_FIELDS} | {
        "text": "Changed words"
    }
    services.question_edit(user=recruiting_manager, question=q, data=data)
    services.question_approve(user=recruiting_manager, question=q)
    assert plan_questions(vacancy=v)[0].question_version.text == old_text


def test_plan_reorder_minutes_and_duplicate(recruiting_manager):
    v = plan_vacancy(VacancyFactory(recruiting_manager=recruiting_manager))
    plan = plan_questions(vacancy=v)
    services.plan_question_change(
        user=recruiting_manager, vacancy=v, plan_question_id=plan[2].pk, action="up"
    )
    assert [p.pk for p in plan_questions(vacancy=v)] == [plan[0].pk, plan[2].pk, plan[1].pk]
    with pytest.raises(services.RecruitmentError):
        services.plan_question_change(
            user=recruiting_manager,
            vacancy=v,
            plan_question_id=plan[0].pk,
            action="minutes",
            minutes=99,
        )
    with pytest.raises(services.RecruitmentError):
        services.plan_question_add(
            user=recruiting_manager, vacancy=v, question=Question.objects.get(code="POS-01")
        )


def test_manager_builds_a_plan_through_the_pages(
    client_for, recruiting_manager, panellist, outsider
):
    c = client_for(recruiting_manager)
    from bewigan.values.models import Value

    values = [str(x.pk) for x in Value.objects.current()]
    r = c.post(
        "/recruitment/vacancies/new/",
        {
            "title": "Reablement worker",
            "reference": "WC-1",
            "organisation": recruiting_manager.person.organisation_id,
            "recruiting_manager": recruiting_manager.pk,
            "values": values,
            "visibility": "after_own",
            "status": "open",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    v = Vacancy.objects.get(reference="WC-1")
    r = c.get(f"/recruitment/vacancies/{v.pk}/")
    assert b"The plan has no questions yet" in r.content
    q = Question.objects.get(code="POS-02")
    r = c.post(f"/recruitment/vacancies/{v.pk}/plan/add/", {"question": q.pk})
    assert r.status_code == 302 and v.plan_questions.count() == 1
    # Panellists from another partner: within a data-sharing grant from it.
    r = c.post(f"/recruitment/vacancies/{v.pk}/panel/", {"email": outsider.email, "is_chair": "on"})
    assert r.status_code == 400 and not v.panel.exists()
    from bewigan.partners.models import DataSharingGrant

    DataSharingGrant.objects.create(
        sharing_organisation=outsider.person.organisation,
        receiving_organisation=recruiting_manager.person.organisation,
        purpose="hr",
        agreement_reference="DSA-1",
    )
    r = c.post(f"/recruitment/vacancies/{v.pk}/panel/", {"email": outsider.email, "is_chair": "on"})
    assert r.status_code == 302 and v.panel.get().user == outsider
    r = c.post(f"/recruitment/vacancies/{v.pk}/panel/", {"email": "nobody@example.org"})
    assert r.status_code == 400 and b"There is a problem" in r.content
    r = c.get(f"/recruitment/vacancies/{v.pk}/")
    assert "No question in the plan covers the value ‘Accountable’".encode() in r.content
    r = c.get(f"/recruitment/vacancies/{v.pk}/kit/")
    assert (
        r.status_code == 200
        and b"bw-print-notes" in r.content
        and q.approved_version.anchor_5.encode() in r.content
    )
    # a duplicate reference is a form error, nothing saved
    r = c.post(
        "/recruitment/vacancies/new/",
        {
            "title": "X",
            "reference": "wc-1",
            "organisation": v.organisation_id,
            "recruiting_manager": recruiting_manager.pk,
            "values": values,
            "visibility": "after_own",
            "status": "open",
        },
    )
    assert r.status_code == 200 and b"already uses this reference" in r.content
    assert Vacancy.objects.count() == 1


CSV_HEAD = "applicant_ref,first_name,last_name,email,guaranteed_interview,interview_at,location,sex,age_band,ethnicity,disability\n"


def _csv(body):
    f = io.BytesIO((CSV_HEAD + body).encode())
    f.name = "candidates.csv"
    return f


def test_candidate_csv_import_is_all_or_nothing_with_row_errors(
    client_for, vacancy, recruiting_manager
):
    c = client_for(recruiting_manager)
    good = "A1,Ada,Lovelace,ada@example.org,yes,2026-03-14 10:30,Room 1,female,25-34,white,no\n"
    bad = "A2,Bob,,not-an-email,maybe,14/03/2026,Room 1,robot,25-34,white,no\n"
    r = c.post(
        f"/recruitment/vacancies/{vacancy.pk}/candidates/import/", {"file": _csv(good + bad)}
    )
    assert r.status_code == 400
    text = r.content.decode()
    assert "Row 3" in text and "last_name is empty" in text and "email is not a valid" in text
    assert (
        "guaranteed_interview must be yes or no" in text and "interview_at must look like" in text
    )
    assert Candidate.objects.count() == 0 and Interview.objects.count() == 0
    r = c.post(
        f"/recruitment/vacancies/{vacancy.pk}/candidates/import/", {"file": _csv(good + good)}
    )
    assert "already on this vacancy" in r.content.decode() and Candidate.objects.count() == 0
    r = c.post(f"/recruitment/vacancies/{vacancy.pk}/candidates/import/", {"file": _csv(good)})
    assert r.status_code == 302
    cand = Candidate.objects.get()
    assert cand.guaranteed_interview and cand.equality.sex == "female"
    # interview scheduled and a scorecard ready for each panellist
    assert Scorecard.objects.filter(interview=cand.interview).count() == 3


def test_manual_candidate_and_bad_input(client_for, vacancy, recruiting_manager):
    c = client_for(recruiting_manager)
    r = c.post(
        f"/recruitment/vacancies/{vacancy.pk}/candidates/new/",
        {"first_name": "Ada", "last_name": "", "interview_date": "2026-03-14"},
    )
    assert (
        r.status_code == 200
        and b"There is a problem" in r.content
        and Candidate.objects.count() == 0
    )
    r = c.post(
        f"/recruitment/vacancies/{vacancy.pk}/candidates/new/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "interview_date": "2026-03-14",
            "interview_time": "10:30",
            "sex": "prefer_not",
            "age_band": "35-44",
            "ethnicity": "prefer_not",
            "disability": "no",
        },
    )
    assert r.status_code == 302
    assert EqualityMonitoring.objects.get().age_band == "35-44"


def test_plan_cannot_change_once_scoring_starts(vacancy, interview, panellist, recruiting_manager):
    submit(interview, panellist)
    with pytest.raises(services.RecruitmentError):
        services.plan_question_add(
            user=recruiting_manager, vacancy=vacancy, question=Question.objects.get(code="POS-02")
        )


def test_vacancy_detail_query_count_is_flat(
    client_for, vacancy, recruiting_manager, django_assert_max_num_queries
):
    from tests.recruitment.factories import InterviewFactory

    c = client_for(recruiting_manager)
    InterviewFactory(candidate__vacancy=vacancy)
    with django_assert_max_num_queries(22):
        assert c.get(f"/recruitment/vacancies/{vacancy.pk}/").status_code == 200
    for _ in range(8):
        InterviewFactory(candidate__vacancy=vacancy)
    for code in ("POS-02", "ACC-02", "COU-02"):
        services.plan_question_add(
            user=recruiting_manager, vacancy=vacancy, question=Question.objects.get(code=code)
        )
    with django_assert_max_num_queries(22):
        assert c.get(f"/recruitment/vacancies/{vacancy.pk}/").status_code == 200
    with django_assert_max_num_queries(15):
        assert c.get("/recruitment/vacancies/").status_code == 200
    with django_assert_max_num_queries(15):
        assert c.get("/recruitment/").status_code == 200


def test_schedule_an_interview_later(client_for, vacancy, recruiting_manager, other_organisation):
    from tests.recruitment.factories import CandidateFactory

    cand = CandidateFactory(vacancy=vacancy)
    c = client_for(recruiting_manager)
    url = f"/recruitment/vacancies/{vacancy.pk}/candidates/{cand.pk}/schedule/"
    r = c.post(url, {"interview_date": "2026-04-01"})
    assert r.status_code == 400 and b"There is a problem" in r.content
    r = c.post(
        url, {"interview_date": "2026-04-01", "interview_time": "09:15", "location": "Room 2"}
    )
    assert r.status_code == 302
    cand.refresh_from_db()
    assert cand.interview.location == "Room 2" and cand.interview.scorecards.count() == 3
    # a candidate id from another vacancy under this vacancy's URL
    stranger = CandidateFactory(vacancy=VacancyFactory(recruiting_manager=recruiting_manager))
    assert (
        c.get(f"/recruitment/vacancies/{vacancy.pk}/candidates/{stranger.pk}/schedule/").status_code
        == 404
    )
