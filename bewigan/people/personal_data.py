"""People's personal data (issue #16): the staff profile, team memberships
and invitations in subject access packs; the profile anonymised and the
person taken out of the structure on erasure; colleagues who need a new
line manager when someone leaves. Run by bewigan.privacy through
settings.BEWIGAN_PERSONAL_DATA.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.urls import reverse
from django.utils import timezone

from bewigan.core.personal_data_types import (
    HandoverKind,
    Owned,
    PersonalData,
    Subject,
    deleted,
    name_of,
    section,
)

from .models import Invitation, Person, TeamMembership

# --- Subject access ------------------------------------------------------------------


def _profile(s: Subject) -> list[dict]:
    p, u = s.person, s.user
    if p.line_manager_id:
        s.connect(p.line_manager.user)
    profile = section(
        "profile",
        "Profile",
        "Your staff profile and account.",
        [
            ("name", "Name", "text"),
            ("email", "Email address", "text"),
            ("employee_number", "Employee number", "text"),
            ("job_title", "Job title", "text"),
            ("organisation", "Organisation", "text"),
            ("line_manager", "Line manager", "text"),
            ("start_date", "Start date", "date"),
            ("leaver_date", "Leaving date", "date"),
            ("roles", "Roles", "text"),
            ("account_created", "Account created", "datetime"),
            ("last_sign_in", "Most recent sign-in", "datetime"),
            ("account_active", "Account active", "bool"),
        ],
        [
            {
                "name": name_of(u),
                "email": u.email,
                "employee_number": p.employee_number,
                "job_title": p.job_title,
                "organisation": p.organisation.name,
                "line_manager": name_of(p.line_manager),
                "start_date": p.start_date,
                "leaver_date": p.leaver_date,
                "roles": ", ".join(sorted(u.groups.values_list("name", flat=True))),
                "account_created": u.date_joined,
                "last_sign_in": u.last_login,
                "account_active": u.is_active,
            }
        ],
    )
    memberships = list(TeamMembership.objects.filter(person=p).select_related("team__organisation"))
    current_teams = [m.team_id for m in memberships if m.end_date is None]
    for mate in (
        Person.objects.filter(memberships__team_id__in=current_teams, memberships__end_date=None)
        .exclude(pk=p.pk)
        .select_related("user")
        .distinct()[:500]
    ):
        s.connect(mate.user)
    for report in Person.objects.filter(line_manager=p).select_related("user"):
        s.connect(report.user)
    teams = section(
        "memberships",
        "Team memberships",
        "The teams you belong or belonged to.",
        [
            ("team", "Team", "text"),
            ("organisation", "Organisation", "text"),
            ("role", "Role", "text"),
            ("primary", "Main team", "bool"),
            ("start_date", "From", "date"),
            ("end_date", "Until", "date"),
        ],
        [
            {
                "team": m.team.name,
                "organisation": m.team.organisation.name,
                "role": m.get_role_display(),
                "primary": m.is_primary,
                "start_date": m.start_date,
                "end_date": m.end_date,
            }
            for m in memberships
        ],
    )
    invitations = section(
        "invitations",
        "Invitations",
        "Invitations to join BeWigan sent to your email address.",
        [
            ("organisation", "Organisation", "text"),
            ("invited_by", "Invited by", "text"),
            ("sent", "Sent", "datetime"),
            ("accepted", "Accepted", "datetime"),
        ],
        [
            {
                "organisation": i.organisation.name,
                "invited_by": name_of(i.invited_by),
                "sent": i.created_at,
                "accepted": i.accepted_at,
            }
            for i in Invitation.objects.filter(email__iexact=u.email).select_related(
                "organisation", "invited_by"
            )
        ],
    )
    return [profile, teams, invitations]


# --- Erasure -------------------------------------------------------------------------


def erase_person(person, now) -> Counter:
    """Memberships go, reports keep their place without this manager, and
    the profile keeps only what other records need (its organisation)."""
    counts: Counter = Counter()
    deleted(counts, "team_memberships", person.memberships.all())
    counts["reports_unlinked"] += Person.objects.filter(line_manager=person).update(
        line_manager=None
    )
    deleted(counts, "invitations", Invitation.objects.filter(email__iexact=person.user.email))
    person.employee_number = f"ERASED-{person.pk}"
    person.job_title = ""
    person.line_manager = None
    person.start_date = None
    person.leaver_date = timezone.localdate(now)
    person.save(
        update_fields=["employee_number", "job_title", "line_manager", "start_date", "leaver_date"]
    )
    counts["profile"] = 1
    return counts


# --- Leavers -------------------------------------------------------------------------


def open_work(person_ids) -> dict[int, list[Owned]]:
    """Colleagues who still report to a leaver."""
    owned: dict[int, list[Owned]] = defaultdict(list)
    ids = list(person_ids)
    for start in range(0, len(ids), 2000):
        for report in (
            Person.objects.active()
            .filter(line_manager_id__in=ids[start : start + 2000])
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        ):
            owned[report.line_manager_id].append(Owned("report", report))
    return owned


def _describe_report(person, viewer):
    return person.name, reverse("people:person_detail", args=[person.pk])


DECLARATION = PersonalData(
    app="people",
    person_sections=[(10, "Profile and memberships", _profile)],
    erase_person=[erase_person],
    count_labels={
        "profile": "Staff profile anonymised",
        "team_memberships": "Team memberships",
        "reports_unlinked": "Reports no longer managed by them",
        "invitations": "Invitations sent to their email address",
    },
    open_work=[open_work],
    handover_kinds=[
        HandoverKind(
            "report",
            "colleague who needs a new line manager",
            "colleagues who need a new line manager",
            "Needs a new line manager",
            _describe_report,
        )
    ],
)
