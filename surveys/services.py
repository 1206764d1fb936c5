"""Every write in surveys: building, answering, refreshing results, actions."""

from __future__ import annotations

import datetime
import gc
import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from bewigan.core import sealed
from bewigan.core.services import audit_record, notify
from bewigan.core.work import my_work_changed
from bewigan.people.models import Neighbourhood, Organisation, Person, Team, TeamMembership

from . import analytics
from .conf import min_comment_group_size, min_group_size
from .models import (
    Action,
    AgeBand,
    Answer,
    Comment,
    CommentReply,
    Draft,
    GroupResult,
    Participation,
    Question,
    QuestionResult,
    Response,
    Survey,
    SurveyQuestion,
    Theme,
    Wave,
)

logger = logging.getLogger(__name__)

# --- Building -------------------------------------------------------------------


def question_create(*, user, kind, text, theme, value=None, choices=None) -> Question:
    question = Question(
        kind=kind,
        text=text,
        theme=theme,
        value=value,
        choices=choices or [],
        is_library=False,
        created_by=user,
    )
    question.full_clean()
    question.save()
    audit_record(actor=user, action="create", obj=question)
    return question


@transaction.atomic
def survey_create(
    *, user, title, description, frequency, questions, min_group_size=5, min_comment_group_size=10
):
    survey = Survey(
        title=title,
        description=description,
        frequency=frequency,
        min_group_size=min_group_size,
        min_comment_group_size=min_comment_group_size,
        created_by=user,
    )
    survey.full_clean()
    survey.save()
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, question=q, order=i) for i, q in enumerate(questions)
    )
    audit_record(actor=user, action="create", obj=survey)
    return survey


STEP = {
    Survey.Frequency.WEEKLY: relativedelta(weeks=1),
    Survey.Frequency.FORTNIGHTLY: relativedelta(weeks=2),
    Survey.Frequency.MONTHLY: relativedelta(months=1),
    Survey.Frequency.QUARTERLY: relativedelta(months=3),
    Survey.Frequency.ONCE: relativedelta(years=100),
}


@transaction.atomic
def survey_schedule_waves(
    *, user, survey, first_opens_on, open_days, count, organisations=(), teams=(), neighbourhoods=()
) -> list[Wave]:
    """Create the next `count` numbered waves, one per period of the survey's
    frequency, each open for `open_days` days, with the same audience."""
    if not (organisations or teams or neighbourhoods):
        raise ValidationError(
            "Choose at least one organisation, team or neighbourhood for the audience"
        )
    if survey.frequency == Survey.Frequency.ONCE:
        count = 1
    last = survey.waves.order_by("-number").first()
    number = last.number if last else 0
    waves = []
    for i in range(count):
        opens = first_opens_on + STEP[survey.frequency] * i
        wave = Wave(
            survey=survey,
            number=number + i + 1,
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=open_days - 1),
        )
        wave.full_clean()
        wave.save()
        wave.organisations.set(organisations)
        wave.teams.set(teams)
        wave.neighbourhoods.set(neighbourhoods)
        waves.append(wave)
    audit_record(
        actor=user, action="create", obj=survey, details={"waves": [w.number for w in waves]}
    )
    return waves


def wave_set_published(*, user, wave, published: bool) -> Wave:
    wave.results_published = published
    wave.save(update_fields=["results_published"])
    audit_record(actor=user, action="update", obj=wave, details={"results_published": published})
    return wave


# --- Audience --------------------------------------------------------------------


def wave_audience(wave) -> pd.DataFrame:
    """People invited to a wave with their reporting attributes (2 queries).
    Columns: person, organisation, team, neighbourhood (primary team)."""
    org_ids = list(wave.organisations.values_list("id", flat=True))
    team_ids = list(wave.teams.values_list("id", flat=True))
    hood_ids = list(wave.neighbourhoods.values_list("id", flat=True))
    people = pd.DataFrame(
        list(Person.objects.active().values_list("id", "organisation_id")),
        columns=["person", "organisation"],
    )
    memberships = pd.DataFrame(
        list(
            TeamMembership.objects.current()
            .filter(person__in=Person.objects.active())
            .values_list("person_id", "team_id", "team__neighbourhood_id", "is_primary")
        ),
        columns=["person", "team", "neighbourhood", "is_primary"],
    )
    in_team = memberships[
        memberships["team"].isin(team_ids) | memberships["neighbourhood"].isin(hood_ids)
    ]
    selected = set(people.loc[people["organisation"].isin(org_ids), "person"]) | set(
        in_team["person"]
    )
    primary = memberships.sort_values("is_primary", ascending=False).drop_duplicates("person")
    out = people[people["person"].isin(selected)].merge(
        primary[["person", "team", "neighbourhood"]], on="person", how="left"
    )
    return out


def person_in_audience(*, wave, person) -> bool:
    return Wave.objects.filter(pk=wave.pk).for_person(person).exists()


def _audience_ids(wave) -> tuple[set, set, set]:
    """The wave's audience ids, cached on the instance (3 small queries once)."""
    cached = getattr(wave, "_audience_ids", None)
    if cached is None:
        cached = (
            set(wave.organisations.values_list("id", flat=True)),
            set(wave.teams.values_list("id", flat=True)),
            set(wave.neighbourhoods.values_list("id", flat=True)),
        )
        wave._audience_ids = cached
    return cached


def reporting_teams_for(*, wave, person) -> list[Team]:
    """The teams a person may report under in this wave: their current teams
    that are in the audience (any of them if the audience is their whole
    organisation), primary first."""
    memberships = (
        TeamMembership.objects.current()
        .filter(person=person)
        .select_related("team")
        .order_by("-is_primary", "start_date")
    )
    org_ids, team_ids, hood_ids = _audience_ids(wave)
    return [
        m.team
        for m in memberships
        if person.organisation_id in org_ids
        or m.team_id in team_ids
        or m.team.neighbourhood_id in hood_ids
    ]


# --- Answering -------------------------------------------------------------------


class SubmissionRefused(Exception):
    """A submission that must not be saved; the message is for the person."""


def draft_save(*, wave, person, data: dict) -> Draft:
    if not wave.is_open():
        raise SubmissionRefused("This survey has closed, so your answers cannot be saved.")
    if Participation.objects.filter(wave=wave, person=person).exists():
        raise SubmissionRefused("You have already answered this survey.")
    draft, _ = Draft.objects.update_or_create(wave=wave, person=person, defaults={"data": data})
    return draft


def draft_for(*, wave, person) -> dict:
    draft = Draft.objects.filter(wave=wave, person=person).first()
    return draft.data if draft else {}


@dataclass
class Submission:
    scores: dict[int, int]  # question id -> value (agreement, eNPS, single choice)
    multiple: dict[int, list[int]]  # question id -> chosen options
    comments: dict[int, str]  # question id -> text
    team_id: int | None = None
    age_band: str = ""


def response_submit(*, wave, person, submission: Submission) -> None:
    """Record one anonymous response and the fact of participation, all or nothing.

    Refuses (SubmissionRefused) a closed or unopened wave, a person outside the
    audience, a team that is not theirs, answers outside a question's scale or
    missing required answers, and a second response. The participation row and
    the sealed answers are written in one transaction, so nothing is lost or
    counted twice; the unique constraint on (wave, person) makes the second
    of two simultaneous submissions fail cleanly (the unique index makes it
    wait for the first to commit). Nothing written here says what was
    answered, or when, in a form anyone reading the database can use."""
    today = timezone.localdate()
    if not wave.is_open(today):
        raise SubmissionRefused("This survey is closed, so your response was not saved.")
    teams = reporting_teams_for(wave=wave, person=person)
    if not teams and person.organisation_id not in _audience_ids(wave)[0]:
        raise SubmissionRefused("This survey is not open to you, so your response was not saved.")
    if submission.team_id is None:
        team = teams[0] if teams else None
    else:
        team = next((t for t in teams if t.pk == submission.team_id), None)
        if team is None:
            raise SubmissionRefused("Choose one of your own teams, so your response was not saved.")
    if submission.age_band and submission.age_band not in AgeBand.values:
        raise SubmissionRefused("Choose an age band from the list, so your response was not saved.")
    items = getattr(wave, "_items", None)
    if items is None:
        items = wave._items = list(wave.survey.items.select_related("question"))
    answers, comments = [], []
    for item in items:
        q = item.question
        if q.kind == Question.Kind.TEXT:
            text = (submission.comments.get(q.pk) or "").strip()
            if len(text) > 2000:
                raise SubmissionRefused("Comments must be 2,000 characters or fewer.")
            if text:
                comments.append((q, text))
            continue
        low, high = q.scale
        if q.kind == Question.Kind.MULTIPLE:
            chosen = submission.multiple.get(q.pk) or []
            if any(not (low <= c <= high) for c in chosen) or len(set(chosen)) != len(chosen):
                raise SubmissionRefused(f"“{q.text}” has an answer that is not one of its options.")
            answers.extend((q, c) for c in chosen)
            continue
        value = submission.scores.get(q.pk)
        if value is None:
            raise SubmissionRefused(f"Answer “{q.text}”.")
        if not (low <= value <= high):
            raise SubmissionRefused(f"“{q.text}” must be answered between {low} and {high}.")
        answers.append((q, value))
    extra = set(submission.scores) | set(submission.multiple) | set(submission.comments)
    if extra - {item.question_id for item in items}:
        raise SubmissionRefused("Your response includes questions that are not in this survey.")

    try:
        with transaction.atomic():
            # The participation row goes first: the unique constraint on
            # (wave, person) makes a second or simultaneous submission fail
            # here, and the whole transaction rolls back.
            Participation.objects.create(wave=wave, person=person)
            # The answers themselves are sealed, not written: they reach the
            # answer tables later, in a shuffled batch of at least the
            # minimum (wave_release_answers; docs/adr/004).
            sealed.seal(
                answers_channel(wave.pk),
                {
                    "o": person.organisation_id,
                    "t": team.pk if team else None,
                    "h": team.neighbourhood_id if team else None,
                    "a": submission.age_band,
                    "s": [[q.pk, v] for q, v in answers],
                    "c": [[q.pk, text] for q, text in comments],
                },
            )
            Draft.objects.filter(wave=wave, person=person).delete()
            # "Answer ..." leaves their home page. The token is kept with no
            # expiry, so the cache does not record when they answered.
            my_work_changed([person.user_id], timeless=True)
            if sealed.can_release():
                transaction.on_commit(lambda: wave_release_answers(wave))
    except IntegrityError as exc:
        raise SubmissionRefused(
            "You have already answered this survey. Only one response is counted."
        ) from exc


def answers_channel(wave_pk: int) -> str:
    return f"surveys.wave:{wave_pk}"


RELEASE_BATCH = 25  # released together while a wave is open, at least


def wave_release_answers(wave, *, final: bool | None = None) -> int:
    """Move a batch of the wave's sealed answers into the answer tables
    (bewigan.core.sealed.release): while the wave is open, only once the
    minimum and a batch of RELEASE_BATCH (or the minimum, if larger) are
    waiting, leaving the minimum behind; once it has closed (`final`), all
    of them. Returns how many responses were released. Bigger batches hide
    each answer among more and cost less per answer."""
    if final is None:
        final = wave.is_closed()
    return sealed.release(
        answers_channel(wave.pk),
        minimum=min_group_size(wave.survey),
        final=final,
        batch=RELEASE_BATCH,
        handler=lambda payloads: write_released(wave, payloads),
        lock=lambda: _lock_for_release(wave, wait=final),
    )


def _lock_for_release(wave, *, wait: bool) -> bool:
    """Serialise releases of one wave. FOR NO KEY UPDATE, so submissions
    (whose foreign keys take a key-share lock on the wave) never wait for a
    release; a batch release that finds another under way skips (the next
    submission or the release job picks the answers up); the final one
    waits."""
    qs = Wave.objects.select_for_update(no_key=True, skip_locked=not wait).filter(pk=wave.pk)
    return qs.values_list("pk", flat=True).first() is not None


def waves_release_due() -> int:
    """Release what is due in every wave with sealed answers waiting: a batch
    where twice the minimum wait, everything once a wave has closed (for
    deployments where the web servers hold only the public key)."""
    waiting = sealed.waiting_ids(answers_channel(0)[:-1])
    released = 0
    for wave in Wave.objects.filter(pk__in=waiting).select_related("survey"):
        released += wave_release_answers(wave)
    return released


def write_released(wave, payloads: list[dict]) -> None:
    """Write released responses in the (already random) order given, with
    random ids; comments in an order of their own, so that neither lines up
    with the responses."""
    responses, answers, comments = [], [], []
    for p in payloads:
        response = Response(
            wave=wave,
            organisation_id=p["o"],
            team_id=p["t"],
            neighbourhood_id=p["h"],
            age_band=p["a"],
        )
        responses.append(response)
        answers.extend(
            Answer(
                response=response,
                wave=wave,
                question_id=q,
                value=v,
                organisation_id=p["o"],
                team_id=p["t"],
                neighbourhood_id=p["h"],
                age_band=p["a"],
            )
            for q, v in p["s"]
        )
        comments.extend(
            Comment(
                wave=wave,
                question_id=q,
                organisation_id=p["o"],
                team_id=p["t"],
                neighbourhood_id=p["h"],
                text=text,
            )
            for q, text in p["c"]
        )
    Response.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=5000)
    Comment.objects.bulk_create(sealed.shuffled(comments), batch_size=2000)


# --- Results ----------------------------------------------------------------------


def _scope_label(scope, orgs, teams, hoods) -> tuple[str, str]:
    base, _, age = scope.partition("|age:")
    if base == "all":
        label, level = "Whole partnership", "all"
    else:
        kind, _, pk = base.partition(":")
        pk = int(pk)
        if kind == "org":
            label, level = orgs.get(pk, "Organisation"), "org"
        elif kind == "team":
            label, level = teams.get(pk, "Team"), "team"
        else:
            label, level = hoods.get(pk, "Neighbourhood"), "hood"
    if age:
        label = f"{label}, aged {AgeBand(age).label.lower()}"
        level = "age"
    return label, level


def wave_refresh_results(wave, *, force: bool = False) -> dict:
    """Compute what may be shown for every group of a closed wave: one
    snapshot, from one released set of answers, replacing the last one
    whole (docs/adr/004).

    Results exist only once a wave has closed: then its last sealed answers
    are released (`wave_release_answers`) and every group, chart, export
    and comment list is computed from the same complete set, so no figure
    can be read against an older or newer one. `force` computes an open
    wave from what has been released so far (benchmarks and analytics
    tests only; nothing in the product calls it).

    The database groups the responses (by organisation, team, neighbourhood
    and age band) and the answers (by those, question and value); numpy and
    pandas roll small teams up into their parents, sum the counts into every
    group, apply disclosure control (`analytics.protect`, `analytics.
    protect_comments`) and score each group.

    Once the retention schedule has deleted a closed wave's raw answers, the
    stored results are all that is left: they are kept, never recomputed
    from nothing."""
    if not wave.is_closed() and not force:
        return {"groups": 0, "written": 0, "hidden": 0, "responses": 0, "open": True}
    if wave.is_closed():
        if sealed.pending(answers_channel(wave.pk)) and not sealed.can_release():
            # This process holds only the public key: publishing now would
            # leave answers out; the release worker publishes instead.
            return {"groups": 0, "written": 0, "hidden": 0, "responses": 0, "pending": True}
        wave_release_answers(wave, final=True)
    if (
        wave.is_closed()
        and not Response.objects.filter(wave=wave).exists()
        and GroupResult.objects.filter(wave=wave).exists()
    ):
        return {"groups": 0, "written": 0, "hidden": 0, "responses": 0}
    survey = wave.survey
    minimum = min_group_size(survey)
    comment_minimum = min_comment_group_size(survey)
    questions = {q.pk: q for q in survey.questions.all()}
    team_rows = list(Team.objects.values_list("id", "parent_id", "name"))
    parents = {t: p for t, p, _ in team_rows}
    team_names = {t: n for t, _, n in team_rows}
    org_names = {
        pk: short or name
        for pk, short, name in Organisation.objects.values_list("id", "short_name", "name")
    }
    hood_names = dict(Neighbourhood.objects.values_list("id", "name"))

    # Respondents per cell: a few thousand rows however large the wave.
    cells = _fetch_frame(
        Response.objects.filter(wave=wave)
        .values_list("organisation_id", "team_id", "neighbourhood_id", "age_band")
        .annotate(n=Count("*"))
        .order_by(),
        ["org", "team", "hood", "age", "n"],
    )
    responses = int(cells["n"].sum())
    per_team = cells[cells["team"] > 0].groupby("team")["n"].sum()
    rollup = analytics.roll_up_teams(
        {int(t): int(n) for t, n in per_team.items()}, parents, minimum
    )
    sized = analytics.scope_counts(cells, rollup)
    sizes = {scope: int(n) for scope, n in zip(sized["scope"], sized["n"], strict=True)}
    columns = analytics.scope_columns(cells, rollup)
    cell_n = cells["n"].to_numpy()
    partitions = analytics.scope_partitions(columns, cell_n, sizes)
    hidden = analytics.protect(columns, cell_n, sizes, partitions, minimum)
    # Comment lists: groups shown above the comment minimum, age filters
    # excluded, then protected against differencing as word lists.
    comment_candidates = {
        scope
        for scope, n in sizes.items()
        if scope not in hidden and n >= comment_minimum and "|age:" not in scope
    }
    comment_scopes = analytics.protect_comments(
        columns, cell_n, sizes, comment_candidates, comment_minimum
    )

    # Answer counts per cell, question and value (one index-only scan of the
    # covering index), summed into every visible group in one pass per dimension.
    kinds = {pk: q.kind for pk, q in questions.items()}
    answers = _fetch_frame(
        Answer.objects.filter(wave=wave)
        .values_list(
            "organisation_id", "team_id", "neighbourhood_id", "age_band", "question_id", "value"
        )
        .annotate(n=Count("*"))
        .order_by(),
        ["org", "team", "hood", "age", "question", "value", "n"],
    )
    # Answers to an item since taken out of the survey are not scored.
    answers = answers[answers["question"].isin(list(kinds))]
    counts = analytics.scope_counts(answers, rollup, by=["question", "value"])
    counts = counts[~counts["scope"].isin(list(hidden))]
    counts["kind"] = counts["question"].map(kinds)
    stats = analytics.question_stats(counts)
    stats = stats.sort_values(["scope", "question"], kind="stable", ignore_index=True)
    dists = analytics.distributions(counts) if not counts.empty else {}
    from bewigan.values.models import Value

    value_keys = dict(
        Value.objects.filter(
            pk__in=[q.value_id for q in questions.values() if q.value_id]
        ).values_list("id", "key")
    )
    theme_of = {pk: value_keys.get(q.value_id, q.theme) for pk, q in questions.items()}
    themes = analytics.theme_scores(stats, theme_of)
    engagement = analytics.engagement(stats)
    enps_q = next((pk for pk, q in questions.items() if q.kind == Question.Kind.ENPS), None)

    # Invited per group, from the audience (response rates).
    audience = wave_audience(wave)
    invited: dict[str, int] = {"all": len(audience)}
    if not audience.empty:
        a_team = audience["team"].map(
            {t: rollup.get(int(t), int(t)) for t in audience["team"].dropna().unique()}
        )
        for prefix, series in (
            ("org", audience["organisation"]),
            ("team", a_team),
            ("hood", audience["neighbourhood"]),
        ):
            for key, n in series.dropna().astype(int).value_counts().items():
                invited[f"{prefix}:{key}"] = int(n)

    driver_rows = _drivers(
        wave, responses_count=responses, questions=questions, enps_q=enps_q, minimum=minimum
    )

    scopes = set(sizes)
    reverse_rollup = {}
    for team, target in rollup.items():
        if target is not None:
            reverse_rollup.setdefault(target, []).append(team)
    now = timezone.now()
    # Plain tuples grouped by scope (one pass; no per-group pandas overhead).
    stats_by_scope: dict[str, list[tuple]] = {}
    for scope, question_id, n, fav, neu, unf, mean in zip(
        stats["scope"],
        stats["question"].astype(int).tolist(),
        stats["n"].astype(int).tolist(),
        stats["favourable"].tolist(),
        stats["neutral"].tolist(),
        stats["unfavourable"].tolist(),
        stats["mean"].tolist(),
        strict=True,
    ):
        stats_by_scope.setdefault(scope, []).append(
            (question_id, n, _f(fav), _f(neu), _f(unf), _f(mean))
        )
    to_write = []
    for scope in scopes:
        n = sizes.get(scope, 0)
        is_hidden = scope in hidden or n == 0
        label, level = _scope_label(scope, org_names, team_names, hood_names)
        team_ids = []
        if scope.startswith("team:"):
            team_ids = sorted(reverse_rollup.get(int(scope[5:]), []))
            rolled = [team_names[t] for t in team_ids if t != int(scope[5:])]
            if rolled:
                label = f"{label} (including {', '.join(sorted(rolled))})"
        group = GroupResult(
            wave=wave,
            scope=scope,
            label=label[:200],
            level=level,
            invited=invited.get(scope, 0),
            refreshed_at=now,
            team_ids=team_ids,
        )
        rows = []
        if is_hidden:
            group.suppressed = True
            group.suppressed_reason = hidden.get(scope, f"fewer than {minimum} responses")
        else:
            group.respondents = n
            group.comments_visible = scope in comment_scopes
            group.engagement = _f(engagement.get(scope))
            group.themes = themes.get(scope, {})
            group.drivers = driver_rows.get(scope, [])
            for question_id, q_n, fav, neu, unf, mean in stats_by_scope.get(scope, ()):
                rows.append(
                    (question_id, q_n, fav, neu, unf, mean, dists.get((scope, question_id), {}))
                )
                if question_id == enps_q:
                    group.promoters, group.passives, group.detractors = fav, neu, unf
                    group.enps = analytics.enps(fav or 0, unf or 0)
        to_write.append((group, rows))
    with transaction.atomic():
        # One snapshot replaces the last one whole; two refreshes of one wave
        # are serialised on the wave's row, so the later one simply wins.
        Wave.objects.select_for_update().filter(pk=wave.pk).first()
        GroupResult.objects.filter(wave=wave).only("pk").delete()
        groups = GroupResult.objects.bulk_create([g for g, _ in to_write])
        _insert_question_results(
            [
                (group.pk, *row)
                for group, (_, rows) in zip(groups, to_write, strict=True)
                for row in rows
            ]
        )
        Wave.objects.filter(pk=wave.pk).update(refreshed_at=now)
    return {
        "groups": len(scopes),
        "written": len(to_write),
        "hidden": len(hidden),
        "responses": responses,
    }


def _f(x):
    return None if x is None or pd.isna(x) else float(x)


def _fetch_frame(queryset, columns: list[str]) -> pd.DataFrame:
    """The rows of a `values_list` query as a DataFrame with these column
    names, read straight from the cursor: the refresh reads ~150,000 grouped
    rows, and Django's per-row conversion would cost more than the query.
    NULL ids become 0 (ids start at 1); `age` stays text."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    # Reading the rows allocates one tuple each, which sets off collection
    # after collection of the cyclic garbage collector, walking every object
    # in the process: ~20% of the refresh's CPU time. Tuples of numbers and
    # strings cannot form cycles, so pause it while reading.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(sql, params)
            table = np.array(cursor.fetchall(), dtype=object).reshape(-1, len(columns))
    finally:
        if collecting:
            gc.enable()
    frame = {}
    for i, name in enumerate(columns):
        values = table[:, i]
        if name == "age":
            frame[name] = values
        else:
            frame[name] = np.where(np.equal(values, None), 0, values).astype(np.int64)
    return pd.DataFrame(frame)


def _insert_question_results(rows: list[tuple]) -> None:
    """Insert QuestionResult rows given as tuples (group id, question id, n,
    favourable, neutral, unfavourable, mean, distribution).

    A large wave has thousands. On PostgreSQL this is one INSERT from one
    array per column, as Django's bulk_create does there, but without
    building and preparing a model instance per row (which cost more than
    the insert); elsewhere one executemany."""
    if not rows:
        return
    names = ("group", "question", "n", "favourable", "neutral", "unfavourable", "mean")
    fields = [QuestionResult._meta.get_field(name) for name in (*names, "distribution")]
    json_field = fields[-1]
    empty = json_field.get_db_prep_save({}, connection)
    rows = [
        (*row[:-1], json_field.get_db_prep_save(row[-1], connection) if row[-1] else empty)
        for row in rows
    ]
    quote = connection.ops.quote_name
    table = quote(QuestionResult._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    # Identifiers and types come from the model; every value is a parameter.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{f.db_type(connection).split('(')[0]}[]" for f in fields)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays})",  # noqa: S608
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                rows,
            )


DRIVER_SAMPLE = 10_000


def _drivers(wave, *, responses_count, questions, enps_q, minimum) -> dict[str, list[dict]]:
    """Driver analysis for the partnership and each organisation, on a
    uniform random sample of respondents (ids are random, so a range of ids
    is a random sample) to keep the refresh fast for large waves."""
    agreement = [pk for pk, q in questions.items() if q.kind == Question.Kind.AGREEMENT]
    wellbeing = [
        pk
        for pk, q in questions.items()
        if q.theme == Theme.WELLBEING and q.kind == Question.Kind.AGREEMENT
    ]
    if responses_count < max(minimum, 30) or not agreement:
        return {}
    qs = Answer.objects.filter(
        wave=wave, question_id__in=[*agreement, *([enps_q] if enps_q else [])]
    )
    if responses_count > DRIVER_SAMPLE:
        qs = qs.filter(response_id__lt=int((2**62) * DRIVER_SAMPLE / responses_count))
    raw = _fetch_frame(
        qs.values_list("response_id", "organisation_id", "question_id", "value"),
        ["response", "org", "question", "value"],
    )
    out = {}
    kwargs = {
        "enps_question": enps_q,
        "wellbeing_questions": wellbeing,
        "agreement_questions": agreement,
        "minimum": minimum,
    }
    out["all"] = analytics.drivers(raw, **kwargs)
    for org, part in raw.groupby("org"):
        out[f"org:{int(org)}"] = analytics.drivers(part, **kwargs)
    return out


# --- Reminders, drafts ------------------------------------------------------------


def wave_remind_non_responders(*, wave) -> int:
    """Notify everyone in the audience who has not responded (and no one else)."""
    if not wave.is_open():
        return 0
    audience = wave_audience(wave)
    responded = set(Participation.objects.filter(wave=wave).values_list("person_id", flat=True))
    ids = [int(p) for p in audience["person"] if int(p) not in responded]
    url = reverse("surveys:answer", args=[wave.pk])
    sent = 0
    for person in Person.objects.filter(pk__in=ids).select_related("user"):
        notify(
            recipient=person.user,
            title=f"Reminder: {wave.survey.title} closes on {wave.closes_on:%-d %B}",
            body="It takes about two minutes and your answers are anonymous.",
            url=url,
            kind="survey_reminder",
        )
        sent += 1
    return sent


def drafts_purge_closed(today=None) -> int:
    """Delete the unsubmitted drafts of every wave that has closed."""
    today = today or timezone.localdate()
    deleted, _ = Draft.objects.filter(wave__closes_on__lt=today).delete()
    return deleted


# --- Closing waves ------------------------------------------------------------------


def waves_awaiting_close(today=None):
    """Waves whose close date has passed and whose results have not been
    refreshed since: never, or on or before the close date (a wave is open
    all of its last day)."""
    today = today or timezone.localdate()
    return (
        Wave.objects.closed(today)
        .filter(Q(refreshed_at__isnull=True) | Q(refreshed_at__date__lte=F("closes_on")))
        .select_related("survey")
        .order_by("closes_on", "pk")
    )


@dataclass
class WavesClosed:
    refreshed: list[tuple[Wave, dict]]
    failed: list[tuple[Wave, str]]
    drafts_deleted: int


def waves_close(*, today=None) -> WavesClosed:
    """Publish waves that have closed: release each one's last sealed
    answers and compute its one snapshot of results, then purge every
    closed wave's unsubmitted drafts. Run daily (`manage.py
    surveys_close_waves`); running it again changes nothing, because a wave
    refreshed after its close date is no longer awaiting."""
    today = today or timezone.localdate()
    report = WavesClosed(refreshed=[], failed=[], drafts_deleted=0)
    for wave in waves_awaiting_close(today):
        try:
            report.refreshed.append((wave, wave_refresh_results(wave)))
        except Exception as exc:  # noqa: BLE001 - one broken wave must not stop the rest
            logger.exception("Final refresh of wave %s failed", wave.pk)
            report.failed.append((wave, repr(exc)))
    report.drafts_deleted = drafts_purge_closed(today)
    return report


# --- You said, we did; replies ------------------------------------------------------


def action_create(
    *, user, group: GroupResult, you_said, we_did, owner, due_on, question=None, theme=""
) -> Action:
    if not user.has_perm("surveys.add_action", group):
        raise PermissionDenied
    action = Action(
        wave=group.wave,
        scope=group.scope,
        you_said=you_said,
        we_did=we_did,
        owner=owner,
        due_on=due_on,
        question=question,
        theme=theme,
        created_by=user,
    )
    action.full_clean()
    action.save()
    audit_record(actor=user, action="create", obj=action)
    return action


def action_set_status(*, user, action: Action, group: GroupResult, status: str) -> Action:
    if not user.has_perm("surveys.add_action", group):
        raise PermissionDenied
    if status not in Action.Status.values:
        raise ValidationError("Choose a status")
    action.status = status
    action.save(update_fields=["status"])
    audit_record(actor=user, action="update", obj=action, details={"status": status})
    return action


def comment_reply(*, user, group: GroupResult, comment: Comment, text: str) -> CommentReply:
    if not user.has_perm("surveys.reply_comment", group):
        raise PermissionDenied
    reply = CommentReply.objects.create(comment=comment, author=user, text=text)
    audit_record(actor=user, action="create", obj=reply)
    return reply
