"""The retention schedule with time travel: each kind removes exactly what
has expired (records either side of the boundary), legal holds keep what
they cover, a dry run changes nothing, and the counts in the audit log
match the run. Runs on SQLite and PostgreSQL."""

import datetime
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from appraisals.models import Conversation, FeedbackRound, PrivateNote, ShoutOut
from bewigan.core.models import AuditEntry, Notification
from bewigan.privacy import retention
from bewigan.privacy.holds import hold_place
from bewigan.privacy.models import LegalHold, RetentionRule, RetentionRun, SubjectAccessRequest
from bewigan.privacy.retention import (
    DISABLED,
    KINDS_BY_KEY,
    NOTICE,
    Cutoff,
    months_before,
    retention_daily,
    retention_rule_update,
    retention_run,
)
from cms.models import IdeaComment
from recruitment.models import Candidate, Decision
from surveys.models import Answer, Comment, GroupResult, Participation, Response
from surveys.services import wave_refresh_results
from tests.appraisals.factories import ConversationFactory, FeedbackRoundFactory, ShoutOutFactory
from tests.cms.factories import IdeaFactory
from tests.people.factories import PersonFactory, UserFactory
from tests.recruitment.factories import InterviewFactory, VacancyFactory
from tests.surveys.factories import add_responses, make_survey, make_wave, participate

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)


@pytest.fixture
def now():
    return timezone.now()


def cutoff(key, now):
    return Cutoff.of(now, KINDS_BY_KEY[key].default_months)


def apply(now, **kwargs):
    """What HR and the nightly job do: a dry run reports, then the schedule applies."""
    retention_run(dry_run=True, now=now, **kwargs)
    return retention_run(dry_run=False, now=now, **kwargs)


def audited_counts(run):
    return {
        e.details["kind"]: e.details["count"]
        for e in AuditEntry.objects.filter(
            object_type="privacy.retentionrun", object_id=str(run.pk), action="delete"
        )
    }


# --- Dates -------------------------------------------------------------------------------


def test_months_before_counts_calendar_months_and_clamps_the_day():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2024, 3, 31), 1) == datetime.date(2024, 2, 29)
    assert months_before(datetime.date(2026, 1, 15), 6) == datetime.date(2025, 7, 15)
    assert months_before(datetime.date(2026, 11, 26), 72) == datetime.date(2020, 11, 26)
    moment = datetime.datetime(2026, 5, 31, 14, 30, tzinfo=datetime.UTC)
    assert months_before(moment, 3) == datetime.datetime(2026, 2, 28, 14, 30, tzinfo=datetime.UTC)


# --- Unsuccessful candidates ---------------------------------------------------------


def _decided(outcome, decided_at, **interview_kwargs):
    interview = InterviewFactory(**interview_kwargs)
    Decision.objects.create(
        interview=interview,
        outcome=outcome,
        rationale="The panel agreed",
        decided_by=interview.candidate.vacancy.recruiting_manager,
        decided_at=decided_at,
    )
    return interview.candidate


def test_candidates_go_exactly_after_six_months_unless_held(now, hr_admin):
    edge = cutoff("candidates_unsuccessful", now).moment
    expired = _decided("not_appointed", edge - SECOND)
    reserve = _decided("reserve", edge - DAY)
    on_the_edge = _decided("not_appointed", edge)
    recent = _decided("not_appointed", edge + SECOND)
    appointed = _decided("appoint", edge - DAY * 30)
    held = _decided("not_appointed", edge - DAY)
    held_vacancy = VacancyFactory(organisation=hr_admin.person.organisation)
    in_held_vacancy = _decided("reserve", edge - DAY, candidate__vacancy=held_vacancy)
    held.vacancy.organisation = hr_admin.person.organisation
    held.vacancy.save()
    hold_place(user=hr_admin, candidate=held, reason="Tribunal claim ET/1")
    hold_place(
        user=hr_admin,
        object_type="recruitment.vacancy",
        object_id=str(held_vacancy.pk),
        reason="Claim about the whole exercise",
    )

    run = apply(now)

    gone = set(Candidate.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True))
    assert gone == {expired.pk, reserve.pk}
    for kept in (on_the_edge, recent, appointed, held, in_held_vacancy):
        kept.refresh_from_db()
        assert kept.first_name.startswith("Cand"), kept
    assert run.counts["candidates_unsuccessful"] == 2
    assert run.held["candidates_unsuccessful"] == 2
    assert audited_counts(run)["candidates_unsuccessful"] == 2


# --- My time records of leavers ----------------------------------------------------------


def test_leavers_my_time_goes_six_years_after_leaving_and_others_records_stay(now, hr_admin):
    edge = cutoff("my_time_leavers", now).date
    org = hr_admin.person.organisation
    gone_leaver = PersonFactory(organisation=org, leaver_date=edge - DAY)
    edge_leaver = PersonFactory(organisation=org, leaver_date=edge)
    held_leaver = PersonFactory(organisation=org, leaver_date=edge - DAY * 400)
    colleague = PersonFactory(organisation=org)

    ConversationFactory(person=gone_leaver, manager=colleague)  # their own: goes
    as_manager = ConversationFactory(person=colleague, manager=gone_leaver)
    note_on_other = PrivateNote.objects.create(
        conversation=as_manager, author=gone_leaver.user, text="Private"
    )
    round_about = FeedbackRoundFactory(subject=gone_leaver)
    received = ShoutOutFactory(giver=colleague, recipient=gone_leaver)
    given = ShoutOutFactory(giver=gone_leaver, recipient=colleague)
    kept_edge = ConversationFactory(person=edge_leaver, manager=colleague)
    kept_held = ConversationFactory(person=held_leaver, manager=colleague)
    hold_place(user=hr_admin, person=held_leaver, reason="Pension dispute")
    # a hold on one conversation keeps that conversation only
    other_gone = PersonFactory(organisation=org, leaver_date=edge - DAY * 2)
    held_conversation = ConversationFactory(person=other_gone, manager=colleague)
    ConversationFactory(person=other_gone, manager=colleague)
    hold_place(
        user=hr_admin,
        object_type="appraisals.conversation",
        object_id=str(held_conversation.pk),
        reason="Grievance",
    )

    run = apply(now)

    remaining = set(Conversation.objects.values_list("pk", flat=True))
    assert remaining == {as_manager.pk, kept_edge.pk, kept_held.pk, held_conversation.pk}
    assert not PrivateNote.objects.filter(pk=note_on_other.pk).exists()
    assert not FeedbackRound.objects.filter(pk=round_about.pk).exists()
    assert not ShoutOut.objects.filter(pk=received.pk).exists()
    assert ShoutOut.objects.filter(pk=given.pk).exists()  # the colleague's record
    # 2 conversations, 1 round, 1 shout-out received, 1 note
    assert run.counts["my_time_leavers"] == 5
    assert run.held["my_time_leavers"] == 2
    assert audited_counts(run)["my_time_leavers"] == 5


# --- Raw survey answers ----------------------------------------------------------------


def _closed_wave(survey, organisation, closes_on, team=None):
    wave = make_wave(
        survey,
        opens_on=closes_on - DAY * 14,
        closes_on=closes_on,
        organisations=[organisation],
    )
    add_responses(wave, 6, organisation=organisation, team=team, comment="More staff please")
    participate(wave, PersonFactory(organisation=organisation))
    wave_refresh_results(wave, force=True)
    return wave


def test_raw_survey_answers_go_and_published_results_stay(now, organisation, hr_admin):
    edge = cutoff("survey_raw_answers", now).date
    survey = make_survey()
    old = _closed_wave(survey, organisation, edge - DAY)
    on_edge = _closed_wave(survey, organisation, edge)
    held = _closed_wave(survey, organisation, edge - DAY * 100)
    hold_place(user=hr_admin, object_type="surveys.wave", object_id=str(held.pk), reason="FOI")
    results_before = list(
        GroupResult.objects.filter(wave=old).values_list("scope", "respondents", "engagement")
    )
    assert results_before

    run = apply(now)

    assert not Response.objects.filter(wave=old).exists()
    assert not Answer.objects.filter(wave=old).exists()
    assert not Comment.objects.filter(wave=old).exists()
    assert not Participation.objects.filter(wave=old).exists()
    for kept in (on_edge, held):
        assert Response.objects.filter(wave=kept).count() == 6
        assert Answer.objects.filter(wave=kept).exists()
    # 6 responses + 6 comments + 1 participation
    assert run.counts["survey_raw_answers"] == 13
    assert run.held["survey_raw_answers"] == 13
    # the aggregates stay, and a later refresh cannot wipe them
    wave_refresh_results(old, force=True)
    assert (
        list(GroupResult.objects.filter(wave=old).values_list("scope", "respondents", "engagement"))
        == results_before
    )


# --- Audit log, notifications, subject access packs, deleted comments ----------------


def test_audit_entries_go_after_six_years_except_about_held_people(now, hr_admin):
    edge = cutoff("audit_log", now).moment
    held_person = PersonFactory(organisation=hr_admin.person.organisation)
    hold_place(user=hr_admin, person=held_person, reason="Claim")
    old = AuditEntry.objects.create(at=edge - SECOND, action="view", object_type="x.y")
    edge_entry = AuditEntry.objects.create(at=edge, action="view", object_type="x.y")
    about_held = AuditEntry.objects.create(
        at=edge - DAY, action="view", object_type="x.y", subject=held_person.user
    )

    run = apply(now)

    ids = set(AuditEntry.objects.values_list("pk", flat=True))
    assert old.pk not in ids and {edge_entry.pk, about_held.pk} <= ids
    assert run.counts["audit_log"] == 1 and run.held["audit_log"] == 1
    assert audited_counts(run)["audit_log"] == 1


def test_notifications_packs_and_deleted_comments_go_on_time(now, hr_admin, staff):
    def at(key, delta):
        return cutoff(key, now).moment + delta

    old_note = Notification.objects.create(recipient=staff, title="Old")
    new_note = Notification.objects.create(recipient=staff, title="New")
    Notification.objects.filter(pk=old_note.pk).update(created_at=at("notifications", -SECOND))
    Notification.objects.filter(pk=new_note.pk).update(created_at=at("notifications", SECOND))

    def pack(completed_at, **kwargs):
        return SubjectAccessRequest.objects.create(
            reference="SAR-1",
            reason="Asked by email",
            person=staff.person,
            subject_label="Sam Turner",
            requested_by=hr_admin,
            status="ready",
            completed_at=completed_at,
            data={"records": ["my time"]},
            archive=b"zip",
            archive_name="sar.zip",
            **kwargs,
        )

    old_pack = pack(at("subject_access_packs", -SECOND))
    new_pack = pack(at("subject_access_packs", SECOND))
    running = pack(at("subject_access_packs", -DAY * 30))
    SubjectAccessRequest.objects.filter(pk=running.pk).update(status="running")

    idea = IdeaFactory()

    def comment(deleted_at):
        return IdeaComment.objects.create(
            idea=idea, author=staff, body="", deleted_at=deleted_at, deleted_by=staff
        )

    old_comment = comment(at("idea_comments_deleted", -SECOND))
    new_comment = comment(at("idea_comments_deleted", SECOND))
    visible = IdeaComment.objects.create(idea=idea, author=staff, body="Still here")
    IdeaComment.objects.filter(pk=visible.pk).update(created_at=now - DAY * 3000)

    run = apply(now)

    assert list(Notification.objects.values_list("pk", flat=True)) == [new_note.pk]
    old_pack.refresh_from_db()
    assert old_pack.data is None and old_pack.archive is None and old_pack.person is None
    assert old_pack.reference == "SAR-1" and old_pack.subject_label != "Sam Turner"
    for kept in (new_pack, running):
        kept.refresh_from_db()
        assert kept.data == {"records": ["my time"]} and kept.person_id == staff.person.pk
    assert set(IdeaComment.objects.values_list("pk", flat=True)) == {new_comment.pk, visible.pk}
    assert not IdeaComment.objects.filter(pk=old_comment.pk).exists()
    assert run.counts["notifications"] == 1
    assert run.counts["subject_access_packs"] == 1
    assert run.counts["idea_comments_deleted"] == 1
    assert audited_counts(run) == {
        "notifications": 1,
        "subject_access_packs": 1,
        "idea_comments_deleted": 1,
    }
    # nothing is counted twice: the emptied pack is not due again
    again = retention_run(dry_run=True, now=now)
    assert again.counts["subject_access_packs"] == 0 and again.counts["notifications"] == 0


def test_a_hold_on_a_person_keeps_their_notifications_packs_and_comments(now, hr_admin, staff):
    hold_place(user=hr_admin, person=staff.person, reason="Tribunal")
    long_ago = now - DAY * 3650
    note = Notification.objects.create(recipient=staff, title="Old")
    Notification.objects.filter(pk=note.pk).update(created_at=long_ago)
    IdeaComment.objects.create(
        idea=IdeaFactory(), author=staff, body="", deleted_at=long_ago, deleted_by=staff
    )
    run = apply(now)
    assert Notification.objects.filter(pk=note.pk).exists()
    assert IdeaComment.objects.filter(author=staff).exists()
    assert run.counts["notifications"] == 0 and run.held["notifications"] == 1
    assert run.held["idea_comments_deleted"] == 1
    # once released, the next run removes them
    from bewigan.privacy.holds import hold_release

    hold_release(user=hr_admin, hold=LegalHold.objects.get(), reason="Case closed")
    run = retention_run(dry_run=False, now=now)
    assert not Notification.objects.filter(pk=note.pk).exists()
    assert run.counts["notifications"] == 1 and run.held["notifications"] == 0


# --- Dry run, notice, switches ----------------------------------------------------------


def _snapshot():
    return {
        model.__name__: model.objects.count()
        for model in (Notification, Candidate, Conversation, AuditEntry, IdeaComment)
    } | {"anonymised": Candidate.objects.filter(anonymised_at__isnull=False).count()}


def test_a_dry_run_counts_everything_and_changes_nothing(now, staff):
    Notification.objects.create(recipient=staff, title="Old")
    Notification.objects.update(created_at=now - DAY * 800)
    _decided("not_appointed", now - DAY * 400)
    leaver = PersonFactory(leaver_date=timezone.localdate() - DAY * 3000)
    ConversationFactory(person=leaver)
    before = _snapshot()
    run = retention_run(dry_run=True, now=now)
    after = _snapshot()
    after["AuditEntry"] -= 1  # the dry run's own entry
    assert before == after
    assert run.dry_run and run.finished_at and not run.error
    assert run.counts["notifications"] == 1
    assert run.counts["candidates_unsuccessful"] == 1
    assert run.counts["my_time_leavers"] == 1
    entry = AuditEntry.objects.get(object_type="privacy.retentionrun", object_id=str(run.pk))
    assert entry.details["counts"] == run.counts and entry.action == "create"


def test_nothing_is_applied_before_a_dry_run_has_reported(now, staff):
    Notification.objects.create(recipient=staff, title="Old")
    Notification.objects.update(created_at=now - DAY * 800)
    run = retention_run(dry_run=False, now=now)
    assert set(run.skipped.values()) == {NOTICE} and not run.counts
    assert Notification.objects.count() == 1
    # the nightly job records a dry run itself, and applies the next night
    first_night = retention_daily(now=now)
    assert [r.dry_run for r in first_night] == [False, True]
    assert Notification.objects.count() == 1
    second_night = retention_daily(now=now + DAY)
    assert [r.dry_run for r in second_night] == [False]
    assert second_night[0].counts["notifications"] == 1
    assert Notification.objects.count() == 0


def test_a_changed_rule_waits_for_a_dry_run_and_a_switched_off_one_is_kept(now, hr_admin, staff):
    Notification.objects.create(recipient=staff, title="Old")
    Notification.objects.update(created_at=now - DAY * 200)  # about 6.5 months
    IdeaComment.objects.create(
        idea=IdeaFactory(), author=staff, body="", deleted_at=now - DAY * 3000, deleted_by=staff
    )
    retention_run(dry_run=True, now=now)
    retention_rule_update(
        user=hr_admin, kind=KINDS_BY_KEY["notifications"], period_months=6, enabled=True
    )
    retention_rule_update(
        user=hr_admin,
        kind=KINDS_BY_KEY["idea_comments_deleted"],
        period_months=6,
        enabled=False,
    )
    run = retention_run(dry_run=False, now=now)
    assert run.skipped == {"notifications": NOTICE, "idea_comments_deleted": DISABLED}
    assert Notification.objects.count() == 1 and IdeaComment.objects.count() == 1
    dry = retention_run(dry_run=True, now=now)
    assert dry.counts["notifications"] == 1
    assert dry.counts["idea_comments_deleted"] == 1  # switched off, still counted
    assert dry.skipped == {"idea_comments_deleted": DISABLED}
    run = retention_run(dry_run=False, now=now)
    assert run.counts["notifications"] == 1 and run.periods["notifications"] == 6
    assert Notification.objects.count() == 0 and IdeaComment.objects.count() == 1


def test_one_failing_kind_does_not_stop_the_others(now, staff, monkeypatch):
    Notification.objects.create(recipient=staff, title="Old")
    Notification.objects.update(created_at=now - DAY * 800)
    IdeaComment.objects.create(
        idea=IdeaFactory(), author=staff, body="", deleted_at=now - DAY * 3000, deleted_by=staff
    )
    retention_run(dry_run=True, now=now)

    def fail(*args, **kwargs):
        Notification.objects.all().delete()  # rolled back with the kind
        raise RuntimeError("disk full")

    monkeypatch.setattr(
        retention,
        "KINDS",
        [k if k.key != "notifications" else _replace(k, apply=fail) for k in retention.KINDS],
    )
    run = retention_run(dry_run=False, now=now)
    assert "Notifications: RuntimeError: disk full" in run.error
    assert Notification.objects.count() == 1
    assert run.counts["idea_comments_deleted"] == 1 and "notifications" not in run.counts
    assert not IdeaComment.objects.exists()


def _replace(kind, **changes):
    import dataclasses

    return dataclasses.replace(kind, **changes)


# --- Changing a rule ---------------------------------------------------------------------


def test_rule_changes_are_validated_audited_and_told_to_other_hr_admins(hr_admin, staff):
    from django.contrib.auth.models import Group
    from django.core.exceptions import ValidationError

    from bewigan.people import roles

    other_hr = UserFactory(email="hr@wwl.nhs.uk")
    other_hr.groups.add(Group.objects.get_or_create(name=roles.HR_ADMIN)[0])
    kind = KINDS_BY_KEY["candidates_unsuccessful"]
    with pytest.raises(ValidationError, match="at least 6 months"):
        retention_rule_update(user=hr_admin, kind=kind, period_months=5, enabled=True)
    with pytest.raises(ValidationError, match="240 months"):
        retention_rule_update(user=hr_admin, kind=kind, period_months=241, enabled=True)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        retention_rule_update(user=staff, kind=kind, period_months=12, enabled=True)
    assert not RetentionRule.objects.exists()

    rule = retention_rule_update(user=hr_admin, kind=kind, period_months=12, enabled=True)
    assert (rule.period_months, rule.enabled, rule.updated_by) == (12, True, hr_admin)
    entry = AuditEntry.objects.get(object_type="privacy.retentionrule")
    assert entry.actor == hr_admin and entry.details == {
        "kind": "candidates_unsuccessful",
        "from": {"period_months": 6, "enabled": True},
        "to": {"period_months": 12, "enabled": True},
    }
    told = Notification.objects.filter(kind="privacy_retention_changed")
    assert list(told.values_list("recipient", flat=True)) == [other_hr.pk]
    # saving the same values again changes and tells nothing
    retention_rule_update(user=hr_admin, kind=kind, period_months=12, enabled=True)
    assert AuditEntry.objects.filter(object_type="privacy.retentionrule").count() == 1
    assert told.count() == 1


# --- The command ---------------------------------------------------------------------------


def test_apply_retention_command_reports_counts(staff):
    Notification.objects.create(recipient=staff, title="Old")
    Notification.objects.update(created_at=timezone.now() - DAY * 800)
    out = StringIO()
    call_command("apply_retention", "--dry-run", "--kind", "notifications", stdout=out)
    assert "Notifications: 1 would go" in out.getvalue()
    assert Notification.objects.count() == 1
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Notifications: 1 deleted" in out.getvalue()
    assert Notification.objects.count() == 0
    assert RetentionRun.objects.filter(dry_run=False).count() == 1
    with pytest.raises(CommandError):
        call_command("apply_retention", "--kind", "everything")
