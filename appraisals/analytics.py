"""Aggregates for HR/OD coverage. Pure functions: rows in, dataclasses out.
Groups smaller than the minimum size are suppressed: no share, no
distribution, so nobody can read an individual's answer off the table."""

from dataclasses import dataclass, field

import pandas as pd

MIN_GROUP_SIZE = 5
SCORES = (1, 2, 3, 4, 5)


@dataclass
class CoverageGroup:
    name: str
    people: int
    suppressed: bool
    with_my_time: int | None = None
    share: float | None = None  # 0..100
    wellbeing_answers: int | None = None
    distribution: dict[int, int] = field(default_factory=dict)  # score -> count
    distribution_suppressed: bool = False


def coverage(rows: list[dict], *, by: str, min_size: int = MIN_GROUP_SIZE) -> list[CoverageGroup]:
    if not rows:
        return []
    df = pd.DataFrame(rows)
    out = []
    for name, group in df.groupby(by, sort=True):
        people = len(group)
        if people < min_size:
            out.append(CoverageGroup(name=str(name), people=people, suppressed=True))
            continue
        with_my_time = int(group["had_my_time"].sum())
        scores = group["wellbeing"].dropna().astype(int)
        answers = len(scores)
        counts = scores.value_counts()
        distribution_suppressed = answers < min_size
        out.append(
            CoverageGroup(
                name=str(name),
                people=people,
                suppressed=False,
                with_my_time=with_my_time,
                share=round(100 * with_my_time / people, 1),
                wellbeing_answers=answers,
                distribution={}
                if distribution_suppressed
                else {s: int(counts.get(s, 0)) for s in SCORES},
                distribution_suppressed=distribution_suppressed,
            )
        )
    return out


def overall(rows: list[dict]) -> dict:
    if not rows:
        return {"people": 0, "with_my_time": 0, "share": 0.0}
    df = pd.DataFrame(rows)
    with_my_time = int(df["had_my_time"].sum())
    return {
        "people": len(df),
        "with_my_time": with_my_time,
        "share": round(100 * with_my_time / len(df), 1),
    }
