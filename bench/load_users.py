"""Sign-ins for load tests: seeded members of staff with a verified email.

Run inside Django (`manage.py shell -c "from bench.load_users import main; main(50)"`):
prints one email per line. The seeded password is the demo one.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from bewigan.people.demo import DEMO_PASSWORD, DEMO_SIGN_INS

PASSWORD = DEMO_PASSWORD


@transaction.atomic
def ensure_load_users(n: int) -> list[str]:
    from allauth.account.models import EmailAddress

    demo = {d.email for d in DEMO_SIGN_INS}
    users = (
        get_user_model()
        .objects.filter(is_active=True, person__isnull=False, groups__name="Staff")
        .exclude(email__in=demo)
        .exclude(groups__name__in=["HR admin", "Survey admin", "Recruiting manager"])
        .order_by("pk")
        .distinct()[:n]
    )
    emails = []
    for user in users:
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        emails.append(user.email)
    if len(emails) < n:
        raise RuntimeError(f"only {len(emails)} staff to sign in as; run seed_demo first")
    return emails


def main(n: int = 50) -> None:
    print("\n".join(ensure_load_users(n)))
