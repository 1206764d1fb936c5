import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tests.people.factories import TeamFactory

from .factories import make_survey, make_wave


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.get_closest_marker("postgres") and connection.vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))


@pytest.fixture
def survey(db):
    return make_survey()


@pytest.fixture
def open_wave(survey, organisation):
    today = timezone.localdate()
    return make_wave(
        survey,
        opens_on=today - datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=7),
        organisations=[organisation],
    )


@pytest.fixture
def closed_wave(survey, organisation):
    today = timezone.localdate()
    return make_wave(
        survey,
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=30),
        organisations=[organisation],
        number=99,
    )


@pytest.fixture
def other_team(organisation):
    return TeamFactory(organisation=organisation, name="Libraries", code="libraries")
