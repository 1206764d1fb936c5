"""The refresh's stored output on one seeded wave, pinned number for number.

`refresh_expected.json` was written by the refresh as it was before it was
rewritten for speed (pandas over one row per response and per answer group),
and the current one (numpy over grouped cells) matches it exactly. On the
benchmark's data (4 waves, up to 1M answers) the two also agree everywhere
except 33 of 11,249 engagement and theme scores, each exactly on an x.x5
tie, where the old float mean of three or more shares landed either side of
the tie depending on the order of the rows; they are now summed in exact
tenths and rounded half to even
(`test_means_round_exact_ties_the_same_in_any_order`).

The dataset exercises everything the refresh decides: roll-up of small
teams (one level and two), a top-level team too small to show, responses
with no team, a team shared by two organisations, age bands within the
partnership and each organisation, complementary suppression, single and
multiple choice distributions, a value-linked item, eNPS, and the drivers on
a sample (the sample size is lowered so that a small wave is sampled).
It then adds a few responses and computes the snapshot again.

Re-pinned when disclosure control became `analytics.protect` (issue 12):
every shown group's numbers stayed the same; what changed is which groups
are hidden (the old per-parent rule let a group below the minimum be
worked out across dimensions) and which comment lists are shown.

To regenerate after an intended change: `SURVEYS_WRITE_EXPECTED=1 pytest
tests/surveys/test_refresh_regression.py`, then review the diff.
"""

import json
import os
import random
from pathlib import Path

import pandas as pd
import pytest

from surveys import analytics, services
from surveys.models import Answer, GroupResult, Question, Response
from tests.people.factories import (
    NeighbourhoodFactory,
    PersonFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

from .factories import make_question, make_survey, make_wave

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).parent / "refresh_expected.json"
BANDS = ["", "", "under-25", "25-34", "35-49", "50-plus"]
GROUP_FIELDS = (
    "label",
    "level",
    "invited",
    "respondents",
    "suppressed",
    "suppressed_reason",
    "enps",
    "promoters",
    "passives",
    "detractors",
    "engagement",
    "themes",
    "comments_visible",
)


def _build(organisation, other_organisation):
    hoods = [NeighbourhoodFactory(name=f"Hood {i}", slug=f"rhood-{i}") for i in range(3)]

    def team(code, org=organisation, parent=None, hood=0):
        return TeamFactory(
            organisation=org, parent=parent, neighbourhood=hoods[hood], name=code, code=code
        )

    d1 = team("D1")
    teams = {
        "D1": d1,
        "T1": team("T1", parent=d1),
        "T2": team("T2", parent=d1, hood=1),
        "T3": team("T3", parent=d1, hood=1),
        "D2": team("D2", hood=2),
        "L": team("L", hood=2),
        "M": team("M"),
    }
    teams["B1"] = team("B1", org=other_organisation, hood=1)
    teams["B2"] = team("B2", org=other_organisation, parent=teams["B1"], hood=2)
    teams["B3"] = team("B3", org=other_organisation, parent=teams["B2"], hood=2)
    value_item = Question.objects.filter(theme="value", value__key="positive").first()
    assert value_item is not None, "the question library migration seeds value items"
    survey = make_survey(
        questions=[
            make_question(text="R: workload", theme="wellbeing"),
            make_question(text="R: stress", theme="wellbeing"),
            make_question(text="R: thanked", theme="recognition"),
            value_item,
            make_question(kind="enps", text="R: recommend"),
            make_question(kind="single", text="R: where", theme="other", choices=["A", "B", "C"]),
            make_question(
                kind="multiple", text="R: what helps", theme="other", choices=["W", "X", "Y", "Z"]
            ),
            make_question(kind="text", text="R: anything else", theme="other"),
        ]
    )
    wave = make_wave(survey, organisations=[organisation, other_organisation])
    # People in the audience (response rates), by primary team.
    for code, n in (("T1", 50), ("T2", 4), ("T3", 15), ("D2", 9), ("M", 12), ("B1", 30)):
        for _ in range(n):
            org = teams[code].organisation
            person = PersonFactory(user=UserFactory(), organisation=org)
            TeamMembershipFactory(person=person, team=teams[code], is_primary=True)
    return wave, teams


def _respond(wave, rng, plan):
    """plan: [(organisation, team or None, count)]. Answers follow one latent
    mood per respondent, so the drivers have something to find."""
    items = [i.question for i in wave.survey.items.select_related("question")]
    responses, answers = [], []
    for org, team, count in plan:
        for _ in range(count):
            response = Response(
                id=rng.randrange(1, 2**62),
                wave=wave,
                organisation=org,
                team=team,
                neighbourhood=team.neighbourhood if team else None,
                age_band=rng.choice(BANDS),
            )
            responses.append(response)
            mood = rng.gauss(0, 1)
            for q in items:
                if q.kind == "agreement":
                    values = [max(1, min(5, round(3.2 + mood + rng.gauss(0, 0.8))))]
                elif q.kind == "enps":
                    values = [max(0, min(10, round(6.5 + 2 * mood + rng.gauss(0, 1.5))))]
                elif q.kind == "single":
                    values = [rng.randrange(3)]
                elif q.kind == "multiple":
                    values = sorted(rng.sample(range(4), rng.randrange(0, 3)))
                else:
                    continue
                answers += [
                    Answer(
                        id=rng.randrange(1, 2**62),
                        response=response,
                        wave=wave,
                        question=q,
                        value=v,
                        organisation=org,
                        team=team,
                        neighbourhood=response.neighbourhood,
                        age_band=response.age_band,
                    )
                    for v in values
                ]
    Response.objects.bulk_create(responses)
    Answer.objects.bulk_create(answers)


def _snapshot(wave, teams, stats):
    """The stored results with ids replaced by names, so that the snapshot is
    the same on any database."""
    names = {}
    for t in teams.values():
        names[f"team:{t.pk}"] = f"team:{t.code}"
        names[f"org:{t.organisation_id}"] = f"org:{t.organisation.short_name}"
        names[f"hood:{t.neighbourhood_id}"] = f"hood:{t.neighbourhood.slug}"
    code_of = {t.pk: t.code for t in teams.values()}
    text_of = dict(Question.objects.values_list("id", "text"))

    def scope_name(scope):
        base, sep, age = scope.partition("|")
        return names.get(base, base) + sep + age

    out = {}
    for g in GroupResult.objects.filter(wave=wave).prefetch_related("questions"):
        row = {f: getattr(g, f) for f in GROUP_FIELDS}
        row["team_ids"] = [code_of[t] for t in g.team_ids]
        row["drivers"] = [{**d, "question": text_of[d["question"]]} for d in g.drivers]
        row["questions"] = {
            text_of[q.question_id]: [
                q.n,
                q.favourable,
                q.neutral,
                q.unfavourable,
                q.mean,
                q.distribution,
            ]
            for q in g.questions.all()
        }
        out[scope_name(g.scope)] = row
    return {"stats": stats, "groups": dict(sorted(out.items()))}


def run_scenario(organisation, other_organisation, refresh):
    rng = random.Random(2026)
    wave, teams = _build(organisation, other_organisation)
    b_org = other_organisation
    _respond(
        wave,
        rng,
        [
            (organisation, teams["T1"], 40),
            (organisation, teams["T2"], 3),  # rolls up into D1
            (organisation, teams["T3"], 12),
            (organisation, teams["D1"], 2),
            (organisation, teams["D2"], 7),
            (organisation, teams["L"], 4),  # top level and too small: nowhere to roll
            (organisation, teams["M"], 9),
            (b_org, teams["M"], 2),  # a shared team: 2 from the other organisation
            (b_org, teams["B1"], 25),
            (b_org, teams["B2"], 2),  # B3 rolls into B2, which then rolls into B1
            (b_org, teams["B3"], 2),
            (b_org, None, 3),
        ],
    )
    snapshots = {"first": _snapshot(wave, teams, refresh(wave, force=True))}
    _respond(wave, rng, [(organisation, teams["T1"], 3), (organisation, teams["T3"], 5)])
    snapshots["forced"] = _snapshot(wave, teams, refresh(wave, force=True))
    return snapshots


def test_refresh_output_is_pinned_on_a_seeded_wave(organisation, other_organisation, monkeypatch):
    monkeypatch.setattr(services, "DRIVER_SAMPLE", 60)
    got = run_scenario(organisation, other_organisation, services.wave_refresh_results)
    got = json.loads(json.dumps(got))  # tuples to lists, as in the file
    if os.environ.get("SURVEYS_WRITE_EXPECTED"):
        EXPECTED.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n")
    expected = json.loads(EXPECTED.read_text())
    assert got.keys() == expected.keys()
    for step in expected:
        assert got[step]["stats"] == expected[step]["stats"], step
        assert got[step]["groups"].keys() == expected[step]["groups"].keys(), step
        for scope, row in expected[step]["groups"].items():
            assert got[step]["groups"][scope] == row, (step, scope)


def test_means_round_exact_ties_the_same_in_any_order():
    # These ten shares average exactly 40.15; a float sum gives 40.149999...
    # or 40.15 depending on the order, which used to decide 40.1 or 40.2.
    shares = [39.7, 42.4, 35.9, 41.8, 37.5, 39.7, 42.9, 41.8, 41.8, 38.0]
    rng = random.Random(5)
    for _ in range(20):
        rng.shuffle(shares)
        stats = pd.DataFrame(
            {
                "scope": "s",
                "question": range(len(shares)),
                "kind": "agreement",
                "favourable": shares,
            }
        )
        assert analytics.engagement(stats)["s"] == 40.2  # 401.5 tenths, half to even
        themes = analytics.theme_scores(stats, dict.fromkeys(range(len(shares)), "wellbeing"))
        assert themes == {"s": {"wellbeing": 40.2}}
    pair = pd.DataFrame(
        {"scope": "s", "question": [1, 2], "kind": "agreement", "favourable": [40.2, 40.3]}
    )
    assert analytics.engagement(pair)["s"] == 40.2  # 402.5 tenths, half to even
