import datetime

import pytest
from django.utils import timezone

from appraisals import services


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def my_time(staff, today):
    """A planned my time between `staff` and `line_manager`, next week."""
    return services.conversation_plan(
        actor=staff, person=staff.person, meeting_date=today + datetime.timedelta(days=7)
    )


@pytest.fixture
def recorded(my_time, line_manager):
    return services.conversation_update(
        actor=line_manager,
        conversation=my_time,
        expected_version=my_time.version,
        data={
            "wellbeing_score": 4,
            "wellbeing_words": "Busy but good",
            "what_matters": "My course",
        },
    )


@pytest.fixture
def private_note(recorded, line_manager):
    return services.private_note_save(
        actor=line_manager, conversation=recorded, text="SECRET-NOTE: worried about workload"
    )


@pytest.fixture
def superuser(django_user_model, settings, mfa_exempt):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [*settings.BEWIGAN_MFA_EXEMPT_EMAILS, "root@wigan.gov.uk"]
    return django_user_model.objects.create_superuser(email="root@wigan.gov.uk", password="x")
