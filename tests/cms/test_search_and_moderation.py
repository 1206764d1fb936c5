import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from cms import services
from cms.models import InnovationStoryPage, StoryIndexPage
from cms.selectors import highlight
from tests.cms.factories import IdeaFactory, add_news, add_story, current_value

pytestmark = pytest.mark.django_db


def test_highlight_escapes_first_then_marks():
    out = highlight('<script>alert("reablement")</script> & Reablement', "reablement amp")
    assert "<script>" not in out
    assert out.count("<mark>") == 2
    assert "&amp;" in out  # "amp" is never marked inside an entity
    assert "&<mark>" not in out


def test_search_finds_pages_and_ideas_with_highlights(client_for, story_index, news_index, staff):
    add_story(
        story_index,
        title="Reablement kit library",
        summary="Small aids lent on the first reablement visit.",
    )
    add_news(news_index, title="Reablement service rated good", summary="Inspectors praised it.")
    IdeaFactory(
        title="Reablement van sharing", description="Share one van between two reablement teams."
    )
    IdeaFactory(title="Parking permits", description="Nothing to do with it.")
    client = client_for(staff)
    html = client.get(reverse("cms:search"), {"q": "reablement"}).content.decode()
    assert "<mark>Reablement</mark> kit library" in html
    assert "<mark>Reablement</mark> service rated good" in html
    assert "<mark>Reablement</mark> van sharing" in html
    assert "Parking permits" not in html
    html = client.get(reverse("cms:search"), {"q": "reablement", "type": "ideas"}).content.decode()
    assert "van sharing" in html and "kit library" not in html
    html = client.get(reverse("cms:search"), {"q": "reablement", "type": "news"}).content.decode()
    assert "service rated good" in html and "kit library" not in html and "van sharing" not in html
    html = client.get(
        reverse("cms:search"), {"q": "reablement", "type": "ideas", "status": "adopted"}
    ).content.decode()
    assert "van sharing" not in html
    html = client.get(reverse("cms:search"), {"q": "  "}).content.decode()
    assert "Enter a word or phrase to search for" in html


def test_search_escapes_user_text(client_for, staff):
    IdeaFactory(title="<img src=x onerror=alert(1)> reablement")
    html = (
        client_for(staff)
        .get(reverse("cms:search"), {"q": "reablement", "type": "ideas"})
        .content.decode()
    )
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_staff_story_goes_through_comms_approval(client_for, story_index, staff, comms_editor):
    client = client_for(staff)
    response = client.post(
        reverse("cms:story_write"),
        {
            "title": "Our huddle",
            "summary": "Fifteen minutes that changed our mornings.",
            "text": "We meet at nine.\n\n<script>alert(1)</script>",
            "values": [current_value().pk],
        },
    )
    assert response.status_code == 302
    story = InnovationStoryPage.objects.get(title="Our huddle")
    assert not story.live
    assert "&lt;script&gt;" in str(story.body) and "<script>" not in str(story.body)
    state = WorkflowState.objects.get(object_id=str(story.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.current_task_state.task.name == "Comms editor approval"
    # Staff cannot publish, or even open the admin.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[story.pk])).status_code == 403
    assert client.get(story.url or "/stories/our-huddle/").status_code == 404
    # The comms editor approves; approval of the only task publishes the page.
    task_state = state.current_task_state.specific
    task_state.task.specific.on_action(task_state, comms_editor, "approve")
    story.refresh_from_db()
    assert story.live
    assert client.get(story.url).status_code == 200


def test_story_form_errors_and_staff_cannot_approve(client_for, story_index, staff, colleague):
    client = client_for(staff)
    response = client.post(reverse("cms:story_write"), {"title": "", "summary": "", "text": " "})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a title" in html and "Enter a summary" in html and "Enter your story" in html
    story = services.story_submit_draft(user=staff, title="T", summary="S", text="Body")
    state = WorkflowState.objects.get(object_id=str(story.pk))
    task = state.current_task_state.task.specific
    assert not task.user_can_access_editor(story, colleague)
    assert task.get_actions(story, colleague) == []


def test_comms_editor_can_edit_and_publish_in_admin(client_for, story_index, comms_editor):
    assert StoryIndexPage.objects.count() == 1
    response = client_for(comms_editor).get(
        reverse("wagtailadmin_pages:add_subpage", args=[story_index.pk])
    )
    # Stories are the only page type allowed there: straight to its form.
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailadmin_pages:add", args=["cms", "innovationstorypage", story_index.pk]
    )
    story = add_story(story_index, title="Draft by comms", publish=False)
    response = client_for(comms_editor).get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert response.status_code == 200
    assert story.permissions_for_user(comms_editor).can_publish()
