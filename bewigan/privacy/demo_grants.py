"""Demo data-sharing grants (`manage.py seed_demo`), so partner boundaries
show in the demo:

- WWL shares its people with Wigan Council for HR: the council's HR admin
  (hr@wigan.gov.uk) sees WWL vacancies, and WWL staff can sit on council
  interview panels (the demo's cross-organisation panels).
- Wigan Community Partners shares with Wigan Council for HR (the council's
  recruiting manager runs the Community Partners vacancy).
- WWL shares with Wigan Council for surveys: the council's survey admin
  (surveys@wigan.gov.uk) opens WWL's team and organisation results.
- Wigan and Leigh Homes shared with the council for HR until last month:
  an ended grant, kept in the register, that gives no access.

Every other partner stays out of reach, so the demo also shows what an admin
does NOT see. Runs after the people seeder and before recruitment and
surveys. Idempotent: each grant is created once, by its agreement reference.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from bewigan.partners.models import DataSharingGrant
from bewigan.people.models import Organisation

GRANTS = [
    # reference, sharing slug, receiving slug, purpose, description, starts (days ago), ends (days from today)
    (
        "DEMO-DSA-2026-01",
        "wwl",
        "wigan-council",
        "hr",
        "Integrated community services: joint recruitment panels and HR casework for "
        "staff working in the integrated neighbourhood teams.",
        400,
        None,
    ),
    (
        "DEMO-DSA-2026-02",
        "community-partners",
        "wigan-council",
        "hr",
        "Social prescribing: the council recruits link workers for Community Partners.",
        200,
        None,
    ),
    (
        "DEMO-DSA-2026-03",
        "wwl",
        "wigan-council",
        "surveys",
        "Partnership staff survey: the council's survey team analyses WWL results.",
        300,
        None,
    ),
    (
        "DEMO-DSA-2025-09",
        "wigan-homes",
        "wigan-council",
        "hr",
        "Housing restructure (ended).",
        500,
        -30,
    ),
]


@transaction.atomic
def seed(stdout=None) -> dict:
    today = timezone.localdate()
    orgs = {o.slug: o for o in Organisation.objects.all()}
    recorder = get_user_model().objects.filter(email="hr@wigan.gov.uk").first()
    created = 0
    for reference, sharing, receiving, purpose, description, started, ends in GRANTS:
        if sharing not in orgs or receiving not in orgs:
            continue
        if DataSharingGrant.objects.filter(agreement_reference=reference).exists():
            continue
        DataSharingGrant.objects.create(
            sharing_organisation=orgs[sharing],
            receiving_organisation=orgs[receiving],
            purpose=purpose,
            agreement_reference=reference,
            description=description,
            starts_on=today - datetime.timedelta(days=started),
            ends_on=today + datetime.timedelta(days=ends) if ends is not None else None,
            recorded_by=recorder,
            recorded_at=timezone.now() - datetime.timedelta(days=started),
        )
        created += 1
    if stdout is not None:
        stdout.write(f"Data-sharing grants: {created} created")
    return {"grants": created}
