"""No admin page, Django's or Wagtail's, shows private notes, private
shout-outs, who was asked for 360 feedback or notification bodies: not even
to a superuser (issue #16). A superuser walks every admin page that takes
no argument and every Django admin change page, and none shows the
confidential text."""

import datetime

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.snippets.models import get_snippet_models

from appraisals import services as appraisals_services
from appraisals.models import FeedbackRequest, PrivateNote, ShoutOut
from bewigan.core.models import Notification
from bewigan.core.services import notify
from bewigan.values.models import Value
from tests.privacy.sar_fixtures import superuser  # noqa: F401

pytestmark = pytest.mark.django_db

NOTE = "MARK-ADMIN-PRIVATE-NOTE"
SHOUT = "MARK-ADMIN-PRIVATE-SHOUT-OUT"
ROUND = "MARK-ADMIN-360-MESSAGE"
BODY = "MARK-ADMIN-NOTIFICATION-BODY"
MARKERS = (NOTE, SHOUT, ROUND, BODY)
CONFIDENTIAL_MODELS = {PrivateNote, ShoutOut, FeedbackRequest, Notification}


@pytest.fixture
def confidential(staff, line_manager, colleague):
    conversation = appraisals_services.conversation_plan(
        actor=staff,
        person=staff.person,
        meeting_date=timezone.localdate() + datetime.timedelta(days=7),
    )
    appraisals_services.private_note_save(actor=line_manager, conversation=conversation, text=NOTE)
    value = Value.objects.first()
    if value is None:
        pytest.skip("the values framework is seeded by a migration")
    appraisals_services.shout_out_give(
        actor=line_manager, recipient=staff.person, value=value, message=SHOUT, is_public=False
    )
    appraisals_services.feedback_round_create(
        actor=staff,
        subject=staff.person,
        raters=[colleague.person],
        message=ROUND,
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    notify(recipient=staff, title="A message", body=BODY, kind="test", email=False)
    assert PrivateNote.objects.filter(text=NOTE).exists()
    assert Notification.objects.filter(body__contains=SHOUT).exists()  # the shout-out's
    return staff


def _admin_urls() -> list[str]:
    """Every admin route (Django's and Wagtail's) that takes no argument."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                if any(c in route for c in "<(^$?\\") or not route.startswith(
                    ("admin/", "django-admin/")
                ):
                    continue
                # sign-in and -out, and Wagtail's deliberate error page
                if any(word in route for word in ("logout", "login", "failwhale")):
                    continue
                found.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_no_confidential_model_is_in_any_admin(confidential):
    assert not CONFIDENTIAL_MODELS & set(admin.site._registry)
    assert not CONFIDENTIAL_MODELS & set(get_snippet_models())


def test_a_superuser_sees_no_confidential_text_on_any_admin_page(
    confidential,
    superuser,  # noqa: F811
    client_for,
):
    client = client_for(superuser)
    urls = _admin_urls()
    assert "/admin/" in urls and "/django-admin/" in urls  # the walk found both admins
    pages = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        html = response.content.decode()
        for marker in MARKERS:
            assert marker not in html, (marker, url)
    # Django admin: every registered model's list and change pages.
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        listing = client.get(reverse(f"{info}_changelist"))
        assert listing.status_code == 200, info
        html = listing.content.decode()
        for obj in model._default_manager.all()[:3]:
            change = client.get(reverse(f"{info}_change", args=[obj.pk]))
            html += change.content.decode()
        for marker in MARKERS:
            assert marker not in html, (marker, info)
        pages += 1
    assert pages > 20
