"""handler500 turns a database outage into the friendly 503 page."""

from django.db import InterfaceError, OperationalError
from django.test import RequestFactory

from bewigan.core.views import server_error


def _answer(exc):
    try:
        raise exc
    except Exception:
        return server_error(RequestFactory().get("/"))


def test_database_errors_get_the_503_page():
    for exc in (
        OperationalError("connection refused"),
        InterfaceError("connection already closed"),
    ):
        response = _answer(exc)
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        body = response.content.decode()
        assert "Sorry, the service is unavailable" in body
        assert "connection" not in body and "Traceback" not in body


def test_other_errors_get_the_500_page():
    response = _answer(ValueError("boom"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()
    assert "boom" not in response.content.decode()
