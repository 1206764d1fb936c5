import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recruitment import services
from recruitment.models import Question, QuestionVersion
from recruitment.question_bank import QUESTIONS
from recruitment.selectors import BankFilters, question_bank

pytestmark = pytest.mark.django_db


def test_data_migration_seeds_at_least_45_questions_15_per_value_mostly_asset_based():
    approved = Question.objects.approved().select_related("approved_version__value")
    assert approved.count() == len(QUESTIONS) >= 45
    per_value = {}
    for q in approved:
        per_value[q.approved_version.value.key] = per_value.get(q.approved_version.value.key, 0) + 1
    assert min(per_value.values()) >= 15 and set(per_value) == {
        "positive",
        "accountable",
        "courageous",
    }
    asset = QuestionVersion.objects.filter(style="asset").count()
    assert asset > len(QUESTIONS) / 2
    v = approved.first().approved_version
    assert all(text for _, text in v.anchors) and v.positive_evidence and v.behaviours.exists()


def test_filter_by_value_style_role_family_status_and_search():
    assert {
        q.latest_version.value.key for q in question_bank(filters=BankFilters(value="courageous"))
    } == {"courageous"}
    situational = question_bank(filters=BankFilters(style="situational"))
    assert situational.count() >= 3 and all(
        q.latest_version.style == "situational" for q in situational
    )
    leaders = question_bank(filters=BankFilters(role_family="leadership"))
    assert leaders.count() > 0 and leaders.count() < question_bank().count()
    assert [q.code for q in question_bank(filters=BankFilters(q="energy"))] == ["POS-02"] or any(
        "energ" in q.latest_version.text.lower()
        for q in question_bank(filters=BankFilters(q="energy"))
    )
    by_behaviour = question_bank(filters=BankFilters(behaviour="speak-up"))
    assert by_behaviour.count() >= 2
    assert question_bank(filters=BankFilters(status="draft")).count() == 0


def _data(question):
    v = question.latest_version
    return {f: getattr(v, f) for f in services.VERSION_FIELDS} | {
        "behaviours": list(v.behaviours.all())
    }


def test_editing_an_approved_question_makes_a_draft_version_and_keeps_the_approved_words(
    recruiting_manager,
):
    q = Question.objects.get(code="POS-02")
    original = q.approved_version
    data = _data(q) | {"text": "What energises you most at work?", "change_note": "Shorter"}
    version = services.question_edit(user=recruiting_manager, question=q, data=data)
    q.refresh_from_db()
    assert version.number == 2 and not version.is_approved
    assert q.approved_version == original and q.latest_version == version and q.has_pending_edit
    # a second edit changes the same draft, not a third version
    services.question_edit(
        user=recruiting_manager, question=q, data=data | {"text": "What energises you?"}
    )
    assert q.versions.count() == 2
    services.question_approve(user=recruiting_manager, question=q)
    q.refresh_from_db()
    assert q.approved_version.number == 2 and q.approved_version.text == "What energises you?"
    original.refresh_from_db()
    assert original.text.startswith("What part of your work")


def test_lifecycle_draft_approved_retired(recruiting_manager):
    base = Question.objects.get(code="POS-01")
    q = services.question_create(user=recruiting_manager, code="NEW-01", data=_data(base))
    assert q.status == "draft" and q.approved_version is None
    with pytest.raises(services.RecruitmentError):
        services.plan_question_add(
            user=recruiting_manager, vacancy=_vac(recruiting_manager), question=q
        )
    services.question_approve(user=recruiting_manager, question=q)
    q.refresh_from_db()
    assert q.status == "approved"
    services.question_retire(user=recruiting_manager, question=q)
    q.refresh_from_db()
    assert q.status == "retired"
    with pytest.raises(services.RecruitmentError):
        services.question_edit(user=recruiting_manager, question=q, data=_data(base))


def _vac(user):
    from tests.recruitment.factories import VacancyFactory

    return VacancyFactory(recruiting_manager=user)


def test_csv_round_trip_and_all_or_nothing_import(recruiting_manager):
    body = services.questions_export_csv(questions=question_bank())
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == len(QUESTIONS)
    new_row = rows[0] | {"code": "IMP-01"}
    bad_row = rows[0] | {"code": "IMP-02", "value": "cheerful"}

    def upload_of(*rs):
        out = io.StringIO()
        w = csv.DictWriter(out, fieldnames=services.CSV_COLUMNS)
        w.writeheader()
        w.writerows(rs)
        return SimpleUploadedFile("q.csv", out.getvalue().encode())

    upload = upload_of(new_row, bad_row)
    result = services.questions_import_csv(user=recruiting_manager, upload=upload)
    assert (
        result.errors and "Row 3" in result.errors[0] and "value must be one of" in result.errors[0]
    )
    assert not Question.objects.filter(code__startswith="IMP").exists()
    upload = upload_of(new_row)
    result = services.questions_import_csv(user=recruiting_manager, upload=upload)
    assert result.created == 1 and not result.errors
    assert Question.objects.get(code="IMP-01").status == "draft"


def test_bank_pages_filter_and_deny(
    client_for, panellist, staff, recruiting_manager, django_assert_max_num_queries
):
    c = client_for(panellist)
    with django_assert_max_num_queries(18):
        r = c.get("/recruitment/questions/?value=positive&style=asset")
    assert r.status_code == 200 and b"POS-01" in r.content and b"ACC-01" not in r.content
    assert b"Write a question" not in r.content  # panellists read, managers write
    assert c.get("/recruitment/questions/new/").status_code == 403
    assert client_for(staff).get("/recruitment/questions/").status_code == 403
    c = client_for(recruiting_manager)
    r = c.get("/recruitment/questions/export.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    r = c.post("/recruitment/questions/new/", {"code": "", "text": ""})
    assert r.status_code == 200 and b"There is a problem" in r.content


def test_question_pages_query_count_is_flat(
    client_for, recruiting_manager, django_assert_max_num_queries
):
    c = client_for(recruiting_manager)
    with django_assert_max_num_queries(18):
        assert c.get("/recruitment/questions/").status_code == 200
    base = Question.objects.get(code="POS-01")
    for i in range(30):
        services.question_create(user=recruiting_manager, code=f"X-{i}", data=_data(base))
    with django_assert_max_num_queries(18):
        assert c.get("/recruitment/questions/?page=2").status_code == 200
    with django_assert_max_num_queries(18):
        assert c.get(f"/recruitment/questions/{base.pk}/").status_code == 200


def test_import_page_shows_row_errors(client_for, recruiting_manager):
    c = client_for(recruiting_manager)
    f = io.BytesIO(b"code,value,style,text,positive_evidence\nX,zzz,asset,t,p\n")
    f.name = "q.csv"
    r = c.post("/recruitment/questions/import/", {"file": f})
    assert r.status_code == 200 and b"Nothing was imported" in r.content and b"Row 2" in r.content
