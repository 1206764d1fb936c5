"""Write a validated ImportPlan: bulk inserts and updates in batches, in one
transaction (the caller's), with a number of queries that grows with the
number of batches, never with rows one by one."""

from __future__ import annotations

import datetime
import secrets
from collections import namedtuple

import pandas as pd
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db import transaction

from bewigan.core.db import chunks
from bewigan.core.work import my_work_changed

from .. import roles
from ..models import Person, TeamMembership
from ..signals import people_imported
from .plan import ImportPlan

BATCH = 1000
ONE_DAY = datetime.timedelta(days=1)


def _none(value):
    return None if value is None or pd.isna(value) else value


def _records(frame: pd.DataFrame) -> list:
    """Rows as named tuples of plain Python values (much faster than
    itertuples over pandas extension arrays)."""
    Row = namedtuple("Row", list(frame.columns))
    return [
        Row(*values) for values in zip(*(frame[c].tolist() for c in frame.columns), strict=True)
    ]


def _unusable_password() -> str:
    # What make_password(None) stores, without its slow random.choice loop.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


def _close_date(start: datetime.date, on: datetime.date) -> datetime.date:
    # end_date is exclusive and must come after start_date.
    return max(on, start + ONE_DAY)


def apply_plan(plan: ImportPlan, *, actor=None) -> dict:
    """Apply the plan. Call inside transaction.atomic(). Returns the counts.

    Once the transaction commits, people who became leavers are processed
    (accounts closed, sessions ended, handover) and people who moved
    organisation lose the roles of the old one (bewigan.privacy.leavers, through the
    `people_imported` signal)."""
    assert plan.ok and plan.frame is not None, "only a plan without errors can be applied"
    df = plan.frame
    today = plan.today
    User = get_user_model()
    staff_group, _ = Group.objects.get_or_create(name=roles.STAFF)

    new = df.loc[df["status"] == "new"]
    changed = df.loc[df["status"] == "changed"]

    # --- Accounts for new people: no usable password (they sign in by
    # "forgot password", an emailed code or single sign-on).
    fresh_users = [
        User(
            email=r.email,
            first_name=r.first_name,
            last_name=r.last_name,
            is_active=bool(r.is_active),
            password=_unusable_password(),
        )
        for r in _records(new)
        if pd.isna(r.reuse_user_id)
    ]
    User.objects.bulk_create(fresh_users, batch_size=BATCH)
    user_by_email = {u.email: u.pk for u in fresh_users}
    reused = new.loc[new["reuse_user_id"].notna()]
    for r in _records(reused):
        user_by_email[r.email] = int(r.reuse_user_id)
    if len(reused):
        reused_users = list(User.objects.filter(pk__in=[int(u) for u in reused["reuse_user_id"]]))
        wanted = {int(r.reuse_user_id): r for r in _records(reused)}
        for user in reused_users:
            r = wanted[user.pk]
            user.first_name, user.last_name, user.is_active = (
                r.first_name,
                r.last_name,
                bool(r.is_active),
            )
        User.objects.bulk_update(
            reused_users, ["first_name", "last_name", "is_active"], batch_size=BATCH
        )
    new_user_ids = list(user_by_email.values())
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=pk, group_id=staff_group.pk) for pk in new_user_ids],
        batch_size=BATCH,
        ignore_conflicts=True,
    )

    # --- Existing accounts: names, email, active.
    user_rows = changed.loc[changed["user_changed"]]
    if len(user_rows):
        users = [
            User(
                pk=int(r.cur_user_id),
                first_name=r.first_name,
                last_name=r.last_name,
                email=r.email,
                is_active=bool(r.is_active),
            )
            for r in _records(user_rows)
        ]
        # Emails may swap between accounts only through a free address, which
        # the plan guarantees, so one batched update is safe.
        User.objects.bulk_update(
            users, ["first_name", "last_name", "email", "is_active"], batch_size=BATCH
        )

    # --- Verified email addresses (HR vouches for work addresses).
    email_users = {int(r.cur_user_id): r.email for r in _records(user_rows)}
    email_users.update({pk: email for email, pk in user_by_email.items()})
    _verify_emails(email_users)

    # --- People: new ones level by level, so a new manager exists before
    # their new reports point at them (the plan has ruled out loops).
    # Nodes: existing people are their own id, new rows are -row.
    node_person: dict[int, int] = {}

    def person_of_node(node) -> int | None:
        if node is None or pd.isna(node):
            return None
        node = int(node)
        return node if node > 0 else node_person[node]

    pending = new.copy()
    while len(pending):
        ready = pending["manager_node"].map(
            lambda m: pd.isna(m) or int(m) > 0 or int(m) in node_person
        )
        ready = ready.astype(bool)
        if not ready.any():  # pragma: no cover - the plan rules out loops
            raise RuntimeError("line management loop among new people")
        level = pending.loc[ready]
        people = [
            Person(
                user_id=user_by_email[r.email],
                organisation_id=int(r.org_id),
                employee_number=r.employee_number,
                job_title=r.job_title,
                line_manager_id=person_of_node(r.manager_node),
                start_date=r.start,
                leaver_date=r.leaver,
            )
            for r in _records(level)
        ]
        Person.objects.bulk_create(people, batch_size=BATCH)
        for node, person in zip(level["node"], people, strict=True):
            node_person[int(node)] = person.pk
        pending = pending.loc[~ready]

    person_rows = changed.loc[changed["person_changed"]]
    moves = _organisation_moves(person_rows) if len(person_rows) else {}
    if len(person_rows):
        people = [
            Person(
                pk=int(r.person_id),
                organisation_id=int(r.org_id),
                employee_number=r.employee_number,
                job_title=r.job_title,
                line_manager_id=person_of_node(r.manager_node),
                start_date=r.start,
                leaver_date=r.leaver,
            )
            for r in _records(person_rows)
        ]
        Person.objects.bulk_update(
            people,
            [
                "organisation",
                "employee_number",
                "job_title",
                "line_manager",
                "start_date",
                "leaver_date",
            ],
            batch_size=BATCH,
        )

    # --- Team memberships: close what the file no longer lists (dated, so
    # history stays), fix the primary flag, open what is new.
    memberships = plan.memberships
    to_close, to_flag, to_open = [], [], []
    team_rows = pd.concat([new, changed.loc[changed["teams_changed"]]])
    open_by_person: dict[int, list] = {}
    if memberships is not None and len(memberships):
        for m in _records(memberships):
            open_by_person.setdefault(int(m.person_id), []).append(m)
    for r in _records(team_rows):
        person_id = person_of_node(r.node)
        wanted = list(r.teams)
        primary = wanted[0] if wanted else None
        current = open_by_person.get(person_id, []) if r.status == "changed" else []
        close_on = r.leaver if r.has_left and r.leaver else today
        have = set()
        for m in current:
            if m.team_id not in wanted:
                to_close.append(
                    TeamMembership(pk=m.id, end_date=_close_date(m.start_date, close_on))
                )
            else:
                have.add(m.team_id)
                if bool(m.is_primary) != (m.team_id == primary):
                    to_flag.append(TeamMembership(pk=m.id, is_primary=m.team_id == primary))
        joined = r.start if r.status == "new" and r.start else today
        for team_id in wanted:
            if team_id not in have:
                to_open.append(
                    TeamMembership(
                        person_id=person_id,
                        team_id=team_id,
                        is_primary=team_id == primary,
                        start_date=joined,
                    )
                )

    # --- Leavers left out of a full-organisation file.
    absent = plan.absent
    if absent is not None and len(absent):
        absent_ids = absent["id"].astype(int).tolist()
        Person.objects.bulk_update(
            [
                Person(pk=int(a.id), leaver_date=_absent_leaver_date(_none(a.leaver_date), today))
                for a in _records(absent)
            ],
            ["leaver_date"],
            batch_size=BATCH,
        )
        for chunk in chunks(absent["user_id"].astype(int).tolist()):
            User.objects.filter(pk__in=chunk).update(is_active=False)
        for chunk in chunks(absent_ids):
            for m in TeamMembership.objects.filter(person_id__in=chunk, end_date__isnull=True).only(
                "id", "start_date"
            ):
                to_close.append(TeamMembership(pk=m.pk, end_date=_close_date(m.start_date, today)))

    TeamMembership.objects.bulk_update(to_close, ["end_date"], batch_size=BATCH)
    TeamMembership.objects.bulk_update(to_flag, ["is_primary"], batch_size=BATCH)
    TeamMembership.objects.bulk_create(to_open, batch_size=BATCH)
    if plan.changes:  # managers, teams and leavers feed everyone's "my work"
        my_work_changed(everyone=True)

    leavers = changed.loc[changed["becomes_leaver"], "person_id"].astype(int).tolist()
    if absent is not None and len(absent):
        leavers += absent["id"].astype(int).tolist()
    if leavers or moves:
        # Whoever acts on leavers and movers listens (bewigan.privacy).
        transaction.on_commit(
            lambda: people_imported.send(
                sender=Person, leaver_ids=leavers, moves=moves, actor=actor
            ),
            robust=True,
        )
    return dict(plan.counts)


def _organisation_moves(rows: pd.DataFrame) -> dict[int, tuple[int, int]]:
    """{person id: (old organisation, new)} for rows that change it, read
    before the update (a query per 2,000 changed people)."""
    wanted = {
        int(p): int(o)
        for p, o in zip(rows["person_id"].tolist(), rows["org_id"].tolist(), strict=True)
    }
    moves = {}
    for chunk in chunks(list(wanted)):
        for pk, org in Person.objects.filter(pk__in=chunk).values_list("id", "organisation_id"):
            if org != wanted[pk]:
                moves[pk] = (org, wanted[pk])
    return moves


def _absent_leaver_date(current, today):
    """Someone missing from a full file has left by today at the latest."""
    return current if current is not None and current <= today else today


def _verify_emails(email_by_user: dict[int, str]):
    """Each user's work address becomes their one verified, primary address."""
    if not email_by_user:
        return
    user_ids = list(email_by_user)
    for chunk in chunks(user_ids):
        EmailAddress.objects.filter(user_id__in=chunk).exclude(
            email__in=[email_by_user[u] for u in chunk]
        ).delete()
    existing = set()
    for chunk in chunks(user_ids):
        existing.update(
            EmailAddress.objects.filter(user_id__in=chunk).values_list("user_id", "email")
        )
        EmailAddress.objects.filter(user_id__in=chunk).update(verified=True, primary=True)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=u, email=e, verified=True, primary=True)
            for u, e in email_by_user.items()
            if (u, e) not in existing
        ],
        batch_size=BATCH,
    )
