"""Question and outcome analytics for HR admins.

The database does the counting (GROUP BY); pandas only reshapes small,
already-aggregated frames: per question × interview min/max/mean scores,
per question × score counts, per equality group × outcome counts. Anonymised
candidates stay in: their scores and outcomes are kept without personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.conf import settings
from django.db.models import Avg, Count, F, Max, Min

from .models import Decision, EqualityMonitoring, Interview, PlanQuestion, Question, QuestionScore

MIN_GROUP = 5


def min_group_size() -> int:
    return int(getattr(settings, "BEWIGAN_RECRUITMENT_MIN_GROUP", MIN_GROUP))


def bar_class(share: float) -> str:
    """CSS width class in 5% steps (no inline styles under our CSP)."""
    step = max(0, min(20, round(share * 20)))
    return f"bw-rec-w-{step * 5}"


@dataclass
class QuestionStats:
    question_id: int
    code: str
    text: str
    value: str
    style: str
    plans: int
    interviews: int
    scores: int
    mean: float | None
    distribution: list[int]  # counts of 1..5
    mean_spread: float | None
    disagreement_rate: float | None  # share of interviews with a spread of 2+
    separation: float | None  # mean for appointed minus mean for not appointed


def question_rows():
    """One row per question × interview: DB-side min, max and mean."""
    return (
        QuestionScore.objects.filter(scorecard__status="submitted", score__isnull=False)
        .values(question_id=F("plan_question__question_version__question_id"), interview_id=F("scorecard__interview_id"))
        .annotate(lo=Min("score"), hi=Max("score"), mean=Avg("score"), outcome=Max("scorecard__interview__decision__outcome"))
        .order_by()
    )


def distribution_rows():
    return (
        QuestionScore.objects.filter(scorecard__status="submitted", score__isnull=False)
        .values(question_id=F("plan_question__question_version__question_id"), s=F("score"))
        .annotate(n=Count("id"))
        .order_by()
    )


def question_stats() -> list[QuestionStats]:
    per_interview = pd.DataFrame.from_records(
        list(question_rows().values_list("question_id", "interview_id", "lo", "hi", "mean", "outcome")),
        columns=["question_id", "interview_id", "lo", "hi", "mean", "outcome"],
    )
    dist = pd.DataFrame.from_records(
        list(distribution_rows().values_list("question_id", "s", "n")), columns=["question_id", "score", "n"]
    )
    plans = dict(
        PlanQuestion.objects.values_list("question_version__question_id")
        .annotate(n=Count("vacancy_id", distinct=True))
        .order_by()
    )
    questions = list(
        Question.objects.filter(latest_version__isnull=False)
        .select_related("latest_version__value")
        .order_by("code")
    )
    return summarise(questions=questions, per_interview=per_interview, dist=dist, plans=plans)


def summarise(*, questions, per_interview: pd.DataFrame, dist: pd.DataFrame, plans: dict) -> list[QuestionStats]:
    """Pure: frames in, one QuestionStats per question out."""
    agg = {}
    if not per_interview.empty:
        pi = per_interview.assign(spread=per_interview["hi"] - per_interview["lo"])
        g = pi.groupby("question_id")
        agg = pd.DataFrame(
            {
                "interviews": g.size(),
                "mean_spread": g["spread"].mean(),
                "disagree": g["spread"].apply(lambda s: float((s >= 2).mean())),
            }
        ).to_dict("index")
        decided = pi[pi["outcome"].notna()]
        if not decided.empty:
            appointed = decided[decided["outcome"] == Decision.Outcome.APPOINT].groupby("question_id")["mean"].mean()
            rejected = decided[decided["outcome"] == Decision.Outcome.NOT_APPOINTED].groupby("question_id")["mean"].mean()
            separation = (appointed - rejected).dropna().to_dict()
        else:
            separation = {}
    else:
        separation = {}
    counts: dict[int, list[int]] = {}
    for row in dist.itertuples(index=False):
        counts.setdefault(int(row.question_id), [0] * 5)[int(row.score) - 1] = int(row.n)
    out = []
    for q in questions:
        c = counts.get(q.pk, [0] * 5)
        total = sum(c)
        a = agg.get(q.pk, {})
        v = q.latest_version
        out.append(
            QuestionStats(
                question_id=q.pk,
                code=q.code,
                text=v.text,
                value=v.value.name,
                style=v.get_style_display(),
                plans=int(plans.get(q.pk, 0)),
                interviews=int(a.get("interviews", 0)),
                scores=total,
                mean=round(sum((i + 1) * n for i, n in enumerate(c)) / total, 2) if total else None,
                distribution=c,
                mean_spread=round(float(a["mean_spread"]), 2) if "mean_spread" in a else None,
                disagreement_rate=round(float(a["disagree"]), 2) if "disagree" in a else None,
                separation=round(float(separation[q.pk]), 2) if q.pk in separation else None,
            )
        )
    return out


@dataclass
class Bar:
    label: str
    value: float
    display: str
    css: str


def overall_distribution(stats: list[QuestionStats]) -> list[Bar]:
    totals = [sum(s.distribution[i] for s in stats) for i in range(5)]
    whole = sum(totals) or 1
    return [Bar(f"Score {i + 1}", n, f"{n:,} ({n / whole:.0%})", bar_class(n / whole)) for i, n in enumerate(totals)]


@dataclass
class VacancyTiming:
    vacancy_id: int
    title: str
    reference: str
    decisions: int
    median_days: float


def time_to_decision(*, limit: int = 25) -> tuple[list[VacancyTiming], float | None]:
    """Days from interview to decision, per vacancy (most recent first)."""
    rows = list(
        Interview.objects.filter(decision__isnull=False).values_list(
            "candidate__vacancy_id", "candidate__vacancy__title", "candidate__vacancy__reference",
            "scheduled_at", "decision__decided_at",
        )
    )
    if not rows:
        return [], None
    df = pd.DataFrame.from_records(rows, columns=["vacancy_id", "title", "reference", "interviewed", "decided"])
    df["days"] = (pd.to_datetime(df["decided"], utc=True) - pd.to_datetime(df["interviewed"], utc=True)).dt.total_seconds() / 86400
    df["days"] = df["days"].clip(lower=0)
    g = df.groupby(["vacancy_id", "title", "reference"], as_index=False).agg(
        decisions=("days", "size"), median_days=("days", "median"), last=("decided", "max")
    )
    g = g.sort_values("last", ascending=False).head(limit)
    out = [
        VacancyTiming(int(r.vacancy_id), str(r.title), str(r.reference), int(r.decisions), round(float(r.median_days), 1))
        for r in g.itertuples(index=False)
    ]
    return out, round(float(df["days"].median()), 1)


def timing_bars(timings: list[VacancyTiming]) -> list[Bar]:
    longest = max((t.median_days for t in timings), default=0) or 1
    return [Bar(t.title, t.median_days, f"{t.median_days} days", bar_class(t.median_days / longest)) for t in timings]


@dataclass
class EqualityRow:
    group: str
    total: int | None  # None when suppressed
    appointed: int | None
    rate: str
    css: str
    suppressed: bool


def equality_outcomes(*, field: str, minimum: int | None = None) -> list[EqualityRow]:
    """Appointment rates per group of one monitoring question, counted in the
    database. Groups under the minimum size are suppressed; when exactly one
    group is suppressed the next smallest is too, so it cannot be worked out
    from the totals."""
    minimum = minimum or min_group_size()
    counts = (
        EqualityMonitoring.objects.filter(candidate__interview__decision__isnull=False)
        .values(group=F(field))
        .annotate(total=Count("id"), appointed=Count("id", filter=_appointed()))
        .order_by()
    )
    labels = dict(EqualityMonitoring._meta.get_field(field).choices)
    return suppress(
        [(labels.get(c["group"], c["group"]), c["total"], c["appointed"]) for c in counts], minimum=minimum
    )


def _appointed():
    from django.db.models import Q

    return Q(candidate__interview__decision__outcome=Decision.Outcome.APPOINT)


def suppress(rows: list[tuple[str, int, int]], *, minimum: int) -> list[EqualityRow]:
    """Pure: (label, total, appointed) rows in, display rows out."""
    df = pd.DataFrame(rows, columns=["group", "total", "appointed"])
    if df.empty:
        return []
    df["suppressed"] = df["total"] < minimum
    if int(df["suppressed"].sum()) == 1 and len(df) > 1:
        smallest = df[~df["suppressed"]]["total"].idxmin()
        df.loc[smallest, "suppressed"] = True
    out = []
    for r in df.sort_values("group").itertuples(index=False):
        if r.suppressed:
            out.append(EqualityRow(str(r.group), None, None, f"Fewer than {minimum}, not shown" if r.total < minimum else "Not shown, to protect a small group", "", True))
        else:
            rate = r.appointed / r.total if r.total else 0
            out.append(EqualityRow(str(r.group), int(r.total), int(r.appointed), f"{rate:.0%}", bar_class(rate), False))
    return out


EQUALITY_FIELDS = [("sex", "Sex"), ("age_band", "Age"), ("ethnicity", "Ethnic group"), ("disability", "Disability")]
