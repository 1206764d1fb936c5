"""Reads for recruitment pages. Each settles its page's query count: the
consensus page costs the same number of queries whatever the size of the
panel or the plan.

Contracts used elsewhere: `my_work(*, user)` (home page) and
`consented_panel_evidence(*, person)` (appraisals, a new starter's first
my time)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from bewigan.core.work import WorkItem
from bewigan.partners.boundaries import HR, organisations_in_reach
from bewigan.people.models import Organisation
from bewigan.values.models import Value

from .models import (
    Candidate,
    ConsensusScore,
    Decision,
    Interview,
    PanelMember,
    PlanQuestion,
    Question,
    QuestionScore,
    QuestionVersion,
    Scorecard,
    Vacancy,
    ValueRating,
)
from .rules import hasattr_decision, panel_seat

# ---------------------------------------------------------------- question bank


@dataclass
class BankFilters:
    q: str = ""
    value: str = ""  # Value key
    behaviour: str = ""  # Behaviour key
    style: str = ""
    role_family: str = ""
    status: str = ""


def question_bank(*, filters: BankFilters | None = None) -> QuerySet[Question]:
    """The bank as its list page shows it: each question's latest words."""
    filters = filters or BankFilters()
    qs = Question.objects.filter(latest_version__isnull=False).select_related(
        "latest_version__value", "approved_version"
    )
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.value:
        qs = qs.filter(latest_version__value__key=filters.value)
    if filters.behaviour:
        qs = qs.filter(latest_version__behaviours__key=filters.behaviour)
    if filters.style:
        qs = qs.filter(latest_version__style=filters.style)
    if filters.role_family:
        qs = qs.filter(latest_version__role_families__slug=filters.role_family)
    for word in filters.q.split()[:6]:
        qs = qs.filter(
            Q(latest_version__text__icontains=word)
            | Q(code__icontains=word)
            | Q(latest_version__positive_evidence__icontains=word)
        )
    return (
        qs.distinct()
        .prefetch_related("latest_version__behaviours", "latest_version__role_families")
        .order_by("code")
    )


def question_get(*, user, pk: int) -> Question:
    if not user.has_perm("recruitment.view_bank"):
        raise Http404
    question = (
        Question.objects.select_related("latest_version__value", "approved_version__value")
        .filter(pk=pk)
        .first()
    )
    if question is None:
        raise Http404
    return question


def question_versions(*, question: Question) -> list[QuestionVersion]:
    return list(
        question.versions.select_related("value", "created_by", "approved_by").prefetch_related(
            "behaviours", "role_families"
        )
    )


# ------------------------------------------------------------------ vacancies


def _vacancy_qs():
    return Vacancy.objects.select_related(
        "organisation", "team", "recruiting_manager"
    ).prefetch_related(
        Prefetch("panel", queryset=PanelMember.objects.select_related("user__person__organisation"))
    )


def vacancy_list(*, user) -> QuerySet[Vacancy]:
    return (
        _vacancy_qs()
        .filter(pk__in=Vacancy.objects.visible_to(user).values("pk"))
        .annotate(candidate_count=Count("candidates", distinct=True))
    )


def vacancy_get_for_user(*, user, pk: int, perm: str = "recruitment.view_vacancy") -> Vacancy:
    """404 for a missing vacancy and for one that is not yours alike."""
    vacancy = _vacancy_qs().prefetch_related("values", "behaviours").filter(pk=pk).first()
    if vacancy is None or not user.has_perm(perm, vacancy):
        raise Http404
    return vacancy


def reach_organisation_ids(*, user) -> frozenset[int] | None:
    """The organisations whose vacancies and staff `user` works with: their
    own and those that granted theirs access for HR
    (`bewigan.partners.boundaries`). None for superusers: every one."""
    if user.is_superuser:
        return None
    return organisations_in_reach(user, HR)


def panel_organisations(*, user, vacancy: Vacancy) -> list[Organisation]:
    """Whose staff may sit on this vacancy's panel: the vacancy's
    organisation and the organisations in the user's reach, so a
    cross-organisation panel works within the grants."""
    ids = {vacancy.organisation_id, *organisations_in_reach(user, HR)}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def plan_questions(*, vacancy: Vacancy, with_behaviours: bool = True) -> list[PlanQuestion]:
    qs = vacancy.plan_questions.select_related(
        "question_version__value", "question_version__question"
    ).order_by("order", "id")
    if with_behaviours:
        qs = qs.prefetch_related("question_version__behaviours")
    return list(qs)


@dataclass
class Coverage:
    missing_values: list[Value]
    has_asset_question: bool
    total_minutes: int
    question_count: int

    @property
    def warnings(self) -> list[str]:
        out = []
        if self.question_count == 0:
            out.append("The plan has no questions yet.")
        for value in self.missing_values:
            out.append(f"No question in the plan covers the value ‘{value.name}’.")
        if self.question_count and not self.has_asset_question:
            out.append("The plan has no asset-based (strengths) question.")
        return out


def plan_coverage(*, plan: list[PlanQuestion], values: list[Value]) -> Coverage:
    """Warn when a value the role weighs (or, if none named, any current
    value) has no question, or there is no asset-based question."""
    covered = {pq.question_version.value.key for pq in plan}
    return Coverage(
        missing_values=[v for v in values if v.key not in covered],
        has_asset_question=any(
            pq.question_version.style == QuestionVersion.Style.ASSET for pq in plan
        ),
        total_minutes=sum(pq.minutes for pq in plan),
        question_count=len(plan),
    )


def vacancy_candidates(*, vacancy: Vacancy) -> list[Candidate]:
    return list(
        vacancy.candidates.select_related("interview__decision", "appointed_person__user").annotate(
            submitted_count=Count(
                "interview__scorecards",
                filter=Q(interview__scorecards__status=Scorecard.Status.SUBMITTED),
            )
        )
    )


# ----------------------------------------------------------------- interviews


def interview_get_for_user(*, user, pk: int, perm: str = "recruitment.view_interview") -> Interview:
    interview = (
        Interview.objects.select_related(
            "candidate__vacancy__organisation", "candidate__vacancy__recruiting_manager", "decision"
        )
        .prefetch_related(
            Prefetch(
                "candidate__vacancy__panel", queryset=PanelMember.objects.select_related("user")
            )
        )
        .filter(pk=pk)
        .first()
    )
    if interview is None or not user.has_perm(perm, interview):
        raise Http404
    return interview


def rated_values(*, vacancy: Vacancy, plan: list[PlanQuestion]) -> list[Value]:
    """The values a panellist gives an overall view on: those the plan's
    questions cover, plus any the person specification names."""
    seen = {}
    for pq in plan:
        seen[pq.question_version.value.pk] = pq.question_version.value
    for value in vacancy.values.all():
        seen.setdefault(value.pk, value)
    return sorted(seen.values(), key=lambda v: (v.order, v.name))


def scorecard_with_answers(*, scorecard: Scorecard) -> tuple[dict, dict]:
    qs = {s.plan_question_id: s for s in scorecard.question_scores.all()}
    vr = {r.value_id: r for r in scorecard.value_ratings.all()}
    return qs, vr


def may_see_panel_scores(*, user, interview: Interview, scorecards: list[Scorecard]) -> bool:
    """Independence: a panellist sees nobody else's scores until they have
    submitted their own; with the stricter per-vacancy setting, until the
    whole panel has. Managers and HR admins who do not sit on the panel see
    submitted scorecards (never drafts)."""
    vacancy = interview.candidate.vacancy
    seat = panel_seat(user, vacancy)
    panel_ids = {m.user_id for m in vacancy.panel.all()}
    submitted = {s.panellist_id for s in scorecards if s.is_submitted}
    all_in = panel_ids <= submitted
    if seat is None:
        return bool(user.has_perm("recruitment.view_vacancy", vacancy))
    if user.id not in submitted:
        return False
    if vacancy.visibility == Vacancy.Visibility.AFTER_CLOSE:
        return all_in or interview.panel_closed_at is not None or hasattr_decision(interview)
    return True


@dataclass
class PanelCell:
    score: int | None
    evidence: str = ""
    who: str = ""


@dataclass
class ConsensusRow:
    label: str
    cells: list[PanelCell]
    spread: int | None
    disagreement: bool
    plan_question: PlanQuestion | None = None


@dataclass
class ConsensusValue:
    value: Value
    overall: ConsensusRow
    questions: list[ConsensusRow] = field(default_factory=list)
    agreed: int | None = None


@dataclass
class ConsensusView:
    interview: Interview
    panel: list[PanelMember]
    scorecards: list[Scorecard]  # submitted, in panel order
    values: list[ConsensusValue]
    outstanding: list[PanelMember]
    all_submitted: bool


DISAGREEMENT = 2


def _row(label, scores_by_panellist, panel_ids, names, pq=None):
    cells = []
    for pid in panel_ids:
        found = scores_by_panellist.get(pid) or PanelCell(None)
        cells.append(PanelCell(found.score, found.evidence, names[pid]))
    scored = [c.score for c in cells if c.score is not None]
    spread = (max(scored) - min(scored)) if len(scored) >= 2 else None
    return ConsensusRow(label, cells, spread, spread is not None and spread >= DISAGREEMENT, pq)


def consensus_view(*, interview: Interview) -> ConsensusView:
    """Everyone's submitted scores side by side per value and question.
    A fixed number of queries whatever the panel and plan sizes."""
    vacancy = interview.candidate.vacancy
    panel = list(vacancy.panel.all())
    plan = plan_questions(vacancy=vacancy, with_behaviours=False)
    scorecards = list(
        interview.scorecards.filter(status=Scorecard.Status.SUBMITTED)
        .select_related("panellist")
        .prefetch_related(
            Prefetch("question_scores", queryset=QuestionScore.objects.all()),
            Prefetch("value_ratings", queryset=ValueRating.objects.all()),
        )
    )
    by_panellist = {s.panellist_id: s for s in scorecards}
    shown = [m for m in panel if m.user_id in by_panellist]
    shown_ids = [m.user_id for m in shown]
    names = {m.user_id: str(m.user) for m in shown}
    q_cells: dict[int, dict[int, PanelCell]] = defaultdict(dict)
    v_cells: dict[int, dict[int, PanelCell]] = defaultdict(dict)
    for s in scorecards:
        for qs in s.question_scores.all():
            q_cells[qs.plan_question_id][s.panellist_id] = PanelCell(qs.score, qs.evidence)
        for vr in s.value_ratings.all():
            v_cells[vr.value_id][s.panellist_id] = PanelCell(vr.score, vr.comment)
    agreed = {c.value_id: c.score for c in ConsensusScore.objects.filter(interview=interview)}
    out = []
    for value in rated_values(vacancy=vacancy, plan=plan):
        cv = ConsensusValue(
            value=value,
            overall=_row(f"Overall view of {value.name}", v_cells[value.pk], shown_ids, names),
            agreed=agreed.get(value.pk),
        )
        for pq in plan:
            if pq.question_version.value_id == value.pk:
                cv.questions.append(
                    _row(pq.question_version.text, q_cells[pq.pk], shown_ids, names, pq)
                )
        out.append(cv)
    outstanding = [m for m in panel if m.user_id not in by_panellist]
    return ConsensusView(
        interview=interview,
        panel=shown,
        scorecards=[by_panellist[i] for i in shown_ids],
        values=out,
        outstanding=outstanding,
        all_submitted=not outstanding and bool(panel),
    )


def interview_scorecards_summary(*, interview: Interview) -> list[Scorecard]:
    return list(interview.scorecards.select_related("panellist").order_by("id"))


def my_interviews(*, user) -> QuerySet[Interview]:
    """Interviews this person sits on, with their own scorecard status."""
    return (
        Interview.objects.filter(candidate__vacancy__panel__user=user)
        .select_related("candidate__vacancy__organisation", "decision")
        .prefetch_related(
            Prefetch(
                "scorecards",
                queryset=Scorecard.objects.filter(panellist=user),
                to_attr="my_scorecards",
            )
        )
        .order_by("-scheduled_at")
    )


def candidate_get_for_hr(*, user, pk: int) -> Candidate:
    candidate = (
        Candidate.objects.select_related(
            "vacancy__organisation", "appointed_person__user", "equality"
        )
        .filter(pk=pk)
        .first()
    )
    if candidate is None or not user.has_perm("recruitment.view_candidate_data", candidate):
        raise Http404
    return candidate


def candidate_of_vacancy(*, vacancy: Vacancy, pk: int) -> Candidate:
    """A candidate of a vacancy the caller has already been allowed to change."""
    candidate = vacancy.candidates.select_related("interview__decision").filter(pk=pk).first()
    if candidate is None or candidate.anonymised_at:
        raise Http404
    return candidate


def candidate_get_for_user(*, user, pk: int) -> Candidate:
    """Managers of the vacancy and HR admins (equality answers excluded)."""
    candidate = (
        Candidate.objects.select_related("vacancy")
        .prefetch_related("vacancy__panel")
        .filter(pk=pk)
        .first()
    )
    if candidate is None or not user.has_perm("recruitment.change_vacancy", candidate.vacancy):
        raise Http404
    return candidate


# ------------------------------------------------------------------ contracts


def my_work(*, user) -> list[WorkItem]:
    """Scorecards waiting for this panellist; decisions waiting for this
    chair or recruiting manager. One query over the undecided interviews of
    the vacancies they are on, as plain rows."""
    from django.db.models import Exists, IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    if not user.is_authenticated:
        return []
    now = timezone.now()
    seat = PanelMember.objects.filter(vacancy=OuterRef("candidate__vacancy"), user=user)

    def count(qs, by):
        return Coalesce(
            Subquery(qs.order_by().values(by).annotate(n=Count("pk")).values("n")),
            0,
            output_field=IntegerField(),
        )

    mine = Vacancy.objects.filter(Q(panel__user=user) | Q(recruiting_manager=user)).values("pk")
    rows = (
        Interview.objects.filter(
            candidate__vacancy__in=mine,
            decision__isnull=True,
            candidate__anonymised_at__isnull=True,
        )
        .annotate(
            on_panel=Exists(seat),
            chair=Exists(seat.filter(is_chair=True)),
            scored=Exists(
                Scorecard.objects.filter(
                    interview=OuterRef("pk"), panellist=user, status=Scorecard.Status.SUBMITTED
                )
            ),
            panel_size=count(
                PanelMember.objects.filter(vacancy=OuterRef("candidate__vacancy")), "vacancy"
            ),
            submitted=count(
                Scorecard.objects.filter(
                    interview=OuterRef("pk"), status=Scorecard.Status.SUBMITTED
                ),
                "interview",
            ),
        )
        .order_by("scheduled_at", "pk")
        .values_list(
            "pk",
            "scheduled_at",
            "candidate__first_name",
            "candidate__last_name",
            "candidate__vacancy__title",
            "candidate__vacancy__recruiting_manager_id",
            "on_panel",
            "chair",
            "scored",
            "panel_size",
            "submitted",
        )
    )
    scores: list[WorkItem] = []
    decisions: list[WorkItem] = []
    for pk, at, first, last, title, manager_id, on_panel, chair, scored, size, done in rows:
        name = f"{first} {last}".strip()
        if on_panel and not scored and len(scores) < 20:
            held = at <= now
            late = at + timedelta(days=2)
            scores.append(
                WorkItem(
                    title=f"Score {name} for {title}",
                    url=reverse("recruitment:scorecard", args=[pk]),
                    area="Recruitment",
                    due=late.date(),
                    overdue=late < now,
                    hint="Interview held – your scorecard is outstanding"
                    if held
                    else f"Interview on {timezone.localtime(at):%-d %B %Y}",
                    # The hint changes when the interview starts, the flag two days on.
                    valid_until=at if not held else (late if late >= now else None),
                )
            )
        if (chair or manager_id == user.pk) and 0 < size <= done and len(decisions) < 50:
            decisions.append(
                WorkItem(
                    title=f"Record the panel's decision on {name}",
                    url=reverse("recruitment:consensus", args=[pk]),
                    area="Recruitment",
                    hint=f"{title}: every panellist has submitted",
                )
            )
    return scores + decisions


def consented_panel_evidence(*, person) -> dict | None:
    """For a new starter's first my time: the strengths and development points
    their recruitment panel recorded, only if they consented at interview.
    Returns {"vacancy": str, "strengths": [str], "development": [str]} or None."""
    if person is None:
        return None
    decision = (
        Decision.objects.filter(
            outcome=Decision.Outcome.APPOINT,
            interview__candidate__appointed_person=person,
            interview__candidate__consent_share_evidence=True,
            interview__candidate__anonymised_at__isnull=True,
        )
        .select_related("interview__candidate__vacancy")
        .order_by("-decided_at")
        .first()
    )
    if decision is None:
        return None
    return {
        "vacancy": decision.interview.candidate.vacancy.title,
        "strengths": [s for s in decision.strengths if s],
        "development": [d for d in decision.development if d],
    }


def current_staff_values() -> list[Value]:
    from bewigan.values.selectors import current_values

    return list(current_values())
