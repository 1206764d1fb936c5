"""A short load test in CI (locust, headless, on loopback): members of staff
sign in, open the home page, answer a pulse survey and add talking points to
their next my time's agenda; no request fails and every acknowledged
submission is stored. The heavy version (50 users) is bench/bench_load.py."""

from bench.load import (
    run_locust,
    stored_email_adds,
    stored_survey_responses,
    stored_talking_points,
)
from bench.stack import PG_ADMIN, stack_env


def test_short_load_no_errors_nothing_lost(scratch_db, redis_db, servers, load_users):
    env = stack_env(f"{PG_ADMIN}/{scratch_db}", redis_db, WEB_CONCURRENCY=2, WEB_THREADS=4)
    web = servers(env)
    responses_before = stored_survey_responses(scratch_db)

    figures = run_locust(host=web.url, emails=load_users, users=10, seconds=20)
    print(
        f"\nshort load test: {figures['requests']} requests, {figures['rps']} rps, "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, errors {figures['errors']}"
    )

    assert figures["requests"] > 40
    assert figures["errors"] == 0, figures["failures"]
    assert figures["exceptions"] == [], figures["exceptions"]
    assert figures["by_name"]["sign in"]["n"] == 10
    acknowledged = figures["acknowledged"].get("email_address", 0)
    assert acknowledged > 0
    assert stored_email_adds(scratch_db, figures["run"]) == acknowledged
    answered = figures["acknowledged"].get("survey_response", 0)
    print(f"pulse answers acknowledged: {answered}")
    assert stored_survey_responses(scratch_db) - responses_before == answered
    points_added = figures["acknowledged"].get("talking_point", 0)
    print(f"talking points acknowledged: {points_added}")
    assert points_added > 0, "the my-time agenda edit step ran"
    assert stored_talking_points(scratch_db, figures["run"]) == points_added


def test_morning_arrival_profile_short(scratch_db, redis_db, servers, load_users, monkeypatch):
    """The morning-peak profile of `make bench` (people arrive, sign in, read
    home, answer the pulse, add a talking point, sign out), shortened: each
    step runs, nothing fails and every acknowledged write is stored."""
    monkeypatch.setenv("LOAD_WAIT_MIN", "0.2")
    monkeypatch.setenv("LOAD_WAIT_MAX", "0.6")
    env = stack_env(f"{PG_ADMIN}/{scratch_db}", redis_db, WEB_CONCURRENCY=2, WEB_THREADS=4)
    web = servers(env)
    responses_before = stored_survey_responses(scratch_db)

    figures = run_locust(
        host=web.url, emails=load_users, users=6, seconds=15, spawn_rate=6, profile="MorningArrival"
    )

    assert figures["errors"] == 0, figures["failures"]
    assert figures["exceptions"] == [], figures["exceptions"]
    assert figures["by_name"]["sign in"]["n"] > 6, "people arrived one after another"
    assert figures["by_name"]["sign out"]["n"] > 0
    answered = figures["acknowledged"].get("survey_response", 0)
    assert answered > 0
    assert stored_survey_responses(scratch_db) - responses_before == answered
    points_added = figures["acknowledged"].get("talking_point", 0)
    assert points_added > 0, "the my-time step of each visit ran"
    assert stored_talking_points(scratch_db, figures["run"]) == points_added
