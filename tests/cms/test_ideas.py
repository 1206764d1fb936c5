import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from bewigan.core.models import AuditEntry, Notification
from cms import services
from cms.models import (
    Idea,
    IdeaComment,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
    InnovationStoryPage,
)
from tests.cms.factories import IdeaFactory, current_value

pytestmark = pytest.mark.django_db


def _idea_post(**overrides):
    data = {
        "title": "Lend walking aids from libraries",
        "what_matters": "People wait weeks for a walking frame after a fall.",
        "description": "Keep a shelf of common aids in each library.",
        "value": current_value().pk,
        "support": ["time", "rule"],
        "support_detail": "Two hours a week",
    }
    data.update(overrides)
    return data


def _walk_to(idea, lead, status):
    path = {
        IdeaStatus.UNDER_REVIEW: [IdeaStatus.UNDER_REVIEW],
        IdeaStatus.SUPPORTED: [IdeaStatus.UNDER_REVIEW, IdeaStatus.SUPPORTED],
        IdeaStatus.TRIALLING: [IdeaStatus.UNDER_REVIEW, IdeaStatus.SUPPORTED, IdeaStatus.TRIALLING],
        IdeaStatus.ADOPTED: [
            IdeaStatus.UNDER_REVIEW,
            IdeaStatus.SUPPORTED,
            IdeaStatus.TRIALLING,
            IdeaStatus.ADOPTED,
        ],
    }[status]
    for step in path:
        idea = services.idea_status_change(
            user=lead, idea=idea, to_status=step, reason=f"Moving to {step}"
        )
    return idea


# --- Submitting ----------------------------------------------------------------


def test_staff_submits_an_idea_with_history_and_audit(client_for, staff, team):
    client = client_for(staff)
    response = client.post(reverse("cms:idea_create"), _idea_post(team=team.pk))
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == idea.get_absolute_url()
    assert idea.author == staff and idea.status == IdeaStatus.SUBMITTED
    assert idea.needs_time and idea.needs_rule_waived and not idea.needs_money
    assert idea.organisation == team.organisation
    assert list(idea.status_changes.values_list("to_status", flat=True)) == ["submitted"]
    assert AuditEntry.objects.filter(
        action="create", details__event="idea.submit", object_id=str(idea.pk)
    ).exists()
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Lend walking aids from libraries" in page and "Time, A rule waived" in page


def test_empty_and_overlong_submissions_get_clear_messages(client_for, staff):
    client = client_for(staff)
    response = client.post(
        reverse("cms:idea_create"),
        _idea_post(title="   ", what_matters="x" * 2001, description="", value=""),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html or "govuk-error-summary" in html
    assert "Enter a title for your idea" in html
    assert "Enter your idea" in html
    assert "Select the value your idea shows" in html
    assert "2000 characters" in html or "2,000" in html
    assert not Idea.objects.exists()


def test_idea_submissions_are_rate_limited(client_for, staff):
    client = client_for(staff)
    limit = services.RATE_LIMITS["idea"][0]
    for i in range(limit):
        assert (
            client.post(reverse("cms:idea_create"), _idea_post(title=f"Idea {i}")).status_code
            == 302
        )
    response = client.post(reverse("cms:idea_create"), _idea_post(title="One too many"))
    assert response.status_code == 429
    assert "Try again later" in response.content.decode()
    assert Idea.objects.count() == limit


def test_author_edits_only_before_review_and_nobody_else_can(
    client_for, staff, colleague, innovation_lead
):
    idea = IdeaFactory(author=staff)
    url = reverse("cms:idea_edit", args=[idea.pk])
    assert client_for(colleague).get(url).status_code == 403
    assert client_for(colleague).post(url, _idea_post(title="Hijacked")).status_code == 403
    response = client_for(staff).post(url, _idea_post(title="Better title"))
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Better title"
    _walk_to(idea, innovation_lead, IdeaStatus.UNDER_REVIEW)
    assert client_for(staff).get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.idea_update(user=staff, idea=idea, data={"title": "Too late"})


# --- Status workflow -----------------------------------------------------------


def test_lead_moves_idea_to_adopted_and_author_and_supporters_are_told(
    client_for, staff, colleague, innovation_lead, mailoutbox, django_capture_on_commit_callbacks
):
    idea = IdeaFactory(author=staff)
    services.idea_support(user=colleague, idea=idea)
    client = client_for(innovation_lead)
    url = reverse("cms:idea_status", args=[idea.pk])
    for step in ["under_review", "supported", "trialling", "adopted"]:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"to_status": step, "reason": f"Because {step}"})
        assert response.status_code == 302, response.content.decode()[:500]
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ADOPTED and idea.owner == innovation_lead
    history = list(idea.status_changes.values_list("to_status", "reason"))
    assert history[-1] == ("adopted", "Because adopted") and len(history) == 5
    assert Notification.objects.filter(recipient=staff, kind="idea_status").count() == 4
    assert Notification.objects.filter(recipient=colleague, kind="idea_status").count() == 4
    assert not Notification.objects.filter(recipient=innovation_lead, kind="idea_status").exists()
    assert any(staff.email in m.to for m in mailoutbox)
    # History and reasons are visible to everyone, not only the author.
    page = client_for(colleague).get(idea.get_absolute_url()).content.decode()
    assert "Because trialling" in page and "Adopted" in page


def test_status_change_needs_a_reason_and_an_allowed_step(client_for, innovation_lead):
    idea = IdeaFactory()
    client = client_for(innovation_lead)
    url = reverse("cms:idea_status", args=[idea.pk])
    response = client.post(url, {"to_status": "under_review", "reason": "   "})
    assert response.status_code == 400
    assert "Enter the reason for the change" in response.content.decode()
    response = client.post(url, {"to_status": "adopted", "reason": "Skip ahead"})
    assert response.status_code == 400
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.status_changes.count() == 1


@pytest.mark.parametrize("persona", ["staff", "colleague", "comms_editor", "line_manager"])
def test_only_innovation_leads_change_status(request, client_for, persona):
    user = request.getfixturevalue(persona)
    idea = IdeaFactory(author=request.getfixturevalue("staff"))
    client = client_for(user)
    response = client.post(
        reverse("cms:idea_status", args=[idea.pk]), {"to_status": "under_review", "reason": "Me"}
    )
    assert response.status_code == 403
    assert client.post(reverse("cms:idea_assign", args=[idea.pk]), {"owner": ""}).status_code == 403
    assert client.get(reverse("cms:triage")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.idea_status_change(user=user, idea=idea, to_status="under_review", reason="Me")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_merging_a_duplicate_moves_its_supporters(
    client_for, staff, colleague, outsider, innovation_lead
):
    original = IdeaFactory(title="Original")
    duplicate = IdeaFactory(title="Duplicate", author=staff)
    services.idea_support(user=colleague, idea=duplicate)
    services.idea_support(user=outsider, idea=original)
    services.idea_support(user=outsider, idea=duplicate)
    client = client_for(innovation_lead)
    url = reverse("cms:idea_status", args=[duplicate.pk])
    response = client.post(url, {"to_status": "merged", "reason": "Same idea", "merged_into": ""})
    assert (
        response.status_code == 400
        and "Enter the number of an existing idea" in response.content.decode()
    )
    response = client.post(
        url, {"to_status": "merged", "reason": "Same idea", "merged_into": original.pk}
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == IdeaStatus.MERGED and duplicate.merged_into == original
    assert set(original.supports.values_list("user__email", flat=True)) == {
        colleague.email,
        outsider.email,
    }
    assert original.supporter_count == 2
    assert "Merged into" in client.get(duplicate.get_absolute_url()).content.decode()


def test_assigning_an_owner(client_for, innovation_lead):
    idea = IdeaFactory()
    response = client_for(innovation_lead).post(
        reverse("cms:idea_assign", args=[idea.pk]), {"owner": innovation_lead.pk}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.owner == innovation_lead


# --- Support and comments ----------------------------------------------------------


def test_support_once_and_withdraw(client_for, staff, colleague):
    idea = IdeaFactory(author=staff)
    client = client_for(colleague)
    support = reverse("cms:idea_support", args=[idea.pk])
    assert client.post(support).status_code == 302
    assert client.post(support).status_code == 302
    idea.refresh_from_db()
    assert idea.supporter_count == 1 and IdeaSupport.objects.filter(idea=idea).count() == 1
    assert client.post(reverse("cms:idea_withdraw_support", args=[idea.pk])).status_code == 302
    idea.refresh_from_db()
    assert idea.supporter_count == 0 and not IdeaSupport.objects.exists()
    # Authors do not support their own idea; GET does nothing.
    assert client_for(staff).post(support).status_code == 403
    assert client.get(support).status_code == 405


def test_comments_are_plain_text_and_escaped(client_for, staff, colleague):
    idea = IdeaFactory(author=staff)
    client = client_for(colleague)
    body = '<script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">click</a>'
    response = client.post(reverse("cms:comment_add", args=[idea.pk]), {"body": body})
    assert response.status_code == 302
    html = client.get(idea.get_absolute_url()).content.decode()
    assert (
        "<script>alert(1)" not in html
        and 'href="javascript:' not in html
        and 'onclick="x()"' not in html
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Notification.objects.filter(recipient=staff, kind="idea_comment").exists()
    response = client.post(reverse("cms:comment_add", args=[idea.pk]), {"body": "   "})
    assert response.status_code == 400 and "Enter a comment" in response.content.decode()
    response = client.post(reverse("cms:comment_add", args=[idea.pk]), {"body": "x" * 2001})
    assert response.status_code == 400 and "2,000 characters or fewer" in response.content.decode()


def test_comment_edit_window_and_soft_delete_with_trace(
    client_for, staff, colleague, innovation_lead
):
    idea = IdeaFactory(author=staff)
    comment = services.comment_add(user=colleague, idea=idea, body="First thoughts")
    edit = reverse("cms:comment_edit", args=[comment.pk])
    assert client_for(staff).post(edit, {"body": "Not mine"}).status_code == 403
    assert client_for(colleague).post(edit, {"body": "Second thoughts"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Second thoughts" and comment.edited_at is not None
    IdeaComment.objects.filter(pk=comment.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    assert client_for(colleague).post(edit, {"body": "Too late"}).status_code == 403
    delete = reverse("cms:comment_delete", args=[comment.pk])
    assert client_for(staff).post(delete).status_code == 403
    assert client_for(colleague).post(delete).status_code == 302
    comment.refresh_from_db()
    assert comment.deleted_at is not None and comment.body == ""
    html = client_for(staff).get(idea.get_absolute_url()).content.decode()
    assert "Comment deleted by its author" in html and "Second thoughts" not in html
    other = services.comment_add(user=colleague, idea=idea, body="Rude")
    assert (
        client_for(innovation_lead).post(reverse("cms:comment_delete", args=[other.pk])).status_code
        == 302
    )
    assert (
        "deleted by an innovation lead"
        in client_for(staff).get(idea.get_absolute_url()).content.decode()
    )


def test_comments_are_rate_limited(staff):
    idea = IdeaFactory()
    limit = services.RATE_LIMITS["comment"][0]
    for i in range(limit):
        services.comment_add(user=staff, idea=idea, body=f"Comment {i}")
    with pytest.raises(services.RateLimited):
        services.comment_add(user=staff, idea=idea, body="One too many")


# --- Triage board ---------------------------------------------------------------


def test_triage_board_filters_and_waiting_ideas(
    client_for, innovation_lead, django_assert_max_num_queries
):
    old = IdeaFactory(title="Old and unanswered")
    Idea.objects.filter(pk=old.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=30)
    )
    IdeaFactory(title="Fresh idea")
    answered = IdeaFactory(title="Answered long ago")
    Idea.objects.filter(pk=answered.pk).update(
        status=IdeaStatus.SUPPORTED, status_changed_at=timezone.now() - datetime.timedelta(days=40)
    )
    client = client_for(innovation_lead)
    html = client.get(reverse("cms:triage"), {"waiting_days": 14}).content.decode()
    assert (
        "Old and unanswered" in html
        and "Fresh idea" not in html
        and "Answered long ago" not in html
    )
    html = client.get(reverse("cms:triage"), {"status": "supported"}).content.decode()
    assert "Answered long ago" in html and "Fresh idea" not in html
    response = client.get(reverse("cms:triage"), {"waiting_days": "soon"})
    assert "Enter a whole number of days" in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_idea_pages_query_counts_do_not_grow(
    client_for, staff, innovation_lead, count, django_assert_max_num_queries, settings
):
    settings.BEWIGAN_CMS_CACHE_SECONDS = 30  # as in production: filter options cached per worker
    ideas = IdeaFactory.create_batch(count)
    for idea in ideas[:5]:
        services.comment_add(user=innovation_lead, idea=idea, body="Noted")
        services.idea_support(user=staff, idea=idea)
    client = client_for(innovation_lead)
    client.get(reverse("cms:idea_list"))
    client.get(reverse("cms:triage"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cms:idea_list")).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(reverse("cms:triage")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(ideas[0].get_absolute_url()).status_code == 200


# --- Adopted idea → draft story ---------------------------------------------------------


def test_adopted_idea_becomes_a_linked_draft_story(
    client_for, story_index, staff, innovation_lead, comms_editor
):
    idea = IdeaFactory(author=staff, title="Kit library in every car")
    url = reverse("cms:idea_create_story", args=[idea.pk])
    assert client_for(innovation_lead).post(url).status_code == 403  # not adopted yet
    idea = _walk_to(idea, innovation_lead, IdeaStatus.ADOPTED)
    assert client_for(staff).post(url).status_code == 403
    response = client_for(innovation_lead).post(url)
    assert response.status_code == 302
    story = InnovationStoryPage.objects.get()
    assert not story.live and story.source_idea == idea and idea.stories.get() == story
    assert story.title == "Kit library in every car"
    assert list(story.values.all()) == [idea.value]
    assert list(story.people.all()) == [staff.person]
    assert "People wait too long" in str(story.body)
    assert "Moving to adopted" in str(story.body)
    # One action: a second click does not create a second story.
    client_for(comms_editor).post(url)
    assert InnovationStoryPage.objects.count() == 1
    assert (
        "A draft story is being written"
        in client_for(comms_editor).get(idea.get_absolute_url()).content.decode()
    )


def test_idea_status_history_is_append_only_record(innovation_lead):
    idea = _walk_to(IdeaFactory(), innovation_lead, IdeaStatus.SUPPORTED)
    assert list(
        IdeaStatusChange.objects.filter(idea=idea).values_list("from_status", "to_status")
    ) == [
        ("", "submitted"),
        ("submitted", "under_review"),
        ("under_review", "supported"),
    ]
