"""360 feedback: anonymous answers are shown only once three exist, never
with identity; only the subject sees the answers."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from appraisals import selectors, services
from appraisals.models import FeedbackRequest, FeedbackResponse, FeedbackRound
from bewigan.core.models import SealedAnswer
from bewigan.values.selectors import current_values
from tests.conftest import make_persona
from tests.surveys.attacker import assert_no_time_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def raters(organisation, other_organisation, team):
    people = [
        make_persona(
            organisation, team, f"rater{i}@wigan.gov.uk", first_name=f"Rater{i}", last_name="Person"
        )
        for i in range(4)
    ]
    people.append(
        make_persona(
            other_organisation, None, "partner@wwl.nhs.uk", first_name="Pat", last_name="Partner"
        )
    )
    return people


@pytest.fixture
def feedback_round(staff, raters, today):
    return services.feedback_round_create(
        actor=staff,
        subject=staff.person,
        raters=[r.person for r in raters],
        message="Thanks!",
        closes_on=today + datetime.timedelta(days=14),
    )


@pytest.fixture(autouse=True)
def values_framework(db):
    """The values are seeded by a migration; a transactional test before this
    one may have flushed them."""
    from django.apps import apps

    from bewigan.values.models import Value
    from bewigan.values.seed import seed_frameworks

    if not Value.objects.exists():
        seed_frameworks(
            *(
                apps.get_model("values", m)
                for m in ("Framework", "FrameworkVersion", "Value", "Behaviour")
            )
        )


def _answer(user, feedback_round, anonymous, text):
    req = FeedbackRequest.objects.get(round=feedback_round, rater=user.person)
    value = current_values().first()
    return services.feedback_answer(
        actor=user, request=req, anonymous=anonymous, answers={value: (text, "Try more")}
    )


def _close(feedback_round):
    FeedbackRound.objects.filter(pk=feedback_round.pk).update(
        closes_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    feedback_round.refresh_from_db()


def test_anonymous_answers_hidden_until_the_round_closes_with_three(
    feedback_round, raters, staff, client_for
):
    _answer(raters[0], feedback_round, True, "ANON-ONE")
    _answer(raters[1], feedback_round, True, "ANON-TWO")
    _answer(raters[4], feedback_round, False, "NAMED-PARTNER")
    url = reverse("appraisals:feedback_round_detail", args=[feedback_round.pk])
    body = client_for(staff).get(url).content.decode()
    assert "NAMED-PARTNER" in body and "Pat Partner" in body
    assert "ANON-ONE" not in body and "ANON-TWO" not in body
    assert "only if at least 3 have been given" in body
    _answer(raters[2], feedback_round, True, "ANON-THREE")
    # Three now, but the round is open: nothing appears as it arrives.
    body = client_for(staff).get(url).content.decode()
    assert "ANON-THREE" not in body
    assert not FeedbackResponse.objects.filter(is_anonymous=True).exists()
    _close(feedback_round)
    body = client_for(staff).get(url).content.decode()
    for text in ("ANON-ONE", "ANON-TWO", "ANON-THREE"):
        assert text in body
    for i in range(3):
        assert f"Rater{i}" not in body  # never with identity


def test_two_anonymous_answers_stay_sealed_after_close(feedback_round, raters, staff):
    _answer(raters[0], feedback_round, True, "ANON-ONE")
    _answer(raters[1], feedback_round, True, "ANON-TWO")
    _close(feedback_round)
    assert services.feedback_round_release(feedback_round) == 0
    channel = services.feedback_channel(feedback_round.pk)
    assert SealedAnswer.objects.filter(channel=channel).count() == 2
    summary = selectors.feedback_summary(feedback_round=feedback_round)
    assert summary.anonymous_count == 2 and not summary.anonymous_shown


def test_an_anonymous_answer_is_sealed_and_holds_no_link_to_its_rater(feedback_round, raters):
    assert _answer(raters[0], feedback_round, True, "ANON-SECRET") is None
    assert not FeedbackResponse.objects.exists()
    box = SealedAnswer.objects.get()
    assert b"ANON-SECRET" not in bytes(box.box)  # encrypted, not just encoded
    assert {f.name for f in FeedbackResponse._meta.get_fields()}.isdisjoint(
        {"request", "rater_email"}
    )


@pytest.mark.django_db(transaction=True)
def test_released_answers_carry_no_order_time_or_transaction_of_their_raters(
    feedback_round, raters
):
    """The attack from the issue: sequential ids, times and the order of
    arrival linked anonymous answers to raters. Released together at close,
    with random ids, in random order, dated the closing day."""
    for i in range(4):
        _answer(raters[i], feedback_round, True, f"ANON-{i}")
    _close(feedback_round)
    assert services.feedback_round_release(feedback_round) == 4
    responses = list(FeedbackResponse.objects.filter(is_anonymous=True))
    assert {r.submitted_on for r in responses} == {feedback_round.closes_on}
    assert min(r.pk for r in responses) > 2**40
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT xmin::text FROM appraisals_feedbackresponse")
            released = {x for (x,) in cursor.fetchall()}
            cursor.execute("SELECT DISTINCT xmin::text FROM appraisals_feedbackrequest")
            answered = {x for (x,) in cursor.fetchall()}
        assert len(released) == 1 and not released & answered


@pytest.mark.django_db(transaction=True)
def test_answering_anonymously_records_no_time_anywhere(feedback_round, raters):
    from django.core.cache import cache

    cache.clear()  # tokens written when the round was created, before the answers
    start = timezone.now()
    for i in range(3):
        _answer(raters[i], feedback_round, True, f"ANON-{i}")
    assert_no_time_written(start, timezone.now())


def test_anonymous_answers_are_shown_in_random_not_arrival_order(feedback_round, raters):
    for i, text in enumerate(["c late", "a early", "b middle"]):
        _answer(raters[i], feedback_round, True, text)
    _close(feedback_round)
    services.feedback_round_release(feedback_round)
    summary = selectors.feedback_summary(feedback_round=feedback_round)
    shown = [good for good, _ in summary.values[0].anonymous]
    by_random_id = [
        r.answers.get().does_well
        for r in FeedbackResponse.objects.filter(is_anonymous=True).order_by("pk")
    ]
    assert sorted(shown) == ["a early", "b middle", "c late"] and shown == by_random_id


@pytest.mark.parametrize("persona", ["line_manager", "colleague", "hr_admin", "superuser"])
def test_only_the_subject_sees_the_round(persona, request, feedback_round, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert (
        client.get(
            reverse("appraisals:feedback_round_detail", args=[feedback_round.pk])
        ).status_code
        == 404
    )


def test_a_rater_answers_once_and_others_cannot_answer_for_them(
    feedback_round, raters, client_for, colleague
):
    req = FeedbackRequest.objects.get(round=feedback_round, rater=raters[0].person)
    url = reverse("appraisals:feedback_answer", args=[req.pk])
    assert client_for(colleague).get(url).status_code == 404
    value = current_values().first()
    response = client_for(raters[0]).post(
        url, {"anonymous": "1", f"good_{value.pk}": "Kind", f"try_{value.pk}": ""}
    )
    assert response.status_code == 302
    assert client_for(raters[0]).get(url).status_code == 404
    with pytest.raises(ValidationError):
        _answer(raters[0], feedback_round, True, "again")


def test_an_empty_answer_is_a_clear_error(feedback_round, raters, client_for):
    req = FeedbackRequest.objects.get(round=feedback_round, rater=raters[0].person)
    response = client_for(raters[0]).post(
        reverse("appraisals:feedback_answer", args=[req.pk]), {"anonymous": "0"}
    )
    assert response.status_code == 400
    assert "at least one value" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_asking_through_the_page_including_a_partner(staff, raters, client_for, today):
    response = client_for(staff).post(
        reverse("appraisals:feedback_round_new"),
        {
            "raters": "rater0@wigan.gov.uk\npartner@wwl.nhs.uk",
            "message": "",
            "closes_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert FeedbackRequest.objects.filter(round__subject=staff.person).count() == 2


def test_unknown_rater_email_is_an_error(staff, client_for, today):
    response = client_for(staff).post(
        reverse("appraisals:feedback_round_new"),
        {
            "raters": "nobody@nowhere.example",
            "closes_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "No colleague found for: nobody@nowhere.example" in response.content.decode()


def test_a_manager_can_ask_for_a_report_but_not_for_someone_else(
    line_manager, staff, outsider, client_for, today
):
    data = {
        "raters": "manager@wigan.gov.uk",
        "closes_on": (today + datetime.timedelta(days=7)).isoformat(),
    }
    client = client_for(line_manager)
    assert (
        client.post(
            reverse("appraisals:feedback_round_new") + f"?for={staff.person.pk}", data
        ).status_code
        == 302
    )
    assert (
        client.get(
            reverse("appraisals:feedback_round_new") + f"?for={outsider.person.pk}"
        ).status_code
        == 404
    )
