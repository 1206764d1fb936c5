"""Liveness checks nothing but the process; readiness reports the database
in its own words. Both answer before sessions, sign-in and MFA, so a
database outage cannot turn liveness red."""

import contextlib

import pytest
from django.db import OperationalError, connection


@contextlib.contextmanager
def database_down():
    """Every query fails the way it does while PostgreSQL is restarting."""

    def refuse(execute, sql, params, many, context):
        raise OperationalError("connection refused: the server is restarting")

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.parametrize("signed_in", [False, True])
def test_liveness_answers_200_while_the_database_is_down(client, staff, signed_in):
    if signed_in:
        client.force_login(staff)  # a session cookie: the session lives in the database
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("signed_in", [False, True])
def test_readiness_reports_the_database_while_it_is_down(client, staff, signed_in):
    if signed_in:
        client.force_login(staff)
    with database_down():
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "fail"


def test_readiness_is_200_when_everything_answers(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "tasks": "ok"}


def test_liveness_is_not_redirected_to_https(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True  # production; the probe speaks plain http
    assert client.get("/healthz").status_code == 200
