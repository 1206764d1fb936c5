"""Leavers and movers: access ends when the job does (UK GDPR, issue #8).

Someone becomes a leaver when the HR import marks them (a leaving date, or
absence from a full-organisation file), when an HR admin marks them on
/data-protection/leavers/, or when a leaving date set in advance arrives
(the daily `process_leavers` command). `leavers_process` then, for the whole
batch at once and with a number of queries that does not grow per person:

- closes the account and ends every session (`sessions.py`);
- removes the roles that came with the job (every group but Staff), so a
  returning employee starts again with only what the new job needs;
- closes their team memberships on the leaving date;
- runs every app's declared leaver steps (`personal_data.py`,
  `leaver_steps`): recruitment takes them off the panels of open vacancies
  (submitted scorecards stay as evidence, drafts go) and tells recruiting
  managers, appraisals withdraws pending 360 requests to and about them and
  drops their my-time cadences, surveys drops unsent drafts;
- tells their line manager (the first one up the line who is still here,
  or else their organisation's HR admins) what they still owned, with a
  link to the handover page, and tells recruiting managers whose panels
  changed;
- writes one audit entry and one `LeaverRecord` per person, which also
  makes the processing run once only.

Movers: every rule reads the person's current organisation, teams and line
manager on each request, so access follows a move at once. An organisation
move also ends the roles granted for the old organisation (HR admin, survey
admin, recruiting manager): `movers_process`.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from bewigan.core.db import chunks
from bewigan.core.logging import current_request_id
from bewigan.core.models import AuditEntry
from bewigan.core.personal_data_types import LeaverBatch
from bewigan.core.services import audit_record, notify
from bewigan.core.work import my_work_changed
from bewigan.people import roles
from bewigan.people.models import Organisation, Person, TeamMembership
from bewigan.people.signals import people_imported

from . import registry
from .handover import open_work, summary_lines
from .models import LeaverRecord
from .sessions import sessions_end

# Roles that give access to an organisation's people: they end on a move.
ORGANISATION_ROLES = (roles.HR_ADMIN, roles.SURVEY_ADMIN, roles.RECRUITING_MANAGER)
# The daily job catches leaving dates reached in this many past days (a
# first run never notifies about people who left long ago).
LOOKBACK_DAYS = 30
ONE_DAY = datetime.timedelta(days=1)
Source = LeaverRecord.Source


def _actor(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@dataclass
class LeaversResult:
    records: list[LeaverRecord] = field(default_factory=list)
    totals: Counter = field(default_factory=Counter)

    @property
    def processed(self) -> int:
        return len(self.records)


def leavers_process(person_ids, *, actor=None, source=Source.IMPORT, reason="") -> LeaversResult:
    """Process everyone in `person_ids` whose leaving date has come and whose
    leaving has not been processed yet; others are skipped."""
    today = timezone.localdate()
    ids = sorted({int(pk) for pk in person_ids})
    result = LeaversResult()
    if not ids:
        return result
    with transaction.atomic():
        done = LeaverRecord.objects.filter(
            person=OuterRef("pk"), leaver_date=OuterRef("leaver_date")
        )
        people: list[Person] = []
        for chunk in chunks(ids):
            people += (
                Person.objects.select_for_update(of=("self",))
                .filter(pk__in=chunk, leaver_date__lte=today)
                .filter(~Exists(done))
                .select_related("user")
                .order_by("pk")
            )
        # Once the rows are locked, a fresh read sees a leaving that another
        # process (the import, the daily job) has just committed.
        recorded = set()
        for chunk in chunks([p.pk for p in people]):
            recorded.update(
                LeaverRecord.objects.filter(person_id__in=chunk).values_list(
                    "person_id", "leaver_date"
                )
            )
        people = [p for p in people if (p.pk, p.leaver_date) not in recorded]
        if not people:
            return result
        pids = [p.pk for p in people]
        uids = [p.user_id for p in people]
        person_of_user = {p.user_id: p.pk for p in people}
        counts: dict[int, Counter] = {pk: Counter() for pk in pids}

        User = get_user_model()
        for chunk in chunks(uids):
            User.objects.filter(pk__in=chunk, is_active=True).update(is_active=False)
        removed_roles = _groups_remove(uids, keep=(roles.STAFF,))
        for pk, n in _memberships_close(people).items():
            counts[pk]["team_memberships_closed"] = n
        for uid, n in sessions_end(uids).items():
            counts[person_of_user[uid]]["sessions_ended"] = n
        batch = LeaverBatch(people=people, today=today, counts=counts)
        for declaration in registry.declarations():
            for step in declaration.leaver_steps:
                step(batch)

        owned = open_work(pids)
        handover = _handover_recipients(people)
        notified = _notify_handover(people, owned, handover)

        records = [
            LeaverRecord(
                person_id=p.pk,
                leaver_date=p.leaver_date,
                source=source,
                reason=reason,
                processed_by=_actor(actor),
                handover_to_id=(handover[p.pk][0] or [None])[0],
                counts={
                    **counts[p.pk],
                    "open_items": len(owned[p.pk]),
                    "people_told": notified.get(p.pk, 0),
                },
            )
            for p in people
        ]
        LeaverRecord.objects.bulk_create(records)
        request_id = current_request_id() or ""
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=_actor(actor),
                    action=AuditEntry.Action.UPDATE,
                    object_type="people.person",
                    object_id=str(p.pk),
                    object_repr=str(p)[:200],
                    subject_id=p.user_id,
                    reason=reason or f"Leaver ({Source(source).label})",
                    details={
                        "leaver": True,
                        "leaver_date": p.leaver_date.isoformat(),
                        "source": str(source),
                        "roles_removed": removed_roles.get(p.user_id, []),
                        **record.counts,
                    },
                    request_id=request_id,
                )
                for p, record in zip(people, records, strict=True)
            ]
        )
        # Raters, panels, reports and managers all see different work now.
        my_work_changed(everyone=True)
    result.records = records
    for record in records:
        result.totals.update(
            {k: v for k, v in record.counts.items() if isinstance(v, int)} | {"people": 1}
        )
    return result


def _groups_remove(user_ids, *, keep=(), only=None) -> dict[int, list[str]]:
    """Take these users out of their groups (all but `keep`, or just `only`).
    Returns the group names removed per user."""
    through = get_user_model().groups.through
    removed: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(user_ids):
        rows = through.objects.filter(user_id__in=chunk).exclude(group__name__in=keep)
        if only is not None:
            rows = rows.filter(group__name__in=only)
        rows = list(rows.values_list("pk", "user_id", "group__name").order_by("group__name"))
        through.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
        for _, user_id, name in rows:
            removed[user_id].append(name)
    return dict(removed)


def _memberships_close(people) -> Counter:
    """Memberships still current close on the leaving date (exclusive, and
    after the start, as the HR import closes them)."""
    today = timezone.localdate()
    leaving = {p.pk: p.leaver_date for p in people}
    to_close, closed = [], Counter()
    for chunk in chunks(leaving):
        for m in TeamMembership.objects.filter(person_id__in=chunk).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today)
        ):
            end = max(leaving[m.person_id], m.start_date + ONE_DAY)
            if m.end_date is None or end < m.end_date:
                m.end_date = end
                to_close.append(m)
                closed[m.person_id] += 1
    TeamMembership.objects.bulk_update(to_close, ["end_date"], batch_size=1000)
    return closed


def _handover_recipients(people) -> dict[int, tuple[list[int], bool]]:
    """Per leaver, the user ids to tell and whether they are HR: the first
    line manager up the line who is still here, else the HR admins of the
    leaver's organisation."""
    today = timezone.localdate()
    batch = {p.pk for p in people}
    known: dict[int, tuple[int | None, int, bool]] = {}
    wanted = {p.line_manager_id for p in people if p.line_manager_id}
    for _ in range(50):  # no line is deeper than this
        wanted -= set(known)
        if not wanted:
            break
        fresh = []
        for chunk in chunks(wanted):
            for pk, manager_id, user_id, active, left in Person.objects.filter(
                pk__in=chunk
            ).values_list("pk", "line_manager_id", "user_id", "user__is_active", "leaver_date"):
                here = active and pk not in batch and (left is None or left > today)
                known[pk] = (manager_id, user_id, here)
                fresh.append(pk)
        wanted = {known[pk][0] for pk in fresh if not known[pk][2] and known[pk][0]}
    out: dict[int, tuple[list[int], bool]] = {}
    for p in people:
        manager, seen, found = p.line_manager_id, set(), None
        while manager and manager in known and manager not in seen:
            seen.add(manager)
            manager_id, user_id, here = known[manager]
            if here:
                found = user_id
                break
            manager = manager_id
        out[p.pk] = ([found], False) if found else ([], True)
    need_hr = {p.organisation_id for p in people if out[p.pk][1]}
    if need_hr:
        hr: dict[int, list[int]] = defaultdict(list)
        for user_id, organisation_id in (
            get_user_model()
            .objects.filter(
                is_active=True,
                groups__name=roles.HR_ADMIN,
                person__organisation_id__in=need_hr,
            )
            .exclude(person__leaver_date__lte=today)
            .values_list("pk", "person__organisation_id")
            .order_by("pk")
        ):
            hr[organisation_id].append(user_id)
        for p in people:
            if out[p.pk][1]:
                out[p.pk] = (hr.get(p.organisation_id, []), True)
    return out


def _notify_handover(people, owned, handover) -> dict[int, int]:
    """One notification per leaver with open work, to each person told.
    Counts only: the handover page shows the items to those allowed."""
    wanted = {uid for p in people if owned[p.pk] for uid in handover[p.pk][0]}
    users = get_user_model().objects.in_bulk(list(wanted))
    told: dict[int, int] = {}
    for p in people:
        lines = summary_lines(owned[p.pk])
        recipients, via_hr = handover[p.pk]
        if not lines or not recipients:
            continue
        body = (
            f"{p.name} left on {p.leaver_date:%-d %B %Y} and their BeWigan account is closed. "
            "They still own:\n" + "\n".join(f"- {line}" for line in lines) + "\n\n"
            "The handover page lists each one, so you can give it a new owner."
        )
        if via_hr:
            body += "\n\nThis comes to you because nobody in their line management is still here."
        for uid in recipients:
            notify(
                recipient=users[uid],
                title=f"{p.name} has left: please hand over their work",
                body=body,
                url=reverse("privacy:leaver_handover", args=[p.pk]),
                kind="leaver_handover",
            )
        told[p.pk] = len(recipients)
    return told


# --- Entry points --------------------------------------------------------------------


def leaver_mark(*, actor, person: Person, leaver_date: datetime.date, reason: str):
    """An HR admin marks someone as a leaver. A date today or earlier is
    processed at once (returns the LeaverRecord); a later one is recorded and
    processed by the daily job on the day (returns None)."""
    if not actor.has_perm("privacy.mark_leaver", person):
        raise PermissionDenied
    if person.user_id == actor.pk:
        raise ValidationError(
            {"leaver_date": "You cannot mark yourself as a leaver. Ask another HR admin."}
        )
    reason = reason.strip()
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(leaver_date=leaver_date)
        person.leaver_date = leaver_date
        if leaver_date > timezone.localdate():
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=person,
                subject=person.user,
                reason=reason,
                details={"leaver_date": leaver_date.isoformat(), "scheduled": True},
            )
            return None
    result = leavers_process([person.pk], actor=actor, source=Source.MANUAL, reason=reason)
    return result.records[0] if result.records else None


def leavers_due() -> list[int]:
    """People whose leaving date arrived in the last LOOKBACK_DAYS days and
    whose leaving has not been processed."""
    today = timezone.localdate()
    done = LeaverRecord.objects.filter(person=OuterRef("pk"), leaver_date=OuterRef("leaver_date"))
    return list(
        Person.objects.filter(
            leaver_date__lte=today, leaver_date__gt=today - datetime.timedelta(days=LOOKBACK_DAYS)
        )
        .filter(~Exists(done))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def leavers_process_due() -> LeaversResult:
    """The daily job (`manage.py process_leavers`)."""
    return leavers_process(leavers_due(), source=Source.SCHEDULED, reason="Leaving date reached")


def movers_process(moves: dict[int, tuple[int, int]], *, actor=None) -> dict[int, list[str]]:
    """People who moved organisation (`{person_id: (old, new)}`): the roles
    granted for the old organisation end, audited, and the person is told.
    Returns the roles removed per person."""
    if not moves:
        return {}
    with transaction.atomic():
        people = list(
            Person.objects.filter(pk__in=list(moves)).select_related("user").order_by("pk")
        )
        removed = _groups_remove([p.user_id for p in people], only=ORGANISATION_ROLES)
        names = {
            o.pk: o.name
            for o in Organisation.objects.filter(
                pk__in={org for pair in moves.values() for org in pair}
            )
        }
        request_id = current_request_id() or ""
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=_actor(actor),
                    action=AuditEntry.Action.UPDATE,
                    object_type="people.person",
                    object_id=str(p.pk),
                    object_repr=str(p)[:200],
                    subject_id=p.user_id,
                    reason="Moved organisation",
                    details={
                        "moved_from": moves[p.pk][0],
                        "moved_to": moves[p.pk][1],
                        "roles_removed": removed.get(p.user_id, []),
                    },
                    request_id=request_id,
                )
                for p in people
            ]
        )
        my_work_changed(user_ids=[p.user_id for p in people])
        for p in people:
            ended = removed.get(p.user_id)
            if not ended or not p.user.is_active:
                continue
            new_org = names.get(moves[p.pk][1], "your new organisation")
            notify(
                recipient=p.user,
                title=f"Your {', '.join(ended)} role ended when you moved to {new_org}",
                body=(
                    "Roles that give access to an organisation's people end when you move to "
                    f"another organisation. If you need them in your job at {new_org}, ask your "
                    "BeWigan administrator to give them to you again."
                ),
                url=reverse("people:my_profile"),
                kind="mover_roles",
            )
    return {p.pk: removed[p.user_id] for p in people if p.user_id in removed}


def after_import(*, leaver_ids, moves, actor=None) -> None:
    """The HR import's leavers and movers, once its transaction committed."""
    movers_process(moves, actor=actor)
    leavers_process(leaver_ids, actor=actor, source=Source.IMPORT, reason="HR import")


@receiver(people_imported, dispatch_uid="privacy-leavers-after-import")
def _on_people_imported(sender, *, leaver_ids, moves, actor=None, **kwargs) -> None:
    """The people import (below privacy) says who left or moved; this app
    listens, so the shared core never calls up into it."""
    after_import(leaver_ids=leaver_ids, moves=moves, actor=actor)
