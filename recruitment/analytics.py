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
from django.db.models import Avg, Case, Count, ExpressionWrapper, F, FloatField, Sum, When

from .models import (
    Decision,
    EqualityMonitoring,
    Interview,
    InterviewQuestionSummary,
    PlanQuestion,
    Question,
    Vacancy,
)

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


COLUMNS = [
    "question_id",
    "interviews",
    "mean_spread",
    "disagree",
    "appointed",
    "rejected",
    "n1",
    "n2",
    "n3",
    "n4",
    "n5",
]


def question_frame() -> pd.DataFrame:
    """One row per question, aggregated in the database from the per
    interview summaries (kept by the scorecard services)."""
    mean = ExpressionWrapper(F("total") * 1.0 / F("scores"), output_field=FloatField())
    spread = F("highest") - F("lowest")
    rows = (
        InterviewQuestionSummary.objects.values("question_id")
        .annotate(
            interviews=Count("id"),
            mean_spread=Avg(spread, output_field=FloatField()),
            disagree=Avg(
                Case(
                    When(highest__gte=F("lowest") + 2, then=1.0),
                    default=0.0,
                    output_field=FloatField(),
                )
            ),
            appointed=Avg(
                Case(When(interview__decision__outcome=Decision.Outcome.APPOINT, then=mean))
            ),
            rejected=Avg(
                Case(When(interview__decision__outcome=Decision.Outcome.NOT_APPOINTED, then=mean))
            ),
            **{f"n{n}": Sum(f"n{n}") for n in range(1, 6)},
        )
        .order_by()
    )
    return pd.DataFrame.from_records(list(rows.values_list(*COLUMNS)), columns=COLUMNS)


def question_stats() -> list[QuestionStats]:
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
    return summarise(questions=questions, frame=question_frame(), plans=plans)


def summarise(*, questions, frame: pd.DataFrame, plans: dict) -> list[QuestionStats]:
    """Pure: the per-question frame in, one QuestionStats per question out."""
    frame = frame.copy()
    for col in COLUMNS[1:]:
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    frame["separation"] = frame["appointed"] - frame["rejected"]
    rows = frame.set_index("question_id").to_dict("index")
    out = []
    for q in questions:
        r = rows.get(q.pk)
        c = [int(r[f"n{n}"]) for n in range(1, 6)] if r else [0] * 5
        total = sum(c)
        v = q.latest_version
        out.append(
            QuestionStats(
                question_id=q.pk,
                code=q.code,
                text=v.text,
                value=v.value.name,
                style=v.get_style_display(),
                plans=int(plans.get(q.pk, 0)),
                interviews=int(r["interviews"]) if r else 0,
                scores=total,
                mean=round(sum((i + 1) * n for i, n in enumerate(c)) / total, 2) if total else None,
                distribution=c,
                mean_spread=_num(r, "mean_spread"),
                disagreement_rate=_num(r, "disagree"),
                separation=_num(r, "separation"),
            )
        )
    return out


def _num(row, key):
    if not row or pd.isna(row[key]):
        return None
    return round(float(row[key]), 2)


@dataclass
class Bar:
    label: str
    value: float
    display: str
    css: str


def overall_distribution(stats: list[QuestionStats]) -> list[Bar]:
    totals = [sum(s.distribution[i] for s in stats) for i in range(5)]
    whole = sum(totals) or 1
    return [
        Bar(f"Score {i + 1}", n, f"{n:,} ({n / whole:.0%})", bar_class(n / whole))
        for i, n in enumerate(totals)
    ]


@dataclass
class VacancyTiming:
    vacancy_id: int
    title: str
    reference: str
    decisions: int
    median_days: float


def time_to_decision(
    *, limit: int = 25, organisation_ids=None
) -> tuple[list[VacancyTiming], float | None]:
    """Days from interview to decision, per vacancy (most recent first).
    `organisation_ids`: only vacancies of these organisations (None: all)."""
    interviews = Interview.objects.filter(decision__isnull=False)
    if organisation_ids is not None:
        interviews = interviews.filter(
            candidate__vacancy__organisation_id__in=list(organisation_ids)
        )
    rows = list(
        interviews.values_list("candidate__vacancy_id", "scheduled_at", "decision__decided_at")
    )
    if not rows:
        return [], None
    df = pd.DataFrame(
        {
            "vacancy_id": [r[0] for r in rows],
            "days": [max(0.0, (r[2] - r[1]).total_seconds() / 86400) for r in rows],
            "decided": [r[2].timestamp() for r in rows],
        }
    )
    g = df.groupby("vacancy_id").agg(
        decisions=("days", "size"), median_days=("days", "median"), last=("decided", "max")
    )
    g = g.sort_values("last", ascending=False).head(limit)
    names = {
        pk: (title, ref)
        for pk, title, ref in Vacancy.objects.filter(pk__in=list(g.index)).values_list(
            "pk", "title", "reference"
        )
    }
    out = [
        VacancyTiming(
            int(pk), names[pk][0], names[pk][1], int(r.decisions), round(float(r.median_days), 1)
        )
        for pk, r in g.iterrows()
    ]
    return out, round(float(df["days"].median()), 1)


def timing_bars(timings: list[VacancyTiming]) -> list[Bar]:
    longest = max((t.median_days for t in timings), default=0) or 1
    return [
        Bar(t.title, t.median_days, f"{t.median_days} days", bar_class(t.median_days / longest))
        for t in timings
    ]


@dataclass
class EqualityRow:
    group: str
    total: int | None  # None when suppressed
    appointed: int | None
    rate: str
    css: str
    suppressed: bool


def equality_outcomes(
    *, field: str, minimum: int | None = None, organisation_ids=None
) -> list[EqualityRow]:
    """Appointment rates per group of one monitoring question, counted in the
    database. Groups under the minimum size are suppressed; when exactly one
    group is suppressed the next smallest is too, so it cannot be worked out
    from the totals. `organisation_ids`: only vacancies of these
    organisations (None: all)."""
    minimum = minimum or min_group_size()
    monitored = EqualityMonitoring.objects.filter(candidate__interview__decision__isnull=False)
    if organisation_ids is not None:
        monitored = monitored.filter(candidate__vacancy__organisation_id__in=list(organisation_ids))
    counts = (
        monitored.values(group=F(field))
        .annotate(total=Count("id"), appointed=Count("id", filter=_appointed()))
        .order_by()
    )
    labels = dict(EqualityMonitoring._meta.get_field(field).choices)
    return suppress(
        [(labels.get(c["group"], c["group"]), c["total"], c["appointed"]) for c in counts],
        minimum=minimum,
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
            out.append(
                EqualityRow(
                    str(r.group),
                    None,
                    None,
                    f"Fewer than {minimum}, not shown"
                    if r.total < minimum
                    else "Not shown, to protect a small group",
                    "",
                    True,
                )
            )
        else:
            rate = r.appointed / r.total if r.total else 0
            out.append(
                EqualityRow(
                    str(r.group),
                    int(r.total),
                    int(r.appointed),
                    f"{rate:.0%}",
                    bar_class(rate),
                    False,
                )
            )
    return out


EQUALITY_FIELDS = [
    ("sex", "Sex"),
    ("age_band", "Age"),
    ("ethnicity", "Ethnic group"),
    ("disability", "Disability"),
]
