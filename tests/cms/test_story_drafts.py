"""Comms editors are told when a story draft waits for them (issue #14):
a notification (on the site and by email) and a Wagtail dashboard panel."""

import pytest
from django.urls import reverse

from bewigan.core.models import Notification
from cms import services
from tests.cms.factories import add_story

pytestmark = pytest.mark.django_db


def test_a_story_sent_from_the_front_end_tells_every_comms_editor(
    story_index, staff, comms_editor, colleague, mailoutbox
):
    story = services.story_submit_draft(
        user=staff, title="Our huddle moved outdoors", summary="S", text="Body"
    )
    assert story.slug == "our-huddle-moved-outdoors"
    note = Notification.objects.get(recipient=comms_editor, kind="story_draft")
    assert "Our huddle moved outdoors" in note.title
    assert note.url == reverse("wagtailadmin_pages:edit", args=[story.pk])
    assert "Sam Turner" in note.body
    assert not Notification.objects.filter(kind="story_draft").exclude(recipient=comms_editor)


def test_a_comms_editor_is_not_told_about_their_own_draft(story_index, comms_editor):
    story = add_story(story_index, title="Mine", publish=False)
    assert services.story_draft_tell_comms_editors(story=story, actor=comms_editor, body="") == 0


def test_the_dashboard_lists_story_drafts_for_comms_editors_only(
    client_for, story_index, staff, comms_editor
):
    services.story_submit_draft(user=staff, title="Waiting story", summary="S", text="Body")
    add_story(story_index, title="Published story", publish=True)
    html = client_for(comms_editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "Story drafts waiting for you" in html
    assert "Waiting story" in html and "Published story" not in html
    assert "Sam Turner" in html
    # Staff have no admin at all; the panel never shows them anything.
    assert client_for(staff).get(reverse("wagtailadmin_home")).status_code in (302, 403)
