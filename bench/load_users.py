"""Sign-ins for load tests: seeded members of staff with a verified email,
a line manager, and an upcoming my time with that manager whose shared
agenda they can add talking points to (the load test's agenda edit).

Run inside Django (`manage.py shell -c "from bench.load_users import main; main(50)"`):
prints one email per line. The seeded password is the demo one.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bewigan.people.demo import DEMO_PASSWORD, DEMO_SIGN_INS

PASSWORD = DEMO_PASSWORD
# Far enough ahead that a template database built today still lists the
# my time under "Coming up" on /my-time/ for weeks (planned, unrecorded
# conversations stay there until 31 days after the meeting date).
MY_TIME_IN_DAYS = 28


def ensure_upcoming_my_time(user, *, today: datetime.date):
    """The person's next my time with their current manager, not yet
    confirmed (so both may add talking points); planned through the
    appraisals service, as the person would from /my-time/, if missing."""
    from appraisals import services
    from appraisals.models import Conversation

    person = user.person
    upcoming = (
        Conversation.objects.filter(
            person=person,
            manager_id=person.line_manager_id,
            kind=Conversation.Kind.MY_TIME,
            meeting_date__gte=today,
        )
        .filter(Q(person_confirmed_at__isnull=True) | Q(manager_confirmed_at__isnull=True))
        .order_by("meeting_date")
        .first()
    )
    return upcoming or services.conversation_plan(
        actor=user,
        person=person,
        meeting_date=today + datetime.timedelta(days=MY_TIME_IN_DAYS),
    )


@transaction.atomic
def ensure_load_users(n: int) -> list[str]:
    from allauth.account.models import EmailAddress

    today = timezone.localdate()
    demo = {d.email for d in DEMO_SIGN_INS}
    still_here = Q(person__leaver_date__isnull=True) | Q(person__leaver_date__gt=today)
    manager_here = Q(person__line_manager__leaver_date__isnull=True) | Q(
        person__line_manager__leaver_date__gt=today
    )
    users = (
        get_user_model()
        .objects.filter(is_active=True, person__isnull=False, groups__name="Staff")
        .filter(still_here, manager_here, person__line_manager__user__is_active=True)
        .exclude(email__in=demo)
        .exclude(groups__name__in=["HR admin", "Survey admin", "Recruiting manager"])
        .select_related("person__line_manager__user")
        .order_by("pk")
        .distinct()[:n]
    )
    emails = []
    for user in users:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        ensure_upcoming_my_time(user, today=today)
        emails.append(user.email)
    if len(emails) < n:
        raise RuntimeError(f"only {len(emails)} staff to sign in as; run seed_demo first")
    return emails


def main(n: int = 50) -> None:
    print("\n".join(ensure_load_users(n)))
