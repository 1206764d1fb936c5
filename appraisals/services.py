"""Every write in the my-time capability. Views, forms, tasks and the demo
call these; each multi-row write is one transaction."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from bewigan.core import sealed
from bewigan.core.services import audit_record, notify
from bewigan.core.work import my_work_changed
from bewigan.partners.boundaries import HR, person_in_reach
from bewigan.people.models import Person, TeamMembership
from bewigan.people.roles import person_of

from .models import (
    MIN_ANONYMOUS,
    Action,
    BreakGlassAccess,
    Cadence,
    Conversation,
    ConversationDraft,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackResponse,
    FeedbackRound,
    PrivateNote,
    Reflection,
    ReminderSent,
    ShoutOut,
    SupportRoute,
    TalkingPoint,
    TeamAction,
    TeamFeedback,
    TeamTime,
)
from .rules import can

SHARED_FIELDS = (
    "wellbeing_score",
    "wellbeing_words",
    "what_matters",
    "going_well",
    "support_needed",
    "looking_ahead",
    "next_date",
)
BREAK_GLASS_HOURS = 24
REMIND_DAYS_BEFORE = 3


class ConversationConflict(Exception):
    """Someone else saved the record since this edit started."""

    def __init__(self, current: Conversation):
        super().__init__("The record changed while you were editing.")
        self.current = current


def _require(user, perm, obj=None):
    if not can(user, perm, obj):
        raise PermissionDenied


def _me(user) -> Person:
    me = person_of(user)
    if me is None:
        raise PermissionDenied
    return me


def _conversation_url(conversation) -> str:
    return reverse("appraisals:conversation_detail", args=[conversation.pk])


def _my_work_changed(*person_ids, timeless: bool = False) -> None:
    """These people's and their line managers' "my work" on the home page
    (my time due, talking points, records to confirm, 360 requests).
    `timeless`: after an anonymous answer, the cache must not record when."""
    rows = Person.objects.filter(pk__in=person_ids).values_list("user_id", "line_manager__user_id")
    my_work_changed([user_id for row in rows for user_id in row], timeless=timeless)


# --- My time -----------------------------------------------------------------


@transaction.atomic
def conversation_plan(*, actor, person: Person, meeting_date: datetime.date) -> Conversation:
    """Plan a my time with the person's current manager, and carry over the
    talking points that earlier conversations did not get to."""
    _require(actor, "appraisals.plan_my_time", person)
    if person.line_manager_id is None:
        raise ValidationError("You cannot plan a my time: no line manager is recorded.")
    today = timezone.localdate()
    if meeting_date < today - datetime.timedelta(days=31):
        raise ValidationError(
            {
                "meeting_date": "The date of the my time must be within the last month or in the future"
            }
        )
    if meeting_date > today + datetime.timedelta(days=366):
        raise ValidationError(
            {"meeting_date": "The date of the my time must be within the next year"}
        )
    conversation = Conversation.objects.create(
        person=person,
        manager_id=person.line_manager_id,
        meeting_date=meeting_date,
        created_by=actor,
    )
    _carry_over(conversation)
    _my_work_changed(person.pk)
    other = person.line_manager.user if person.user_id == actor.id else person.user
    notify(
        recipient=other,
        title=f"My time planned for {meeting_date:%-d %B %Y}",
        body="Add your talking points to the shared agenda before you meet.",
        url=_conversation_url(conversation),
        kind="my_time_planned",
    )
    return conversation


def _carry_over(conversation: Conversation) -> int:
    """Move unfinished talking points from this person's earlier, confirmed
    or past conversations onto the new one."""
    return (
        TalkingPoint.objects.filter(
            conversation__person_id=conversation.person_id,
            conversation__meeting_date__lte=conversation.meeting_date,
            discussed=False,
        )
        .exclude(conversation=conversation)
        .update(conversation=conversation, carried_over=F("carried_over") + 1)
    )


def conversation_draft_save(*, actor, conversation: Conversation, data: dict) -> ConversationDraft:
    """Autosave: keep this author's unsaved edits without touching the record."""
    _require(actor, "appraisals.change_conversation", conversation)
    keep = {k: v for k, v in data.items() if k in SHARED_FIELDS or k.startswith("reflection_")}
    draft, _ = ConversationDraft.objects.update_or_create(
        conversation=conversation,
        author=actor,
        defaults={
            "data": keep,
            "base_version": int(data.get("version") or conversation.version),
            "saved_at": timezone.now(),
        },
    )
    return draft


@transaction.atomic
def conversation_update(
    *,
    actor,
    conversation: Conversation,
    expected_version: int,
    data: dict,
    reflections: dict[int, str] | None = None,
) -> Conversation:
    """Save the shared record if nobody else saved since `expected_version`.

    The version check is a conditional UPDATE, so it holds under concurrency
    on every database. Any edit clears earlier confirmations: both people
    confirm the words as they finally stand.
    """
    _require(actor, "appraisals.change_conversation", conversation)
    next_date = data.get("next_date")
    if next_date and next_date <= conversation.meeting_date:
        raise ValidationError(
            {"next_date": "The date of the next my time must be after the date of this one"}
        )
    fields = {k: data[k] for k in SHARED_FIELDS if k in data}
    now = timezone.now()
    updated = Conversation.objects.filter(pk=conversation.pk, version=expected_version).update(
        **fields,
        version=F("version") + 1,
        recorded_at=conversation.recorded_at or now,
        person_confirmed_at=None,
        manager_confirmed_at=None,
        updated_at=now,
    )
    if not updated:
        raise ConversationConflict(Conversation.objects.get(pk=conversation.pk))
    for behaviour_id, text in (reflections or {}).items():
        text = (text or "").strip()
        if text:
            Reflection.objects.update_or_create(
                conversation=conversation, behaviour_id=behaviour_id, defaults={"text": text}
            )
        else:
            Reflection.objects.filter(conversation=conversation, behaviour_id=behaviour_id).delete()
    ConversationDraft.objects.filter(conversation=conversation, author=actor).delete()
    _my_work_changed(conversation.person_id)
    conversation.refresh_from_db()
    return conversation


@transaction.atomic
def conversation_confirm(*, actor, conversation: Conversation) -> Conversation:
    _require(actor, "appraisals.confirm_conversation", conversation)
    if not conversation.recorded_at:
        raise ValidationError("There is no record to confirm yet. Save the record first.")
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    now = timezone.now()
    is_person = conversation.person.user_id == actor.id
    if is_person:
        conversation.person_confirmed_at = now
        other = conversation.person.line_manager.user if conversation.person.line_manager else None
    else:
        conversation.manager_confirmed_at = now
        other = conversation.person.user
    conversation.save(update_fields=["person_confirmed_at", "manager_confirmed_at", "updated_at"])
    _my_work_changed(conversation.person_id)
    if conversation.is_confirmed:
        if conversation.next_date and not conversation.is_annual:
            already = Conversation.objects.filter(
                person=conversation.person,
                kind=Conversation.Kind.MY_TIME,
                meeting_date__gt=conversation.meeting_date,
            ).exists()
            if not already and conversation.person.line_manager_id:
                nxt = Conversation.objects.create(
                    person=conversation.person,
                    manager_id=conversation.person.line_manager_id,
                    meeting_date=conversation.next_date,
                    created_by=actor,
                )
                _carry_over(nxt)
    elif other is not None:
        notify(
            recipient=other,
            title=f"Please confirm the record of your {conversation.get_kind_display().lower()}",
            url=_conversation_url(conversation),
            kind="my_time_confirm",
        )
    return conversation


def conversation_comment(*, actor, conversation: Conversation, text: str) -> Conversation:
    _require(actor, "appraisals.comment_conversation", conversation)
    Conversation.objects.filter(pk=conversation.pk).update(staff_comments=text.strip())
    conversation.staff_comments = text.strip()
    return conversation


def private_note_save(*, actor, conversation: Conversation, text: str) -> PrivateNote | None:
    _require(actor, "appraisals.write_private_note", conversation)
    text = text.strip()
    if not text:
        PrivateNote.objects.filter(conversation=conversation, author=actor).delete()
        return None
    note, _ = PrivateNote.objects.update_or_create(
        conversation=conversation, author=actor, defaults={"text": text}
    )
    return note


def talking_point_add(*, actor, conversation: Conversation, text: str) -> TalkingPoint:
    _require(actor, "appraisals.add_talking_point", conversation)
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter a talking point"})
    point = TalkingPoint.objects.create(
        conversation=conversation, author=_me(actor), text=text[:500]
    )
    _my_work_changed(conversation.person_id)
    return point


def talking_point_mark(*, actor, point: TalkingPoint, discussed: bool) -> TalkingPoint:
    _require(actor, "appraisals.change_conversation", point.conversation)
    TalkingPoint.objects.filter(pk=point.pk).update(discussed=discussed)
    point.discussed = discussed
    return point


def action_add(
    *, actor, conversation: Conversation, owner: Person | None, text: str, due_date
) -> Action:
    _require(actor, "appraisals.add_action", conversation)
    errors = {}
    if owner is None or owner.pk not in (conversation.person_id, conversation.manager_id):
        errors["owner"] = "The owner must be one of the two people in this conversation"
    if due_date is None:
        errors["due_date"] = "Enter a due date"
    elif due_date < conversation.meeting_date:
        errors["due_date"] = "The due date must be on or after the date of the my time"
    if not (text or "").strip():
        errors["text"] = "Enter the action"
    if errors:
        raise ValidationError(errors)
    return Action.objects.create(
        conversation=conversation,
        person_id=conversation.person_id,
        owner=owner,
        text=text.strip()[:500],
        due_date=due_date,
    )


def action_set_done(*, actor, action: Action, done: bool) -> Action:
    _require(actor, "appraisals.add_action", action.conversation)
    action.done_at = timezone.now() if done else None
    Action.objects.filter(pk=action.pk).update(done_at=action.done_at)
    return action


def cadence_set(*, actor, person: Person, days: int) -> Cadence:
    _require(actor, "appraisals.plan_my_time", person)
    if not 7 <= days <= 120:
        raise ValidationError({"days": "Meet at least every 120 days and at most every 7 days"})
    cadence, _ = Cadence.objects.update_or_create(
        person=person, manager_id=person.line_manager_id, defaults={"days": days}
    )
    _my_work_changed(person.pk)
    return cadence


@transaction.atomic
def annual_conversation_start(*, actor, person: Person, year: int) -> Conversation:
    _require(actor, "appraisals.plan_my_time", person)
    if person.line_manager_id is None:
        raise ValidationError("No line manager is recorded.")
    existing = Conversation.objects.filter(
        person=person, kind=Conversation.Kind.ANNUAL, year=year
    ).first()
    if existing:
        return existing
    today = timezone.localdate()
    meeting = min(today, datetime.date(year, 12, 31))
    conversation = Conversation.objects.create(
        kind=Conversation.Kind.ANNUAL,
        person=person,
        manager_id=person.line_manager_id,
        meeting_date=meeting,
        year=year,
        created_by=actor,
    )
    _my_work_changed(person.pk)
    return conversation


# --- Shout-outs ----------------------------------------------------------------


def shout_out_give(
    *, actor, recipient: Person, value, message: str, is_public: bool, team_time=None
) -> ShoutOut:
    giver = _me(actor)
    if recipient.pk == giver.pk:
        raise ValidationError({"recipient": "Choose a colleague, not yourself"})
    if not message.strip():
        raise ValidationError({"message": "Say what they did"})
    shout_out = ShoutOut.objects.create(
        giver=giver,
        recipient=recipient,
        value=value,
        message=message.strip(),
        is_public=is_public,
        team_time=team_time,
    )
    notify(
        recipient=recipient.user,
        title=f"{giver.name} gave you a shout-out for being {value.name.lower()}",
        body=message.strip()[:300],
        url=reverse("appraisals:timeline", args=[recipient.pk]),
        kind="shout_out",
        email=False,
    )
    return shout_out


# --- 360 feedback ----------------------------------------------------------------


@transaction.atomic
def feedback_round_create(
    *, actor, subject: Person, raters: list[Person], message: str, closes_on
) -> FeedbackRound:
    _require(actor, "appraisals.request_feedback_for", subject)
    raters = [r for r in {r.pk: r for r in raters}.values() if r.pk != subject.pk]
    if not raters:
        raise ValidationError({"raters": "Choose at least one colleague to ask"})
    if closes_on <= timezone.localdate():
        raise ValidationError({"closes_on": "The closing date must be in the future"})
    feedback_round = FeedbackRound.objects.create(
        subject=subject, requested_by=_me(actor), message=message.strip(), closes_on=closes_on
    )
    FeedbackRequest.objects.bulk_create(
        [FeedbackRequest(round=feedback_round, rater=r) for r in raters]
    )
    my_work_changed([r.user_id for r in raters])
    for rater in raters:
        notify(
            recipient=rater.user,
            title=f"{subject.name} would value your feedback",
            body=f"Please answer by {closes_on:%-d %B %Y}. You can answer anonymously.",
            url=reverse("appraisals:feedback_index"),
            kind="feedback_request",
        )
    return feedback_round


def feedback_channel(round_pk: int) -> str:
    return f"appraisals.round:{round_pk}"


@transaction.atomic
def feedback_answer(
    *, actor, request: FeedbackRequest, anonymous: bool, answers: dict
) -> FeedbackResponse | None:
    """`answers` maps Value -> (does_well, to_try). A named answer is stored
    at once. An anonymous one is sealed (bewigan/core/sealed.py): no row
    anyone can read exists until the round closes and at least
    MIN_ANONYMOUS anonymous answers are released together in random order
    (`feedback_round_release`); it returns None."""
    _require(actor, "appraisals.answer_feedback_request", request)
    locked = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
    if locked.answered or locked.declined:
        raise ValidationError("You have already answered this request.")
    if not any((good or "").strip() for good, _ in answers.values()):
        raise ValidationError("Say what they do well for at least one value")
    given = [
        (value.pk, good.strip(), (tip or "").strip())
        for value, (good, tip) in answers.items()
        if (good or "").strip()
    ]
    response = None
    if anonymous:
        sealed.seal(feedback_channel(locked.round_id), {"v": [list(g) for g in given]})
    else:
        response = FeedbackResponse.objects.create(
            round_id=locked.round_id, rater=locked.rater, is_anonymous=False
        )
        FeedbackAnswer.objects.bulk_create(
            [
                FeedbackAnswer(response=response, value_id=value, does_well=good, to_try=tip)
                for value, good, tip in given
            ]
        )
    FeedbackRequest.objects.filter(pk=locked.pk).update(answered=True)
    _my_work_changed(locked.rater_id, timeless=anonymous)
    return response


def feedback_round_release(feedback_round: FeedbackRound, *, today=None) -> int:
    """Once a round has closed, release its sealed anonymous answers, all at
    once and in random order, if there are at least MIN_ANONYMOUS of them
    (fewer stay sealed and are never shown). Idempotent; returns how many."""
    today = today or timezone.localdate()
    if feedback_round.closes_on >= today:
        return 0
    channel = feedback_channel(feedback_round.pk)
    if sealed.pending(channel) < MIN_ANONYMOUS:
        return 0

    def write(payloads):
        responses, answers = [], []
        for payload in payloads:
            response = FeedbackResponse(
                round=feedback_round,
                rater=None,
                is_anonymous=True,
                submitted_on=feedback_round.closes_on,
            )
            responses.append(response)
            answers.extend(
                FeedbackAnswer(response=response, value_id=value, does_well=good, to_try=tip)
                for value, good, tip in payload["v"]
            )
        FeedbackResponse.objects.bulk_create(responses)
        FeedbackAnswer.objects.bulk_create(sealed.shuffled(answers))

    return sealed.release(
        channel,
        minimum=MIN_ANONYMOUS,
        final=True,
        handler=write,
        lock=lambda: (
            FeedbackRound.objects.select_for_update(no_key=True)
            .filter(pk=feedback_round.pk)
            .values_list("pk", flat=True)
            .first()
            is not None
        ),
    )


def feedback_rounds_release_closed(*, today=None) -> int:
    """Release every closed round's anonymous answers (the daily job)."""
    today = today or timezone.localdate()
    waiting = sealed.waiting_ids(feedback_channel(0)[:-1])
    released = 0
    for feedback_round in FeedbackRound.objects.filter(pk__in=waiting, closes_on__lt=today):
        released += feedback_round_release(feedback_round, today=today)
    return released


def feedback_request_decline(*, actor, request: FeedbackRequest) -> None:
    _require(actor, "appraisals.answer_feedback_request", request)
    FeedbackRequest.objects.filter(pk=request.pk, answered=False).update(declined=True)
    _my_work_changed(request.rater_id)


# --- Team time -------------------------------------------------------------------


def team_time_create(*, actor, team, meeting_date) -> TeamTime:
    me = _me(actor)
    if not TeamMembership.objects.current().filter(person=me, team=team).exists():
        raise PermissionDenied
    return TeamTime.objects.create(team=team, facilitator=me, meeting_date=meeting_date)


@transaction.atomic
def team_time_check_in(
    *, actor, team_time: TeamTime, attendees, how_are_we: str, score
) -> TeamTime:
    _require(actor, "appraisals.facilitate_team_time", team_time)
    members = set(
        TeamMembership.objects.current()
        .filter(team_id=team_time.team_id)
        .values_list("person_id", flat=True)
    )
    outside = [p for p in attendees if p.pk not in members]
    if outside:
        raise ValidationError({"attendees": "Attendees must be members of the team"})
    team_time.how_are_we = how_are_we.strip()
    team_time.how_are_we_score = score
    team_time.save(update_fields=["how_are_we", "how_are_we_score"])
    team_time.attendees.set(attendees)
    return team_time


def appreciation_add(
    *, actor, team_time: TeamTime, recipient, value, message, is_public
) -> ShoutOut:
    _require(actor, "appraisals.contribute_team_time", team_time)
    return shout_out_give(
        actor=actor,
        recipient=recipient,
        value=value,
        message=message,
        is_public=is_public,
        team_time=team_time,
    )


def team_feedback_add(
    *, actor, team_time: TeamTime, recipient, behaviour, does_well, to_try
) -> TeamFeedback:
    _require(actor, "appraisals.contribute_team_time", team_time)
    giver = _me(actor)
    if recipient.pk == giver.pk:
        raise ValidationError({"recipient": "Choose a colleague, not yourself"})
    return TeamFeedback.objects.create(
        team_time=team_time,
        giver=giver,
        recipient=recipient,
        behaviour=behaviour,
        does_well=does_well.strip(),
        to_try=(to_try or "").strip(),
    )


def team_action_add(*, actor, team_time: TeamTime, owner, text, due_date) -> TeamAction:
    _require(actor, "appraisals.contribute_team_time", team_time)
    errors = {}
    is_member = (
        owner is not None
        and TeamMembership.objects.current()
        .filter(person=owner, team_id=team_time.team_id)
        .exists()
    )
    if not is_member:
        errors["owner"] = "The owner must be a member of the team"
    if due_date is None or due_date < team_time.meeting_date:
        errors["due_date"] = "The due date must be on or after the date of the team time"
    if errors:
        raise ValidationError(errors)
    return TeamAction.objects.create(
        team_time=team_time,
        team_id=team_time.team_id,
        owner=owner,
        text=text.strip(),
        due_date=due_date,
    )


def team_action_set_done(*, actor, action: TeamAction, done: bool) -> TeamAction:
    _require(actor, "appraisals.contribute_team_time", action.team_time)
    action.done_at = timezone.now() if done else None
    TeamAction.objects.filter(pk=action.pk).update(done_at=action.done_at)
    return action


# --- HR: support routes and break glass ------------------------------------------------


def support_route_save(*, actor, route: SupportRoute) -> SupportRoute:
    _require(actor, "appraisals.manage_support_routes")
    route.full_clean()
    route.save()
    audit_record(actor=actor, action="update", obj=route)
    return route


def support_route_delete(*, actor, route: SupportRoute) -> None:
    _require(actor, "appraisals.manage_support_routes")
    audit_record(actor=actor, action="delete", obj=route)
    route.delete()


@transaction.atomic
def break_glass_open(*, actor, person: Person, reason: str) -> BreakGlassAccess:
    """Exceptional access to one person's shared my-time records for a day.
    Never private notes. Audited with the reason, and the person is told."""
    _require(actor, "appraisals.break_glass")
    reason = reason.strip()
    if len(reason) < 20:
        raise ValidationError({"reason": "Give the reason in at least 20 characters"})
    if person.user_id == actor.id:
        raise ValidationError({"person": "You cannot open your own records this way"})
    if not person_in_reach(actor, person, HR):
        # Another partner's staff need that partner's data-sharing grant; the
        # message is the form's "not found", so nothing leaks about them.
        raise ValidationError({"person": "No colleague with that email address was found"})
    access = BreakGlassAccess.objects.create(
        hr_user=actor,
        person=person,
        reason=reason,
        expires_at=timezone.now() + datetime.timedelta(hours=BREAK_GLASS_HOURS),
    )
    audit_record(actor=actor, action="access", obj=access, subject=person.user, reason=reason)
    notify(
        recipient=person.user,
        title="HR has opened your my-time records",
        body=(
            f"{actor.get_full_name() or actor.email} opened your shared my-time records for "
            f"{BREAK_GLASS_HOURS} hours. The reason recorded was: {reason}"
        ),
        url=reverse("appraisals:index"),
        kind="break_glass",
    )
    return access


def break_glass_record_view(*, actor, conversation: Conversation) -> None:
    audit_record(
        actor=actor,
        action="view",
        obj=conversation,
        subject=conversation.person.user,
        reason="Break glass access",
    )


# --- Reminders -----------------------------------------------------------------------


@dataclass
class ReminderResult:
    due_soon: int = 0
    overdue: int = 0


def my_time_reminders_send(*, today: datetime.date | None = None) -> ReminderResult:
    """Remind each pair shortly before their next my time is due and when it
    is overdue. Each reminder goes once per pair and due date."""
    from .selectors import pairs_due

    today = today or timezone.localdate()
    result = ReminderResult()
    for pair in pairs_due(today=today, within_days=REMIND_DAYS_BEFORE):
        kind = ReminderSent.Kind.OVERDUE if pair.due_date < today else ReminderSent.Kind.DUE_SOON
        with transaction.atomic():
            _, created = ReminderSent.objects.get_or_create(
                person_id=pair.person.pk,
                manager_id=pair.manager.pk,
                kind=kind,
                due_date=pair.due_date,
            )
            if not created:
                continue
            when = f"{pair.due_date:%-d %B %Y}"
            for recipient, other in ((pair.person, pair.manager), (pair.manager, pair.person)):
                notify(
                    recipient=recipient.user,
                    title=(
                        f"Your my time with {other.name} is overdue (due {when})"
                        if kind == ReminderSent.Kind.OVERDUE
                        else f"Your my time with {other.name} is due on {when}"
                    ),
                    url=reverse("appraisals:index"),
                    kind="my_time_reminder",
                )
        if kind == ReminderSent.Kind.OVERDUE:
            result.overdue += 1
        else:
            result.due_soon += 1
    return result


def my_time_records_exported(*, actor, person, fmt: str, count: int) -> None:
    """A download of someone's my-time records is an export of personal data:
    audit it (printing is a page view, like opening each record)."""
    audit_record(
        actor=actor,
        action="export",
        object_type="appraisals.conversation",
        subject=person.user,
        reason=f"My time records of {person.name} ({fmt.upper()}, {count} records)",
        details={"format": fmt, "records": count, "person": person.pk},
    )
