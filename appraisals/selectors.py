"""Reads for my time. Each page's query count is settled here and does not
grow with the number of reports, conversations or years of history.

Contracts used by the intranet home page: `my_work(*, user)` and
`public_shout_outs(*, user, limit=10)`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from bewigan.core.work import WorkItem
from bewigan.partners.boundaries import HR, filter_in_reach, organisations_in_reach, person_in_reach
from bewigan.people.models import Person, TeamMembership
from bewigan.people.roles import person_of
from bewigan.values.selectors import current_behaviours, current_values

from .models import (
    MIN_ANONYMOUS,
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
    ShoutOut,
    SupportRoute,
    TalkingPoint,
    TeamAction,
    TeamTime,
)
from .rules import can

DEFAULT_CADENCE_DAYS = 30
AREA = "My time"


# --- Scoped gets (404 for "missing" and "not yours" alike) ------------------------


def conversation_get_for_user(
    *, user, pk: int, perm: str = "appraisals.view_conversation"
) -> Conversation:
    conversation = (
        Conversation.objects.select_related(
            "person__user", "person__line_manager__user", "manager__user"
        )
        .filter(pk=pk)
        .first()
    )
    if conversation is None or not can(user, perm, conversation):
        raise Http404
    return conversation


def person_get_for_user(*, user, pk: int, perm: str = "appraisals.view_timeline") -> Person:
    person = (
        Person.objects.select_related("user", "line_manager__user", "organisation")
        .filter(pk=pk)
        .first()
    )
    if person is None or not can(user, perm, person):
        raise Http404
    return person


def talking_point_get_for_user(*, user, pk: int) -> TalkingPoint:
    point = (
        TalkingPoint.objects.select_related("conversation__person__user", "conversation__manager")
        .filter(pk=pk)
        .first()
    )
    if point is None or not can(user, "appraisals.view_conversation", point.conversation):
        raise Http404
    return point


def action_get_for_user(*, user, pk: int) -> Action:
    action = Action.objects.select_related("conversation__person__user").filter(pk=pk).first()
    if action is None or not can(user, "appraisals.view_conversation", action.conversation):
        raise Http404
    return action


def feedback_round_get_for_user(*, user, pk: int) -> FeedbackRound:
    feedback_round = FeedbackRound.objects.select_related("subject__user").filter(pk=pk).first()
    if feedback_round is None or not can(user, "appraisals.view_feedback_round", feedback_round):
        raise Http404
    return feedback_round


def feedback_request_get_for_user(*, user, pk: int) -> FeedbackRequest:
    request = (
        FeedbackRequest.objects.select_related("rater__user", "round__subject__user")
        .filter(pk=pk, answered=False, declined=False)
        .first()
    )
    if request is None or not can(user, "appraisals.answer_feedback_request", request):
        raise Http404
    return request


def team_time_get_for_user(*, user, pk: int) -> TeamTime:
    team_time = TeamTime.objects.select_related("team", "facilitator__user").filter(pk=pk).first()
    if team_time is None or not can(user, "appraisals.view_team_time", team_time):
        raise Http404
    return team_time


def team_action_get_for_user(*, user, pk: int) -> TeamAction:
    action = TeamAction.objects.select_related("team_time").filter(pk=pk).first()
    if action is None or not can(user, "appraisals.contribute_team_time", action.team_time):
        raise Http404
    return action


# --- Manager dashboard ---------------------------------------------------------------


@dataclass
class ReportRow:
    person: Person
    last_my_time: datetime.date | None
    next_my_time: datetime.date | None
    next_my_time_id: int | None
    due_date: datetime.date
    overdue: bool
    open_actions: int
    overdue_actions: int
    cadence_days: int
    wellbeing: list[tuple[datetime.date, int]] = field(default_factory=list)

    @property
    def wellbeing_latest(self):
        return self.wellbeing[-1][1] if self.wellbeing else None

    @property
    def wellbeing_scores(self) -> str:
        return ", ".join(str(score) for _, score in self.wellbeing)

    @property
    def wellbeing_trend(self) -> str:
        if len(self.wellbeing) < 2:
            return "Not enough answers yet"
        first, last = self.wellbeing[0][1], self.wellbeing[-1][1]
        if last > first:
            return "Improving"
        if last < first:
            return "Lower than before"
        return "Steady"


def _annotated_people(qs, *, today):
    """People annotated with last/next my time, cadence and open actions,
    as correlated subqueries: one query whatever the number of people."""
    my_times = Conversation.objects.filter(person=OuterRef("pk"), kind=Conversation.Kind.MY_TIME)
    open_actions = (
        Action.objects.filter(person=OuterRef("pk"), done_at__isnull=True)
        .order_by()
        .values("person")
        .annotate(c=Count("pk"))
        .values("c")
    )
    overdue_actions = (
        Action.objects.filter(person=OuterRef("pk"), done_at__isnull=True, due_date__lt=today)
        .order_by()
        .values("person")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return qs.annotate(
        last_my_time=Subquery(
            my_times.filter(meeting_date__lte=today)
            .order_by("-meeting_date")
            .values("meeting_date")[:1]
        ),
        next_my_time=Subquery(
            my_times.filter(meeting_date__gt=today)
            .order_by("meeting_date")
            .values("meeting_date")[:1]
        ),
        next_my_time_id=Subquery(
            my_times.filter(meeting_date__gt=today).order_by("meeting_date").values("pk")[:1]
        ),
        cadence_days=Coalesce(
            Subquery(
                Cadence.objects.filter(
                    person=OuterRef("pk"), manager=OuterRef("line_manager")
                ).values("days")[:1]
            ),
            Value(DEFAULT_CADENCE_DAYS),
            output_field=IntegerField(),
        ),
        open_actions=Coalesce(Subquery(open_actions), Value(0), output_field=IntegerField()),
        overdue_actions=Coalesce(Subquery(overdue_actions), Value(0), output_field=IntegerField()),
    )


def _due(person, *, today) -> tuple[datetime.date, bool]:
    if person.next_my_time:
        return person.next_my_time, False
    if person.last_my_time:
        due = person.last_my_time + datetime.timedelta(days=person.cadence_days)
    else:
        due = today
    return due, due < today


def manager_dashboard(*, user) -> list[ReportRow]:
    """The user's current direct reports: 3 queries whatever the number of
    reports and years of history (people with their last my time and
    cadence; the last year's and upcoming conversations; open actions)."""
    me = person_of(user)
    if me is None:
        return []
    today = timezone.localdate()
    last = (
        Conversation.objects.filter(
            person=OuterRef("pk"), kind=Conversation.Kind.MY_TIME, meeting_date__lte=today
        )
        .order_by("-meeting_date")
        .values("meeting_date")[:1]
    )
    cadence = Cadence.objects.filter(
        person=OuterRef("pk"), manager=OuterRef("line_manager")
    ).values("days")[:1]
    people = list(
        Person.objects.active()
        .filter(line_manager=me)
        .select_related("user")
        .annotate(
            last_my_time=Subquery(last),
            cadence_days=Coalesce(
                Subquery(cadence), Value(DEFAULT_CADENCE_DAYS), output_field=IntegerField()
            ),
        )
        .order_by("user__last_name", "user__first_name")
    )
    ids = [p.pk for p in people]
    since = today - datetime.timedelta(days=360)
    upcoming: dict[int, tuple] = {}
    trend: dict[int, list] = {}
    if ids:
        rows = (
            Conversation.objects.filter(
                person_id__in=ids, kind=Conversation.Kind.MY_TIME, meeting_date__gte=since
            )
            .order_by("person_id", "meeting_date")
            .values_list("person_id", "pk", "meeting_date", "wellbeing_score")
        )
        for person_id, pk, day, score in rows:
            if day > today:
                upcoming.setdefault(person_id, (day, pk))
            elif score is not None:
                trend.setdefault(person_id, []).append((day, score))
    open_actions: dict[int, list[int]] = {}
    if ids:
        for person_id, due in Action.objects.filter(
            person_id__in=ids, done_at__isnull=True
        ).values_list("person_id", "due_date"):
            counts = open_actions.setdefault(person_id, [0, 0])
            counts[0] += 1
            counts[1] += due < today
    out = []
    for p in people:
        p.next_my_time, p.next_my_time_id = upcoming.get(p.pk, (None, None))
        due, overdue = _due(p, today=today)
        n_open, n_overdue = open_actions.get(p.pk, (0, 0))
        out.append(
            ReportRow(
                person=p,
                last_my_time=p.last_my_time,
                next_my_time=p.next_my_time,
                next_my_time_id=p.next_my_time_id,
                due_date=due,
                overdue=overdue,
                open_actions=n_open,
                overdue_actions=n_overdue,
                cadence_days=p.cadence_days,
                wellbeing=trend.get(p.pk, [])[-6:],
            )
        )
    return out


def _wellbeing_trend(*, person_ids, today, months: int = 12, keep: int = 6) -> dict[int, list]:
    if not person_ids:
        return {}
    since = today - datetime.timedelta(days=30 * months)
    rows = (
        Conversation.objects.filter(
            person_id__in=person_ids,
            wellbeing_score__isnull=False,
            meeting_date__gte=since,
            meeting_date__lte=today,
        )
        .order_by("person_id", "meeting_date")
        .values_list("person_id", "meeting_date", "wellbeing_score")
    )
    out: dict[int, list] = {}
    for person_id, day, score in rows:
        out.setdefault(person_id, []).append((day, score))
    return {k: v[-keep:] for k, v in out.items()}


@dataclass
class PairDue:
    person: Person
    manager: Person
    due_date: datetime.date


def pairs_due(*, today, within_days: int) -> list[PairDue]:
    """Every active pair whose next my time is due within `within_days` or is
    overdue (one query)."""
    people = _annotated_people(
        Person.objects.active()
        .filter(line_manager__in=Person.objects.active())  # not a manager who has left
        .select_related("user", "line_manager__user"),
        today=today,
    )
    out = []
    horizon = today + datetime.timedelta(days=within_days)
    for p in people:
        due, _ = _due(p, today=today)
        if p.last_my_time is None and p.next_my_time is None:
            continue  # never met: the dashboard shows it; no reminder storm on day one
        if due <= horizon:
            out.append(PairDue(person=p, manager=p.line_manager, due_date=due))
    return out


# --- My time home, timeline and conversation page --------------------------------------


@dataclass
class MyTimeHome:
    me: Person | None
    upcoming: list[Conversation]
    recent: list[Conversation]
    open_actions: list[Action]
    feedback_requests: list[FeedbackRequest]
    report_count: int
    due: tuple | None


def my_time_home(*, user) -> MyTimeHome:
    me = person_of(user)
    if me is None:
        return MyTimeHome(None, [], [], [], [], 0, None)
    today = timezone.localdate()
    mine = Conversation.objects.filter(person=me).select_related("manager__user")
    upcoming = list(
        mine.filter(
            Q(meeting_date__gte=today)
            | Q(recorded_at__isnull=True, meeting_date__gte=today - datetime.timedelta(days=31))
        ).order_by("meeting_date")[:3]
    )
    recent = list(mine.filter(meeting_date__lt=today).exclude(pk__in=[c.pk for c in upcoming])[:5])
    open_actions = list(
        Action.objects.filter(person=me, done_at__isnull=True)
        .select_related("owner__user")
        .order_by("due_date")[:20]
    )
    requests = list(
        FeedbackRequest.objects.filter(
            rater=me, answered=False, declined=False, round__closes_on__gte=today
        ).select_related("round__subject__user")
    )
    report_count = Person.objects.active().filter(line_manager=me).count()
    annotated = _annotated_people(Person.objects.filter(pk=me.pk), today=today).first()
    due = _due(annotated, today=today) if me.line_manager_id else None
    return MyTimeHome(me, upcoming, recent, open_actions, requests, report_count, due)


@dataclass
class TimelineEntry:
    date: datetime.date
    kind: str
    title: str
    url: str = ""
    detail: str = ""


def person_timeline(*, user, person: Person) -> list[TimelineEntry]:
    """Conversations, actions, shout-outs, team times and (for the person
    only) 360 rounds, newest first. Five queries."""
    entries: list[TimelineEntry] = []
    for c in Conversation.objects.filter(person=person).select_related("manager__user"):
        entries.append(
            TimelineEntry(
                c.meeting_date,
                c.get_kind_display(),
                f"{c.get_kind_display()} with {c.manager.name}",
                reverse("appraisals:conversation_detail", args=[c.pk]),
                c.status,
            )
        )
    for a in Action.objects.filter(person=person).select_related("owner__user"):
        entries.append(
            TimelineEntry(
                a.due_date,
                "Action",
                a.text,
                reverse("appraisals:conversation_detail", args=[a.conversation_id]),
                f"Owner: {a.owner.name}. "
                + ("Done" if a.done_at else ("Overdue" if a.is_overdue else "Open")),
            )
        )
    for s in ShoutOut.objects.filter(recipient=person).select_related("giver__user", "value"):
        entries.append(
            TimelineEntry(
                timezone.localtime(s.created_at).date(),
                "Shout-out",
                f"{s.giver.name}: {s.value.name}",
                "",
                s.message,
            )
        )
    viewer = person_of(user)
    viewer_teams = (
        set(
            TeamMembership.objects.current().filter(person=viewer).values_list("team_id", flat=True)
        )
        if viewer
        else set()
    )
    for t in TeamTime.objects.filter(attendees=person).select_related("team"):
        visible = t.team_id in viewer_teams or (
            viewer is not None and t.facilitator_id == viewer.pk
        )
        entries.append(
            TimelineEntry(
                t.meeting_date,
                "Team time",
                f"Team time: {t.team.name}",
                reverse("appraisals:team_time_detail", args=[t.pk]) if visible else "",
            )
        )
    if person.user_id == user.id:
        for r in FeedbackRound.objects.filter(subject=person):
            entries.append(
                TimelineEntry(
                    timezone.localtime(r.created_at).date(),
                    "360 feedback",
                    "360 feedback round",
                    reverse("appraisals:feedback_round_detail", args=[r.pk]),
                )
            )
    entries.sort(key=lambda e: e.date, reverse=True)
    return entries


@dataclass
class ConversationPage:
    conversation: Conversation
    talking_points: list[TalkingPoint]
    open_actions: list[Action]
    actions_agreed: list[Action]
    reflections: list[Reflection]
    shout_outs: list[ShoutOut]
    support_routes: list[SupportRoute]
    private_note: PrivateNote | None
    panel_evidence: dict | None
    is_person: bool
    is_manager: bool
    can_change: bool
    can_write_private_note: bool
    break_glass: bool
    previous: Conversation | None


def conversation_page(*, user, conversation: Conversation) -> ConversationPage:
    c = conversation
    is_person = c.person.user_id == user.id
    me = person_of(user)
    is_manager = me is not None and c.person.line_manager_id == me.pk
    break_glass = not (is_person or is_manager)
    previous = (
        Conversation.objects.filter(person=c.person, meeting_date__lt=c.meeting_date)
        .order_by("-meeting_date")
        .first()
    )
    talking_points = list(c.talking_points.select_related("author__user"))
    actions = list(
        Action.objects.filter(Q(conversation=c) | Q(person=c.person, done_at__isnull=True))
        .select_related("owner__user")
        .order_by("due_date", "id")
    )
    agreed = [a for a in actions if a.conversation_id == c.pk]
    open_actions = [a for a in actions if a.conversation_id != c.pk]
    reflections = list(
        c.reflections.select_related("behaviour__value").order_by(
            "behaviour__value__order", "behaviour__sort_order"
        )
    )
    since = previous.meeting_date if previous else c.meeting_date - datetime.timedelta(days=90)
    shout_outs = []
    if not break_glass:
        shout_outs = list(
            ShoutOut.objects.filter(
                recipient=c.person,
                created_at__date__gt=since,
                created_at__date__lte=max(c.meeting_date, timezone.localdate()),
            ).select_related("giver__user", "value")
        )
    routes = (
        list(SupportRoute.objects.filter(is_active=True))
        if c.low_wellbeing and not break_glass
        else []
    )
    can_note = can(user, "appraisals.write_private_note", c)
    note = PrivateNote.objects.visible_to(user).filter(conversation=c).first() if can_note else None
    evidence = None
    if previous is None and not c.is_annual and not break_glass:
        from recruitment.selectors import consented_panel_evidence

        evidence = consented_panel_evidence(person=c.person)
    return ConversationPage(
        conversation=c,
        talking_points=talking_points,
        open_actions=open_actions,
        actions_agreed=agreed,
        reflections=reflections,
        shout_outs=shout_outs,
        support_routes=routes,
        private_note=note,
        panel_evidence=evidence,
        is_person=is_person,
        is_manager=is_manager,
        can_change=can(user, "appraisals.change_conversation", c),
        can_write_private_note=can_note,
        break_glass=break_glass,
        previous=previous,
    )


def draft_for(*, user, conversation: Conversation) -> ConversationDraft | None:
    """The author's own autosaved draft, if it is newer than the record."""
    draft = ConversationDraft.objects.filter(conversation=conversation, author=user).first()
    if draft and draft.saved_at > conversation.updated_at:
        return draft
    return None


def reflection_behaviours(*, conversation: Conversation):
    """The behaviours to reflect on: those already used by the record, else
    the framework version in force on the meeting date."""
    used = list(
        Reflection.objects.filter(conversation=conversation).values_list("behaviour_id", flat=True)
    )
    behaviours = list(current_behaviours(on=conversation.meeting_date))
    if not behaviours:
        behaviours = list(current_behaviours())
    known = {b.pk for b in behaviours}
    if used and not set(used) <= known:
        from bewigan.values.models import Behaviour

        behaviours += list(
            Behaviour.objects.filter(pk__in=set(used) - known).select_related("value")
        )
    return behaviours


def my_private_notes(*, user):
    return (
        PrivateNote.objects.visible_to(user)
        .select_related("conversation__person__user")
        .order_by("-conversation__meeting_date")
    )


# --- Annual conversation -----------------------------------------------------------------


@dataclass
class YearInReview:
    conversations: list[Conversation]
    actions: list[Action]
    shout_outs: list[ShoutOut]
    feedback_summaries: list


def year_in_review(*, user, conversation: Conversation) -> YearInReview:
    person, year = conversation.person, conversation.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    conversations = list(
        Conversation.objects.filter(
            person=person,
            kind=Conversation.Kind.MY_TIME,
            meeting_date__range=(start, end),
            recorded_at__isnull=False,
        )
        .select_related("manager__user")
        .order_by("meeting_date")
    )
    actions = list(
        Action.objects.filter(
            person=person, conversation__meeting_date__range=(start, end)
        ).select_related("owner__user")
    )
    shout_outs = list(
        ShoutOut.objects.filter(recipient=person, created_at__year=year).select_related(
            "giver__user", "value"
        )
    )
    summaries = []
    if person.user_id == user.id:
        for r in FeedbackRound.objects.filter(subject=person, created_at__year=year):
            summaries.append(feedback_summary(feedback_round=r))
    return YearInReview(conversations, actions, shout_outs, summaries)


# --- Shout-outs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ShoutOutItem:
    giver_name: str
    recipient_name: str
    value_name: str
    message: str
    created_at: datetime.datetime
    url: str


def public_shout_outs(*, user, limit: int = 10) -> list[ShoutOutItem]:
    """Public shout-outs for the intranet feed, newest first (one query).
    Each item has .giver_name, .recipient_name, .value_name, .message,
    .created_at, .url"""
    rows = (
        ShoutOut.objects.filter(is_public=True, recipient__user__is_active=True)
        .select_related("giver__user", "recipient__user", "value")
        .order_by("-created_at", "-id")[:limit]
    )
    feed = reverse("appraisals:shout_out_list")
    return [
        ShoutOutItem(
            giver_name=s.giver.name,
            recipient_name=s.recipient.name,
            value_name=s.value.name,
            message=s.message,
            created_at=s.created_at,
            url=f"{feed}#shout-out-{s.pk}",
        )
        for s in rows
    ]


def shout_out_feed(*, user):
    return ShoutOut.objects.filter(is_public=True).select_related(
        "giver__user", "recipient__user", "value"
    )


# --- 360 -------------------------------------------------------------------------------------


@dataclass
class ValueSummary:
    value_name: str
    value_key: str
    named: list[tuple[str, str, str]]  # (rater name, does well, to try)
    anonymous: list[tuple[str, str]]


@dataclass
class FeedbackSummary:
    feedback_round: FeedbackRound
    asked: int
    answered: int
    named_count: int
    anonymous_count: int
    anonymous_shown: bool
    values: list[ValueSummary]


def feedback_summary(*, feedback_round: FeedbackRound) -> FeedbackSummary:
    """Per value. Anonymous answers exist to read only once the round has
    closed and at least MIN_ANONYMOUS were released together
    (services.feedback_round_release); they are never shown with identity,
    and in the random order of their random ids."""
    requests = list(feedback_round.requests.values_list("answered", flat=True))
    responses = list(
        FeedbackResponse.objects.filter(round=feedback_round)
        .select_related("rater__user")
        .prefetch_related("answers__value")
    )
    anonymous = sorted((r for r in responses if r.is_anonymous), key=lambda r: r.pk)
    named = [r for r in responses if not r.is_anonymous]
    show_anonymous = len(anonymous) >= MIN_ANONYMOUS
    by_value: dict[int, ValueSummary] = {}
    for response in named + (anonymous if show_anonymous else []):
        for answer in response.answers.all():
            summary = by_value.setdefault(
                answer.value_id, ValueSummary(answer.value.name, answer.value.key, [], [])
            )
            if response.is_anonymous:
                summary.anonymous.append((answer.does_well, answer.to_try))
            else:
                summary.named.append((response.rater.name, answer.does_well, answer.to_try))
    values = sorted(by_value.values(), key=lambda v: v.value_key)
    return FeedbackSummary(
        feedback_round=feedback_round,
        asked=len(requests),
        answered=sum(1 for a in requests if a),
        named_count=len(named),
        # answered, less named: sealed anonymous answers count too
        anonymous_count=sum(1 for a in requests if a) - len(named),
        anonymous_shown=show_anonymous,
        values=values,
    )


def feedback_home(*, user):
    me = person_of(user)
    if me is None:
        return [], []
    rounds = list(
        FeedbackRound.objects.filter(subject=me).annotate(
            asked=Count("requests", distinct=True),
            answered_count=Count("requests", filter=Q(requests__answered=True), distinct=True),
        )
    )
    requests = list(
        FeedbackRequest.objects.filter(
            rater=me, answered=False, declined=False, round__closes_on__gte=timezone.localdate()
        ).select_related("round__subject__user")
    )
    return rounds, requests


# --- Team time ---------------------------------------------------------------------------


def my_teams(*, user):
    me = person_of(user)
    if me is None:
        return []
    return [
        m.team for m in TeamMembership.objects.current().filter(person=me).select_related("team")
    ]


def team_times_for(*, user):
    teams = my_teams(user=user)
    return TeamTime.objects.filter(team__in=teams).select_related("team", "facilitator__user")


@dataclass
class TeamTimePage:
    team_time: TeamTime
    members: list[Person]
    attendees: list[Person]
    appreciations: list[ShoutOut]
    feedback: list
    actions: list[TeamAction]
    carried_actions: list[TeamAction]


def team_time_page(*, team_time: TeamTime) -> TeamTimePage:
    members = [
        m.person
        for m in TeamMembership.objects.current()
        .filter(team_id=team_time.team_id, person__in=Person.objects.active())
        .select_related("person__user")
        .order_by("person__user__last_name")
    ]
    carried = list(
        TeamAction.objects.filter(
            team_id=team_time.team_id,
            done_at__isnull=True,
            team_time__meeting_date__lt=team_time.meeting_date,
        ).select_related("owner__user", "team_time")
    )
    return TeamTimePage(
        team_time=team_time,
        members=members,
        attendees=list(team_time.attendees.select_related("user")),
        appreciations=list(
            team_time.appreciations.select_related("giver__user", "recipient__user", "value")
        ),
        feedback=list(
            team_time.feedback.select_related("giver__user", "recipient__user", "behaviour__value")
        ),
        actions=list(team_time.actions.select_related("owner__user")),
        carried_actions=carried,
    )


# --- HR --------------------------------------------------------------------------------------


def support_routes(*, active_only: bool = False):
    qs = SupportRoute.objects.all()
    return qs.filter(is_active=True) if active_only else qs


def support_route_get(*, pk: int) -> SupportRoute:
    route = SupportRoute.objects.filter(pk=pk).first()
    if route is None:
        raise Http404
    return route


def break_glass_accesses(*, user):
    """The HR admin's own accesses, for people still in their reach."""
    return filter_in_reach(
        BreakGlassAccess.objects.filter(hr_user=user).select_related("person__user"),
        user,
        HR,
        field="person__organisation",
    )


def break_glass_get_for_user(*, user, pk: int) -> BreakGlassAccess:
    access = (
        BreakGlassAccess.objects.select_related("person__user")
        .filter(pk=pk, hr_user=user, expires_at__gt=timezone.now())
        .first()
    )
    if (
        access is None
        or not can(user, "appraisals.break_glass")
        or not person_in_reach(user, access.person, HR)
    ):
        raise Http404
    return access


def break_glass_conversations(*, access: BreakGlassAccess):
    return Conversation.objects.filter(
        person=access.person, recorded_at__isnull=False
    ).select_related("manager__user")


def hr_reach_organisation_ids(*, user) -> frozenset[int] | None:
    """Whose people an HR admin's reports cover: their own organisation and
    those that granted theirs access for HR. None for superusers (all)."""
    return None if user.is_superuser else organisations_in_reach(user, HR)


def coverage_rows(*, today=None, organisation_ids=None) -> list[dict]:
    """One row per active person for the HR coverage report: organisation,
    primary team, neighbourhood, last my time and the latest wellbeing score
    within 90 days (2 queries). Content never leaves this function.
    `organisation_ids`: only people of these organisations (None: everyone)."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=90)
    held = Conversation.objects.filter(
        person=OuterRef("pk"),
        kind=Conversation.Kind.MY_TIME,
        recorded_at__isnull=False,
        meeting_date__gte=since,
        meeting_date__lte=today,
    ).order_by("-meeting_date")
    people = Person.objects.active()
    if organisation_ids is not None:
        people = people.filter(organisation_id__in=list(organisation_ids))
    people = people.annotate(
        last_held=Subquery(held.values("meeting_date")[:1]),
        wellbeing=Subquery(
            held.filter(wellbeing_score__isnull=False).values("wellbeing_score")[:1]
        ),
    ).values("pk", "organisation__name", "last_held", "wellbeing")
    teams = {}
    for m in (
        TeamMembership.objects.current()
        .filter(is_primary=True)
        .values(
            "person_id", "team__name", "team__organisation__short_name", "team__neighbourhood__name"
        )
        .order_by("person_id", "start_date")
    ):
        teams.setdefault(m["person_id"], m)
    rows = []
    for p in people:
        m = teams.get(p["pk"], {})
        team = m.get("team__name")
        rows.append(
            {
                "organisation": p["organisation__name"],
                "team": f"{team} ({m.get('team__organisation__short_name')})"
                if team
                else "No team",
                "neighbourhood": m.get("team__neighbourhood__name") or "No neighbourhood",
                "had_my_time": p["last_held"] is not None,
                "wellbeing": p["wellbeing"],
            }
        )
    return rows


# --- My work (home page) ----------------------------------------------------------------------


def my_work(*, user) -> list[WorkItem]:
    """My time due or overdue, talking points to prepare, records to confirm
    and 360 requests to answer (4 queries: the person, then plain rows, no
    model instances, as the home page asks on every cache miss)."""
    from django.db.models import Exists

    me = person_of(user)
    if me is None:
        return []
    today = timezone.localdate()
    items: list[WorkItem] = []
    soon = today + datetime.timedelta(days=14)

    def name(first, last, email):  # Person.name without the objects
        return f"{first} {last}".strip() or email

    conversations = (
        Conversation.objects.filter(Q(person=me) | Q(person__line_manager=me))
        .filter(Q(person_confirmed_at__isnull=True) | Q(manager_confirmed_at__isnull=True))
        .filter(meeting_date__lte=soon, meeting_date__gte=today - datetime.timedelta(days=60))
        .annotate(
            my_points=Exists(TalkingPoint.objects.filter(conversation=OuterRef("pk"), author=me))
        )
        .order_by("meeting_date")
        .values_list(
            "pk",
            "kind",
            "person_id",
            "meeting_date",
            "recorded_at",
            "person_confirmed_at",
            "manager_confirmed_at",
            "my_points",
            "person__user__first_name",
            "person__user__last_name",
            "person__user__email",
            "manager__user__first_name",
            "manager__user__last_name",
            "manager__user__email",
        )
    )
    for row in conversations:
        pk, kind, person_id, meeting_date, recorded_at, p_conf, m_conf, my_points = row[:8]
        names = row[8:]
        i_am_person = person_id == me.pk
        other = name(*names[3:]) if i_am_person else name(*names[:3])
        url = reverse("appraisals:conversation_detail", args=[pk])
        label = Conversation.Kind(kind).label.lower()
        if recorded_at:
            if not (p_conf if i_am_person else m_conf):
                items.append(
                    WorkItem(
                        f"Confirm the record of your {label} with {other}", url, AREA, meeting_date
                    )
                )
        elif meeting_date >= today and not my_points:
            items.append(
                WorkItem(
                    f"Add talking points for your {label} with {other}",
                    url,
                    AREA,
                    meeting_date,
                    hint="Both of you can add points to the shared agenda",
                )
            )
        elif meeting_date < today:
            items.append(
                WorkItem(f"Record your {label} with {other}", url, AREA, meeting_date, overdue=True)
            )
    # Me (if I have a manager) and my reports, when no my time is planned:
    # due a cadence after the last one (today if there was none).
    my_times = Conversation.objects.filter(person=OuterRef("pk"), kind=Conversation.Kind.MY_TIME)
    people = (
        Person.objects.active()
        .filter(Q(pk=me.pk, line_manager__isnull=False) | Q(line_manager=me))
        .annotate(planned=Exists(my_times.filter(meeting_date__gt=today)))
        .filter(planned=False)
        .annotate(
            last_my_time=Subquery(
                my_times.filter(meeting_date__lte=today)
                .order_by("-meeting_date")
                .values("meeting_date")[:1]
            ),
            cadence_days=Coalesce(
                Subquery(
                    Cadence.objects.filter(
                        person=OuterRef("pk"), manager=OuterRef("line_manager")
                    ).values("days")[:1]
                ),
                Value(DEFAULT_CADENCE_DAYS),
                output_field=IntegerField(),
            ),
        )
        .values_list(
            "pk",
            "last_my_time",
            "cadence_days",
            "user__first_name",
            "user__last_name",
            "user__email",
        )
    )
    for pk, last, cadence_days, *names in people:
        due = last + datetime.timedelta(days=cadence_days) if last else today
        overdue = due < today
        if overdue or due <= soon:
            if pk == me.pk:
                title = "Plan your next my time with your manager"
                url = reverse("appraisals:index")
            else:
                title = f"Plan a my time with {name(*names)}"
                url = reverse("appraisals:timeline", args=[pk])
            items.append(WorkItem(title, url, AREA, due, overdue=overdue))
    for pk, closes_on, *names in FeedbackRequest.objects.filter(
        rater=me, answered=False, declined=False, round__closes_on__gte=today
    ).values_list(
        "pk",
        "round__closes_on",
        "round__subject__user__first_name",
        "round__subject__user__last_name",
        "round__subject__user__email",
    ):
        items.append(
            WorkItem(
                f"Give 360 feedback to {name(*names)}",
                reverse("appraisals:feedback_answer", args=[pk]),
                AREA,
                closes_on,
            )
        )
    return items


def values_for_forms():
    return list(current_values())


def my_time_records(*, user, person: Person) -> list[Conversation]:
    """The shared records of `person`'s my times (and annual conversations),
    oldest first, for printing or downloading: only the ones `user` may
    already open (the person and their manager), never private notes."""
    conversations = (
        Conversation.objects.filter(person=person)
        .select_related("manager__user", "person__user", "person__line_manager")
        .prefetch_related("reflections__behaviour__value", "actions__owner", "talking_points")
        .order_by("meeting_date", "id")
    )
    return [c for c in conversations if can(user, "appraisals.view_conversation", c)]
