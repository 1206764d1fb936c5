"""The Wagtail page editor opens quickly on a partnership's worth of people
(issue #14): the story editor's people and owner lists cost a fixed number
of queries, not one per person (818 queries on the demo data before)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cms.factories import add_story
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _editor_queries(client, story) -> int:
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    client.get(url)  # warm per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_story_editor_queries_do_not_grow_with_the_people(client_for, story_index, comms_editor):
    story = add_story(story_index, title="A story", publish=False)
    client = client_for(comms_editor)
    PersonFactory.create_batch(5)
    few = _editor_queries(client, story)
    PersonFactory.create_batch(60)
    many = _editor_queries(client, story)
    assert many == few, (few, many)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).content.decode()
    assert html.count("<option") > 65  # every person is still offered
