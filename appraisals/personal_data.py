"""Appraisals' personal data (issue #16): what a subject access pack shows,
what erasure removes, how long records are kept, what happens when someone
leaves, and which records a legal hold can keep. The data protection tools
(bewigan.privacy) run this through settings.BEWIGAN_PERSONAL_DATA.

Private notes: a line manager's private note about a person is that
person's personal data, so their pack includes it (marked confidential: the
data protection officer reviews it before release, each note is audited and
its author told). This module and the appraisals app are the only code
that reads them (tools/lint_sensitive_access.py).

360 feedback about the person is read through `feedback_summary`, the
selector the app itself shows a round with, so a pack follows however the
answers are stored and released.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, Q
from django.urls import reverse

from bewigan.core.db import chunks
from bewigan.core.personal_data_types import (
    DELETE,
    FREE,
    ConfidentialItem,
    FreeText,
    HandoverKind,
    Holdable,
    LeaverBatch,
    Owned,
    PersonalData,
    RetentionKind,
    Subject,
    delete_all,
    deleted,
    name_of,
    section,
)
from bewigan.people.models import Person

from .models import (
    Action,
    BreakGlassAccess,
    Cadence,
    Conversation,
    ConversationDraft,
    FeedbackRequest,
    FeedbackResponse,
    FeedbackRound,
    PrivateNote,
    Reflection,
    ReminderSent,
    ShoutOut,
    TalkingPoint,
    TeamAction,
    TeamFeedback,
    TeamTime,
)
from .rules import can
from .selectors import feedback_summary

# --- Subject access ------------------------------------------------------------------

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


def _my_time(s: Subject) -> list[dict]:

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
                "manager": name_of(c.manager),
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
                "author": name_of(t.author),
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
                "owner": name_of(a.owner),
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
                "author": name_of(d.author),
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
            {"manager": name_of(c.manager), "days": c.days}
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
                "with": name_of(c.person),
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
    pack; privacy audits every note it includes and tells its author."""
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
                    "author": name_of(n.author),
                    "text": n.text,
                    "created": n.created_at,
                    "updated": n.updated_at,
                }
                for n in notes
            ],
            confidential=True,
        )
    ]


def _shout_outs(s: Subject) -> list[dict]:

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
                "other": name_of(getattr(o, other)),
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


def feedback_sections(s: Subject) -> list[dict]:
    """360 feedback about and by the person. Answers about them are read
    through the app's own selector (`feedback_summary`), so a pack shows
    exactly what the person may see in the app: anonymous answers only
    where the app shows them, never with a rater or a date."""
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
    withheld = 0
    named_rows, anonymous_rows = [], []
    for r in rounds:
        s.connect(r.requested_by.user)
        summary = feedback_summary(feedback_round=r)
        if not summary.anonymous_shown:
            withheld += summary.anonymous_count
        for v in summary.values:
            for rater, does_well, to_try in v.named:
                named_rows.append(
                    {
                        "round": label[r.pk],
                        "rater": rater,
                        "value": v.value_name,
                        "does_well": does_well,
                        "to_try": to_try,
                    }
                )
            for does_well, to_try in v.anonymous:
                anonymous_rows.append(
                    {
                        "round": label[r.pk],
                        "rater": "Anonymous",
                        "value": v.value_name,
                        "does_well": does_well,
                        "to_try": to_try,
                    }
                )
    for response in FeedbackResponse.objects.filter(round__subject=p, is_anonymous=False):
        if response.rater_id:
            s.connect(response.rater.user)
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
                "requested_by": name_of(r.requested_by),
                "message": r.message,
                "closes_on": r.closes_on,
                "asked": r.asked,
                "answered": r.answered,
            }
            for r in rounds
        ],
    )
    description = (
        "What raters said about you, as BeWigan shows it to you. Raters who answered "
        "anonymously are not identified, and their answers carry no date."
    )
    if withheld:
        description += (
            f" {withheld} anonymous answer{'s' if withheld != 1 else ''} "
            f"{'are' if withheld != 1 else 'is'} withheld, because so few answers could "
            "identify the people who gave them, or the round is still open (you were never "
            "shown them either)."
        )
    answers = section(
        "feedback_about_you",
        "360 feedback about you",
        description,
        [
            ("round", "Round", "text"),
            ("rater", "From", "text"),
            ("value", "Value", "text"),
            ("does_well", "Does well", FREE),
            ("to_try", "Could try", FREE),
        ],
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
                    "about": name_of(r.round.subject),
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
                "about": name_of(q.round.subject),
                "round": q.round.created_at,
                "answered": q.answered,
                "declined": q.declined,
            }
            for q in FeedbackRequest.objects.filter(rater=p)
            .select_related("round__subject__user")
            .order_by("round__created_at")
        ],
    )
    return [about, answers, given, asked]


def _team_time(s: Subject) -> list[dict]:

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
                "facilitator": name_of(t.facilitator),
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
                "giver": name_of(f.giver),
                "recipient": name_of(f.recipient),
                "behaviour": f.behaviour.statement,
                "does_well": f.does_well,
                "to_try": f.to_try,
            }
            for f in feedback
        ],
    )
    return [times, actions, team_feedback]


def _break_glass(s: Subject) -> list[dict]:
    return [
        section(
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
                    "hr": name_of(a.hr_user),
                    "reason": a.reason,
                    "opened": a.created_at,
                    "expires": a.expires_at,
                }
                for a in BreakGlassAccess.objects.filter(person=s.person)
                .select_related("hr_user")
                .order_by("created_at")
            ],
        )
    ]


def _private_note_items(person):
    for note in private_notes_about(person):
        yield ConfidentialItem(
            section="private_notes",
            obj=note,
            author=note.author,
            on=note.conversation.meeting_date,
        )


# --- Erasure -------------------------------------------------------------------------


def erase_person(person, now) -> Counter:
    """Their own my-time record and what hangs off it, 360 rounds about
    them, what they received, and notes and drafts they wrote."""
    counts: Counter = Counter()
    user = person.user
    deleted(
        counts,
        "conversations",
        Conversation.objects.filter(person=person),
        parts_key="conversation_parts",
    )
    deleted(counts, "private_notes_written", PrivateNote.objects.filter(author=user))
    deleted(counts, "drafts_written", ConversationDraft.objects.filter(author=user))
    deleted(
        counts,
        "feedback_rounds",
        FeedbackRound.objects.filter(subject=person),
        parts_key="feedback_round_parts",
    )
    deleted(counts, "shout_outs_received", ShoutOut.objects.filter(recipient=person))
    deleted(counts, "team_feedback_received", TeamFeedback.objects.filter(recipient=person))
    deleted(
        counts,
        "cadences_and_reminders",
        Cadence.objects.filter(Q(person=person) | Q(manager=person)),
    )
    deleted(
        counts,
        "cadences_and_reminders",
        ReminderSent.objects.filter(Q(person=person) | Q(manager=person)),
    )
    deleted(counts, "break_glass", BreakGlassAccess.objects.filter(person=person))
    return counts


COUNT_LABELS = {
    "conversations": "My time and annual conversations about them",
    "conversation_parts": "Agenda items, actions, reflections, notes and drafts in those",
    "private_notes_written": "Private notes they wrote on others' conversations",
    "drafts_written": "Unsaved drafts they wrote on others' conversations",
    "feedback_rounds": "360 rounds about them",
    "feedback_round_parts": "Requests and answers in those rounds",
    "shout_outs_received": "Shout-outs they received",
    "team_feedback_received": "Team feedback they received",
    "cadences_and_reminders": "My time cadences and reminders",
    "break_glass": "HR break-glass records about them",
}

# Where colleagues may have written the person's name.
FREE_TEXT = [
    FreeText(
        "appraisals.Conversation",
        (
            "wellbeing_words",
            "what_matters",
            "going_well",
            "support_needed",
            "looking_ahead",
            "staff_comments",
        ),
    ),
    FreeText("appraisals.TalkingPoint", ("text",)),
    FreeText("appraisals.Action", ("text",)),
    FreeText("appraisals.Reflection", ("text",)),
    FreeText("appraisals.PrivateNote", ("text",)),
    FreeText("appraisals.ShoutOut", ("message",)),
    FreeText("appraisals.FeedbackRound", ("message",)),
    FreeText("appraisals.FeedbackAnswer", ("does_well", "to_try")),
    FreeText("appraisals.TeamFeedback", ("does_well", "to_try")),
    FreeText("appraisals.TeamAction", ("text",)),
    FreeText("appraisals.BreakGlassAccess", ("reason",)),
]


# --- Retention -----------------------------------------------------------------------


def _leavers_due(cutoff, holds, *, with_holds: bool = True):
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


RETENTION = [
    RetentionKind(
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
        apply=delete_all,
    ),
]


# --- Leavers -------------------------------------------------------------------------


def withdraw_feedback_requests(batch: LeaverBatch) -> None:
    """Pending 360 requests to a leaver, and about one, in rounds still open."""
    leavers = set(batch.person_ids)
    pks = []
    for chunk in chunks(batch.person_ids):
        for pk, rater_id, subject_id in FeedbackRequest.objects.filter(
            Q(rater_id__in=chunk) | Q(round__subject_id__in=chunk),
            answered=False,
            declined=False,
            round__closes_on__gte=batch.today,
        ).values_list("pk", "rater_id", "round__subject_id"):
            pks.append(pk)
            who = rater_id if rater_id in leavers else subject_id
            batch.counts[who]["feedback_requests_withdrawn"] += 1
    for chunk in chunks(pks):
        FeedbackRequest.objects.filter(pk__in=chunk).delete()


def remove_cadences(batch: LeaverBatch) -> None:
    """My-time cadences with their manager, and with their reports."""
    leavers = set(batch.person_ids)
    for chunk in chunks(batch.person_ids):
        cadences = list(
            Cadence.objects.filter(Q(person_id__in=chunk) | Q(manager_id__in=chunk)).values_list(
                "pk", "person_id", "manager_id"
            )
        )
        for _, person_id, manager_id in cadences:
            batch.counts[person_id if person_id in leavers else manager_id]["cadences_removed"] += 1
        Cadence.objects.filter(pk__in=[pk for pk, _, _ in cadences]).delete()


def open_work(person_ids) -> dict[int, list[Owned]]:
    owned: dict[int, list[Owned]] = defaultdict(list)
    for chunk in chunks(person_ids):
        for a in (
            Action.objects.filter(owner_id__in=chunk, done_at__isnull=True)
            .select_related("conversation__person__user", "conversation__manager__user")
            .order_by("due_date", "pk")
        ):
            owned[a.owner_id].append(Owned("my_time_action", a, a.due_date))
        for a in (
            TeamAction.objects.filter(owner_id__in=chunk, done_at__isnull=True)
            .select_related("team", "team_time")
            .order_by("due_date", "pk")
        ):
            owned[a.owner_id].append(Owned("team_action", a, a.due_date))
    return owned


def _describe_my_time_action(action, viewer):
    conversation = action.conversation
    if can(viewer, "appraisals.view_conversation", conversation):
        return action.text, reverse("appraisals:conversation_detail", args=[conversation.pk])
    other = (
        conversation.person if action.owner_id == conversation.manager_id else conversation.manager
    )
    return f"Agreed in a my time with {other.name} (only the two of them can read it)", ""


def _describe_team_action(action, viewer):
    if can(viewer, "appraisals.view_team_time", action.team_time):
        return action.text, reverse("appraisals:team_time_detail", args=[action.team_time_id])
    return f"A team action of {action.team.name}", ""


# --- Legal holds ---------------------------------------------------------------------


def person_records(person):
    """A person's own records that a hold on the record keeps (and so block
    their erasure)."""
    return [
        ("appraisals.conversation", Conversation.objects.filter(person=person)),
        ("appraisals.feedbackround", FeedbackRound.objects.filter(subject=person)),
    ]


DECLARATION = PersonalData(
    app="appraisals",
    person_sections=[
        (30, "My time records", _my_time),
        (31, "Private notes", _private_notes),
        (32, "Shout-outs", _shout_outs),
        (33, "360 feedback", feedback_sections),
        (34, "Team time", _team_time),
        (35, "Special access", _break_glass),
    ],
    not_included=[NOT_INCLUDED_ANONYMOUS_360, NOT_INCLUDED_MANAGED],
    confidential=[_private_note_items],
    erase_person=[erase_person],
    count_labels=COUNT_LABELS,
    free_text=FREE_TEXT,
    retention=RETENTION,
    leaver_steps=[withdraw_feedback_requests, remove_cadences],
    open_work=[open_work],
    handover_kinds=[
        HandoverKind(
            "my_time_action",
            "my time action",
            "my time actions",
            "My time action",
            _describe_my_time_action,
        ),
        HandoverKind(
            "team_action", "team action", "team actions", "Team action", _describe_team_action
        ),
    ],
    holdable=[
        Holdable("appraisals.conversation", "My time conversation", "person__organisation_id"),
        Holdable("appraisals.feedbackround", "360 feedback round", "subject__organisation_id"),
    ],
    person_records=[person_records],
)
