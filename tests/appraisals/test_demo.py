import pytest

from appraisals import demo, selectors
from appraisals.models import Conversation, FeedbackRound, PrivateNote, ShoutOut, TeamTime
from bewigan.people.models import Person

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_covers_the_stories():
    from bewigan.people import demo_data

    demo_data.seed()
    first = demo.seed()
    assert first == demo.seed()
    manager = Person.objects.get(user__email="manager@wigan.gov.uk")
    staff = Person.objects.get(user__email="staff@wigan.gov.uk")
    assert Conversation.objects.filter(person=staff, manager=manager).count() >= 12
    upcoming = selectors.my_time_home(user=staff.user).upcoming
    assert upcoming and upcoming[0].talking_points.count() == 3
    assert PrivateNote.objects.visible_to(manager.user).count() == 1
    assert PrivateNote.objects.visible_to(staff.user).count() == 0
    assert (
        ShoutOut.objects.filter(is_public=True).exists()
        and ShoutOut.objects.filter(is_public=False).exists()
    )
    assert TeamTime.objects.count() == 6
    summary = selectors.feedback_summary(feedback_round=FeedbackRound.objects.get(subject=staff))
    assert summary.anonymous_shown and summary.named_count == 2
    assert Conversation.objects.exclude(manager=manager).count() > 500
    assert len(selectors.manager_dashboard(user=manager.user)) >= 8
