"""Reads for survey pages. Results come only from the stored aggregates
(GroupResult / QuestionResult); no page reads Answer rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from bewigan.core.work import WorkItem
from bewigan.partners.boundaries import SURVEYS, organisations_in_reach
from bewigan.people.models import Team
from bewigan.people.roles import person_of

from . import analytics
from .models import (
    Action,
    Comment,
    CommentReply,
    GroupResult,
    Participation,
    Question,
    QuestionResult,
    Survey,
    SurveyQuestion,
    Theme,
    Wave,
)
from .rules import is_results_admin, managed_team_ids, reach_team_ids


def my_work(*, user) -> list[WorkItem]:
    """Open waves this person has not answered yet, soonest closing first."""
    person = person_of(user)
    if person is None:
        return []
    today = timezone.localdate()
    return [
        WorkItem(
            title=f"Answer {wave.survey.title} (wave {wave.number})",
            url=reverse("surveys:answer", args=[wave.pk]),
            area="Surveys",
            due=wave.closes_on,
            hint="About two minutes. Your answers are anonymous.",
        )
        for wave in open_waves_to_answer(person=person, on=today)
    ]


def open_waves_to_answer(*, person, on=None) -> list[Wave]:
    on = on or timezone.localdate()
    answered = Participation.objects.filter(person=person).values("wave_id")
    return list(
        Wave.objects.open(on)
        .for_person(person)
        .exclude(pk__in=answered)
        .select_related("survey")
        .order_by("closes_on", "pk")
    )


def wave_get_for_answer(*, user, pk: int) -> Wave:
    """A wave this person may answer; 404 for missing, not open to them, or closed-and-unknown."""
    person = person_of(user)
    if person is None:
        raise Http404
    wave = Wave.objects.filter(pk=pk).for_person(person).select_related("survey").first()
    if wave is None:
        raise Http404
    return wave


def wave_questions(*, wave) -> list[Question]:
    return [
        item.question
        for item in wave.survey.items.select_related("question__value").order_by("order", "id")
    ]


def has_participated(*, wave, person) -> bool:
    return Participation.objects.filter(wave=wave, person=person).exists()


# --- Results -------------------------------------------------------------------------


def can_view_any_results(user) -> bool:
    return is_results_admin(user) or bool(managed_team_ids(user)) or user.is_superuser


def _admin_scopes_q(user) -> Q:
    """The groups a survey or HR admin opens as an admin: partnership-wide
    ones and those of the organisations (and teams) in their reach for
    surveys (mirrors rules.group_in_reach; team roll-ups are checked again
    by `_only_viewable`)."""
    cond = Q(scope="all") | Q(scope__startswith="all|") | Q(scope__startswith="hood:")
    for org in sorted(organisations_in_reach(user, SURVEYS)):
        cond |= Q(scope=f"org:{org}") | Q(scope__startswith=f"org:{org}|")
    teams = reach_team_ids(user)
    if teams:
        cond |= Q(scope__in=[f"team:{t}" for t in sorted(teams)])
    return cond


def _only_viewable(user, groups: list[GroupResult]) -> list[GroupResult]:
    """Drop the rare rolled-up team group that includes a team out of the
    admin's reach (the query matched it on its own team). No queries: the
    rules read per-request caches and the group's wave."""
    if user.is_superuser or not is_results_admin(user):
        return groups
    return [g for g in groups if user.has_perm("surveys.view_group", g)]


def visible_groups_qs(*, user):
    """GroupResult rows this person may open, as a query (mirrors rules.py)."""
    qs = GroupResult.objects.all()
    if user.is_superuser:
        return qs
    person = person_of(user)
    cond = Q(scope__in=[f"team:{t}" for t in managed_team_ids(user)])
    if is_results_admin(user):
        cond |= _admin_scopes_q(user)
    published = Q(scope="all") | Q(scope__startswith="all|")
    if person is not None:
        org = f"org:{person.organisation_id}"
        published |= Q(scope=org) | Q(scope__startswith=f"{org}|")
    cond |= Q(wave__results_published=True) & published
    return qs.filter(cond)


def visible_groups(*, user, wave) -> list[GroupResult]:
    return _only_viewable(
        user,
        list(
            visible_groups_qs(user=user)
            .filter(wave=wave)
            .select_related("wave")
            .order_by("level", "label")
        ),
    )


def result_waves(*, user, limit: int = 12) -> list[dict]:
    """The latest waves with results this person can see, newest first, with
    the groups they can open (2 queries)."""
    visible = visible_groups_qs(user=user)
    waves = list(
        Wave.objects.filter(refreshed_at__isnull=False, pk__in=visible.values("wave_id"))
        .select_related("survey")
        .order_by("-opens_on")[:limit]
    )
    wave_map = {w.pk: w for w in waves}
    by_wave: dict[int, list[GroupResult]] = {}
    groups = list(
        visible.filter(wave__in=waves).only(
            "id", "wave_id", "scope", "label", "level", "suppressed", "respondents", "team_ids"
        )
    )
    for g in groups:
        g.wave = wave_map[g.wave_id]
    for g in _only_viewable(user, groups):
        by_wave.setdefault(g.wave_id, []).append(g)
    order = {"all": 0, "org": 1, "team": 2, "hood": 3, "age": 4}
    out = []
    for w in waves:
        gs = sorted(by_wave.get(w.pk, []), key=lambda g: (order.get(g.level, 9), g.label))
        out.append({"wave": w, "groups": gs})
    return out


def group_get_for_user(*, user, wave_pk: int, scope: str) -> GroupResult:
    group = (
        GroupResult.objects.filter(wave_id=wave_pk, scope=scope)
        .select_related("wave__survey")
        .first()
    )
    if group is None or not user.has_perm("surveys.view_group", group):
        raise Http404
    return group


@dataclass
class QuestionRow:
    question: Question
    result: QuestionResult | None
    previous: QuestionResult | None

    @property
    def change(self) -> float | None:
        if self.result is None or self.previous is None:
            return None
        if self.result.favourable is None or self.previous.favourable is None:
            return None
        return round(self.result.favourable - self.previous.favourable, 1)

    @property
    def choice_counts(self) -> list[tuple[str, int]]:
        if self.result is None:
            return []
        options = self.question.choices or []
        return [
            (options[int(k)] if int(k) < len(options) else k, n)
            for k, n in sorted(self.result.distribution.items(), key=lambda kv: int(kv[0]))
        ]


@dataclass
class Results:
    group: GroupResult
    rows: list[QuestionRow]
    previous: GroupResult | None
    trend: list[GroupResult]
    themes: list[tuple[str, float, float | None]]
    drivers: list[dict]
    actions: list[Action]
    others: list[GroupResult] = field(default_factory=list)
    # Set when the drivers come from a wider group (a team's organisation):
    # driver analysis needs 30 or more respondents, more than most teams have.
    drivers_source: str = ""

    @property
    def engagement_change(self):
        if (
            self.previous is None
            or self.previous.engagement is None
            or self.group.engagement is None
        ):
            return None
        return round(self.group.engagement - self.previous.engagement, 1)

    @property
    def enps_change(self):
        if self.previous is None or self.previous.enps is None or self.group.enps is None:
            return None
        return round(self.group.enps - self.previous.enps, 1)


def theme_label(key: str, value_names: dict[str, str]) -> str:
    return value_names.get(key) or dict(Theme.choices).get(key, key)


def results_for(*, user, group: GroupResult) -> Results:
    """Everything the results page shows, in a fixed number of queries."""
    wave = group.wave
    questions = wave_questions(wave=wave)
    trend = list(
        GroupResult.objects.filter(
            wave__survey=wave.survey, scope=group.scope, wave__opens_on__lte=wave.opens_on
        )
        .select_related("wave")
        .order_by("wave__opens_on")
    )
    previous = next((g for g in reversed(trend) if g.wave_id != wave.pk and not g.suppressed), None)
    ids = [group.pk] + ([previous.pk] if previous else [])
    results = {}
    for r in QuestionResult.objects.filter(group_id__in=ids):
        results[(r.group_id, r.question_id)] = r
    rows = [
        QuestionRow(
            q, results.get((group.pk, q.pk)), results.get((previous.pk, q.pk)) if previous else None
        )
        for q in questions
    ]
    value_names = {q.value.key: q.value.name for q in questions if q.value_id}
    themes = [
        (theme_label(k, value_names), v, (previous.themes or {}).get(k) if previous else None)
        for k, v in (group.themes or {}).items()
    ]
    themes.sort(key=lambda t: t[0])
    qmap = {q.pk: q for q in questions}
    drivers, drivers_source = group.drivers or [], ""
    if not drivers and not group.suppressed and group.level in ("team", "hood"):
        wider = _wider_drivers(group)
        if wider is not None:
            drivers, drivers_source = wider.drivers, wider.label
    driver_rows = [dict(d, text=qmap[d["question"]].text) for d in drivers if d["question"] in qmap]
    actions = list(
        Action.objects.filter(wave__survey=wave.survey, scope=group.scope)
        .select_related("owner__user", "question", "wave")
        .order_by("status", "due_on")
    )
    return Results(
        group, rows, previous, trend, themes, driver_rows, actions, drivers_source=drivers_source
    )


def _wider_drivers(group: GroupResult) -> GroupResult | None:
    """For a team (or neighbourhood) page: the driver analysis of the team's
    organisation, else of the whole partnership. Correlations over 30 or more
    respondents, so a manager sees what matters without any small-group
    figure. One or two queries."""
    scopes = []
    if group.level == "team" and group.team_ids:
        from bewigan.people.models import Team

        org_id = (
            Team.objects.filter(pk=group.team_ids[0])
            .values_list("organisation_id", flat=True)
            .first()
        )
        if org_id:
            scopes.append(f"org:{org_id}")
    scopes.append("all")
    wider = {
        g.scope: g
        for g in GroupResult.objects.filter(
            wave_id=group.wave_id, scope__in=scopes, suppressed=False
        )
        .exclude(drivers=[])
        .only("scope", "label", "drivers")
    }
    return next((wider[s] for s in scopes if s in wider), None)


@dataclass
class HeatCell:
    favourable: float | None
    level: int | None
    diff: float | None

    @property
    def css(self):
        return f"bw-heat-{self.level}" if self.level else ""

    @property
    def words(self):
        return analytics.HEAT_WORDS.get(self.level, "")


@dataclass
class HeatRow:
    group: GroupResult
    cells: list[HeatCell | None]
    reference_label: str = ""

    @property
    def html(self):
        """The row's cells, built in Python: a 500-team heatmap is 5,500
        cells, too many for template tags per cell."""
        parts = []
        for cell in self.cells:
            if cell is None or cell.favourable is None:
                parts.append(format_html('<td class="govuk-table__cell govuk-body-s">–</td>'))
            elif cell.diff is None:
                parts.append(
                    format_html(
                        '<td class="govuk-table__cell govuk-body-s">{}%</td>', cell.favourable
                    )
                )
            else:
                parts.append(
                    format_html(
                        '<td class="govuk-table__cell govuk-body-s {}">{}% <span class="bw-surveys-diff">({}{})</span>'
                        '<span class="govuk-visually-hidden">, {} {}</span></td>',
                        cell.css,
                        cell.favourable,
                        "+" if cell.diff > 0 else "",
                        cell.diff,
                        cell.words,
                        self.reference_label,
                    )
                )
        return mark_safe("".join(parts))  # noqa: S308 - every part is escaped by format_html


@dataclass
class Heatmap:
    wave: Wave
    level: str
    questions: list[Question]
    reference_label: str
    rows: list[HeatRow]


HEAT_LEVELS = {"team": "Teams", "org": "Organisations", "hood": "Neighbourhoods"}


def heatmap_for(*, user, wave, level: str) -> Heatmap:
    """Groups of one level (that this person may see) against the survey's
    scored questions, each cell compared with the organisation's score (for
    teams) or the partnership's (for organisations and neighbourhoods).
    A fixed number of queries whatever the number of groups."""
    if level not in HEAT_LEVELS:
        level = "team"
    questions = [q for q in wave_questions(wave=wave) if q.is_scored]
    # Reference groups are aggregates above the minimum; they are shown as a
    # comparison even to readers who cannot open them.
    refs = {g.scope: g for g in GroupResult.objects.filter(wave=wave, level__in=["all", "org"])}
    rows_groups = _only_viewable(
        user,
        list(
            visible_groups_qs(user=user)
            .filter(wave=wave, level=level)
            .select_related("wave")
            .order_by("label")
        ),
    )
    ids = [g.pk for g in rows_groups] + [g.pk for g in refs.values()]
    results: dict[tuple[int, int], QuestionResult] = {}
    for r in QuestionResult.objects.filter(group_id__in=ids).only(
        "group_id", "question_id", "favourable"
    ):
        results[(r.group_id, r.question_id)] = r
    team_org = {}
    if level == "team":
        team_ids = [int(g.scope[5:]) for g in rows_groups]
        team_org = dict(Team.objects.filter(pk__in=team_ids).values_list("id", "organisation_id"))
    reference_label = "their organisation" if level == "team" else "the whole partnership"
    rows = []
    for g in rows_groups:
        if level == "team":
            ref = refs.get(f"org:{team_org.get(int(g.scope[5:]))}")
        else:
            ref = refs.get("all")
        cells = []
        for q in questions:
            if g.suppressed:
                cells.append(None)
                continue
            mine = results.get((g.pk, q.pk))
            theirs = results.get((ref.pk, q.pk)) if ref is not None and not ref.suppressed else None
            fav = mine.favourable if mine else None
            ref_fav = theirs.favourable if theirs else None
            diff = round(fav - ref_fav, 1) if fav is not None and ref_fav is not None else None
            cells.append(HeatCell(fav, analytics.heat_level(fav, ref_fav), diff))
        rows.append(HeatRow(g, cells, reference_label))
    return Heatmap(wave, level, questions, reference_label, rows)


@dataclass
class CommentsPage:
    group: GroupResult
    visible: bool
    reason: str
    comments: list[Comment]
    themes: list[tuple[str, int]]


def comments_for(*, user, group: GroupResult) -> CommentsPage:
    """Comments for a group above the comment minimum, once the wave has closed
    (so they never appear one at a time), in random order, with replies.
    A partnership-wide group's comments are words from every partner: an
    admin reads them only with the whole partnership in reach (or once they
    are published to all staff); `user=None` is the caller that has checked."""
    wave = group.wave
    if group.suppressed or not group.comments_visible:
        return CommentsPage(
            group, False, "Too few people in this group answered for comments to be shown.", [], []
        )
    if user is not None and not user.has_perm("surveys.read_comments", group):
        return CommentsPage(
            group,
            False,
            "Comments from partner organisations outside your data-sharing grants are not"
            " shown. Open your organisation's results to read its comments.",
            [],
            [],
        )
    if not wave.is_closed():
        return CommentsPage(group, False, "Comments are shown when the survey closes.", [], [])
    qs = Comment.objects.filter(wave=wave)
    base = group.scope
    if base.startswith("org:"):
        qs = qs.filter(organisation_id=int(base[4:]))
    elif base.startswith("team:"):
        qs = qs.filter(team_id__in=group.team_ids or [int(base[5:])])
    elif base.startswith("hood:"):
        qs = qs.filter(neighbourhood_id=int(base[5:]))
    elif base != "all":
        return CommentsPage(group, False, "Comments are not shown for this filter.", [], [])
    comments = list(
        qs.select_related("question")
        .prefetch_related(
            Prefetch("replies", queryset=CommentReply.objects.select_related("author"))
        )
        .only("id", "text", "question__text", "wave_id")
        .order_by("id")[:500]
    )
    return CommentsPage(
        group, True, "", comments, analytics.comment_themes([c.text for c in comments])
    )


def comment_get_for_group(*, group: GroupResult, pk: int) -> Comment:
    page = comments_for(user=None, group=group)
    for c in page.comments:
        if c.pk == pk:
            return c
    raise Http404


def action_get_for_group(*, group: GroupResult, pk: int) -> Action:
    action = Action.objects.filter(pk=pk, wave__survey=group.wave.survey, scope=group.scope).first()
    if action is None:
        raise Http404
    return action


# --- Admin ---------------------------------------------------------------------------


def survey_list() -> list[Survey]:
    return list(Survey.objects.prefetch_related("items").order_by("title"))


def question_library() -> list[Question]:
    return list(Question.objects.select_related("value").order_by("theme", "kind", "text"))


def survey_detail(*, pk: int) -> Survey:
    survey = (
        Survey.objects.filter(pk=pk)
        .prefetch_related(
            Prefetch("items", queryset=SurveyQuestion.objects.select_related("question")),
            Prefetch(
                "waves",
                queryset=Wave.objects.prefetch_related("organisations", "teams", "neighbourhoods")
                .annotate(answered=Count("participations"))
                .order_by("-number"),
            ),
        )
        .first()
    )
    if survey is None:
        raise Http404
    return survey


def wave_get(*, pk: int) -> Wave:
    wave = Wave.objects.filter(pk=pk).select_related("survey").first()
    if wave is None:
        raise Http404
    return wave


def calendar(*, start, months: int = 6) -> list[dict]:
    """Waves running in each of the next months, across every partner, with
    their audiences, to limit survey fatigue (3 queries)."""
    from dateutil.relativedelta import relativedelta

    end = start + relativedelta(months=months)
    waves = list(
        Wave.objects.filter(Q(opens_on__lt=end) & Q(closes_on__gte=start))
        .select_related("survey")
        .prefetch_related("organisations", "teams__organisation", "neighbourhoods")
        .order_by("opens_on", "survey__title")
    )
    out = []
    month = start.replace(day=1)
    while month < end:
        next_month = month + relativedelta(months=1)
        out.append(
            {
                "month": month,
                "waves": [w for w in waves if w.opens_on < next_month and w.closes_on >= month],
            }
        )
        month = next_month
    return out
