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


def _mean_share(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Mean favourable share per group, to 1 decimal. Each share already has
    1 decimal, so the sum is taken in whole tenths: exact, whatever the row
    order (a float sum can land either side of an x.x5 tie). Ties round to
    even, as numpy rounds the shares themselves."""
    if frame.empty:
        return pd.Series(dtype="float64")
    tenths = (frame["favourable"] * 10).round()
    grouped = tenths.groupby([frame[k] for k in keys])
    return np.rint(grouped.sum() / grouped.count()) / 10


def theme_scores(stats: pd.DataFrame, theme_of: dict[int, str]) -> dict[str, dict[str, float]]:
    """scope -> {theme or value key: mean favourable share of its agreement items}."""
    agree = stats[stats["kind"] == AGREEMENT].copy()
    if agree.empty:
        return {}
    agree["theme"] = agree["question"].map(theme_of)
    agree = agree.dropna(subset=["theme"])
    table = _mean_share(agree, ["scope", "theme"])
    out: dict[str, dict[str, float]] = defaultdict(dict)
    for (scope, theme), score in table.items():
        out[scope][theme] = float(score)
    return out


def engagement(stats: pd.DataFrame) -> pd.Series:
    """scope -> mean favourable share across agreement items."""
    return _mean_share(stats[stats["kind"] == AGREEMENT], ["scope"])


# --- Groups ("scopes") ---------------------------------------------------------

# A parent group and the groups that can lie wholly inside it (suppression
# looks at each parent's children together).
PARTITIONS = (
    ("all", "org"),
    ("all", "hood"),
    ("all", "team"),
    ("all", "all_age"),
    ("org", "team"),
    ("hood", "team"),
    ("org", "org_age"),
    ("all_age", "org_age"),
)


def _scope_keys(rows: pd.DataFrame, rollup: dict[int, int | None]):
    """One integer key per dimension for each row (-1: no group in that
    dimension), and a function naming a key ("team:12", "org:3|age:25-34").
    The dimensions are every group a response counts in: the partnership,
    its organisation, its team (after small teams roll up), its
    neighbourhood, and its age band within the partnership and within its
    organisation.

    rows: columns org, team, hood (0 = none), age ("" = none). Keys are
    integers so that the grouping is numpy work; only the few distinct keys
    are turned into names."""
    org = rows["org"].to_numpy(dtype=np.int64)
    team = rows["team"].to_numpy(dtype=np.int64)
    hood = rows["hood"].to_numpy(dtype=np.int64)
    age = rows["age"].to_numpy(dtype=object)
    bands = sorted(set(age) - {""})
    age_code = pd.Categorical(age, categories=bands).codes.astype(np.int64)
    teams, where = np.unique(team, return_inverse=True)
    reported = np.array(
        [(rollup.get(int(t)) or -1) if t > 0 else -1 for t in teams], dtype=np.int64
    )
    width = max(len(bands), 1)
    keys = {
        "all": np.zeros(len(rows), dtype=np.int64),
        "org": org,
        "team": reported[where],
        "hood": np.where(hood > 0, hood, -1),
        "all_age": age_code,
        "org_age": np.where(age_code >= 0, org * width + age_code, -1),
    }

    def name(dimension: str, key: int) -> str:
        if dimension == "all":
            return "all"
        if dimension == "all_age":
            return f"all|age:{bands[key]}"
        if dimension == "org_age":
            return f"org:{key // width}|age:{bands[key % width]}"
        return f"{dimension}:{key}"

    return keys, name


def scope_columns(cells: pd.DataFrame, rollup: dict[int, int | None]) -> dict[str, np.ndarray]:
    """For each dimension, the group (scope name) each row counts in, or None."""
    keys, name = _scope_keys(cells, rollup)
    out = {}
    for dimension, key in keys.items():
        distinct, where = np.unique(key, return_inverse=True)
        names = np.array(
            [None if k < 0 else name(dimension, int(k)) for k in distinct], dtype=object
        )
        out[dimension] = names[where]
    return out


def scope_counts(
    rows: pd.DataFrame, rollup: dict[int, int | None], by: Iterable[str] = ()
) -> pd.DataFrame:
    """Sum the counts `n` of rows already grouped by the database (columns
    org, team, hood, age, n and the `by` columns) into every group they count
    in. Returns columns scope, *by, n, one row per group and `by` value."""
    by = list(by)
    keys, name = _scope_keys(rows, rollup)
    n = rows["n"].to_numpy(dtype=np.int64)
    extra = {c: rows[c].to_numpy() for c in by}
    parts = []
    for dimension, key in keys.items():
        mask = key >= 0
        frame = pd.DataFrame({"key": key[mask], **{c: v[mask] for c, v in extra.items()}})
        frame["n"] = n[mask]
        summed = frame.groupby(["key", *by], sort=True)["n"].sum().reset_index()
        distinct, where = np.unique(summed["key"].to_numpy(), return_inverse=True)
        names = np.array([name(dimension, int(k)) for k in distinct], dtype=object)
        summed.insert(0, "scope", names[where])
        parts.append(summed.drop(columns="key"))
    return pd.concat(parts, ignore_index=True)


def scope_partitions(
    columns: dict[str, np.ndarray], n: np.ndarray, sizes: dict[str, int]
) -> list[tuple[str, list[str]]]:
    """Partitions for `suppress`: each parent group with the child groups
    whose respondents all lie inside it (from `scope_columns` of the
    respondent cells, whose counts are `n`)."""
    out = []
    for parent_col, child_col in PARTITIONS:
        frame = pd.DataFrame({"parent": columns[parent_col], "child": columns[child_col], "n": n})
        pairs = frame.dropna().groupby(["parent", "child"])["n"].sum()
        children_of: dict[str, list[str]] = {}
        for (parent, child), total in pairs.items():
            # a child counts only if all its respondents are inside this parent
            if sizes.get(child) == int(total):
                children_of.setdefault(parent, []).append(child)
        for parent in sorted(frame["parent"].dropna().unique()):
            out.append((parent, children_of.get(parent, [])))
    return out


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
    *,
    hidden: dict[str, str] | None = None,
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
    hidden = dict(hidden or {})
    for scope, n in sizes.items():
        if n < minimum and scope not in hidden:
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


NUMERIC_TOLERANCE = 1e-7


def _blocks(
    columns: dict[str, np.ndarray], n: np.ndarray, shown: set[str]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The finest groups the shown scopes tell apart: cells in exactly the
    same shown scopes form one block (nothing published can separate them).
    Returns (block of each cell, respondents per block, shown scope names)."""
    names = sorted(shown)
    index = {name: i for i, name in enumerate(names)}
    signatures = [[] for _ in range(len(n))]
    for values in columns.values():
        for cell, scope in enumerate(values):
            if scope is not None and scope in index:
                signatures[cell].append(index[scope])
    keys: dict[tuple, int] = {}
    block_of = np.array(
        [keys.setdefault(tuple(sorted(sig)), len(keys)) for sig in signatures], dtype=np.int64
    )
    totals = np.bincount(block_of, weights=n, minlength=len(keys)).astype(np.int64)
    return block_of, totals, names


def _membership(
    columns: dict[str, np.ndarray], block_of: np.ndarray, n_blocks: int, scopes: list[str]
) -> np.ndarray:
    """0/1 matrix: scope x block, 1 where the block lies in the scope (with
    the shown scopes as rows, every block lies wholly in or out of each)."""
    index = {name: i for i, name in enumerate(scopes)}
    out = np.zeros((len(scopes), n_blocks))
    for values in columns.values():
        for cell, scope in enumerate(values):
            row = index.get(scope) if scope is not None else None
            if row is not None:
                out[row, block_of[cell]] = 1.0
    return out


def disclosures(
    columns: dict[str, np.ndarray],
    n: np.ndarray,
    sizes: dict[str, int],
    shown: set[str],
    minimum: int,
) -> list[tuple[str, ...]]:
    """What a reader of every shown figure could work out about a group of
    fewer than `minimum` respondents (none, if the result is empty). Each
    finding names the shown scopes to hide to stop it, smallest first.

    Any figure the reader can derive is a linear combination of the shown
    counts, so it is constant on the blocks (see `_blocks`); it pins down a
    group exactly when the group's block vector lies in the row space of
    the shown scopes' block vectors, i.e. is orthogonal to its null space.
    Checked: every block, every pair of small blocks, every hidden scope,
    and every shown scope minus a shown scope inside it."""
    block_of, totals, names = _blocks(columns, n, shown)
    if not names:
        return []
    shown_matrix = _membership(columns, block_of, len(totals), names)
    # An orthonormal basis of the shown scopes' row space (blocks x rank),
    # from the thin SVD; a vector is determined when it equals its
    # projection onto that space.
    _, sigma, vt = np.linalg.svd(shown_matrix, full_matrices=False)
    rank = int((sigma > NUMERIC_TOLERANCE * max(1.0, sigma.max(initial=0.0))).sum())
    basis = vt[:rank].T

    def off_space(vectors: np.ndarray) -> np.ndarray:
        """What of each column of `vectors` (blocks x k) the figures cannot
        give: its distance from the row space."""
        return vectors - basis @ (basis.T @ vectors)

    findings: list[tuple[str, ...]] = []

    member = shown_matrix > 0

    def containing(block_ids) -> tuple[str, ...]:
        """The shown scopes to hide, best first: those that separate the
        group from its nearest neighbouring blocks (hiding one merges them),
        weighted by how many people it would merge in; then those that
        contain it. Never the partnership while anything else will do."""
        inside = np.zeros(len(totals), dtype=bool)
        inside[list(block_ids)] = True
        score = np.zeros(len(names))
        for block in block_ids:
            differs = member != member[:, [block]]
            distance = differs.sum(axis=0).astype(float)
            distance[inside] = np.inf
            nearest = distance.min(initial=np.inf)
            if not np.isfinite(nearest):
                continue
            for neighbour in np.nonzero(distance == nearest)[0]:
                score[differs[:, neighbour]] += totals[neighbour] / nearest
        rows = np.nonzero(member[:, list(block_ids)].any(axis=1) | (score > 0))[0]
        chosen = sorted(
            (r for r in rows),
            key=lambda r: (names[r] == "all", -score[r], sizes.get(names[r], 0), names[r]),
        )
        return tuple(names[r] for r in chosen)

    determined = 1.0 - (basis**2).sum(axis=1) < NUMERIC_TOLERANCE
    small = (totals > 0) & (totals < minimum)
    # A group with no shown scope at all is never part of any figure.
    in_nothing = shown_matrix.sum(axis=0) == 0
    for block in np.nonzero(small & determined & ~in_nothing)[0]:
        findings.append(containing([block]))
    # Unions of small blocks whose total is determined and below the
    # minimum: at most minimum - 1 blocks (each holds at least one person).
    # Sums of up to two blocks' null-space rows are hashed, and a union of
    # up to four is found as two such sums that cancel (meet in the middle).
    for combo in _cancelling_unions(
        off_space, totals, np.nonzero(small & ~determined & ~in_nothing)[0], minimum
    ):
        findings.append(containing(combo))
    # Hidden scopes that are unions of blocks and determined by the shown ones.
    hidden = [s for s, size in sizes.items() if s not in shown and 0 < size < minimum]
    if hidden:
        hidden_matrix = _membership(columns, block_of, len(totals), hidden)
        counts_in = hidden_matrix @ totals
        for i, scope in enumerate(hidden):
            if int(counts_in[i]) != sizes[scope]:
                continue  # splits a block: no combination of shown figures gives it
            if np.abs(off_space(hidden_matrix[i][:, None])).sum() < NUMERIC_TOLERANCE * 100:
                block_ids = np.nonzero(hidden_matrix[i])[0]
                findings.append(containing(block_ids))
    # A shown scope minus a shown scope inside it.
    weighted = shown_matrix * totals
    overlap = weighted @ shown_matrix.T  # |S ∩ T|
    size_of = weighted.sum(axis=1)
    for outer, inner in zip(*np.nonzero(overlap > 0), strict=True):
        if outer == inner or overlap[outer, inner] != size_of[inner]:
            continue
        difference = size_of[outer] - size_of[inner]
        if 0 < difference < minimum:
            findings.append((names[inner],))
    return findings


def _cancelling_unions(off_space, totals: np.ndarray, blocks, minimum: int):
    """Sets of 2 to 4 of `blocks` (disjoint, total below `minimum`) whose
    union is determined by the figures: its indicator lies in the row space
    (`off_space` of it is zero).

    Every single block and every pair of blocks (with a total below the
    minimum) is an "item"; two items that cancel, or one that cancels on its
    own, make a candidate. Items are compared on two fixed random
    projections of their rows (rows that cancel also cancel there), sorted
    so that each finds its opposite by binary search; every candidate is
    then checked on the full rows. All numpy: tens of thousands of blocks
    cost seconds, not minutes."""
    blocks = np.asarray([int(b) for b in blocks], dtype=np.int64)
    if len(blocks) < 2:
        return []
    # Each block's component along two fixed random directions of the null
    # space: a union in the row space sums to zero there.
    directions = off_space(np.random.default_rng(0).standard_normal((len(totals), 2)))
    projected = directions[blocks]
    small = totals[blocks]
    first, second = np.triu_indices(len(blocks), k=1)
    keep = small[first] + small[second] < minimum
    first, second = first[keep], second[keep]
    left = np.concatenate([np.arange(len(blocks)), first])
    right = np.concatenate([np.full(len(blocks), -1), second])
    value = projected[left] + np.where(right[:, None] >= 0, projected[np.maximum(right, 0)], 0.0)
    weight = small[left] + np.where(right >= 0, small[np.maximum(right, 0)], 0)
    tolerance = 1e-7
    candidates: set[tuple[int, ...]] = set()

    def members(item) -> tuple[int, ...]:
        return (left[item],) if right[item] < 0 else (left[item], right[item])

    # An item (a pair) that cancels on its own.
    for item in np.nonzero((np.abs(value) < tolerance).all(axis=1) & (right >= 0))[0]:
        candidates.add(members(item))
    # Two items that cancel each other.
    order = np.argsort(value[:, 0], kind="stable")
    ordered = value[order, 0]
    low = np.searchsorted(ordered, -value[:, 0] - tolerance, side="left")
    high = np.searchsorted(ordered, -value[:, 0] + tolerance, side="right")
    for item in np.nonzero(high > low)[0]:
        for other in order[low[item] : high[item]]:
            if other <= item or weight[item] + weight[other] >= minimum:
                continue
            if abs(value[item, 1] + value[other, 1]) >= tolerance:
                continue
            union = members(item) + members(other)
            if len(set(union)) == len(union):
                candidates.add(tuple(sorted(union)))
    found = []
    for union in sorted(candidates):
        rows = blocks[list(union)]
        if int(totals[rows].sum()) >= minimum:
            continue
        indicator = np.zeros((len(totals), 1))
        indicator[rows] = 1.0
        if np.abs(off_space(indicator)).max() < NUMERIC_TOLERANCE * 100:
            found.append(tuple(int(r) for r in rows))
    return found


def protect(
    columns: dict[str, np.ndarray],
    n: np.ndarray,
    sizes: dict[str, int],
    partitions: list[tuple[str, list[str]]],
    minimum: int,
) -> dict[str, str]:
    """Which scopes to hide, and why: `suppress` (primary and complementary
    suppression within each parent), then a check of everything a reader of
    all the rest could work out (`disclosures`), hiding one more scope per
    finding until nothing is found. Hiding only ever removes figures, so
    this ends."""
    hidden = suppress(sizes, partitions, minimum)
    while True:
        shown = {s for s, size in sizes.items() if s not in hidden and size > 0}
        findings = disclosures(columns, n, sizes, shown, minimum)
        if not findings:
            return hidden
        for candidates in findings:
            if not candidates or any(c in hidden for c in candidates):
                continue  # an earlier finding of this round already hid one
            target = next((c for c in candidates if c != "all"), candidates[0])
            hidden[target] = "hidden so a smaller group cannot be worked out"
        hidden = suppress(sizes, partitions, minimum, hidden=hidden)


def protect_comments(
    columns: dict[str, np.ndarray],
    n: np.ndarray,
    sizes: dict[str, int],
    shown: set[str],
    minimum: int,
) -> set[str]:
    """Which of the `shown` scopes may list their comments. Comments are
    words, not counts: a reader can match the same comment across lists,
    so intersections and differences of lists are open to them as well as
    sums. Every block of the listed scopes (the finest group those lists
    can separate) must therefore hold none or at least `minimum`
    respondents; the smallest list in a failing block is withdrawn until
    none fails."""
    listed = set(shown)
    while listed:
        block_of, totals, names = _blocks(columns, n, listed)
        matrix = _membership(columns, block_of, len(totals), names) > 0
        bad = [b for b in range(len(totals)) if 0 < totals[b] < minimum and matrix[:, b].any()]
        if not bad:
            break
        # Withdraw the list whose removal merges the smallest failing block
        # into the largest group (a list that separates it from a big
        # neighbour, or one that contains it); ties: the smallest list.
        block = min(bad, key=lambda b: (totals[b], b))
        differs = matrix != matrix[:, [block]]  # list x block
        mismatches = differs.sum(axis=0)
        gain = np.zeros(len(names))
        single = np.nonzero(mismatches == 1)[0]
        np.add.at(gain, differs[:, single].argmax(axis=0), totals[single])
        merged = totals[block] + gain
        enough = merged >= minimum
        order = sorted(
            range(len(names)),
            key=lambda r: (
                not enough[r],
                -merged[r] if not enough[r] else 0,
                sizes.get(names[r], 0),
                names[r],
            ),
        )
        listed.discard(names[order[0]])
    return listed


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
    if answers.empty:
        return []
    # One row per respondent, one column per question (the first answer if
    # there are several), as pivot_table would give, but built with numpy.
    respondents, at_row = np.unique(answers["response"].to_numpy(), return_inverse=True)
    if len(respondents) < max(minimum, 30):
        return []
    question_ids, at_col = np.unique(answers["question"].to_numpy(), return_inverse=True)
    _, first = np.unique(at_row * len(question_ids) + at_col, return_index=True)
    grid = np.full((len(respondents), len(question_ids)), np.nan)
    grid[at_row[first], at_col[first]] = answers["value"].to_numpy(dtype=np.float64)[first]
    wide = pd.DataFrame(grid, index=respondents, columns=[int(q) for q in question_ids])
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
