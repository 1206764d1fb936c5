"""Demo data: the partnership's data protection officer (`manage.py
seed_demo`), dpo@wigan.gov.uk, Grace Holt of Wigan Council. Only a data
protection officer handles subject access packs, so the demo needs one.
Runs after the people seeder; idempotent."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from bewigan.people.demo import DEMO_PASSWORD, DemoSignIn
from bewigan.people.models import Organisation, Person

from .roles import DATA_PROTECTION_OFFICER

DPO_SIGN_IN = DemoSignIn(
    "dpo@wigan.gov.uk",
    "Data protection officer",
    "Grace",
    "Holt",
    ("Staff", DATA_PROTECTION_OFFICER),
)


@transaction.atomic
def seed(stdout=None) -> dict:
    council = Organisation.objects.filter(slug="wigan-council").first()
    if council is None:
        return {"data protection officer": None}
    User = get_user_model()
    user = User.objects.filter(email=DPO_SIGN_IN.email).first()
    if user is None:
        user = User.objects.create_user(
            email=DPO_SIGN_IN.email,
            password=DEMO_PASSWORD,
            first_name=DPO_SIGN_IN.first_name,
            last_name=DPO_SIGN_IN.last_name,
        )
    if not Person.objects.filter(user=user).exists():
        hr = Person.objects.filter(user__email="hr@wigan.gov.uk").first()
        Person.objects.create(
            user=user,
            organisation=council,
            employee_number="WC-DEMO-DPO",
            job_title="Data protection officer",
            line_manager=hr.line_manager if hr is not None else None,
        )
    user.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in DPO_SIGN_IN.groups])
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    if stdout is not None:
        stdout.write(f"  data protection officer: {DPO_SIGN_IN.email}")
    return {"data protection officer": DPO_SIGN_IN.email}
