"""Surveys at scale: an organisation of 10,000 staff in 550 teams, 26 waves of
12 questions (~2.96M answers at a 95% response rate), results served from
the aggregates.

Measures: a team's results page and the organisation heatmap (server time,
median of 20), refreshing the aggregates (with disclosure control) for one
wave of ~1M answers, the whole 26-wave refresh, sealed submissions per
second with concurrent clients, released in shuffled batches (none lost,
none duplicated), and peak memory. Targets (issue 12): >= 200 submissions/s
on PostgreSQL, team results < 50 ms, organisation heatmap < 500 ms.

To iterate on the refresh, `python -m bench.bench_surveys` times only the
recompute again on the database a full run left behind.

Raw rows are generated with numpy and inserted with executemany (SQLite) or
COPY (PostgreSQL): the same rows the service would write, just faster.
"""

import datetime
import os
import time

import numpy as np
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from bench.util import fresh_database, peak_rss_mb, time_requests

STAFF = int(os.environ.get("BENCH_SURVEY_STAFF", 10_000))
WAVES = int(os.environ.get("BENCH_SURVEY_WAVES", 26))
DIRECTORATES, TEAMS_PER = 50, 10
RATE = 0.95
BIG_WAVE_ANSWERS = int(os.environ.get("BENCH_SURVEY_BIG", 1_000_000))
SUBMISSIONS, CLIENTS = int(os.environ.get("BENCH_SURVEY_SUBMISSIONS", 1000)), 8


def _insert(table, columns, rows):
    """rows: a 2-D array (numbers, with empty strings or text in the last column)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY in text format, built in bulk rather than row by row.
            step = 250_000
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
            for i in range(0, len(rows), step):
                chunk = rows[i : i + step]
                text = "\n".join(
                    "\t".join("\\N" if v is None else str(v) for v in row) for row in chunk.tolist()
                )
                with cursor.cursor.copy(sql) as copy:
                    copy.write(text + "\n")
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
            step = 200_000
            for i in range(0, len(rows), step):
                cursor.executemany(sql, rows[i : i + step].tolist())


def _analyze():
    """What autovacuum / ANALYZE would have done to freshly bulk-loaded tables
    (PostgreSQL needs the visibility map for index-only scans)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE surveys_answer")
            cursor.execute("VACUUM ANALYZE surveys_response")
        else:
            cursor.execute("ANALYZE")


def _random_ids(rng, n, taken):
    ids = rng.integers(1, 2**62, size=n, dtype=np.int64)
    ids = np.unique(ids)
    while len(ids) < n:
        ids = np.unique(
            np.concatenate([ids, rng.integers(1, 2**62, size=n - len(ids), dtype=np.int64)])
        )
    rng.shuffle(ids)
    return ids[:n]


def build(rng):
    from django.contrib.auth import get_user_model

    from bewigan.people.models import Neighbourhood, Organisation, Person, Team, TeamMembership
    from surveys.models import Question, Survey, SurveyQuestion, Wave

    User = get_user_model()
    org = Organisation.objects.create(
        name="Bench Council", short_name="Bench", slug="bench", kind="council"
    )
    hoods = [
        Neighbourhood.objects.create(name=f"Hood {i}", slug=f"hood-{i}", population=40_000)
        for i in range(7)
    ]
    parents = Team.objects.bulk_create(
        [
            Team(name=f"Directorate {d}", code=f"dir-{d}", organisation=org)
            for d in range(DIRECTORATES)
        ]
    )
    teams = Team.objects.bulk_create(
        [
            Team(
                name=f"Team {d}-{t}",
                code=f"team-{d}-{t}",
                organisation=org,
                parent=parents[d],
                neighbourhood=hoods[(d + t) % 7],
            )
            for d in range(DIRECTORATES)
            for t in range(TEAMS_PER)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(email=f"b{i}@bench.example", password="!", first_name="B", last_name=str(i))
            for i in range(STAFF)
        ],
        batch_size=2000,
    )
    people = Person.objects.bulk_create(
        [Person(user=u, organisation=org, employee_number=f"B{i}") for i, u in enumerate(users)],
        batch_size=2000,
    )
    start = datetime.date(2020, 1, 1)
    TeamMembership.objects.bulk_create(
        [
            TeamMembership(person=p, team=teams[i % len(teams)], start_date=start)
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    themes = [
        "wellbeing",
        "wellbeing",
        "involvement",
        "advocacy",
        "recognition",
        "innovation",
        "other",
        "other",
        "other",
        "other",
    ]
    questions = [
        Question.objects.create(kind="agreement", text=f"Bench item {i}", theme=th)
        for i, th in enumerate(themes)
    ]
    questions.append(Question.objects.create(kind="enps", text="Bench recommend", theme="enps"))
    questions.append(
        Question.objects.create(
            kind="single", text="Bench where", theme="other", choices=["A", "B", "C"]
        )
    )
    survey = Survey.objects.create(title="Bench pulse", frequency="monthly")
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(survey=survey, question=q, order=i) for i, q in enumerate(questions)
    )
    today = timezone.localdate()
    waves = []
    for n in range(1, WAVES + 1):
        opens = today - datetime.timedelta(days=30 * (WAVES + 1 - n))
        w = Wave.objects.create(
            survey=survey, number=n, opens_on=opens, closes_on=opens + datetime.timedelta(days=13)
        )
        w.organisations.set([org])
        waves.append(w)
    team_ids = np.array([t.pk for t in teams], dtype=np.int64)
    team_hood = np.array([t.neighbourhood_id for t in teams], dtype=np.int64)
    team_effect = rng.normal(0, 0.4, size=len(teams))
    return org, survey, questions, waves, team_ids, team_hood, team_effect, people


def generate_wave(
    rng, wave_id, n_responses, org_id, team_ids, team_hood, team_effect, questions, month
):
    team_index = rng.integers(0, len(team_ids), size=n_responses)
    ids = _random_ids(rng, n_responses, None)
    ages = rng.integers(0, 5, size=n_responses)
    age_codes = np.array(["", "under-25", "25-34", "35-49", "50-plus"], dtype=object)[ages]
    latent = team_effect[team_index] + rng.normal(0, 0.5, size=n_responses) + 0.02 * month
    response_rows = np.empty((n_responses, 6), dtype=object)
    response_rows[:, 0] = ids
    response_rows[:, 1] = wave_id
    response_rows[:, 2] = org_id
    response_rows[:, 3] = team_ids[team_index]
    response_rows[:, 4] = team_hood[team_index]
    response_rows[:, 5] = age_codes
    _insert(
        "surveys_response",
        ["id", "wave_id", "organisation_id", "team_id", "neighbourhood_id", "age_band"],
        response_rows,
    )
    blocks = []
    teams_col = team_ids[team_index]
    hoods_col = team_hood[team_index]
    for q in questions:
        if q.kind == "agreement":
            values = np.clip(np.rint(3.4 + latent + rng.normal(0, 0.8, n_responses)), 1, 5)
        elif q.kind == "enps":
            values = np.clip(np.rint(6.8 + 1.6 * latent + rng.normal(0, 1.6, n_responses)), 0, 10)
        else:
            values = rng.integers(0, 3, size=n_responses)
        blocks.append(
            np.column_stack(
                [
                    ids,
                    np.full(n_responses, wave_id),
                    np.full(n_responses, q.pk),
                    values.astype(np.int64),
                    np.full(n_responses, org_id),
                    teams_col,
                    hoods_col,
                    ages,
                ]
            )
        )
    answers = np.concatenate(blocks)
    answer_ids = _random_ids(rng, len(answers), None)
    age_names = np.array(["", "under-25", "25-34", "35-49", "50-plus"], dtype=object)
    rows = np.column_stack([answer_ids, answers[:, :7]]).astype(object)
    rows = np.column_stack([rows, age_names[answers[:, 7]]])
    _insert(
        "surveys_answer",
        [
            "id",
            "response_id",
            "wave_id",
            "question_id",
            "value",
            "organisation_id",
            "team_id",
            "neighbourhood_id",
            "age_band",
        ],
        rows,
    )
    return len(answers)


def main():
    from bewigan.core import sealed
    from bewigan.core.models import User
    from surveys.models import Answer, GroupResult, Participation, Response, Wave
    from surveys.services import answers_channel, wave_refresh_results, wave_release_answers

    fresh_database()
    rng = np.random.default_rng(2026)
    figures = {"database": connection.vendor, "staff": STAFF}
    t = time.perf_counter()
    org, survey, questions, waves, team_ids, team_hood, team_effect, people = build(rng)
    figures["build_people_seconds"] = round(time.perf_counter() - t, 1)

    t = time.perf_counter()
    total = 0
    for i, wave in enumerate(waves):
        total += generate_wave(
            rng, wave.pk, int(STAFF * RATE), org.pk, team_ids, team_hood, team_effect, questions, i
        )
    figures["answers"] = total
    figures["generate_answers_seconds"] = round(time.perf_counter() - t, 1)
    _analyze()

    t = time.perf_counter()
    for wave in waves:
        wave_refresh_results(wave, force=True)
    figures["refresh_all_waves_seconds"] = round(time.perf_counter() - t, 1)
    last = waves[-1]
    figures["groups_per_wave"] = GroupResult.objects.filter(wave=last).count()

    # One wave of ~1M answers (a partnership-sized wave: 83k responses).
    big = Wave.objects.create(
        survey=survey,
        number=WAVES + 1,
        opens_on=last.opens_on + datetime.timedelta(days=1),
        closes_on=last.closes_on,
    )
    big.organisations.set([org])
    n_big = BIG_WAVE_ANSWERS // len(questions)
    generate_wave(rng, big.pk, n_big, org.pk, team_ids, team_hood, team_effect, questions, WAVES)
    _analyze()
    figures.update(measure_recompute(big))

    admin = User.objects.create_user(
        "bench@bench.example", "bench-password-123", is_superuser=True, is_staff=True
    )
    client = Client()
    client.force_login(admin)
    team_scope = GroupResult.objects.filter(wave=last, level="team", suppressed=False).first().scope
    figures["team_results_ms"] = time_requests(
        client, f"/surveys/waves/{last.pk}/results/?scope={team_scope}"
    )
    figures["org_results_ms"] = time_requests(
        client, f"/surveys/waves/{last.pk}/results/?scope=org:{org.pk}"
    )
    figures["org_heatmap_teams_ms"] = time_requests(
        client, f"/surveys/waves/{last.pk}/heatmap/?level=team", n=10
    )
    figures["heatmap_neighbourhoods_ms"] = time_requests(
        client, f"/surveys/waves/{last.pk}/heatmap/?level=hood"
    )
    figures["surveys_index_ms"] = time_requests(client, "/surveys/", n=10)

    # Concurrent submissions to an open wave.
    today = timezone.localdate()
    live = Wave.objects.create(
        survey=survey,
        number=WAVES + 2,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=9),
    )
    live.organisations.set([org])
    # As in production (the database task backend): nothing is queued.
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        figures["submissions"] = _submit_concurrently(live, people[:SUBMISSIONS], questions)
    # Sealed answers are released in shuffled batches as they come (each
    # submitting process releases after its commit once twice the minimum
    # wait); the wave's close releases the rest.
    figures["released_while_open"] = Response.objects.filter(wave=live).count()
    figures["sealed_at_close"] = sealed.pending(answers_channel(live.pk))
    Wave.objects.filter(pk=live.pk).update(closes_on=today - datetime.timedelta(days=1))
    live.refresh_from_db()
    t = time.perf_counter()
    wave_release_answers(live)
    figures["final_release_ms"] = round((time.perf_counter() - t) * 1000, 1)
    figures["submissions_lost_or_duplicated"] = (
        SUBMISSIONS - Participation.objects.filter(wave=live).count(),
        Response.objects.filter(wave=live).count() - SUBMISSIONS,
    )
    assert Participation.objects.filter(wave=live).count() == SUBMISSIONS, "lost submissions"
    assert Response.objects.filter(wave=live).count() == SUBMISSIONS, "lost or duplicate responses"
    assert Answer.objects.filter(wave=live).count() == SUBMISSIONS * len(questions)
    # Issue 12's targets, recorded beside the figures (a busy machine can miss
    # them; the load average is recorded too).
    figures["targets"] = {
        "submissions_per_second_at_least_200_on_postgresql": (
            figures["submissions"]["per_second"] >= 200 or connection.vendor != "postgresql"
        ),
        "team_results_under_50_ms": figures["team_results_ms"] < 50,
        "org_heatmap_under_500_ms": figures["org_heatmap_teams_ms"] < 500,
    }
    figures["peak_rss_mb"] = max(peak_rss_mb(), _peak_before_reset)
    figures["load_average_1m_at_end"] = round(os.getloadavg()[0], 1)
    return figures


def measure_recompute(wave, runs=3):
    """Time a forced refresh of one wave `runs` times. Forced, every run
    recomputes and rewrites every group (none is skipped as unchanged), so
    each is the full cost. Also the peak resident memory of this process
    while refreshing (Linux: the high-water mark is reset first)."""
    from surveys.models import Answer
    from surveys.services import wave_refresh_results

    figures = {"load_average_1m_before_recompute": round(os.getloadavg()[0], 1)}
    before = _rss_mb("VmRSS")
    peak_reset = _reset_peak_rss()
    samples, cpu, db_cpu = [], [], []
    for _ in range(runs):
        t, c, d = time.perf_counter(), time.process_time(), _database_cpu()
        wave_refresh_results(wave, force=True)
        samples.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        if d is not None:
            db_cpu.append(_database_cpu() - d)
    figures["refresh_1m_answers_seconds"] = round(min(samples), 2)
    figures["refresh_big_wave_answers"] = Answer.objects.filter(wave=wave).count()
    figures["refresh_big_wave_python_cpu_seconds"] = round(min(cpu), 2)
    figures["refresh_1m_answers_seconds_all_runs"] = [round(s, 2) for s in samples]
    if db_cpu:
        # On a busy machine the wall time mostly measures waiting for a core;
        # the CPU both processes used is what an idle machine would take.
        figures["refresh_database_cpu_seconds"] = round(min(db_cpu), 2)
        figures["refresh_cpu_both_processes_all_runs"] = [
            round(a + b, 2) for a, b in zip(cpu, db_cpu, strict=True)
        ]
    if peak_reset and before is not None:
        figures["refresh_rss_before_mb"] = before
        figures["refresh_peak_rss_mb"] = _rss_mb("VmHWM")
    return figures


def _database_cpu():
    """CPU seconds used so far by this connection's PostgreSQL server process,
    when the server runs on this machine; otherwise None."""
    local = connection.settings_dict.get("HOST") in ("", "localhost", "127.0.0.1", "::1")
    if connection.vendor != "postgresql" or not local:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(field):
    """VmRSS / VmHWM of this process in MB (Linux only)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


_peak_before_reset = 0.0  # the whole run's peak survives the reset, for peak_rss_mb


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark for this process (Linux ≥ 4.0)."""
    global _peak_before_reset  # noqa: PLW0603
    _peak_before_reset = max(_peak_before_reset, _rss_mb("VmHWM") or 0.0)
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def recompute_only():
    """`python -m bench.bench_surveys`: time the 1M-answer recompute again on
    the database a full run left behind (its largest "Bench pulse" wave),
    without rebuilding anything or writing bench/results/. For iterating on
    the refresh."""
    from django.db.models import Count

    from surveys.models import Answer, Wave

    largest = (
        Answer.objects.filter(wave__survey__title="Bench pulse")
        .values("wave")
        .annotate(n=Count("*"))
        .order_by("-n")
        .first()
    )
    if largest is None:
        raise SystemExit("No bench data: run `python -m bench surveys` once first.")
    wave = Wave.objects.select_related("survey").get(pk=largest["wave"])
    return measure_recompute(wave)


def _cpu_ms(client, url, n=10):
    """Median CPU time of this process per request: the server time the
    request would take on an idle machine, minus database-server time."""
    client.get(url)
    samples = []
    for _ in range(n):
        c = time.process_time()
        client.get(url)
        samples.append((time.process_time() - c) * 1000)
    return round(sorted(samples)[n // 2], 1)


def _submit_chunk(args):
    """One client process: submit for each of its people, one by one."""
    from bewigan.people.models import Person
    from surveys.models import Wave
    from surveys.services import Submission, response_submit

    wave_id, person_ids, seed = args
    wave = Wave.objects.select_related("survey").get(pk=wave_id)
    questions = [item.question for item in wave.survey.items.select_related("question")]
    people = list(Person.objects.filter(pk__in=person_ids))
    local = np.random.default_rng(seed)
    errors = []
    for person in people:
        scores = {
            q.pk: int(
                local.integers(1, 6)
                if q.kind == "agreement"
                else local.integers(0, 11)
                if q.kind == "enps"
                else 0
            )
            for q in questions
        }
        try:
            response_submit(
                wave=wave,
                person=person,
                submission=Submission(scores=scores, multiple={}, comments={}),
            )
        except Exception as exc:  # noqa: BLE001 - report, don't hide
            errors.append(repr(exc))
    connection.close()
    return len(people), errors


def _submit_concurrently(wave, people, questions):
    """CLIENTS separate processes (like web workers), each with its own
    database connection, submitting at the same time."""
    import multiprocessing

    from django.db import connections

    chunks = [(wave.pk, [p.pk for p in people[i::CLIENTS]], i) for i in range(CLIENTS)]
    connections.close_all()  # never share a socket with forked children
    ctx = multiprocessing.get_context("fork")
    started = time.perf_counter()
    with ctx.Pool(CLIENTS) as pool:
        results = pool.map(_submit_chunk, chunks)
    seconds = time.perf_counter() - started
    errors = [e for _, errs in results for e in errs]
    assert not errors, errors[:3]
    return {
        "count": sum(n for n, _ in results),
        "clients": CLIENTS,
        "client_kind": "processes",
        "seconds": round(seconds, 2),
        "per_second": round(len(people) / seconds),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    for key, value in recompute_only().items():
        print(f"  {key}: {value}")
