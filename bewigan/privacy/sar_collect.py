"""Collect every record the platform holds about one person, for a subject
access pack.

Each collector returns sections: a title, a plain-words description, the
fields (key, label, kind) and the records as JSON-ready dicts. Fields of
kind "free" are free text that people typed; they are searched for other
people's names (sar_names.py) and redacted where the HR admin decides.
Names held in structured fields (a line manager, who gave a shout-out)
are part of the record as the subject already sees it and stay.

This module is the one place outside appraisals that reads line managers'
private notes (tools/lint_sensitive_access.py allows it): a note about a
person is that person's personal data, so the pack includes it, and
sar.py audits the inclusion and tells the author.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from bewigan.core.models import AuditEntry, Notification
from bewigan.people.models import Invitation, Person, TeamMembership

FREE = "free"

# Things a pack never contains, with the reason in plain words. sar.py adds
# them to every pack (HTML and JSON) so the person knows they were considered.
NOT_INCLUDED_SURVEYS = (
    "Staff survey answers and comments",
    "Survey answers are anonymous by design: they are stored with no name, account, email or "
    "time, and nothing links them to the person who gave them. Because they cannot be linked "
    "to you, they cannot be found or included. This pack lists the surveys you responded to, "
    "which is the only survey record kept about you.",
)
NOT_INCLUDED_ANONYMOUS_360 = (
    "360 feedback you gave anonymously",
    "When you chose to answer a 360 request anonymously, your answer was stored with no link "
    "to you, so it cannot be found or included. Named answers you gave are included.",
)
NOT_INCLUDED_MANAGED = (
    "The content of my time conversations you held as a line manager",
    "Those records are about the people you manage. The pack lists when they took place and "
    "with whom; their content belongs in each person's own pack. Private notes you wrote "
    "yourself are not included for the same reason; you can read them at any time in My time.",
)


@dataclass
class Subject:
    person: Person | None
    candidates: list
    label: str
    connected: set[tuple[str, str]] = field(default_factory=set)

    @property
    def user(self):
        return self.person.user if self.person else None

    def connect(self, user) -> None:
        """Remember a person linked to the subject (for first-name matching)."""
        if user is not None and user.first_name and user.last_name:
            self.connected.add((user.first_name, user.last_name))


def _v(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _name(person_or_user) -> str:
    if person_or_user is None:
        return ""
    user = getattr(person_or_user, "user", person_or_user)
    return user.get_full_name() or user.email


def section(key, title, description, fields, rows) -> dict:
    keys = [f[0] for f in fields]
    return {
        "key": key,
        "title": title,
        "description": description,
        "fields": [list(f) for f in fields],
        "records": [{k: _v(row.get(k)) for k in keys} for row in rows],
    }


# --- Staff ---------------------------------------------------------------------------------


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
                "name": _name(u),
                "email": u.email,
                "employee_number": p.employee_number,
                "job_title": p.job_title,
                "organisation": p.organisation.name,
                "line_manager": _name(p.line_manager),
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
                "invited_by": _name(i.invited_by),
                "sent": i.created_at,
                "accepted": i.accepted_at,
            }
            for i in Invitation.objects.filter(email__iexact=u.email).select_related(
                "organisation", "invited_by"
            )
        ],
    )
    return [profile, teams, invitations]


def _sign_in(s: Subject) -> list[dict]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    u = s.user
    emails = section(
        "email_addresses",
        "Email addresses",
        "Email addresses on your account.",
        [("email", "Email", "text"), ("verified", "Verified", "bool"), ("primary", "Main", "bool")],
        [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=u)
        ],
    )
    methods = section(
        "sign_in_methods",
        "Sign-in methods",
        "Two-step verification methods and single sign-on accounts linked to your account "
        "(never the secrets themselves).",
        [
            ("method", "Method", "text"),
            ("identifier", "Identifier", "text"),
            ("added", "Added", "datetime"),
            ("last_used", "Last used", "datetime"),
        ],
        [
            {
                "method": a.get_type_display(),
                "identifier": "",
                "added": a.created_at,
                "last_used": a.last_used_at,
            }
            for a in Authenticator.objects.filter(user=u).order_by("created_at")
        ]
        + [
            {
                "method": f"Single sign-on ({a.provider})",
                "identifier": a.uid,
                "added": a.date_joined,
                "last_used": a.last_login,
            }
            for a in SocialAccount.objects.filter(user=u).order_by("date_joined")
        ],
    )
    history = section(
        "sign_in_history",
        "Sign-in history",
        "Each recorded sign-in to your account. Your most recent sign-in is also in your "
        "profile above.",
        [("at", "When", "datetime"), ("details", "Details", "text")],
        [
            {"at": e.at, "details": _details(e.details)}
            for e in AuditEntry.objects.filter(action=AuditEntry.Action.SIGN_IN)
            .filter(Q(actor=u) | Q(subject=u))
            .order_by("at")
        ],
    )
    return [emails, methods, history]


def _details(details) -> str:
    if not details:
        return ""
    return json.dumps(details, sort_keys=True, default=str)


def _my_time(s: Subject) -> list[dict]:
    from appraisals.models import (
        Action,
        Cadence,
        Conversation,
        ConversationDraft,
        Reflection,
        ReminderSent,
        TalkingPoint,
    )

    p = s.person
    conversations = list(
        Conversation.objects.filter(person=p)
        .select_related("manager__user")
        .order_by("meeting_date", "id")
    )
    for c in conversations:
        s.connect(c.manager.user)
    when = {c.pk: f"{c.get_kind_display()}, {c.meeting_date:%d %b %Y}" for c in conversations}
    records = section(
        "my_time",
        "My time conversations",
        "Your my time one-to-ones and annual conversations, as shared between you and your "
        "line manager at the time.",
        [
            ("meeting", "Conversation", "text"),
            ("manager", "Line manager", "text"),
            ("status", "Status", "text"),
            ("wellbeing_score", "Wellbeing (1 to 5)", "number"),
            ("wellbeing_words", "Wellbeing in your words", FREE),
            ("what_matters", "What matters to you", FREE),
            ("going_well", "What is going well", FREE),
            ("support_needed", "Support needed", FREE),
            ("looking_ahead", "Looking ahead", FREE),
            ("staff_comments", "Your comments", FREE),
            ("next_date", "Next meeting", "date"),
            ("person_confirmed_at", "You confirmed", "datetime"),
            ("manager_confirmed_at", "Manager confirmed", "datetime"),
        ],
        [
            {
                "meeting": when[c.pk],
                "manager": _name(c.manager),
                "status": c.status,
                "wellbeing_score": c.wellbeing_score,
                "wellbeing_words": c.wellbeing_words,
                "what_matters": c.what_matters,
                "going_well": c.going_well,
                "support_needed": c.support_needed,
                "looking_ahead": c.looking_ahead,
                "staff_comments": c.staff_comments,
                "next_date": c.next_date,
                "person_confirmed_at": c.person_confirmed_at,
                "manager_confirmed_at": c.manager_confirmed_at,
            }
            for c in conversations
        ],
    )
    reflections = section(
        "reflections",
        "Reflections on behaviours",
        "What you and your manager wrote about each behaviour in a conversation.",
        [
            ("meeting", "Conversation", "text"),
            ("behaviour", "Behaviour", "text"),
            ("text", "Reflection", FREE),
        ],
        [
            {
                "meeting": when.get(r.conversation_id, ""),
                "behaviour": r.behaviour.statement,
                "text": r.text,
            }
            for r in Reflection.objects.filter(conversation__person=p)
            .select_related("behaviour")
            .order_by("conversation__meeting_date", "id")
        ],
    )
    points = list(
        TalkingPoint.objects.filter(conversation__person=p)
        .select_related("author__user")
        .order_by("conversation__meeting_date", "created_at", "id")
    )
    talking_points = section(
        "talking_points",
        "Talking points",
        "Agenda items you or your manager added to a conversation.",
        [
            ("meeting", "Conversation", "text"),
            ("author", "Added by", "text"),
            ("text", "Talking point", FREE),
            ("discussed", "Discussed", "bool"),
            ("carried_over", "Times carried over", "number"),
            ("added", "Added", "datetime"),
        ],
        [
            {
                "meeting": when.get(t.conversation_id, ""),
                "author": _name(t.author),
                "text": t.text,
                "discussed": t.discussed,
                "carried_over": t.carried_over,
                "added": t.created_at,
            }
            for t in points
        ],
    )
    actions = section(
        "actions",
        "My time actions",
        "Actions agreed in your conversations.",
        [
            ("meeting", "Conversation", "text"),
            ("owner", "Owner", "text"),
            ("text", "Action", FREE),
            ("due_date", "Due", "date"),
            ("done_at", "Done", "datetime"),
        ],
        [
            {
                "meeting": when.get(a.conversation_id, ""),
                "owner": _name(a.owner),
                "text": a.text,
                "due_date": a.due_date,
                "done_at": a.done_at,
            }
            for a in Action.objects.filter(person=p)
            .select_related("owner__user")
            .order_by("due_date", "id")
        ],
    )
    drafts = section(
        "my_time_drafts",
        "Unsaved my time drafts",
        "Edits to your my time records that were saved automatically but not yet applied.",
        [
            ("meeting", "Conversation", "text"),
            ("author", "Written by", "text"),
            ("saved", "Saved", "datetime"),
            ("text", "Draft", FREE),
        ],
        [
            {
                "meeting": when.get(d.conversation_id, ""),
                "author": _name(d.author),
                "saved": d.saved_at,
                "text": _draft_text(d.data),
            }
            for d in ConversationDraft.objects.filter(conversation__person=p).select_related(
                "author"
            )
        ],
    )
    rhythm = section(
        "cadence",
        "Meeting rhythm",
        "How often you and a manager agreed to meet.",
        [("manager", "Manager", "text"), ("days", "Every (days)", "number")],
        [
            {"manager": _name(c.manager), "days": c.days}
            for c in Cadence.objects.filter(person=p).select_related("manager__user")
        ],
    )
    reminders = section(
        "reminders",
        "My time reminders",
        "Reminders BeWigan sent about a my time being due or overdue.",
        [("kind", "Reminder", "text"), ("due_date", "Due", "date"), ("sent", "Sent", "datetime")],
        [
            {"kind": r.get_kind_display(), "due_date": r.due_date, "sent": r.sent_at}
            for r in ReminderSent.objects.filter(Q(person=p) | Q(manager=p)).order_by("sent_at")
        ],
    )
    held = section(
        "held_as_manager",
        "Conversations you held as a line manager",
        "When you met the people you manage. Their content is about them and is not included.",
        [("meeting", "Conversation", "text"), ("with", "With", "text")],
        [
            {
                "meeting": f"{c.get_kind_display()}, {c.meeting_date:%d %b %Y}",
                "with": _name(c.person),
            }
            for c in Conversation.objects.filter(manager=p)
            .select_related("person__user")
            .order_by("meeting_date", "id")
        ],
    )
    return [records, reflections, talking_points, actions, drafts, rhythm, reminders, held]


def _draft_text(data) -> str:
    if not isinstance(data, dict):
        return str(data or "")
    skip = ("csrf", "autosave", "version")
    return "\n".join(
        f"{key}: {value}"
        for key, value in sorted(data.items())
        if value and not any(key.startswith(prefix) for prefix in skip)
    )


def private_notes_about(person):
    """Line managers' private notes on this person's conversations (never
    the person's own notes about others). Read only for a subject access
    pack; sar.py audits every note it includes and tells its author."""
    from appraisals.models import PrivateNote

    return (
        PrivateNote.objects.filter(conversation__person=person)
        .exclude(author=person.user)
        .select_related("author", "conversation")
        .order_by("conversation__meeting_date", "id")
    )


def _private_notes(s: Subject) -> list[dict]:
    notes = list(private_notes_about(s.person))
    for n in notes:
        s.connect(n.author)
    return [
        section(
            "private_notes",
            "Line managers' private notes",
            "Notes your line managers kept privately about your conversations. They are your "
            "personal data, so they are included; each author has been told.",
            [
                ("meeting", "Conversation", "text"),
                ("author", "Written by", "text"),
                ("text", "Note", FREE),
                ("created", "Written", "datetime"),
                ("updated", "Last changed", "datetime"),
            ],
            [
                {
                    "meeting": f"{n.conversation.get_kind_display()}, "
                    f"{n.conversation.meeting_date:%d %b %Y}",
                    "author": _name(n.author),
                    "text": n.text,
                    "created": n.created_at,
                    "updated": n.updated_at,
                }
                for n in notes
            ],
        )
    ]


def _shout_outs(s: Subject) -> list[dict]:
    from appraisals.models import ShoutOut

    p = s.person
    fields = [
        ("when", "When", "datetime"),
        ("other", "{}", "text"),
        ("value", "Value", "text"),
        ("message", "Message", FREE),
        ("public", "Public", "bool"),
    ]
    received = list(
        ShoutOut.objects.filter(recipient=p)
        .select_related("giver__user", "value")
        .order_by("created_at")
    )
    given = list(
        ShoutOut.objects.filter(giver=p)
        .select_related("recipient__user", "value")
        .order_by("created_at")
    )
    for o in received:
        s.connect(o.giver.user)
    for o in given:
        s.connect(o.recipient.user)

    def rows(items, other):
        return [
            {
                "when": o.created_at,
                "other": _name(getattr(o, other)),
                "value": o.value.name,
                "message": o.message,
                "public": o.is_public,
            }
            for o in items
        ]

    return [
        section(
            "shout_outs_received",
            "Shout-outs you received",
            "Recognition colleagues gave you.",
            [(k, lbl.format("From"), kind) for k, lbl, kind in fields],
            rows(received, "giver"),
        ),
        section(
            "shout_outs_given",
            "Shout-outs you gave",
            "Recognition you gave colleagues.",
            [(k, lbl.format("To"), kind) for k, lbl, kind in fields],
            rows(given, "recipient"),
        ),
    ]


def _feedback(s: Subject) -> tuple[list[dict], int]:
    """360 feedback about and by the person. Anonymous answers about them
    follow the app's rule: shown only once a round has at least three, and
    never with a rater or a date. Returns the sections and the number of
    anonymous answers withheld."""
    from appraisals.models import FeedbackRequest, FeedbackResponse, FeedbackRound
    from appraisals.selectors import MIN_ANONYMOUS

    p = s.person
    rounds = list(
        FeedbackRound.objects.filter(subject=p)
        .select_related("requested_by__user")
        .annotate(
            asked=Count("requests", distinct=True),
            answered=Count("requests", filter=Q(requests__answered=True), distinct=True),
        )
        .order_by("created_at")
    )
    label = {r.pk: f"360 started {r.created_at:%d %b %Y}" for r in rounds}
    responses = list(
        FeedbackResponse.objects.filter(round__subject=p)
        .select_related("rater__user")
        .prefetch_related("answers__value")
    )
    anonymous_by_round: dict[int, int] = {}
    for r in responses:
        if r.is_anonymous:
            anonymous_by_round[r.round_id] = anonymous_by_round.get(r.round_id, 0) + 1
    withheld = 0
    named_rows, anonymous_rows = [], []
    for r in responses:
        if r.is_anonymous and anonymous_by_round[r.round_id] < MIN_ANONYMOUS:
            withheld += 1
            continue
        if not r.is_anonymous:
            s.connect(r.rater.user)
        for a in r.answers.all():
            row = {
                "round": label.get(r.round_id, ""),
                "rater": "Anonymous" if r.is_anonymous else _name(r.rater),
                "submitted": None if r.is_anonymous else r.submitted_on,
                "value": a.value.name,
                "does_well": a.does_well,
                "to_try": a.to_try,
            }
            (anonymous_rows if r.is_anonymous else named_rows).append(row)
    # Anonymous answers in text order, never submission order (as in the app).
    anonymous_rows.sort(
        key=lambda row: (row["round"], row["value"], row["does_well"], row["to_try"])
    )
    for r in rounds:
        s.connect(r.requested_by.user)
    about = section(
        "feedback_rounds",
        "360 feedback rounds about you",
        "Each 360 round about you: who started it, and how many people were asked and answered.",
        [
            ("round", "Round", "text"),
            ("requested_by", "Started by", "text"),
            ("message", "Message to raters", FREE),
            ("closes_on", "Closes", "date"),
            ("asked", "People asked", "number"),
            ("answered", "Answers", "number"),
        ],
        [
            {
                "round": label[r.pk],
                "requested_by": _name(r.requested_by),
                "message": r.message,
                "closes_on": r.closes_on,
                "asked": r.asked,
                "answered": r.answered,
            }
            for r in rounds
        ],
    )
    answer_fields = [
        ("round", "Round", "text"),
        ("rater", "From", "text"),
        ("submitted", "Answered", "date"),
        ("value", "Value", "text"),
        ("does_well", "Does well", FREE),
        ("to_try", "Could try", FREE),
    ]
    description = (
        "What raters said about you. Raters who answered anonymously are not identified, and "
        "their answers carry no date."
    )
    if withheld:
        description += (
            f" {withheld} anonymous answer{'s' if withheld != 1 else ''} from rounds with fewer "
            f"than {MIN_ANONYMOUS} anonymous answers {'are' if withheld != 1 else 'is'} withheld, "
            "because so few answers could identify the people who gave them (you were never "
            "shown them either)."
        )
    answers = section(
        "feedback_about_you",
        "360 feedback about you",
        description,
        answer_fields,
        named_rows + anonymous_rows,
    )
    given_rows = []
    for r in (
        FeedbackResponse.objects.filter(rater=p, is_anonymous=False)
        .select_related("round__subject__user")
        .prefetch_related("answers__value")
        .order_by("submitted_on", "id")
    ):
        for a in r.answers.all():
            given_rows.append(
                {
                    "about": _name(r.round.subject),
                    "submitted": r.submitted_on,
                    "value": a.value.name,
                    "does_well": a.does_well,
                    "to_try": a.to_try,
                }
            )
    given = section(
        "feedback_given",
        "360 feedback you gave with your name",
        "Named answers you gave to colleagues' 360 rounds.",
        [
            ("about", "About", "text"),
            ("submitted", "Answered", "date"),
            ("value", "Value", "text"),
            ("does_well", "Does well", FREE),
            ("to_try", "Could try", FREE),
        ],
        given_rows,
    )
    asked = section(
        "feedback_requests",
        "360 requests sent to you",
        "Colleagues' 360 rounds you were asked to answer, and whether you answered.",
        [
            ("about", "About", "text"),
            ("round", "Round started", "datetime"),
            ("answered", "Answered", "bool"),
            ("declined", "Declined", "bool"),
        ],
        [
            {
                "about": _name(q.round.subject),
                "round": q.round.created_at,
                "answered": q.answered,
                "declined": q.declined,
            }
            for q in FeedbackRequest.objects.filter(rater=p)
            .select_related("round__subject__user")
            .order_by("round__created_at")
        ],
    )
    return [about, answers, given, asked], withheld


def _team_time(s: Subject) -> list[dict]:
    from appraisals.models import TeamAction, TeamFeedback, TeamTime

    p = s.person
    times = section(
        "team_time",
        "Team time",
        "Team meetings you attended or facilitated. What the team discussed is about the team "
        "and is not included.",
        [
            ("team", "Team", "text"),
            ("meeting_date", "Date", "date"),
            ("facilitator", "Facilitator", "text"),
            ("role", "You", "text"),
        ],
        [
            {
                "team": t.team.name,
                "meeting_date": t.meeting_date,
                "facilitator": _name(t.facilitator),
                "role": "Facilitated" if t.facilitator_id == p.pk else "Attended",
            }
            for t in TeamTime.objects.filter(Q(attendees=p) | Q(facilitator=p))
            .select_related("team", "facilitator__user")
            .distinct()
            .order_by("meeting_date", "id")
        ],
    )
    actions = section(
        "team_actions",
        "Team actions you own",
        "Actions from team time with you as the owner.",
        [
            ("team", "Team", "text"),
            ("text", "Action", FREE),
            ("due_date", "Due", "date"),
            ("done_at", "Done", "datetime"),
        ],
        [
            {"team": a.team.name, "text": a.text, "due_date": a.due_date, "done_at": a.done_at}
            for a in TeamAction.objects.filter(owner=p)
            .select_related("team")
            .order_by("due_date", "id")
        ],
    )
    feedback = list(
        TeamFeedback.objects.filter(Q(recipient=p) | Q(giver=p))
        .select_related("giver__user", "recipient__user", "behaviour", "team_time")
        .order_by("team_time__meeting_date", "id")
    )
    for f in feedback:
        s.connect((f.giver if f.recipient_id == p.pk else f.recipient).user)
    team_feedback = section(
        "team_feedback",
        "Team time feedback",
        "Named feedback between team members at team time, given or received by you.",
        [
            ("meeting_date", "Date", "date"),
            ("giver", "From", "text"),
            ("recipient", "To", "text"),
            ("behaviour", "Behaviour", "text"),
            ("does_well", "Does well", FREE),
            ("to_try", "Could try", FREE),
        ],
        [
            {
                "meeting_date": f.team_time.meeting_date,
                "giver": _name(f.giver),
                "recipient": _name(f.recipient),
                "behaviour": f.behaviour.statement,
                "does_well": f.does_well,
                "to_try": f.to_try,
            }
            for f in feedback
        ],
    )
    return [times, actions, team_feedback]


def _special_access(s: Subject) -> list[dict]:
    from appraisals.models import BreakGlassAccess

    from .models import LegalHold, SubjectAccessRequest

    p = s.person
    access = section(
        "break_glass",
        "HR's special access to your records",
        "Times HR opened your my time records for a serious reason (you were told each time).",
        [
            ("hr", "HR admin", "text"),
            ("reason", "Reason", FREE),
            ("opened", "Opened", "datetime"),
            ("expires", "Until", "datetime"),
        ],
        [
            {
                "hr": _name(a.hr_user),
                "reason": a.reason,
                "opened": a.created_at,
                "expires": a.expires_at,
            }
            for a in BreakGlassAccess.objects.filter(person=p)
            .select_related("hr_user")
            .order_by("created_at")
        ],
    )
    return [
        access,
        _leaving(p),
        *_holds_and_requests(s, LegalHold, SubjectAccessRequest, person=p),
    ]


def _leaving(p) -> dict:
    from .models import LeaverRecord

    return section(
        "leaving",
        "Leaving",
        "When your leaving was processed: your account was closed and your manager was told "
        "about work you still owned.",
        [
            ("leaver_date", "Leaving date", "date"),
            ("source", "How", "text"),
            ("reason", "Reason recorded", FREE),
            ("processed", "Processed", "datetime"),
        ],
        [
            {
                "leaver_date": r.leaver_date,
                "source": r.get_source_display(),
                "reason": r.reason,
                "processed": r.processed_at,
            }
            for r in LeaverRecord.objects.filter(person=p).order_by("processed_at")
        ],
    )


def _holds_and_requests(s: Subject, LegalHold, SubjectAccessRequest, **target) -> list[dict]:
    holds = section(
        "legal_holds",
        "Legal holds",
        "Instructions to keep your records beyond the usual retention period, for example "
        "during a tribunal claim.",
        [
            ("reason", "Reason", FREE),
            ("placed", "Placed", "datetime"),
            ("released", "Released", "datetime"),
        ],
        [
            {"reason": h.reason, "placed": h.placed_at, "released": h.released_at}
            for h in LegalHold.objects.filter(**target).order_by("placed_at")
        ],
    )
    requests = section(
        "subject_access_requests",
        "Subject access requests",
        "Requests for a copy of your records, including this one.",
        [
            ("reference", "Reference", "text"),
            ("requested", "Requested", "datetime"),
            ("status", "Status", "text"),
        ],
        [
            {
                "reference": r.reference,
                "requested": r.requested_at,
                "status": r.get_status_display(),
            }
            for r in SubjectAccessRequest.objects.filter(**target).order_by("requested_at")
        ],
    )
    return [holds, requests]


def _ideas(s: Subject) -> list[dict]:
    from cms.models import Idea, IdeaComment, IdeaSupport, InnovationStoryPage

    u = s.user
    ideas = section(
        "ideas",
        "Ideas you shared",
        "Ideas you submitted to the ideas board.",
        [
            ("title", "Title", FREE),
            ("what_matters", "What matters", FREE),
            ("description", "The idea", FREE),
            ("support_detail", "Support needed", FREE),
            ("value", "Value", "text"),
            ("status", "Status", "text"),
            ("created", "Shared", "datetime"),
        ],
        [
            {
                "title": i.title,
                "what_matters": i.what_matters,
                "description": i.description,
                "support_detail": i.support_detail,
                "value": i.value.name,
                "status": i.get_status_display(),
                "created": i.created_at,
            }
            for i in Idea.objects.filter(author=u).select_related("value").order_by("created_at")
        ],
    )
    comments = section(
        "idea_comments",
        "Comments on ideas",
        "Comments you wrote on ideas, including any later removed from view.",
        [
            ("idea", "Idea", "text"),
            ("body", "Comment", FREE),
            ("created", "Written", "datetime"),
            ("edited", "Edited", "datetime"),
            ("deleted", "Removed", "datetime"),
        ],
        [
            {
                "idea": c.idea.title,
                "body": c.body,
                "created": c.created_at,
                "edited": c.edited_at,
                "deleted": c.deleted_at,
            }
            for c in IdeaComment.objects.filter(author=u)
            .select_related("idea")
            .order_by("created_at")
        ],
    )
    supports = section(
        "idea_supports",
        "Ideas you supported",
        "Ideas you added your support to.",
        [("idea", "Idea", "text"), ("when", "When", "datetime")],
        [
            {"idea": x.idea.title, "when": x.created_at}
            for x in IdeaSupport.objects.filter(user=u)
            .select_related("idea")
            .order_by("created_at")
        ],
    )
    stories = section(
        "stories",
        "Stories about you",
        "Intranet stories that name you as one of the people involved.",
        [("title", "Title", "text"), ("date", "Date", "date"), ("published", "Published", "bool")],
        [
            {"title": page.title, "date": page.date, "published": page.live}
            for page in InnovationStoryPage.objects.filter(people=s.person).order_by("date")
        ],
    )
    return [ideas, comments, supports, stories]


def _surveys(s: Subject) -> list[dict]:
    from surveys.models import Action, CommentReply, Draft, Participation

    p = s.person
    took_part = section(
        "survey_participation",
        "Surveys you responded to",
        "The surveys you answered. Only the fact that you responded is kept; your answers are "
        "not linked to you (see “What this pack does not contain”).",
        [("survey", "Survey", "text"), ("opened", "Opened", "date"), ("closed", "Closed", "date")],
        [
            {"survey": x.wave.survey.title, "opened": x.wave.opens_on, "closed": x.wave.closes_on}
            for x in Participation.objects.filter(person=p)
            .select_related("wave__survey")
            .order_by("wave__opens_on")
        ],
    )
    drafts = section(
        "survey_drafts",
        "Unfinished survey answers",
        "Surveys you started but have not submitted. The answers in progress are shown only "
        "to you, in the survey itself, until you submit them or the survey closes, when they "
        "are deleted.",
        [("survey", "Survey", "text"), ("saved", "Last saved", "datetime")],
        [
            {"survey": d.wave.survey.title, "saved": d.updated_at}
            for d in Draft.objects.filter(person=p).select_related("wave__survey")
        ],
    )
    actions = section(
        "survey_actions",
        "“You said, we did” actions you own",
        "Actions recorded against survey results with you as the owner.",
        [
            ("survey", "Survey", "text"),
            ("you_said", "You said", FREE),
            ("we_did", "We did", FREE),
            ("status", "Status", "text"),
            ("due_on", "Due", "date"),
        ],
        [
            {
                "survey": a.wave.survey.title,
                "you_said": a.you_said,
                "we_did": a.we_did,
                "status": a.get_status_display(),
                "due_on": a.due_on,
            }
            for a in Action.objects.filter(owner=p)
            .select_related("wave__survey")
            .order_by("due_on")
        ],
    )
    replies = section(
        "survey_replies",
        "Replies you wrote to survey comments",
        "Your public replies to anonymous survey comments (the comments themselves are not "
        "linked to anyone).",
        [("text", "Reply", FREE), ("written", "Written", "datetime")],
        [
            {"text": r.text, "written": r.created_at}
            for r in CommentReply.objects.filter(author=s.user).order_by("created_at")
        ],
    )
    return [took_part, drafts, actions, replies]


def _recruitment_roles(s: Subject) -> list[dict]:
    from recruitment.models import PanelMember

    return [
        section(
            "panels",
            "Interview panels you sat on",
            "Vacancies you were a panellist for. Your scores and notes about candidates are "
            "about them and are not included.",
            [("vacancy", "Vacancy", "text"), ("chair", "Chair", "bool")],
            [
                {"vacancy": str(m.vacancy), "chair": m.is_chair}
                for m in PanelMember.objects.filter(user=s.user)
                .select_related("vacancy")
                .order_by("vacancy__created_at")
            ],
        )
    ]


def _notifications(s: Subject) -> list[dict]:
    return [
        section(
            "notifications",
            "Notifications",
            "Messages BeWigan sent you on the site (and by email).",
            [
                ("when", "Sent", "datetime"),
                ("title", "Title", FREE),
                ("body", "Message", FREE),
                ("link", "Link", "text"),
                ("read", "Read", "datetime"),
                ("emailed", "Emailed", "datetime"),
            ],
            [
                {
                    "when": n.created_at,
                    "title": n.title,
                    "body": n.body,
                    "link": n.url,
                    "read": n.read_at,
                    "emailed": n.emailed_at,
                }
                for n in Notification.objects.filter(recipient=s.user).order_by("created_at", "id")
            ],
        )
    ]


AUDIT_FIELDS = [
    ("at", "When", "datetime"),
    ("actor", "Who", "text"),
    ("action", "What", "text"),
    ("record", "Record", FREE),
    ("record_type", "Kind of record", "text"),
    ("reason", "Reason given", FREE),
    ("details", "Details", FREE),
]


def _audit_rows(entries) -> list[dict]:
    return [
        {
            "at": e.at,
            "actor": _name(e.actor) if e.actor_id else "BeWigan (automatic)",
            "action": e.get_action_display(),
            "record": e.object_repr,
            "record_type": e.object_type,
            "reason": e.reason,
            "details": _details(e.details),
        }
        for e in entries
    ]


def _audit(s: Subject) -> list[dict]:
    u, p = s.user, s.person
    entries = (
        AuditEntry.objects.filter(
            Q(subject=u) | Q(object_type="people.person", object_id=str(p.pk))
        )
        .exclude(action=AuditEntry.Action.SIGN_IN)
        .select_related("actor")
        .order_by("at", "id")
    )
    return [
        section(
            "audit",
            "Audit log entries about you",
            "Each time someone viewed, changed or exported a sensitive record about you, who did "
            "it and why, as written in BeWigan's audit log.",
            AUDIT_FIELDS,
            _audit_rows(entries),
        )
    ]


# --- Candidates ----------------------------------------------------------------------------


def candidate_sections(s: Subject) -> list[dict]:
    """Applications, equality monitoring, interviews, scorecards and panel
    decisions for the subject's candidacies (one or more vacancies)."""
    from recruitment.models import (
        ConsensusScore,
        Decision,
        EqualityMonitoring,
        Interview,
        QuestionScore,
        Scorecard,
        ScorecardRevision,
        ValueRating,
    )

    from .models import LegalHold, SubjectAccessRequest

    ids = [c.pk for c in s.candidates]
    candidates = {c.pk: c for c in s.candidates}
    vacancy = {c.pk: str(c.vacancy) for c in s.candidates}
    for c in s.candidates:
        s.connect(c.vacancy.recruiting_manager)
        for seat in c.vacancy.panel.all():
            s.connect(seat.user)
    applications = section(
        "applications",
        "Applications",
        "Your applications and the details the interview panel worked from.",
        [
            ("vacancy", "Vacancy", "text"),
            ("organisation", "Organisation", "text"),
            ("applicant_ref", "Applicant reference", "text"),
            ("name", "Name", "text"),
            ("email", "Email", "text"),
            ("guaranteed_interview", "Guaranteed interview", "bool"),
            ("consent", "Consented to share panel evidence with a future manager", "bool"),
            ("added", "Added", "datetime"),
            ("anonymised", "Anonymised", "datetime"),
        ],
        [
            {
                "vacancy": vacancy[c.pk],
                "organisation": c.vacancy.organisation.name,
                "applicant_ref": c.external_ref,
                "name": c.name,
                "email": c.email,
                "guaranteed_interview": c.guaranteed_interview,
                "consent": c.consent_share_evidence,
                "added": c.created_at,
                "anonymised": c.anonymised_at,
            }
            for c in s.candidates
        ],
    )
    equality = section(
        "equality_monitoring",
        "Equality monitoring",
        "Your equality monitoring answers. Panellists never see them; they are reported only "
        "in aggregate.",
        [
            ("vacancy", "Vacancy", "text"),
            ("sex", "Sex", "text"),
            ("age_band", "Age", "text"),
            ("ethnicity", "Ethnicity", "text"),
            ("disability", "Disability", "text"),
        ],
        [
            {
                "vacancy": vacancy[e.candidate_id],
                "sex": e.get_sex_display(),
                "age_band": e.get_age_band_display(),
                "ethnicity": e.get_ethnicity_display(),
                "disability": e.get_disability_display(),
            }
            for e in EqualityMonitoring.objects.filter(candidate_id__in=ids)
        ],
    )
    interviews = list(Interview.objects.filter(candidate_id__in=ids).order_by("scheduled_at"))
    of = {i.pk: vacancy[i.candidate_id] for i in interviews}
    interview = section(
        "interviews",
        "Interviews",
        "When and where you were interviewed.",
        [
            ("vacancy", "Vacancy", "text"),
            ("scheduled", "When", "datetime"),
            ("location", "Where", "text"),
            ("closed", "Panel closed", "datetime"),
        ],
        [
            {
                "vacancy": of[i.pk],
                "scheduled": i.scheduled_at,
                "location": i.location,
                "closed": i.panel_closed_at,
            }
            for i in interviews
        ],
    )
    cards = list(
        Scorecard.objects.filter(interview__in=interviews)
        .select_related("panellist")
        .order_by("interview_id", "id")
    )
    for card in cards:
        s.connect(card.panellist)
    card_label = {c.pk: _name(c.panellist) for c in cards}
    scorecards = section(
        "scorecards",
        "Panel scorecards",
        "Each panellist's scorecard for your interview.",
        [
            ("vacancy", "Vacancy", "text"),
            ("panellist", "Panellist", "text"),
            ("status", "Status", "text"),
            ("submitted", "Submitted", "datetime"),
            ("amendments", "Amendments", "number"),
        ],
        [
            {
                "vacancy": of[c.interview_id],
                "panellist": card_label[c.pk],
                "status": c.get_status_display(),
                "submitted": c.submitted_at,
                "amendments": c.revision,
            }
            for c in cards
        ],
    )
    card_vacancy = {c.pk: of[c.interview_id] for c in cards}
    scores = section(
        "question_scores",
        "Scores for each question",
        "Each panellist's score (1 to 5) and the evidence they noted for each question.",
        [
            ("vacancy", "Vacancy", "text"),
            ("panellist", "Panellist", "text"),
            ("question", "Question", "text"),
            ("score", "Score", "number"),
            ("evidence", "Evidence noted", FREE),
        ],
        [
            {
                "vacancy": card_vacancy[q.scorecard_id],
                "panellist": card_label[q.scorecard_id],
                "question": q.plan_question.question_version.text,
                "score": q.score,
                "evidence": q.evidence,
            }
            for q in QuestionScore.objects.filter(scorecard__in=cards)
            .select_related("plan_question__question_version")
            .order_by("scorecard_id", "plan_question__order", "id")
        ],
    )
    ratings = section(
        "value_ratings",
        "Overall ratings for each value",
        "Each panellist's overall view of each value.",
        [
            ("vacancy", "Vacancy", "text"),
            ("panellist", "Panellist", "text"),
            ("value", "Value", "text"),
            ("score", "Score", "number"),
            ("comment", "Comment", FREE),
        ],
        [
            {
                "vacancy": card_vacancy[v.scorecard_id],
                "panellist": card_label[v.scorecard_id],
                "value": v.value.name,
                "score": v.score,
                "comment": v.comment,
            }
            for v in ValueRating.objects.filter(scorecard__in=cards)
            .select_related("value")
            .order_by("scorecard_id", "value__order", "id")
        ],
    )
    revisions = section(
        "scorecard_changes",
        "Changes to submitted scorecards",
        "Scorecards as they stood before a panellist amended them, with the reason.",
        [
            ("vacancy", "Vacancy", "text"),
            ("panellist", "Panellist", "text"),
            ("changed", "Changed", "datetime"),
            ("reason", "Reason", FREE),
            ("before", "Before the change", FREE),
        ],
        [
            {
                "vacancy": card_vacancy[r.scorecard_id],
                "panellist": card_label[r.scorecard_id],
                "changed": r.changed_at,
                "reason": r.reason,
                "before": _details(r.snapshot),
            }
            for r in ScorecardRevision.objects.filter(scorecard__in=cards).order_by("changed_at")
        ],
    )
    consensus = section(
        "consensus",
        "Panel's agreed scores",
        "The score for each value that the panel agreed together.",
        [
            ("vacancy", "Vacancy", "text"),
            ("value", "Value", "text"),
            ("score", "Agreed score", "number"),
        ],
        [
            {"vacancy": of[c.interview_id], "value": c.value.name, "score": c.score}
            for c in ConsensusScore.objects.filter(interview__in=interviews)
            .select_related("value")
            .order_by("interview_id", "value__order")
        ],
    )
    decisions = list(
        Decision.objects.filter(interview__in=interviews)
        .select_related("decided_by")
        .order_by("decided_at")
    )
    for d in decisions:
        s.connect(d.decided_by)
    decision = section(
        "decisions",
        "Panel decisions",
        "The panel's decision, its reasons and the feedback prepared for you.",
        [
            ("vacancy", "Vacancy", "text"),
            ("outcome", "Outcome", "text"),
            ("rationale", "Reasons", FREE),
            ("decided_by", "Recorded by", "text"),
            ("decided", "Decided", "datetime"),
            ("feedback_intro", "Feedback", FREE),
            ("strengths", "Strengths", FREE),
            ("development", "To develop", FREE),
            ("feedback_sent", "Feedback sent", "datetime"),
        ],
        [
            {
                "vacancy": of[d.interview_id],
                "outcome": d.get_outcome_display(),
                "rationale": d.rationale,
                "decided_by": _name(d.decided_by),
                "decided": d.decided_at,
                "feedback_intro": d.feedback_intro,
                "strengths": _lines(d.strengths),
                "development": _lines(d.development),
                "feedback_sent": d.feedback_sent_at,
            }
            for d in decisions
        ],
    )
    audit = section(
        "candidate_audit",
        "Audit log entries about your applications",
        "Each time someone viewed or changed your application records, who did it and why.",
        AUDIT_FIELDS,
        _audit_rows(
            AuditEntry.objects.filter(
                object_type="recruitment.candidate", object_id__in=[str(i) for i in ids]
            )
            .select_related("actor")
            .order_by("at", "id")
        ),
    )
    sections = [
        applications,
        equality,
        interview,
        scorecards,
        scores,
        ratings,
        revisions,
        consensus,
        decision,
        audit,
    ]
    if s.person is None:  # a candidate who is not (yet) staff: holds and requests are theirs
        sections += _holds_and_requests(
            s, LegalHold, SubjectAccessRequest, candidate__in=candidates
        )
    return sections


def _lines(value) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return str(value or "")


# --- The whole pack ------------------------------------------------------------------------

Collector = Callable[[Subject], list[dict]]


def person_collectors() -> list[tuple[str, Collector]]:
    return [
        ("Profile and memberships", _profile),
        ("Sign-in history", _sign_in),
        ("My time records", _my_time),
        ("Private notes", _private_notes),
        ("Shout-outs", _shout_outs),
        ("360 feedback", lambda s: _feedback(s)[0]),
        ("Team time", _team_time),
        ("Special access, holds and requests", _special_access),
        ("Ideas", _ideas),
        ("Surveys", _surveys),
        ("Recruitment", lambda s: _recruitment_roles(s) + candidate_sections(s)),
        ("Notifications", _notifications),
        ("Audit log", _audit),
    ]


def candidate_collectors() -> list[tuple[str, Collector]]:
    return [("Recruitment records", candidate_sections)]


def not_included(s: Subject, sections: list[dict]) -> list[dict]:
    items = []
    if s.person is not None:
        items += [NOT_INCLUDED_SURVEYS, NOT_INCLUDED_ANONYMOUS_360, NOT_INCLUDED_MANAGED]
    items.append(
        (
            "Other people's personal information",
            "Names of other people written in free text have been reviewed by HR before "
            "release. Where a name is replaced with “[name redacted]”, it was removed to "
            "protect that person's privacy.",
        )
    )
    return [{"title": t, "explanation": e} for t, e in items]
