"""The retention schedule: for each kind of record, how long it is kept
after its starting event, and what happens then (delete or anonymise).

The kinds, their defaults, minimums and legal basis are declared by the app
that holds the records, in its `personal_data.py` (`retention`; explained
for people in docs/privacy/retention.md); subject access packs are this
app's own. HR admins change the
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

import datetime
import logging
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from bewigan.core.personal_data_types import (
    ACTION_LABELS,
    ANONYMISE,
    DELETE,
    MAXIMUM_MONTHS,
    ActiveHolds,
    Cutoff,
    RetentionKind,
    months_before,
)
from bewigan.core.personal_data_types import count_all as _count
from bewigan.core.services import audit_record, notify
from bewigan.people.roles import HR_ADMIN

from . import registry
from .holds import active_holds
from .models import RetentionRule, RetentionRun, SubjectAccessMention, SubjectAccessRequest

Kind = RetentionKind  # the name the schedule's pages and forms use
__all__ = [
    "ACTION_LABELS",
    "ANONYMISE",
    "DELETE",
    "MAXIMUM_MONTHS",
    "Cutoff",
    "Kind",
    "months_before",
]

logger = logging.getLogger(__name__)

NOTICE = "notice"  # skipped: waiting for a dry run after the rule changed
DISABLED = "disabled"
SKIP_LABELS = {
    NOTICE: "Waiting for a dry run since the rule changed",
    DISABLED: "Switched off",
}


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
    """Remove finished packs' contents, who they were about and the free-text
    reason (it often names them); the request's reference and dates stay as
    evidence that it was answered. Requests still in progress are closed as
    failed."""
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
        reason="",
        person=None,
        candidate=None,
        progress_message="",
    )


SUBJECT_ACCESS_PACKS = Kind(
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
)


def _kinds() -> list[Kind]:
    """Every app's declared kinds, then subject access packs (this app's)."""
    return [*registry.retention_kinds(), SUBJECT_ACCESS_PACKS]


KINDS: list[Kind] = _kinds()
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
