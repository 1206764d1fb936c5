"""The demo shows partner boundaries: the council's HR and survey admins
reach WWL (and HR: Community Partners) through grants, nobody else; an
ended grant gives nothing; cross-organisation demo panels work within them."""

import pytest
from django.contrib.auth import get_user_model

from bewigan.partners.boundaries import HR, SURVEYS, organisations_in_reach
from bewigan.partners.models import DataSharingGrant
from bewigan.people.models import Organisation
from bewigan.privacy import demo_grants

pytestmark = pytest.mark.django_db


def test_demo_grants_are_idempotent_and_give_the_intended_reach():
    from bewigan.people import demo_data

    demo_data.seed()
    assert demo_grants.seed() == {"grants": 4}
    assert demo_grants.seed() == {"grants": 0}
    slugs = dict(Organisation.objects.values_list("pk", "slug"))
    users = get_user_model().objects
    hr = users.get(email="hr@wigan.gov.uk")
    assert {slugs[o] for o in organisations_in_reach(hr, HR)} == {
        "wigan-council",
        "wwl",
        "community-partners",
    }
    surveys = users.get(email="surveys@wigan.gov.uk")
    assert {slugs[o] for o in organisations_in_reach(surveys, SURVEYS)} == {"wigan-council", "wwl"}
    ended = DataSharingGrant.objects.get(sharing_organisation__slug="wigan-homes")
    assert ended.ends_on is not None and ended not in DataSharingGrant.objects.active()
    assert all(g.recorded_by == hr for g in DataSharingGrant.objects.all())


def test_demo_cross_organisation_panels_sit_within_the_grants():
    from bewigan.people import demo_data
    from recruitment import demo as recruitment_demo
    from recruitment.models import PanelMember
    from recruitment.selectors import panel_organisations

    demo_data.seed()
    demo_grants.seed()
    recruitment_demo.seed()
    for seat in PanelMember.objects.select_related("vacancy__recruiting_manager", "user__person"):
        vacancy = seat.vacancy
        allowed = {
            o.pk for o in panel_organisations(user=vacancy.recruiting_manager, vacancy=vacancy)
        }
        assert seat.user.person.organisation_id in allowed, (vacancy.reference, seat.user.email)
