"""Erasure on request: the person's own records go, what they gave others
stays under "Erased person", aggregates are untouched, a legal hold blocks
it, it happens all at once or not at all, and only HR admins in reach can
do it."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from appraisals.models import (
    Conversation,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackResponse,
    FeedbackRound,
    PrivateNote,
    ShoutOut,
    TalkingPoint,
    TeamFeedback,
    TeamTime,
)
from bewigan.core.models import AuditEntry, Notification
from bewigan.people.models import Person, TeamMembership
from bewigan.privacy import erasure
from bewigan.privacy.erasure import (
    candidate_erase,
    candidate_erasure_preview,
    person_erase,
    person_erasure_preview,
)
from bewigan.privacy.holds import hold_place
from bewigan.privacy.models import ErasureRecord, SubjectAccessRequest
from bewigan.values.models import Behaviour, Value
from cms.models import IdeaComment
from recruitment.models import Candidate, EqualityMonitoring, Interview
from surveys.models import GroupResult, Participation
from surveys.services import wave_refresh_results
from tests.appraisals.factories import ConversationFactory, FeedbackRoundFactory, ShoutOutFactory
from tests.cms.factories import IdeaFactory
from tests.conftest import make_persona
from tests.people.factories import PASSWORD, PersonFactory
from tests.recruitment.factories import CandidateFactory, InterviewFactory
from tests.surveys.factories import add_responses, make_survey, make_wave, participate

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_hr_admin(other_organisation, settings, mfa_exempt):
    from bewigan.people import roles

    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "hr@wwl.nhs.uk"]
    return make_persona(other_organisation, None, "hr@wwl.nhs.uk", [roles.HR_ADMIN])


@pytest.fixture
def world(staff, colleague, line_manager, hr_admin, organisation, team):
    """Records around `staff` (Sam), who is about to be erased."""
    sam, kai, priya = staff.person, colleague.person, line_manager.person
    report = PersonFactory(organisation=organisation, line_manager=sam)
    own = ConversationFactory(person=sam, manager=priya)
    TalkingPoint.objects.create(conversation=own, author=priya, text="Sam's course")
    PrivateNote.objects.create(conversation=own, author=line_manager, text="About Sam")
    held_by_sam = ConversationFactory(person=report, manager=sam)
    sams_point = TalkingPoint.objects.create(conversation=held_by_sam, author=sam, text="Rota")
    PrivateNote.objects.create(conversation=held_by_sam, author=staff, text="Sam's note")

    about_sam = FeedbackRoundFactory(subject=sam)
    FeedbackRequest.objects.create(round=about_sam, rater=kai, answered=True)
    value = Value.objects.current().first()
    answer = FeedbackResponse.objects.create(round=about_sam, rater=kai, is_anonymous=False)
    FeedbackAnswer.objects.create(response=answer, value=value, does_well="Listens")
    about_kai = FeedbackRoundFactory(subject=kai)
    sams_answer = FeedbackResponse.objects.create(round=about_kai, rater=sam, is_anonymous=False)
    FeedbackAnswer.objects.create(response=sams_answer, value=value, does_well="Kind")

    given = ShoutOutFactory(giver=sam, recipient=kai)
    ShoutOutFactory(giver=kai, recipient=sam)
    team_time = TeamTime.objects.create(
        team=team, facilitator=priya, meeting_date=datetime.date(2026, 1, 5)
    )
    behaviour = Behaviour.objects.first()
    team_given = TeamFeedback.objects.create(
        team_time=team_time, giver=sam, recipient=kai, behaviour=behaviour, does_well="Calm"
    )
    TeamFeedback.objects.create(
        team_time=team_time, giver=kai, recipient=sam, behaviour=behaviour, does_well="Funny"
    )
    Notification.objects.create(recipient=staff, title="For Sam")
    kais_note = Notification.objects.create(recipient=colleague, title="For Kai")

    wave = make_wave(
        make_survey(),
        opens_on=datetime.date(2025, 1, 1),
        closes_on=datetime.date(2025, 1, 14),
        organisations=[organisation],
    )
    add_responses(wave, 6, organisation=organisation)
    participate(wave, sam)
    participate(wave, kai)
    wave_refresh_results(wave, force=True)
    results = list(GroupResult.objects.values_list("scope", "respondents", "engagement"))

    candidacy = CandidateFactory(vacancy__organisation=organisation, appointed_person=sam)
    idea = IdeaFactory(author=staff)
    comment = IdeaComment.objects.create(idea=idea, author=staff, body="Try it on Ward 3")
    audit = AuditEntry.objects.create(action="view", object_type="x.y", subject=staff)
    pack = SubjectAccessRequest.objects.create(
        reference="SAR-9",
        reason="Email",
        person=sam,
        subject_label="Sam Turner",
        requested_by=hr_admin,
        status="ready",
        data={"my_time": []},
    )
    return {
        "report": report,
        "held_by_sam": held_by_sam,
        "sams_point": sams_point,
        "about_kai": about_kai,
        "sams_answer": sams_answer,
        "given": given,
        "team_given": team_given,
        "kais_note": kais_note,
        "results": results,
        "wave": wave,
        "candidacy": candidacy,
        "idea": idea,
        "comment": comment,
        "audit": audit,
        "pack": pack,
    }


def test_erasing_a_person_removes_their_records_and_keeps_what_they_gave(
    world, staff, colleague, hr_admin
):
    sam = staff.person
    preview = person_erasure_preview(user=hr_admin, person=sam)
    assert Conversation.objects.filter(person=sam).exists()  # the preview changed nothing
    assert Person.objects.get(pk=sam.pk).employee_number != f"ERASED-{sam.pk}"

    record = person_erase(user=hr_admin, person=sam, reference="ER-1", reason="Asked by letter")

    assert record.counts == preview
    assert record.counts["conversations"] == 1
    assert record.counts["conversation_parts"] == 2  # talking point and manager's note
    assert record.counts["private_notes_written"] == 1
    assert record.counts["feedback_rounds"] == 1
    assert record.counts["feedback_round_parts"] == 3  # request, response, answer
    assert record.counts["shout_outs_received"] == 1
    assert record.counts["team_feedback_received"] == 1
    assert record.counts["notifications"] == 1
    assert record.counts["survey_participations"] == 1
    assert record.counts["candidacies"] == 1
    assert record.counts["subject_access_packs"] == 1
    assert record.counts["reports_unlinked"] == 1
    assert record.counts["team_memberships"] == 1
    assert record.counts["sign_in_methods"] == 1

    user = type(staff).objects.get(pk=staff.pk)
    assert (user.first_name, user.last_name) == ("Erased", "person")
    assert user.email.endswith("@erased.invalid") and "turner" not in user.email.lower()
    assert not user.is_active and not user.has_usable_password() and not user.groups.exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    sam.refresh_from_db()
    assert sam.employee_number == f"ERASED-{sam.pk}" and sam.job_title == ""
    assert sam.line_manager is None and sam.start_date is None
    assert sam.leaver_date == timezone.localdate()
    assert not TeamMembership.objects.filter(person=sam).exists()
    assert str(sam) == "Erased person"

    # their own records are gone
    assert not Conversation.objects.filter(person=sam).exists()
    assert not FeedbackRound.objects.filter(subject=sam).exists()
    assert not ShoutOut.objects.filter(recipient=sam).exists()
    assert not TeamFeedback.objects.filter(recipient=sam).exists()
    assert not PrivateNote.objects.filter(author=staff).exists()
    assert not Notification.objects.filter(recipient=staff).exists()
    assert not Participation.objects.filter(person=sam).exists()
    # what they gave others stays, now from "Erased person"
    assert Conversation.objects.filter(pk=world["held_by_sam"].pk, manager=sam).exists()
    assert TalkingPoint.objects.get(pk=world["sams_point"].pk).author.name == "Erased person"
    assert FeedbackResponse.objects.get(pk=world["sams_answer"].pk).answers.count() == 1
    assert ShoutOut.objects.get(pk=world["given"].pk).giver.name == "Erased person"
    assert TeamFeedback.objects.filter(pk=world["team_given"].pk).exists()
    assert IdeaComment.objects.get(pk=world["comment"].pk).body == "Try it on Ward 3"
    assert Notification.objects.filter(pk=world["kais_note"].pk).exists()
    world["report"].refresh_from_db()
    assert world["report"].line_manager is None
    # aggregates and the audit log are untouched
    assert (
        list(GroupResult.objects.values_list("scope", "respondents", "engagement"))
        == world["results"]
    )
    assert Participation.objects.filter(person=colleague.person).exists()
    assert AuditEntry.objects.filter(pk=world["audit"].pk, subject=staff).exists()
    # the application is anonymised, the subject access pack emptied
    candidacy = Candidate.objects.get(pk=world["candidacy"].pk)
    assert candidacy.anonymised_at and candidacy.first_name == "" and candidacy.email == ""
    pack = SubjectAccessRequest.objects.get(pk=world["pack"].pk)
    assert pack.data is None and pack.person is None and pack.reference == "SAR-9"
    # evidence: counts, never content
    entry = AuditEntry.objects.get(object_type="privacy.erasurerecord", object_id=str(record.pk))
    assert entry.actor == hr_admin and entry.subject == user and entry.action == "delete"
    assert entry.details["counts"] == record.counts and "ER-1" in entry.reason
    assert record.subject_kind == "person" and record.subject_id == sam.pk


def test_an_erased_person_cannot_sign_in_and_their_session_ends(client, staff, hr_admin):
    client.force_login(staff)
    assert client.get("/people/me/").status_code == 200
    person_erase(user=hr_admin, person=staff.person, reference="ER-2", reason="Request")
    assert client.get("/people/me/").status_code == 302
    assert not client.login(email=staff.email, password=PASSWORD)


def test_a_legal_hold_blocks_erasure(world, staff, hr_admin):
    hold = hold_place(user=hr_admin, person=staff.person, reason="Tribunal")
    with pytest.raises(ValidationError, match="legal hold"):
        person_erase(user=hr_admin, person=staff.person, reference="ER", reason="x")
    from bewigan.privacy.holds import hold_release

    hold_release(user=hr_admin, hold=hold, reason="Settled")
    # a hold on one of their own records blocks it too
    own = Conversation.objects.filter(person=staff.person).first()
    hold_place(
        user=hr_admin, object_type="appraisals.conversation", object_id=str(own.pk), reason="x"
    )
    with pytest.raises(ValidationError, match="legal hold"):
        person_erase(user=hr_admin, person=staff.person, reference="ER", reason="x")
    assert not ErasureRecord.objects.exists()
    assert Conversation.objects.filter(person=staff.person).exists()
    assert type(staff).objects.get(pk=staff.pk).is_active


def test_erasure_is_all_or_nothing(world, staff, hr_admin, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(erasure, "sar_packs_clear", broken)
    with pytest.raises(RuntimeError):
        person_erase(user=hr_admin, person=staff.person, reference="ER", reason="x")
    assert Conversation.objects.filter(person=staff.person).exists()
    assert Notification.objects.filter(recipient=staff).exists()
    user = type(staff).objects.get(pk=staff.pk)
    assert user.is_active and user.last_name == "Turner"
    assert not ErasureRecord.objects.exists()


def test_only_hr_admins_in_reach_may_erase_and_nobody_twice_or_themselves(
    staff, line_manager, hr_admin, other_hr_admin
):
    for user in (staff, line_manager, other_hr_admin):
        with pytest.raises(PermissionDenied):
            person_erase(user=user, person=staff.person, reference="ER", reason="x")
    with pytest.raises(ValidationError, match="yourself"):
        person_erase(user=hr_admin, person=hr_admin.person, reference="ER", reason="x")
    with pytest.raises(ValidationError, match="reference"):
        person_erase(user=hr_admin, person=staff.person, reference=" ", reason="x")
    person_erase(user=hr_admin, person=staff.person, reference="ER", reason="x")
    with pytest.raises(ValidationError, match="already been erased"):
        person_erase(user=hr_admin, person=staff.person, reference="ER", reason="x")
    assert ErasureRecord.objects.count() == 1


def test_erasing_a_candidate_reuses_the_recruitment_anonymisation(hr_admin, organisation):
    interview = InterviewFactory(candidate__vacancy__organisation=organisation)
    candidate = interview.candidate
    assert EqualityMonitoring.objects.filter(candidate=candidate).exists()
    preview = candidate_erasure_preview(user=hr_admin, candidate=candidate)
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is None
    record = candidate_erase(user=hr_admin, candidate=candidate, reference="ER-C", reason="Asked")
    assert record.counts == preview == {"candidate": 1, "subject_access_packs": 0, "free_text": 0}
    candidate.refresh_from_db()
    assert candidate.anonymised_at and candidate.first_name == "" and candidate.email == ""
    assert not EqualityMonitoring.objects.filter(candidate=candidate).exists()
    assert Interview.objects.filter(pk=interview.pk).exists()  # scores stay for analytics
    with pytest.raises(ValidationError, match="already been removed"):
        candidate_erase(user=hr_admin, candidate=candidate, reference="ER-C", reason="Asked")


def test_a_hold_on_the_vacancy_blocks_a_candidates_erasure(hr_admin, organisation, other_hr_admin):
    candidate = CandidateFactory(vacancy__organisation=organisation)
    with pytest.raises(PermissionDenied):
        candidate_erase(user=other_hr_admin, candidate=candidate, reference="E", reason="x")
    hold_place(
        user=hr_admin,
        object_type="recruitment.vacancy",
        object_id=str(candidate.vacancy_id),
        reason="Claim about the shortlisting",
    )
    with pytest.raises(ValidationError, match="legal hold"):
        candidate_erase(user=hr_admin, candidate=candidate, reference="E", reason="x")
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is None


# --- Pages -------------------------------------------------------------------------------


def test_hr_admin_finds_confirms_and_erases_a_person(client_for, world, staff, hr_admin):
    client = client_for(hr_admin)
    found = client.get("/data-protection/erasure/", {"q": "sam turner"}).content.decode()
    url = f"/data-protection/erasure/people/{staff.person.pk}/"
    assert url in found
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert "My time and annual conversations about them" in html
    assert Conversation.objects.filter(person=staff.person).exists()
    missing = client.post(url, {"reference": "ER-5", "reason": "Letter"})
    assert "Confirm that you understand" in missing.content.decode()
    assert not ErasureRecord.objects.exists()
    done = client.post(url, {"reference": "ER-5", "reason": "Letter", "confirm": "on"})
    record = ErasureRecord.objects.get()
    assert done.status_code == 302 and done.url == f"/data-protection/erasure/{record.pk}/"
    detail = client.get(done.url).content.decode()
    assert "ER-5" in detail and "Shout-outs they received" in detail
    assert "ER-5" in client.get("/data-protection/erasure/").content.decode()
    # erased people are not found again, and a second attempt is refused
    assert url not in client.get("/data-protection/erasure/", {"q": "erased"}).content.decode()
    assert "already been erased" in client.get(url).content.decode()


def test_the_confirmation_page_shows_a_hold_and_erases_nothing(client_for, staff, hr_admin):
    hold_place(user=hr_admin, person=staff.person, reason="Tribunal")
    client = client_for(hr_admin)
    url = f"/data-protection/erasure/people/{staff.person.pk}/"
    assert "active legal hold" in client.get(url).content.decode()
    client.post(url, {"reference": "E", "reason": "x", "confirm": "on"})
    assert not ErasureRecord.objects.exists()


def test_erasure_pages_deny_staff_and_hide_other_organisations(
    client_for, staff, line_manager, hr_admin, other_hr_admin, outsider
):
    record = person_erase(user=hr_admin, person=staff.person, reference="ER", reason="x")
    candidate = CandidateFactory(vacancy__organisation=hr_admin.person.organisation)
    urls = [
        "/data-protection/erasure/",
        f"/data-protection/erasure/people/{line_manager.person.pk}/",
        f"/data-protection/erasure/candidates/{candidate.pk}/",
        f"/data-protection/erasure/{record.pk}/",
    ]
    client = client_for(line_manager)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client = client_for(other_hr_admin)
    for url in urls[1:]:
        assert client.get(url).status_code == 404, url
    assert (
        client.post(urls[1], {"reference": "E", "reason": "x", "confirm": "on"}).status_code == 404
    )
    assert "ER" not in client.get(urls[0]).content.decode().split("Erasures done")[1]
    client = client_for(hr_admin)
    assert client.get(f"/data-protection/erasure/people/{outsider.person.pk}/").status_code == 404
    assert client.get(urls[2]).status_code == 200
    assert type(line_manager).objects.get(pk=line_manager.pk).is_active
