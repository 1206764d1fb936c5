"""The retention schedule: for each kind of record, how long it is kept
after its starting event, and what happens then (delete or anonymise).

The kinds, their defaults, minimums and legal basis are declared here (and
explained for people in docs/privacy/retention.md); HR admins change the
period or switch a kind off on /data-protection/retention/ (a `RetentionRule`
row overrides the default). The schedule is partnership-wide: the records
it covers (the audit log, survey answers, notifications) are shared by the
partners, so one schedule applies to all, every change is audited and the
other HR admins are told.

`retention_run(dry_run=True)` counts what would go, per kind, and what legal
holds keep; `retention_run(dry_run=False)` (the daily `apply_retention`
command) deletes or anonymises it. Counts, never content, go to the
`RetentionRun` and to the audit log, in the same transaction as each kind's
deletions. A kind is applied only once a dry run has reported on it since
its rule last changed, so every change is seen before it takes effect.

A record expires when its starting event is strictly older than the run's
moment minus the period (calendar months; on dates, the run's date minus
the period).
"""

from __future__ import annotations

import calendar
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from bewigan.core.models import AUDIT_RETENTION_FLOOR, AuditEntry, Notification
from bewigan.core.services import audit_record, notify
from bewigan.people.roles import HR_ADMIN

from .holds import ActiveHolds, active_holds
from .models import RetentionRule, RetentionRun, SubjectAccessRequest

logger = logging.getLogger(__name__)

DELETE = "delete"
ANONYMISE = "anonymise"
ACTION_LABELS = {DELETE: "Delete", ANONYMISE: "Anonymise"}
MAXIMUM_MONTHS = 240  # 20 years: longer than any legal limitation period
NOTICE = "notice"  # skipped: waiting for a dry run after the rule changed
DISABLED = "disabled"
SKIP_LABELS = {
    NOTICE: "Waiting for a dry run since the rule changed",
    DISABLED: "Switched off",
}


# --- Dates ----------------------------------------------------------------------------


def months_before(value, months: int):
    """`value` (a date or datetime) moved back by calendar months; the day is
    clamped to the month's length (31 March - 1 month = 28/29 February)."""
    index = value.year * 12 + value.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


@dataclass(frozen=True)
class Cutoff:
    """Records whose starting event is before `moment` (datetimes) or
    `date` (dates) have expired."""

    moment: datetime.datetime
    date: datetime.date
    months: int

    @classmethod
    def of(cls, now: datetime.datetime, months: int) -> Cutoff:
        local = timezone.localtime(now)
        return cls(
            moment=months_before(local, months),
            date=months_before(local.date(), months),
            months=months,
        )


# --- The kinds ------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    records: str  # what is removed, in words
    starts: str  # the starting event, in words ("after the decision")
    action: str
    default_months: int
    minimum_months: int
    legal_basis: str
    held_by: str  # which holds keep these records, in words
    # (cutoff, holds) -> {name: queryset}: the top-level records due, holds applied
    due: Callable[[Cutoff, ActiveHolds], dict[str, QuerySet]]
    # (querysets, cutoff, reason) -> number of records deleted or anonymised
    apply: Callable[[dict[str, QuerySet], Cutoff, str], int]
    maximum_months: int = MAXIMUM_MONTHS

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


def _count(querysets: dict[str, QuerySet]) -> int:
    return sum(qs.count() for qs in querysets.values())


def _delete_all(querysets: dict[str, QuerySet], cutoff: Cutoff, reason: str) -> int:
    """Delete each top-level queryset; children go with them (CASCADE) and
    are not counted separately."""
    total = 0
    for qs in querysets.values():
        total += qs.count()
        qs.delete()
    return total


# Unsuccessful candidates ---------------------------------------------------------------


def _candidates_due(cutoff: Cutoff, holds: ActiveHolds, *, with_holds: bool = True):
    from recruitment.services import candidates_retention_due

    qs = candidates_retention_due(cutoff=cutoff.moment)
    if with_holds:
        qs = qs.exclude(pk__in=sorted(holds.candidate_ids))
        qs = qs.exclude(pk__in=holds.ids("recruitment.candidate"))
        qs = qs.exclude(vacancy_id__in=holds.ids("recruitment.vacancy"))
        # an appointed person's candidacy is never due, but a reserve-list
        # candidate may since have joined: a hold on that person keeps it
        qs = qs.exclude(appointed_person_id__in=sorted(holds.person_ids))
    return {"candidates": qs}


def _candidates_apply(querysets, cutoff: Cutoff, reason: str) -> int:
    from recruitment.services import candidate_anonymise

    done = 0
    for candidate in querysets["candidates"].order_by("pk"):
        done += candidate_anonymise(candidate=candidate, reason=reason)
    return done


# My time records of leavers --------------------------------------------------------


def _leavers_due(cutoff: Cutoff, holds: ActiveHolds, *, with_holds: bool = True):
    from appraisals.models import (
        BreakGlassAccess,
        Cadence,
        Conversation,
        ConversationDraft,
        FeedbackRound,
        PrivateNote,
        ReminderSent,
        ShoutOut,
        TeamFeedback,
    )
    from bewigan.people.models import Person

    leavers = Person.objects.filter(leaver_date__lt=cutoff.date)
    if with_holds:
        leavers = leavers.exclude(pk__in=sorted(holds.person_ids))
    leaver_ids = leavers.values("pk")
    leaver_users = leavers.values("user_id")
    conversations = Conversation.objects.filter(person__in=leaver_ids)
    rounds = FeedbackRound.objects.filter(subject__in=leaver_ids)
    if with_holds:
        conversations = conversations.exclude(pk__in=holds.ids("appraisals.conversation"))
        rounds = rounds.exclude(pk__in=holds.ids("appraisals.feedbackround"))
    held_conversations = holds.ids("appraisals.conversation") if with_holds else []
    return {
        "conversations": conversations,
        "feedback_rounds": rounds,
        "shout_outs_received": ShoutOut.objects.filter(recipient__in=leaver_ids),
        "team_feedback_received": TeamFeedback.objects.filter(recipient__in=leaver_ids),
        # notes and drafts the leaver wrote on others' conversations (those on
        # their own go with the conversation)
        "private_notes_written": PrivateNote.objects.filter(author__in=leaver_users)
        .exclude(conversation__person__in=leaver_ids)
        .exclude(conversation_id__in=held_conversations),
        "drafts_written": ConversationDraft.objects.filter(author__in=leaver_users)
        .exclude(conversation__person__in=leaver_ids)
        .exclude(conversation_id__in=held_conversations),
        "cadences": Cadence.objects.filter(Q(person__in=leaver_ids) | Q(manager__in=leaver_ids)),
        "reminders": ReminderSent.objects.filter(
            Q(person__in=leaver_ids) | Q(manager__in=leaver_ids)
        ),
        "break_glass": BreakGlassAccess.objects.filter(person__in=leaver_ids),
    }


# Raw survey answers --------------------------------------------------------------------


def _surveys_due(cutoff: Cutoff, holds: ActiveHolds, *, with_holds: bool = True):
    from surveys.models import Comment, Draft, Participation, Response, Wave

    waves = Wave.objects.filter(closes_on__lt=cutoff.date)
    if with_holds:
        waves = waves.exclude(pk__in=holds.ids("surveys.wave"))
    # Only waves whose results have been computed: the stored aggregates are
    # what stays (surveys.services.wave_refresh_results keeps them once the
    # raw answers are gone).
    waves = waves.filter(refreshed_at__isnull=False).values("pk")
    return {
        "responses": Response.objects.filter(wave__in=waves),
        "comments": Comment.objects.filter(wave__in=waves),
        "participations": Participation.objects.filter(wave__in=waves),
        "drafts": Draft.objects.filter(wave__in=waves),
    }


def _surveys_apply(querysets, cutoff: Cutoff, reason: str) -> int:
    from surveys.models import Answer

    total = _count(querysets)
    wave_ids = set()
    for qs in querysets.values():
        wave_ids.update(qs.values_list("wave_id", flat=True).distinct())
    # One wave at a time, answers first in one statement, so that deleting
    # the responses never loads millions of answers into memory.
    for wave_id in sorted(wave_ids):
        Answer.objects.filter(
            response__in=querysets["responses"].filter(wave_id=wave_id).values("pk")
        ).delete()
        for qs in querysets.values():
            qs.filter(wave_id=wave_id).delete()
    return total


# Audit log -----------------------------------------------------------------------------


def _audit_due(cutoff: Cutoff, holds: ActiveHolds, *, with_holds: bool = True):
    qs = AuditEntry.objects.filter(at__lt=cutoff.moment)
    if with_holds and holds:
        qs = qs.exclude(holds.audit_q())
    return {"entries": qs}


def _audit_apply(querysets, cutoff: Cutoff, reason: str) -> int:
    return querysets["entries"].retention_delete_before(cutoff.moment)


# Notifications -------------------------------------------------------------------------


def _notifications_due(cutoff: Cutoff, holds: ActiveHolds, *, with_holds: bool = True):
    qs = Notification.objects.filter(created_at__lt=cutoff.moment)
    if with_holds:
        qs = qs.exclude(recipient_id__in=sorted(holds.user_ids))
    return {"notifications": qs}


# Finished subject access packs ---------------------------------------------------------

SAR_REMOVED_LABEL = "(removed after the retention period)"


def _sar_due(cutoff: Cutoff, holds: ActiveHolds, *, with_holds: bool = True):
    finished = [SubjectAccessRequest.Status.READY, SubjectAccessRequest.Status.FAILED]
    qs = (
        SubjectAccessRequest.objects.filter(status__in=finished)
        .filter(
            Q(completed_at__lt=cutoff.moment)
            | Q(completed_at__isnull=True, requested_at__lt=cutoff.moment)
        )
        # not yet emptied (by an earlier run or an erasure)
        .filter(
            Q(data__isnull=False)
            | Q(archive__isnull=False)
            | Q(person__isnull=False)
            | Q(candidate__isnull=False)
        )
    )
    if with_holds:
        qs = (
            qs.exclude(person_id__in=sorted(holds.person_ids))
            .exclude(candidate_id__in=sorted(holds.candidate_ids))
            .exclude(pk__in=holds.ids("privacy.subjectaccessrequest"))
        )
    return {"packs": qs}


def _sar_apply(querysets, cutoff: Cutoff, reason: str) -> int:
    return sar_packs_clear(querysets["packs"], label=SAR_REMOVED_LABEL)


def sar_packs_clear(qs: QuerySet, *, label: str) -> int:
    """Remove finished packs' contents and who they were about; the request's
    reference and dates stay as evidence that it was answered. Requests
    still in progress are closed as failed."""
    from .models import SubjectAccessMention

    SubjectAccessMention.objects.filter(request__in=qs.values("pk")).delete()
    ids = list(qs.values_list("pk", flat=True))
    base = SubjectAccessRequest.objects.filter(pk__in=ids)
    unfinished = base.exclude(
        status__in=[SubjectAccessRequest.Status.READY, SubjectAccessRequest.Status.FAILED]
    )
    unfinished.update(status=SubjectAccessRequest.Status.FAILED, error="Subject erased")
    return base.update(
        data=None,
        archive=None,
        archive_name="",
        subject_label=label,
        person=None,
        candidate=None,
        progress_message="",
    )


# Deleted idea comments -----------------------------------------------------------------


def _comments_due(cutoff: Cutoff, holds: ActiveHolds, *, with_holds: bool = True):
    from cms.models import IdeaComment

    qs = IdeaComment.objects.filter(deleted_at__lt=cutoff.moment)
    if with_holds:
        qs = qs.exclude(author_id__in=sorted(holds.user_ids)).exclude(
            pk__in=holds.ids("cms.ideacomment")
        )
    return {"comments": qs}


KINDS: list[Kind] = [
    Kind(
        key="candidates_unsuccessful",
        label="Unsuccessful candidates",
        records=(
            "Names, email, applicant reference, equality answers, evidence text and the "
            "decision's words of candidates not appointed or on a reserve list. Numeric "
            "scores and outcomes stay for the anonymous recruitment analytics."
        ),
        starts="after the panel's decision",
        action=ANONYMISE,
        default_months=6,
        minimum_months=6,
        legal_basis=(
            "A discrimination claim must normally reach a tribunal within 3 months, extended "
            "by ACAS early conciliation (Equality Act 2010 s.123); the ICO's employment "
            "guidance expects recruitment records to go soon after. 6 months covers both."
        ),
        held_by="a hold on the candidate, their vacancy or (for a reserve-list candidate who joined) the person",
        due=_candidates_due,
        apply=_candidates_apply,
    ),
    Kind(
        key="my_time_leavers",
        label="My time records of leavers",
        records=(
            "A leaver's my time and annual conversations (with their agenda, actions and "
            "notes), 360 rounds about them, shout-outs and team feedback they received, "
            "private notes and drafts they wrote, cadences, reminders and break-glass records."
        ),
        starts="after the leaving date",
        action=DELETE,
        default_months=72,
        minimum_months=72,
        legal_basis=(
            "Contract and most employment claims can be brought for 6 years (Limitation Act "
            "1980 s.5); CIPD and local-government schedules keep personnel records 6 years "
            "after employment ends."
        ),
        held_by="a hold on the person, or on one conversation or 360 round",
        due=_leavers_due,
        apply=_delete_all,
    ),
    Kind(
        key="survey_raw_answers",
        label="Raw survey answers",
        records=(
            "Anonymous responses, answers and comments of a wave, and who took part. The "
            "published results (aggregates with small groups suppressed) stay."
        ),
        starts="after the wave closes",
        action=DELETE,
        default_months=36,
        minimum_months=12,
        legal_basis=(
            "Kept only as long as needed to recompute and compare results (UK GDPR "
            "Art. 5(1)(e)); three years allows trends across yearly waves."
        ),
        held_by="a hold on the wave",
        due=_surveys_due,
        apply=_surveys_apply,
    ),
    Kind(
        key="audit_log",
        label="Audit log entries",
        records="Entries of who viewed or changed sensitive records, and why.",
        starts="after the entry was written",
        action=DELETE,
        default_months=72,
        minimum_months=24,
        legal_basis=(
            "Accountability (UK GDPR Art. 5(2)): evidence of lawful access for as long as a "
            "complaint or claim about it can be brought (6 years, Limitation Act 1980). "
            f"The database never lets entries younger than {AUDIT_RETENTION_FLOOR.days} days go."
        ),
        held_by="a hold on the person the entry is about or who made it, or on the record",
        due=_audit_due,
        apply=_audit_apply,
    ),
    Kind(
        key="notifications",
        label="Notifications",
        records="On-site notifications, read or not.",
        starts="after they were sent",
        action=DELETE,
        default_months=12,
        minimum_months=3,
        legal_basis="Only needed to tell someone something (UK GDPR Art. 5(1)(e)).",
        held_by="a hold on the recipient",
        due=_notifications_due,
        apply=_delete_all,
    ),
    Kind(
        key="subject_access_packs",
        label="Finished subject access packs",
        records=(
            "The collected records, the archive and the review of names in a finished "
            "subject access request, and who it was about. The reference and dates stay as "
            "evidence that the request was answered."
        ),
        starts="after the pack was finished",
        action=ANONYMISE,
        default_months=12,
        minimum_months=6,
        legal_basis=(
            "Kept to answer a complaint to the ICO about the response; the ICO expects "
            "complaints within 3 months of the last contact, so a year is generous."
        ),
        held_by="a hold on the person, the candidate or the request",
        due=_sar_due,
        apply=_sar_apply,
    ),
    Kind(
        key="idea_comments_deleted",
        label="Deleted idea comments",
        records=(
            "The trace of a comment its author or an innovation lead deleted (its text "
            "went at once)."
        ),
        starts="after it was deleted",
        action=DELETE,
        default_months=6,
        minimum_months=1,
        legal_basis="Kept only to answer questions about moderation (UK GDPR Art. 5(1)(e)).",
        held_by="a hold on the comment's author or the comment",
        due=_comments_due,
        apply=_delete_all,
    ),
]
KINDS_BY_KEY = {k.key: k for k in KINDS}


# --- The schedule as HR sees it ------------------------------------------------------


@dataclass
class ScheduleRow:
    kind: Kind
    period_months: int
    enabled: bool
    rule: RetentionRule | None
    waiting_for_notice: bool
    last_run: RetentionRun | None
    last_count: int | None

    @property
    def is_default(self) -> bool:
        return self.period_months == self.kind.default_months


def _rules() -> dict[str, RetentionRule]:
    return {r.kind: r for r in RetentionRule.objects.select_related("updated_by")}


def _effective(kind: Kind, rule: RetentionRule | None) -> tuple[int, bool]:
    if rule is None:
        return kind.default_months, True
    return rule.period_months, rule.enabled


def last_dry_run_at() -> datetime.datetime | None:
    return (
        RetentionRun.objects.filter(dry_run=True, finished_at__isnull=False)
        .aggregate(at=Max("started_at"))
        .get("at")
    )


def _has_notice(rule: RetentionRule | None, dry_run_at) -> bool:
    """A dry run has reported on the rule as it stands."""
    if dry_run_at is None:
        return False
    return rule is None or rule.updated_at <= dry_run_at


def retention_schedule() -> list[ScheduleRow]:
    """Every kind with its period, state and last real run. Three queries."""
    rules = _rules()
    dry_run_at = last_dry_run_at()
    recent = list(
        RetentionRun.objects.filter(dry_run=False, finished_at__isnull=False).order_by(
            "-started_at"
        )[:60]
    )
    rows = []
    for kind in KINDS:
        rule = rules.get(kind.key)
        period, enabled = _effective(kind, rule)
        last = next((r for r in recent if kind.key in r.counts), None)
        rows.append(
            ScheduleRow(
                kind=kind,
                period_months=period,
                enabled=enabled,
                rule=rule,
                waiting_for_notice=enabled and not _has_notice(rule, dry_run_at),
                last_run=last,
                last_count=last.counts.get(kind.key) if last else None,
            )
        )
    return rows


def retention_runs(*, limit: int = 20) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.select_related("triggered_by").order_by("-started_at")[:limit]


def retention_run_get(*, pk: int) -> RetentionRun | None:
    return RetentionRun.objects.select_related("triggered_by").filter(pk=pk).first()


@dataclass
class RunLine:
    kind: Kind
    count: int | None
    held: int | None
    period_months: int | None
    skipped: str


def run_lines(run: RetentionRun) -> list[RunLine]:
    """A run's counts per kind, in schedule order, for display."""
    return [
        RunLine(
            kind=kind,
            count=run.counts.get(kind.key),
            held=run.held.get(kind.key),
            period_months=run.periods.get(kind.key),
            skipped=SKIP_LABELS.get(run.skipped.get(kind.key, ""), ""),
        )
        for kind in KINDS
        if kind.key in run.counts or kind.key in run.skipped or kind.key in run.periods
    ]


# --- Changing a rule -----------------------------------------------------------------


def validate_period(kind: Kind, months: int) -> None:
    if months < kind.minimum_months:
        raise ValidationError(
            {
                "period_months": f"{kind.label} must be kept for at least "
                f"{kind.minimum_months} month{'s' if kind.minimum_months != 1 else ''}"
            }
        )
    if months > kind.maximum_months:
        raise ValidationError(
            {
                "period_months": f"Enter a period of {kind.maximum_months} months "
                f"({kind.maximum_months // 12} years) or less"
            }
        )


@transaction.atomic
def retention_rule_update(*, user, kind: Kind, period_months: int, enabled: bool) -> RetentionRule:
    """Change a kind's period or switch it on or off. Audited; the other HR
    admins are told, since the schedule covers every partner's records. The
    change takes effect after the next dry run has reported on it."""
    if not user.has_perm("privacy.manage_retention"):
        raise PermissionDenied
    validate_period(kind, period_months)
    rule = RetentionRule.objects.select_for_update().filter(kind=kind.key).first()
    before = _effective(kind, rule)
    if rule is None:
        rule = RetentionRule(kind=kind.key)
    if before == (period_months, enabled) and rule.pk:
        return rule
    rule.period_months = period_months
    rule.enabled = enabled
    rule.updated_by = user
    rule.updated_at = timezone.now()
    rule.save()
    audit_record(
        actor=user,
        action="update",
        obj=rule,
        reason=f"Retention schedule: {kind.label}",
        details={
            "kind": kind.key,
            "from": {"period_months": before[0], "enabled": before[1]},
            "to": {"period_months": period_months, "enabled": enabled},
        },
    )
    _tell_other_hr_admins(user, kind, period_months, enabled)
    return rule


def _tell_other_hr_admins(user, kind: Kind, period_months: int, enabled: bool) -> None:
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    state = f"{period_months} months" if enabled else "switched off"
    others = (
        get_user_model()
        .objects.filter(groups__name=HR_ADMIN, is_active=True)
        .exclude(pk=user.pk)
        .distinct()
    )
    for other in others:
        notify(
            recipient=other,
            title=f"Retention schedule changed: {kind.label} now {state}",
            body=(
                f"{user} changed how long {kind.label.lower()} are kept. It applies to every "
                "partner's records and takes effect after the next dry run."
            ),
            url=reverse("privacy:retention_schedule"),
            kind="privacy_retention_changed",
        )


# --- Running the schedule ----------------------------------------------------------------


def retention_run(
    *,
    dry_run: bool,
    user=None,
    now: datetime.datetime | None = None,
    kinds: list[str] | None = None,
) -> RetentionRun:
    """Count (dry run) or apply the schedule as of `now`.

    Dry runs count every kind, switched off or not, so HR sees what a change
    would do. Real runs apply each enabled kind that a dry run has reported
    on since its rule changed, each in its own transaction together with its
    audit entry and its line in the run; a kind that fails is recorded in
    `error` and the others still run."""
    if user is not None and not user.has_perm("privacy.manage_retention"):
        raise PermissionDenied
    now = now or timezone.now()
    unknown = set(kinds or []) - set(KINDS_BY_KEY)
    if unknown:
        raise ValueError(f"Unknown retention kinds: {', '.join(sorted(unknown))}")
    selected = [k for k in KINDS if kinds is None or k.key in kinds]
    run = RetentionRun.objects.create(
        started_at=timezone.now(),
        dry_run=dry_run,
        as_of=timezone.localdate(now),
        triggered_by=user,
    )
    rules = _rules()
    dry_run_at = last_dry_run_at()
    holds = active_holds()
    errors = []
    for kind in selected:
        rule = rules.get(kind.key)
        months, enabled = _effective(kind, rule)
        cutoff = Cutoff.of(now, months)
        run.periods[kind.key] = months
        try:
            if dry_run:
                _count_kind(run, kind, cutoff, holds, enabled)
            elif not enabled:
                run.skipped[kind.key] = DISABLED
            elif not _has_notice(rule, dry_run_at):
                run.skipped[kind.key] = NOTICE
            else:
                _apply_kind(run, kind, cutoff, holds, user)
        except Exception as exc:  # one kind's failure must not stop the others
            logger.exception("Retention kind %s failed", kind.key)
            errors.append(f"{kind.label}: {exc.__class__.__name__}: {exc}")
    run.error = "\n".join(errors)
    run.finished_at = timezone.now()
    run.save()
    if dry_run:
        audit_record(
            actor=user,
            action="create",
            obj=run,
            reason="Retention schedule: dry run",
            details={"dry_run": True, "counts": run.counts, "held": run.held},
        )
    return run


def _due_and_held(kind: Kind, cutoff: Cutoff, holds: ActiveHolds):
    due = kind.due(cutoff, holds)
    held = _count(kind.due(cutoff, holds, with_holds=False)) - _count(due) if holds else 0
    return due, max(held, 0)


def _count_kind(run, kind, cutoff, holds, enabled) -> None:
    due, held = _due_and_held(kind, cutoff, holds)
    run.counts[kind.key] = _count(due)
    run.held[kind.key] = held
    if not enabled:
        run.skipped[kind.key] = DISABLED


def _apply_kind(run, kind, cutoff, holds, user) -> None:
    reason = f"Retention schedule: {kind.label}, {cutoff.months} months {kind.starts}"
    with transaction.atomic():
        due, held = _due_and_held(kind, cutoff, holds)
        count = kind.apply(due, cutoff, reason)
        run.counts[kind.key] = count
        run.held[kind.key] = held
        RetentionRun.objects.filter(pk=run.pk).update(
            counts=run.counts, held=run.held, periods=run.periods
        )
        if not (count or held):
            return  # the run itself records that nothing was due
        audit_record(
            actor=user,
            action="delete",
            obj=run,
            reason=reason,
            details={
                "kind": kind.key,
                "action": kind.action,
                "count": count,
                "held": held,
                "period_months": cutoff.months,
                "before": cutoff.moment.isoformat(),
            },
        )


def retention_daily(*, now: datetime.datetime | None = None) -> list[RetentionRun]:
    """What the daily timer runs: apply the schedule, then, if a kind was
    waiting for notice, record a dry run so that it applies tomorrow."""
    runs = [retention_run(dry_run=False, now=now)]
    if NOTICE in runs[0].skipped.values():
        runs.append(retention_run(dry_run=True, now=now))
    return runs
