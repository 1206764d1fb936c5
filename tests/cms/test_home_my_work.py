"""The home page's "My work" panel with the real providers (appraisals,
recruitment, surveys) and the per-worker cache on, as in production: items
appear and leave at once after the write that causes them, and the page's
queries stay at most 12, also when every provider runs, and do not grow
with the number of items."""

import datetime

import pytest
from django.utils import timezone

from appraisals import services as appraisals_services
from bewigan.core import work
from surveys import services as surveys_services
from surveys.models import Survey
from surveys.services import Submission
from tests.conftest import make_persona
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.BEWIGAN_MY_WORK_CACHE_SECONDS = 300  # as in production
    settings.BEWIGAN_CMS_CACHE_SECONDS = 30
    work.memo_clear()
    yield
    work.memo_clear()


def test_an_item_appears_and_leaves_the_home_page_at_once(
    client_for, home, staff, line_manager, survey_admin, organisation
):
    client = client_for(staff)
    assert "Answer Pulse" not in client.get("/").content.decode()
    survey = make_survey(title="Pulse", frequency=Survey.Frequency.ONCE)
    [wave] = surveys_services.survey_schedule_waves(
        user=survey_admin,
        survey=survey,
        first_opens_on=timezone.localdate(),
        open_days=7,
        count=1,
        organisations=[organisation],
    )
    html = client.get("/").content.decode()
    assert "Answer Pulse (wave 1)" in html and 'id="my-work-heading"' in html
    scores, comments = {}, {}
    for item in survey.items.select_related("question"):
        if item.question.kind == "text":
            comments[item.question_id] = "More time"
        else:
            scores[item.question_id] = {"agreement": 4, "enps": 8, "single": 1}[item.question.kind]
    surveys_services.response_submit(
        wave=wave,
        person=staff.person,
        submission=Submission(scores=scores, multiple={}, comments=comments),
    )
    assert "Answer Pulse" not in client.get("/").content.decode()
    # ... and the manager's list changes when a my time is planned.
    manager = client_for(line_manager)
    assert "Plan a my time with Sam Turner" in manager.get("/").content.decode()
    appraisals_services.conversation_plan(
        actor=line_manager,
        person=staff.person,
        meeting_date=timezone.localdate() + datetime.timedelta(days=5),
    )
    html = manager.get("/").content.decode()
    assert "Plan a my time with Sam Turner" not in html
    assert "Add talking points for your my time with Sam Turner" in html


def test_home_queries_with_every_provider_stay_within_12_and_do_not_grow(
    client_for, home, line_manager, organisation, team, django_assert_max_num_queries
):
    client = client_for(line_manager)
    counts = []
    for reports in (2, 25):
        for i in range(len(counts) and 2, reports):  # new people: everyone's work changes
            make_persona(
                organisation,
                team,
                f"report{i}@wigan.gov.uk",
                manager=line_manager.person,
                first_name=f"Report{i}",
            )
        client.get("/")  # the intranet's own per-worker caches, as a running worker has them
        work.my_work_changed([line_manager.pk])
        # A visit after a change: every provider runs.
        with django_assert_max_num_queries(12) as first:
            html = client.get("/").content.decode()
        assert html.count("Plan a my time with Report") == reports
        # Kept: the providers' queries become one cache read.
        with django_assert_max_num_queries(12) as kept:
            assert client.get("/").status_code == 200
        counts.append((len(first.captured_queries), len(kept.captured_queries)))
    assert counts[0] == counts[1]
    assert counts[0][1] <= counts[0][0] - 6
