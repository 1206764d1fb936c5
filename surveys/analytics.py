"""Pure pandas for survey results: DataFrames in, DataFrames or plain data out.

Nothing here touches the database. `services.wave_refresh_results` feeds it
answer counts the database has already grouped, and stores what comes out;
pages only ever read the stored aggregates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import pandas as pd

AGREEMENT = "agreement"
ENPS = "enps"


# --- Per-question statistics ------------------------------------------------


def question_stats(counts: pd.DataFrame) -> pd.DataFrame:
    """counts: columns scope, question, kind, value, n (one row per answer value).

    Returns one row per (scope, question): n, favourable, neutral,
    unfavourable (percentages), mean, and for eNPS items promoters /
    passives / detractors as the three shares.
    """
    if counts.empty:
        return pd.DataFrame(
            columns=[
                "scope",
                "question",
                "kind",
                "n",
                "favourable",
                "neutral",
                "unfavourable",
                "mean",
            ]
        )
    c = counts.copy()
    is_enps = c["kind"] == ENPS
    is_agree = c["kind"] == AGREEMENT
    c["fav"] = (
        np.where(is_agree, c["value"] >= 4, np.where(is_enps, c["value"] >= 9, False)) * c["n"]
    )
    c["neu"] = (
        np.where(is_agree, c["value"] == 3, np.where(is_enps, c["value"].between(7, 8), False))
        * c["n"]
    )
    c["unf"] = (
        np.where(is_agree, c["value"] <= 2, np.where(is_enps, c["value"] <= 6, False)) * c["n"]
    )
    c["sum"] = c["value"] * c["n"]
    g = (
        c.groupby(["scope", "question", "kind"], sort=False)[["n", "fav", "neu", "unf", "sum"]]
        .sum()
        .reset_index()
    )
    scored = g["kind"].isin([AGREEMENT, ENPS])
    n = g["n"].where(g["n"] > 0)
    g["favourable"] = (100 * g["fav"] / n).round(1).where(scored)
    g["neutral"] = (100 * g["neu"] / n).round(1).where(scored)
    g["unfavourable"] = (100 * g["unf"] / n).round(1).where(scored)
    g["mean"] = (g["sum"] / n).round(2).where(scored)
    return g[["scope", "question", "kind", "n", "favourable", "neutral", "unfavourable", "mean"]]


def distributions(counts: pd.DataFrame) -> dict[tuple[str, int], dict[str, int]]:
    """(scope, question) -> {value: count}, for choice questions."""
    out: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    choice = counts[~counts["kind"].isin([AGREEMENT, ENPS])]
    if choice.empty:
        return out
    summed = choice.groupby(["scope", "question", "value"], sort=False)["n"].sum()
    for (scope, question, value), n in summed.items():
        out[(scope, int(question))][str(int(value))] = int(n)
    return out


def enps(promoters: float, detractors: float) -> float:
    return round(promoters - detractors, 1)


def theme_scores(stats: pd.DataFrame, theme_of: dict[int, str]) -> dict[str, dict[str, float]]:
    """scope -> {theme or value key: mean favourable share of its agreement items}."""
    agree = stats[stats["kind"] == AGREEMENT].copy()
    if agree.empty:
        return {}
    agree["theme"] = agree["question"].map(theme_of)
    agree = agree.dropna(subset=["theme"])
    table = agree.groupby(["scope", "theme"])["favourable"].mean().round(1)
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for (scope, theme), score in table.items():
        out[scope][theme] = float(score)
    return out


def engagement(stats: pd.DataFrame) -> pd.Series:
    """scope -> mean favourable share across agreement items."""
    agree = stats[stats["kind"] == AGREEMENT]
    return agree.groupby("scope")["favourable"].mean().round(1)


# --- Roll-up and suppression -------------------------------------------------


def roll_up_teams(
    counts: dict[int, int], parents: dict[int, int | None], minimum: int
) -> dict[int, int | None]:
    """Map every team with responses to the team it is reported under.

    Working up from the deepest teams, a team with fewer than `minimum`
    responses (its own plus any rolled into it) hands them all to its parent.
    A top-level team that is still too small maps to None (reported only in
    its organisation's totals)."""
    depth: dict[int, int] = {}

    def depth_of(team):
        if team in depth:
            return depth[team]
        seen, t, d = set(), team, 0
        while parents.get(t) is not None and t not in seen:
            seen.add(t)
            t = parents[t]
            d += 1
        depth[team] = d
        return d

    pending = defaultdict(int)
    for team, n in counts.items():
        pending[team] += n
    # Every ancestor of a team with responses may receive a roll-up.
    nodes = set(pending)
    for team in list(nodes):
        t = parents.get(team)
        while t is not None and t not in nodes:
            nodes.add(t)
            t = parents.get(t)
    target: dict[int, int | None] = {}
    for team in sorted(nodes, key=depth_of, reverse=True):
        n = pending.get(team, 0)
        if n == 0:
            continue
        if n < minimum:
            parent = parents.get(team)
            target[team] = parent
            if parent is not None:
                pending[parent] += n
        else:
            target[team] = team

    def final(team):
        seen = set()
        t = team
        while t is not None and target.get(t, t) != t and t not in seen:
            seen.add(t)
            t = target.get(t)
        return t

    return {team: final(team) for team in counts}


def suppress(
    sizes: dict[str, int],
    partitions: Iterable[tuple[str, list[str]]],
    minimum: int,
) -> dict[str, str]:
    """Which scopes must be hidden, and why.

    Primary: fewer than `minimum` respondents. Complementary: within each
    partition (a parent scope and disjoint child scopes inside it), the
    respondents one cannot see — suppressed children plus those in no child —
    must be none or at least `minimum`; otherwise the next smallest visible
    child is hidden too, so no one can subtract the visible siblings from the
    parent to recover a small group. Repeats until stable, because a scope
    can sit in several partitions (teams within an organisation and within
    the partnership, age bands within each)."""
    hidden: dict[str, str] = {}
    for scope, n in sizes.items():
        if n < minimum:
            hidden[scope] = f"fewer than {minimum} responses"
    partitions = list(partitions)
    changed = True
    while changed:
        changed = False
        for parent, children in partitions:
            if parent in hidden:
                # the parent itself is hidden: hide every child so none can be differenced
                for child in children:
                    if child not in hidden:
                        hidden[child] = "its wider group is hidden"
                        changed = True
                continue
            total = sizes.get(parent, 0)
            visible = [c for c in children if c not in hidden]
            unseen = total - sum(sizes.get(c, 0) for c in visible)
            while 0 < unseen < minimum and visible:
                smallest = min(visible, key=lambda c: (sizes.get(c, 0), c))
                hidden[smallest] = "hidden so a smaller group cannot be worked out"
                visible.remove(smallest)
                unseen += sizes.get(smallest, 0)
                changed = True
    return hidden


# --- Drivers -----------------------------------------------------------------


def drivers(
    answers: pd.DataFrame,
    *,
    enps_question: int | None,
    wellbeing_questions: list[int],
    agreement_questions: list[int],
    minimum: int,
    top: int = 5,
) -> list[dict]:
    """Which agreement items move most with eNPS and with wellbeing.

    answers: columns response, question, value (respondents in one scope).
    Spearman-like: Pearson correlation of the item's answers with the
    outcome, per respondent. Outcome items are not their own drivers."""
    if answers.empty or answers["response"].nunique() < max(minimum, 30):
        return []
    wide = answers.pivot_table(
        index="response", columns="question", values="value", aggfunc="first"
    )
    outcomes = {}
    if enps_question in wide.columns:
        outcomes["enps"] = wide[enps_question]
    wb = [q for q in wellbeing_questions if q in wide.columns]
    if wb:
        outcomes["wellbeing"] = wide[wb].mean(axis=1)
    items = [q for q in agreement_questions if q in wide.columns and q not in wb]
    if not outcomes or not items:
        return []
    rows = []
    for q in items:
        row = {"question": int(q)}
        for name, outcome in outcomes.items():
            r = wide[q].corr(outcome)
            row[name] = None if pd.isna(r) else round(float(r), 2)
        rows.append(row)
    key = "enps" if "enps" in outcomes else "wellbeing"
    rows.sort(key=lambda r: -(r.get(key) or -1))
    return rows[:top]


# --- Comments -----------------------------------------------------------------

COMMENT_THEMES = {
    "Workload and staffing": [
        "workload",
        "staffing",
        "short staffed",
        "caseload",
        "overtime",
        "busy",
        "stretched",
    ],
    "Managers and leadership": ["manager", "leadership", "leaders", "senior", "supervision"],
    "Communication": ["communication", "informed", "updates", "told", "listen"],
    "Recognition and pay": ["recognition", "thank", "appreciated", "pay", "salary"],
    "Wellbeing": ["wellbeing", "stress", "burnout", "tired", "mental health", "support"],
    "Systems and equipment": [
        "system",
        "laptop",
        "it ",
        "software",
        "equipment",
        "vehicle",
        "parking",
    ],
    "Training and development": ["training", "development", "career", "learning", "progression"],
}


def comment_themes(texts: list[str]) -> list[tuple[str, int]]:
    """Simple keyword theme counts, largest first (a comment can count for several)."""
    if not texts:
        return []
    lowered = pd.Series(texts, dtype="str").str.lower() + " "
    out = []
    for theme, words in COMMENT_THEMES.items():
        pattern = "|".join(re.escape(w) for w in words)
        count = int(lowered.str.contains(pattern, regex=True).sum())
        if count:
            out.append((theme, count))
    out.sort(key=lambda t: (-t[1], t[0]))
    return out


# --- Presentation helpers -------------------------------------------------------


def heat_level(score: float | None, reference: float | None) -> int | None:
    """1 (well below) .. 5 (well above) the comparison score, in points."""
    if score is None or reference is None:
        return None
    diff = score - reference
    if diff <= -10:
        return 1
    if diff <= -3:
        return 2
    if diff < 3:
        return 3
    if diff < 10:
        return 4
    return 5


HEAT_WORDS = {1: "well below", 2: "below", 3: "about the same as", 4: "above", 5: "well above"}
