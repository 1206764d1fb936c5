"""The pack holds every kind of record about the person, in the HTML
document and the JSON data alike; anonymous raters stay anonymous; survey
answers are left out, and the pack says why."""

import datetime

import pytest
from django.utils import timezone

from appraisals import services as appraisals_services
from appraisals.models import (
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackResponse,
    Reflection,
    TeamFeedback,
    TeamTime,
)
from bewigan.core.services import audit_record, notify
from bewigan.privacy.models import LeaverRecord, SubjectAccessRequest
from bewigan.values.models import Behaviour, Value
from cms.models import IdeaComment
from recruitment import services as recruitment_services
from recruitment.models import ConsensusScore, Decision
from tests.appraisals.factories import (
    ActionFactory,
    ConversationFactory,
    FeedbackRoundFactory,
    ShoutOutFactory,
    TalkingPointFactory,
)
from tests.cms.factories import IdeaFactory
from tests.conftest import make_persona
from tests.privacy.sar_fixtures import *  # noqa: F403
from tests.privacy.sar_fixtures import decide, open_pack, section, start
from tests.recruitment.factories import (
    CandidateFactory,
    InterviewFactory,
    VacancyFactory,
    full_answers,
    plan_vacancy,
)
from tests.surveys.factories import add_responses, make_survey, make_wave, participate

pytestmark = pytest.mark.django_db

Status = SubjectAccessRequest.Status


def _value():
    return Value.objects.current().order_by("order").first()


def _anonymous_answer(round_, rater, text):
    FeedbackRequest.objects.create(round=round_, rater=rater, answered=True)
    response = FeedbackResponse.objects.create(round=round_, rater=None, is_anonymous=True)
    FeedbackAnswer.objects.create(response=response, value=_value(), does_well=text)


def _candidacy(*, organisation, recruiting_manager, panellist, evidence, appointed=None, **names):
    vacancy = plan_vacancy(
        VacancyFactory(recruiting_manager=recruiting_manager, organisation=organisation),
        panel=[panellist],
        chair=recruiting_manager,
    )
    candidate = CandidateFactory(vacancy=vacancy, appointed_person=appointed, **names)
    candidate.equality.ethnicity = "mixed"
    candidate.equality.save()
    interview = InterviewFactory(candidate=candidate)
    answers, plan_ids, value_ids = full_answers(vacancy, 4, evidence)
    answers["values"] = dict.fromkeys(value_ids, (4, "MARK-VALUE-COMMENT"))
    card = recruitment_services.scorecard_for(interview=interview, user=panellist)
    recruitment_services.scorecard_submit(
        user=panellist,
        scorecard_id=card.pk,
        answers=answers,
        plan_ids=plan_ids,
        value_ids=value_ids,
    )
    Decision.objects.create(
        interview=interview,
        outcome=Decision.Outcome.APPOINT,
        rationale="MARK-DECISION",
        decided_by=recruiting_manager,
        feedback_intro="MARK-FEEDBACK-INTRO",
    )
    ConsensusScore.objects.create(interview=interview, value=_value(), score=4)
    return candidate


@pytest.fixture
def history(
    staff,
    line_manager,
    colleague,
    dpo,
    organisation,
    team,
    recruiting_manager,
    panellist,
):
    """One record of every kind about `staff` (Sam Turner)."""
    me = staff.person
    past = timezone.localdate() - datetime.timedelta(days=40)
    staff.last_login = timezone.now() - datetime.timedelta(hours=2)
    staff.save(update_fields=["last_login"])
    audit_record(
        actor=staff,
        action="sign_in",
        object_type="core.user",
        object_id=staff.pk,
        details={"method": "MARK-SIGN-IN"},
    )
    conversation = ConversationFactory(
        person=me,
        manager=line_manager.person,
        meeting_date=past,
        what_matters="MARK-WHAT-MATTERS",
        staff_comments="MARK-MY-TIME-COMMENT",
        recorded_at=timezone.now(),
    )
    Reflection.objects.create(
        conversation=conversation, behaviour=Behaviour.objects.first(), text="MARK-REFLECTION"
    )
    TalkingPointFactory(conversation=conversation, text="MARK-TALKING-POINT")
    ActionFactory(conversation=conversation, text="MARK-ACTION")
    appraisals_services.private_note_save(
        actor=line_manager, conversation=conversation, text="MARK-PRIVATE-NOTE"
    )
    ShoutOutFactory(giver=colleague.person, recipient=me, message="MARK-SHOUT-IN")
    ShoutOutFactory(giver=me, recipient=colleague.person, message="MARK-SHOUT-OUT")

    round_ = FeedbackRoundFactory(
        subject=me, requested_by=line_manager.person, message="MARK-360-MESSAGE"
    )
    FeedbackRequest.objects.create(round=round_, rater=colleague.person, answered=True)
    named = FeedbackResponse.objects.create(
        round=round_, rater=colleague.person, is_anonymous=False
    )
    FeedbackAnswer.objects.create(response=named, value=_value(), does_well="MARK-360-NAMED")
    for first in ("Rita", "Ravi", "Rosa"):
        rater = make_persona(
            organisation, team, f"{first.lower()}@wigan.gov.uk", first_name=first, last_name="Rater"
        )
        _anonymous_answer(round_, rater.person, "MARK-360-ANONYMOUS")
    lonely = FeedbackRoundFactory(subject=me, requested_by=me)
    loner = make_persona(
        organisation, team, "lone@wigan.gov.uk", first_name="Lorna", last_name="Lone"
    )
    _anonymous_answer(lonely, loner.person, "MARK-360-TOO-FEW")

    team_time = TeamTime.objects.create(
        team=team, facilitator=line_manager.person, meeting_date=past
    )
    team_time.attendees.add(me)
    TeamFeedback.objects.create(
        team_time=team_time,
        giver=colleague.person,
        recipient=me,
        behaviour=Behaviour.objects.first(),
        does_well="MARK-TEAM-FEEDBACK",
    )
    _candidacy(
        organisation=organisation,
        recruiting_manager=recruiting_manager,
        panellist=panellist,
        evidence="MARK-EVIDENCE",
        appointed=me,
        first_name="Sam",
        last_name="Turner",
    )
    idea = IdeaFactory(author=staff, title="MARK-IDEA")
    IdeaComment.objects.create(idea=idea, author=staff, body="MARK-IDEA-COMMENT")
    notify(recipient=staff, title="MARK-NOTIFICATION", body="Something happened", email=False)
    LeaverRecord.objects.create(
        person=me, leaver_date=past, source=LeaverRecord.Source.MANUAL, reason="MARK-LEAVING"
    )
    audit_record(actor=dpo, action="view", obj=me, subject=staff, reason="MARK-AUDIT-REASON")
    wave = make_wave(make_survey(title="MARK-SURVEY-TITLE"), organisations=[organisation])
    participate(wave, me)
    add_responses(wave, 1, organisation=organisation, team=team, comment="MARK-SURVEY-ANSWER")
    return staff


EVERY_KIND = {
    "profile": "E0",  # employee numbers start E0...
    "memberships": "Reablement Wigan",
    "sign_in_history": "MARK-SIGN-IN",
    "my_time": "MARK-WHAT-MATTERS",
    "reflections": "MARK-REFLECTION",
    "talking_points": "MARK-TALKING-POINT",
    "actions": "MARK-ACTION",
    "private_notes": "MARK-PRIVATE-NOTE",
    "shout_outs_received": "MARK-SHOUT-IN",
    "shout_outs_given": "MARK-SHOUT-OUT",
    "feedback_rounds": "MARK-360-MESSAGE",
    "feedback_about_you": "MARK-360-NAMED",
    "team_time": "Reablement Wigan",
    "team_feedback": "MARK-TEAM-FEEDBACK",
    "applications": "Sam Turner",
    "equality_monitoring": "Mixed or multiple ethnic groups",
    "scorecards": "Joe Fletcher",
    "question_scores": "MARK-EVIDENCE",
    "value_ratings": "MARK-VALUE-COMMENT",
    "consensus": "4",
    "decisions": "MARK-DECISION",
    "ideas": "MARK-IDEA",
    "idea_comments": "MARK-IDEA-COMMENT",
    "survey_participation": "MARK-SURVEY-TITLE",
    "notifications": "MARK-NOTIFICATION",
    "leaving": "MARK-LEAVING",
    "audit": "MARK-AUDIT-REASON",
}


def _ready_pack(dpo, person):
    sar = start(dpo, person=person)
    if sar.status == Status.REVIEW:
        sar = decide(sar, dpo, "release")
    assert sar.status == Status.READY, sar.error
    return open_pack(sar.archive)


def test_the_pack_holds_every_kind_of_record_in_html_and_json(history, dpo):
    html, data, names = _ready_pack(dpo, history.person)
    assert sorted(names) == ["README.txt", "subject-access.html", "subject-access.json"]
    assert data["subject"] == "Sam Turner" and data["reference"] == "SAR-2026-001"
    for key, marker in EVERY_KIND.items():
        records = section(data, key)["records"]
        assert records, f"no {key} records"
        assert any(marker in str(value) for r in records for value in r.values()), key
        assert marker in html, key
    assert section(data, "profile")["records"][0]["last_sign_in"]
    assert section(data, "my_time")["records"][0]["staff_comments"] == "MARK-MY-TIME-COMMENT"
    assert "MARK-MY-TIME-COMMENT" in html
    note = section(data, "private_notes")["records"][0]
    assert note["text"] == "MARK-PRIVATE-NOTE" and note["author"] == "Priya Shah"
    assert section(data, "shout_outs_received")["records"][0]["other"] == "Kai Ward"
    assert section(data, "applications")["records"][0]["organisation"] == "Wigan Council"
    assert "Your personal information: Sam Turner" in html and html.count("<h1") == 1


def test_anonymous_raters_are_never_identified(history, dpo):
    html, data, _ = _ready_pack(dpo, history.person)
    answers = section(data, "feedback_about_you")["records"]
    anonymous = [a for a in answers if a["does_well"] == "MARK-360-ANONYMOUS"]
    assert len(anonymous) == 3
    # Read through the app's own selector (feedback_summary): no dates at all,
    # so the order or timing of answers cannot identify anyone.
    assert all(a["rater"] == "Anonymous" and "submitted" not in a for a in anonymous)
    named = next(a for a in answers if a["does_well"] == "MARK-360-NAMED")
    assert named["rater"] == "Kai Ward"
    for name in ("Rita Rater", "Ravi Rater", "Rosa Rater", "Lorna Lone"):
        assert name not in html and name not in str(data)
    # Fewer than three anonymous answers in a round could identify the rater:
    # withheld (as in the app), and the pack says so.
    assert "MARK-360-TOO-FEW" not in html and "MARK-360-TOO-FEW" not in str(data)
    assert (
        "1 anonymous answer is withheld, because so few answers could identify"
        in section(data, "feedback_about_you")["description"]
    )


def test_survey_answers_are_excluded_and_the_pack_says_why(history, dpo):
    html, data, _ = _ready_pack(dpo, history.person)
    assert "MARK-SURVEY-ANSWER" not in html and "MARK-SURVEY-ANSWER" not in str(data)
    surveys = next(x for x in data["not_included"] if "survey" in x["title"].lower())
    assert "nothing links them to the person who gave them" in surveys["explanation"]
    assert "Staff survey answers and comments" in html
    assert "nothing links them to the person who gave them" in html
    # ...while the fact of taking part, which is linked, is included.
    assert section(data, "survey_participation")["records"][0]["survey"] == "MARK-SURVEY-TITLE"


def test_a_candidate_who_is_not_staff_gets_their_recruitment_records(
    organisation, recruiting_manager, panellist, dpo
):
    candidate = _candidacy(
        organisation=organisation,
        recruiting_manager=recruiting_manager,
        panellist=panellist,
        evidence="MARK-CANDIDATE-EVIDENCE",
        first_name="Nadia",
        last_name="Hussain",
    )
    sar = start(dpo, candidate=candidate)
    if sar.status == Status.REVIEW:
        sar = decide(sar, dpo, "release")
    assert sar.status == Status.READY and sar.organisation == organisation
    html, data, _ = open_pack(sar.archive)
    assert data["subject"] == "Nadia Hussain" and data["subject_kind"] == "candidate"
    for key, marker in {
        "applications": "Nadia Hussain",
        "equality_monitoring": "Mixed or multiple ethnic groups",
        "interviews": str(timezone.localdate().year),
        "scorecards": "Joe Fletcher",
        "question_scores": "MARK-CANDIDATE-EVIDENCE",
        "value_ratings": "MARK-VALUE-COMMENT",
        "consensus": "4",
        "decisions": "MARK-DECISION",
    }.items():
        records = section(data, key)["records"]
        assert any(marker in str(v) for r in records for v in r.values()), key
    assert "MARK-CANDIDATE-EVIDENCE" in html and "MARK-FEEDBACK-INTRO" in html
    # A candidate has no staff records: no survey or my time sections.
    assert {s["key"] for s in data["sections"]}.isdisjoint({"my_time", "survey_participation"})


def test_every_section_appears_in_the_html_even_when_empty(staff, dpo):
    html, data, _ = _ready_pack(dpo, staff.person)
    for s in data["sections"]:
        assert f'id="{s["key"]}"' in html
    assert section(data, "ideas")["records"] == []
    assert "None held." in html
