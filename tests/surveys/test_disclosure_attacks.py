"""Disclosure control, attacked: random partnerships and response sets, every
published figure handed to an attacker (tests/surveys/attacker.py) who
tries to pin down a group below the minimum, by arithmetic on the scores
and by matching comments across lists."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveys import analytics

from .attacker import comment_atoms, pinned_small_groups

MINIMUM = 5
COMMENT_MINIMUM = 10
AGES = ["", "under-25", "25-34", "50-plus"]


@st.composite
def partnerships(draw):
    """Organisations, a team tree inside each, neighbourhoods across them,
    and respondents per (organisation, team, neighbourhood, age) cell."""
    n_orgs = draw(st.integers(1, 3))
    n_hoods = draw(st.integers(0, 2))
    teams = {}  # team id -> (org, parent, hood)
    for team in range(1, draw(st.integers(0, 5)) + 1):
        org = draw(st.integers(1, n_orgs))
        same_org = [t for t, (o, _, _) in teams.items() if o == org]
        parent = draw(st.sampled_from([None, *same_org]))
        hood = draw(st.integers(0, n_hoods)) if n_hoods else 0
        teams[team] = (org, parent, hood)
    homes = [(org, 0, 0) for org in range(1, n_orgs + 1)] + [
        (org, team, hood) for team, (org, _, hood) in teams.items()
    ]
    n_cells = draw(st.integers(1, 13))
    cells = {}
    for _ in range(n_cells):
        org, team, hood = draw(st.sampled_from(homes))
        age = draw(st.sampled_from(AGES))
        cells[(org, team, hood, age)] = draw(
            st.integers(1, 14) | st.sampled_from([1, 2, 3, 4, 5, 6])
        )
    frame = pd.DataFrame(
        [(*key, n) for key, n in cells.items()], columns=["org", "team", "hood", "age", "n"]
    )
    parents = {t: p for t, (_, p, _) in teams.items()}
    return frame, parents


def publish(cells: pd.DataFrame, parents: dict):
    """What the refresh service publishes, by the same analytics calls."""
    per_team = cells[cells["team"] > 0].groupby("team")["n"].sum()
    rollup = analytics.roll_up_teams(
        {int(t): int(n) for t, n in per_team.items()}, parents, MINIMUM
    )
    sized = analytics.scope_counts(cells, rollup)
    sizes = {s: int(n) for s, n in zip(sized["scope"], sized["n"], strict=True)}
    columns = analytics.scope_columns(cells, rollup)
    n = cells["n"].to_numpy()
    partitions = analytics.scope_partitions(columns, n, sizes)
    hidden = analytics.protect(columns, n, sizes, partitions, MINIMUM)
    shown = {s for s, size in sizes.items() if s not in hidden and size > 0}
    candidates = {s for s in shown if sizes[s] >= COMMENT_MINIMUM and "|age:" not in s}
    listed = analytics.protect_comments(columns, n, sizes, candidates, COMMENT_MINIMUM)
    members: dict[str, set[int]] = {}
    for values in columns.values():
        for cell, scope in enumerate(values):
            if scope is not None:
                members.setdefault(scope, set()).add(cell)
    return sizes, shown, listed, members, [int(x) for x in n]


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(partnerships())
def test_no_combination_of_published_figures_pins_down_a_small_group(case):
    cells, parents = case
    sizes, shown, _, members, counts = publish(cells, parents)
    assert all(sizes[s] >= MINIMUM for s in shown)
    pinned = pinned_small_groups(members, counts, shown, MINIMUM)
    assert pinned == [], f"published {sorted(shown)} pin down cells {pinned} of {cells}"


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(partnerships())
def test_matching_comments_across_lists_never_isolates_fewer_than_ten(case):
    cells, parents = case
    sizes, shown, listed, members, counts = publish(cells, parents)
    assert listed <= shown
    for atom, respondents in comment_atoms(members, counts, listed):
        assert respondents == 0 or respondents >= COMMENT_MINIMUM, (
            f"comment lists {sorted(listed)} isolate {respondents} respondents {atom}"
        )


def test_the_attacks_in_the_issue_fail():
    """The three differencing attacks that worked before, replayed."""
    # (1) partnership age band minus every organisation's age band.
    cells = pd.DataFrame(
        [
            (1, 0, 0, "under-25", 3),
            (1, 0, 0, "25-34", 20),
            (2, 0, 0, "under-25", 9),
            (2, 0, 0, "25-34", 30),
        ],
        columns=["org", "team", "hood", "age", "n"],
    )
    sizes, shown, _, members, counts = publish(cells, {})
    assert "org:1|age:under-25" not in shown
    assert pinned_small_groups(members, counts, shown, MINIMUM) == []
    # (3) organisation comments minus a visible team's comments.
    cells = pd.DataFrame(
        [(1, 1, 0, "", 12), (1, 2, 0, "", 6)], columns=["org", "team", "hood", "age", "n"]
    )
    sizes, shown, listed, members, counts = publish(cells, {})
    assert "team:2" in shown and "team:2" not in listed  # 6 scores shown, comments not
    assert not ({"org:1", "team:1"} <= listed)  # org minus team would give team 2's words
    for _, respondents in comment_atoms(members, counts, listed):
        assert respondents == 0 or respondents >= COMMENT_MINIMUM


def test_protect_keeps_what_is_safe():
    """Disclosure control must not hide everything: a plain hierarchy of
    large groups is published whole."""
    cells = pd.DataFrame(
        [(1, 1, 0, "", 12), (1, 2, 0, "", 15), (2, 3, 0, "", 20)],
        columns=["org", "team", "hood", "age", "n"],
    )
    sizes, shown, listed, _, _ = publish(cells, {})
    assert shown == set(sizes)
    assert listed == {"all", "org:1", "org:2", "team:1", "team:2", "team:3"}
    assert np.all(np.array([sizes[s] for s in shown]) >= MINIMUM)
