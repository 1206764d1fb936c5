"""Run bench/locustfile.py headless against a running server and read back
its figures (used by tests/production/test_load.py and bench/bench_load.py)."""

import csv
import json
import os
import subprocess
import tempfile
from pathlib import Path

from bench.stack import PASSWORD, PYTHON, ROOT, psql

LOCUST = str(Path(PYTHON).with_name("locust"))


def run_locust(
    *,
    host: str,
    emails: list[str],
    users: int,
    seconds: int,
    spawn_rate: float = 10,
    profile: str = "StaffMember",
) -> dict:
    """Returns rps, p50/p95 (ms), requests, errors, the failures by name and
    the acknowledged submissions. `profile` is the user class in
    bench/locustfile.py: StaffMember (a normal day) or MorningArrival."""
    with tempfile.TemporaryDirectory(prefix="bewigan-locust-") as tmp:
        users_file = Path(tmp) / "users.txt"
        users_file.write_text("\n".join(emails))
        result_file = Path(tmp) / "result.json"
        env = {
            **os.environ,
            "LOAD_USERS_FILE": str(users_file),
            "LOAD_PASSWORD": PASSWORD,
            "LOAD_RESULT_FILE": str(result_file),
            "PYTHONPATH": str(ROOT),
        }
        proc = subprocess.run(
            [
                LOCUST,
                "-f",
                "bench/locustfile.py",
                profile,
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                host,
                "--csv",
                f"{tmp}/run",
                "--only-summary",
                "--exit-code-on-error",
                "0",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        with open(f"{tmp}/run_stats.csv") as fh:
            rows = list(csv.DictReader(fh))
        failures = []
        failures_csv = Path(f"{tmp}/run_failures.csv")
        if failures_csv.exists():
            with failures_csv.open() as fh:
                failures = list(csv.DictReader(fh))
        # An exception inside a simulated user's step (a bug in the load
        # script) is not a request failure: locust lists it separately.
        exceptions = []
        exceptions_csv = Path(f"{tmp}/run_exceptions.csv")
        if exceptions_csv.exists():
            with exceptions_csv.open() as fh:
                exceptions = [f"{e['Count']}x {e['Message']}" for e in csv.DictReader(fh)]
        total = next(r for r in rows if r["Name"] == "Aggregated")
        result = json.loads(result_file.read_text())
    return {
        "users": users,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "by_name": {
            r["Name"]: {
                "n": int(r["Request Count"]),
                "p50_ms": float(r["50%"]),
                "p95_ms": float(r["95%"]),
            }
            for r in rows
            if r["Name"] != "Aggregated"
        },
        "failures": [f"{f['Name']}: {f['Error']} x{f['Occurrences']}" for f in failures],
        "exceptions": exceptions,
        "acknowledged": result["acknowledged"],
        "email_adds": result["email_adds"],
        "run": result["run"],
    }


def stored_email_adds(db: str, run: str) -> int:
    """Rows the server stored for this run's acknowledged submissions."""
    assert run.isalnum()
    return int(
        psql(f"SELECT count(*) FROM account_emailaddress WHERE email LIKE 'load-{run}-%'", db=db)  # noqa: S608
    )


def stored_survey_responses(db: str) -> int:
    """Pulse answers stored. Each is a participation row written at once,
    with its sealed answers in the same transaction; the answers reach
    surveys_response later, in shuffled batches (docs/adr/004), so that
    table is not the count of what was acknowledged."""
    return int(psql("SELECT count(*) FROM surveys_participation", db=db))


def stored_talking_points(db: str, run: str) -> int:
    """Talking points the server stored for this run's agenda edits."""
    assert run.isalnum()
    return int(
        psql(f"SELECT count(*) FROM appraisals_talkingpoint WHERE text LIKE 'load-{run}-%'", db=db)  # noqa: S608
    )
