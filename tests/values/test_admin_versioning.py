"""Editing the values framework in the Wagtail admin: drafts, publishing,
frozen published versions and who may do it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bewigan.values.forms import FROZEN_MESSAGE, ValueAdminForm
from bewigan.values.models import Behaviour, Framework, FrameworkVersion, Value
from bewigan.values.selectors import current_version
from bewigan.values.services import version_create_draft, version_publish
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/values-framework/"


@pytest.fixture
def framework(db):
    return Framework.objects.get(slug="bewigan")


@pytest.fixture
def published(framework):
    return framework.versions.get(number=1)


def value_edit_payload(value, **changes):
    """The POST a browser sends from the Wagtail edit form of a value."""
    behaviours = list(value.behaviours.order_by("sort_order"))
    data = {
        "version": value.version_id,
        "name": value.name,
        "key": value.key,
        "summary": value.summary,
        "order": value.order,
        "behaviours-TOTAL_FORMS": len(behaviours),
        "behaviours-INITIAL_FORMS": len(behaviours),
        "behaviours-MIN_NUM_FORMS": 1,
        "behaviours-MAX_NUM_FORMS": 1000,
    }
    for i, b in enumerate(behaviours):
        data.update(
            {
                f"behaviours-{i}-id": b.pk,
                f"behaviours-{i}-statement": b.statement,
                f"behaviours-{i}-key": b.key,
                f"behaviours-{i}-when_present": b.when_present,
                f"behaviours-{i}-when_absent": b.when_absent,
                f"behaviours-{i}-ORDER": i + 1,
                f"behaviours-{i}-DELETE": "",
            }
        )
    data.update(changes)
    return data


def edit_url(value):
    return reverse("wagtailsnippets_values_value:edit", args=[value.pk])


def test_hr_admin_sees_frameworks_and_versions(client_for, hr_admin, framework):
    response = client_for(hr_admin).get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "BeWigan values" in html and "BeWigan manager behaviours" in html
    assert "Create a new draft version" in html
    assert "Published, in use" in html


def test_values_framework_menu_item_for_hr_admin(client_for, hr_admin):
    response = client_for(hr_admin).get("/admin/")
    assert response.status_code == 200
    assert INDEX in response.content.decode()


def test_create_draft_copies_the_published_version(client_for, hr_admin, framework, published):
    response = client_for(hr_admin).post(reverse("values_admin:create_draft", args=[framework.pk]))
    draft = framework.versions.get(number=2)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?version={draft.pk}")
    assert draft.status == FrameworkVersion.Status.DRAFT and draft.created_by == hr_admin
    old = {(v.key, b.key, b.statement) for v in published.values.all() for b in v.behaviours.all()}
    new = {(v.key, b.key, b.statement) for v in draft.values.all() for b in v.behaviours.all()}
    assert new == old and len(new) == 12
    # New rows, not shared ones.
    assert not set(draft.values.values_list("pk", flat=True)) & set(
        published.values.values_list("pk", flat=True)
    )


def test_only_one_draft_at_a_time(client_for, hr_admin, framework):
    client = client_for(hr_admin)
    client.post(reverse("values_admin:create_draft", args=[framework.pk]))
    response = client.post(reverse("values_admin:create_draft", args=[framework.pk]), follow=True)
    assert "already a draft version" in response.content.decode()
    assert framework.versions.count() == 2


def test_create_draft_needs_post(client_for, hr_admin, framework):
    response = client_for(hr_admin).get(reverse("values_admin:create_draft", args=[framework.pk]))
    assert response.status_code == 405
    assert framework.versions.count() == 1


def test_draft_value_and_behaviours_can_be_edited(client_for, hr_admin, framework):
    draft = version_create_draft(framework=framework, user=hr_admin)
    value = draft.values.get(key="positive")
    first = value.behaviours.order_by("sort_order").first()
    payload = value_edit_payload(
        value, name="Positive and kind", **{"behaviours-0-statement": "I start from strengths"}
    )
    response = client_for(hr_admin).post(edit_url(value), payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    value.refresh_from_db()
    first.refresh_from_db()
    assert value.name == "Positive and kind"
    assert first.statement == "I start from strengths"


def test_published_value_cannot_be_edited_through_the_admin(client_for, hr_admin, published):
    value = published.values.get(key="positive")
    behaviour = value.behaviours.order_by("sort_order").first()
    client = client_for(hr_admin)

    page = client.get(edit_url(value), follow=True)
    assert "Published versions cannot change; create a new draft" in page.content.decode()
    assert page.redirect_chain[-1][0] == reverse(
        "wagtailsnippets_values_value:inspect", args=[value.pk]
    )

    payload = value_edit_payload(value, name="Rewritten", **{"behaviours-0-statement": "Rewritten"})
    response = client.post(edit_url(value), payload)
    assert response.status_code == 302
    value.refresh_from_db()
    behaviour.refresh_from_db()
    assert value.name == "Positive"
    assert behaviour.statement != "Rewritten"


def test_published_value_cannot_be_deleted_even_by_a_superuser(client, settings, published):
    root = UserFactory(email="root@wigan.gov.uk", is_superuser=True, is_staff=True)
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [root.email]
    client.force_login(root)
    value = published.values.get(key="positive")
    url = reverse("wagtailsnippets_values_value:delete", args=[value.pk])
    assert client.get(url).status_code == 302
    response = client.post(url, follow=True)
    assert "Published versions cannot change" in response.content.decode()
    assert Value.objects.filter(pk=value.pk).exists()


def test_value_form_refuses_a_frozen_value(published, hr_admin):
    value = published.values.get(key="accountable")
    form_class = Value.snippet_viewset.get_form_class()
    assert issubclass(form_class, ValueAdminForm)
    form = form_class(value_edit_payload(value, name="Changed"), instance=value, for_user=hr_admin)
    assert not form.is_valid()
    assert FROZEN_MESSAGE in str(form.errors)


def test_value_form_refuses_adding_to_a_published_version(published, framework, hr_admin):
    form_class = Value.snippet_viewset.get_form_class()
    data = value_edit_payload(
        Value(version=published, key="kind", name="Be Kind", summary="s", order=4)
    )
    data.update({"behaviours-TOTAL_FORMS": 0, "behaviours-INITIAL_FORMS": 0})
    form = form_class(data, instance=Value(), for_user=hr_admin)
    assert not form.is_valid()
    assert "version" in form.errors


def test_hr_admin_adds_a_fourth_value_to_a_draft(client_for, hr_admin, framework):
    draft = version_create_draft(framework=framework, user=hr_admin)
    data = {
        "version": draft.pk,
        "name": "Be Kind",
        "key": "kind",
        "summary": "We treat everyone with kindness.",
        "order": 4,
        "behaviours-TOTAL_FORMS": 1,
        "behaviours-INITIAL_FORMS": 0,
        "behaviours-MIN_NUM_FORMS": 1,
        "behaviours-MAX_NUM_FORMS": 1000,
        "behaviours-0-id": "",
        "behaviours-0-statement": "I am kind to colleagues under pressure",
        "behaviours-0-key": "kind-under-pressure",
        "behaviours-0-when_present": "Checks in on people.",
        "behaviours-0-when_absent": "Ignores stress.",
        "behaviours-0-ORDER": 1,
        "behaviours-0-DELETE": "",
    }
    response = client_for(hr_admin).post(reverse("wagtailsnippets_values_value:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert draft.values.filter(key="kind").get().behaviours.count() == 1


def test_publish_closes_the_previous_version(client_for, hr_admin, framework, published):
    draft = version_create_draft(framework=framework, user=hr_admin)
    start = timezone.localdate() + datetime.timedelta(days=7)
    response = client_for(hr_admin).post(
        reverse("values_admin:publish", args=[draft.pk]),
        {"effective_from": start.isoformat(), "change_note": "Added Be Kind"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == FrameworkVersion.Status.PUBLISHED
    assert draft.effective_from == start and draft.change_note == "Added Be Kind"
    assert published.effective_to == start
    assert current_version() == published
    assert current_version(on=start) == draft
    assert current_version(on=start - datetime.timedelta(days=1)) == published


def test_publish_refuses_a_past_date_and_bad_input(client_for, hr_admin, framework, published):
    draft = version_create_draft(framework=framework, user=hr_admin)
    client = client_for(hr_admin)
    url = reverse("values_admin:publish", args=[draft.pk])
    past = client.post(url, {"effective_from": "2020-01-01", "change_note": "x"})
    assert past.status_code == 200
    assert "today or later" in past.content.decode()
    bad = client.post(url, {"effective_from": "not a date", "change_note": ""})
    assert bad.status_code == 200
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == "draft" and published.effective_to is None


def test_published_version_cannot_be_published_again(client_for, hr_admin, published):
    response = client_for(hr_admin).get(
        reverse("values_admin:publish", args=[published.pk]), follow=True
    )
    assert "already published" in response.content.decode()


def test_past_records_keep_their_behaviour_rows(client_for, hr_admin, framework, published):
    old = Behaviour.objects.filter(value__version=published).order_by("pk")
    before = list(old.values_list("pk", "statement", "when_present", "when_absent"))
    draft = version_create_draft(framework=framework, user=hr_admin)
    value = draft.values.get(key="courageous")
    client = client_for(hr_admin)
    client.post(
        edit_url(value), value_edit_payload(value, **{"behaviours-0-statement": "New words"})
    )
    version_publish(version=draft, effective_from=timezone.localdate(), user=hr_admin)
    assert list(old.values_list("pk", "statement", "when_present", "when_absent")) == before


def test_staff_values_page_shows_the_new_version_from_its_date(
    client_for, staff, hr_admin, framework
):
    draft = version_create_draft(framework=framework, user=hr_admin)
    Value.objects.filter(version=draft, key="positive").update(name="Positive and kind")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    version_publish(version=draft, effective_from=tomorrow, user=hr_admin)
    client = client_for(staff)
    html = client.get("/values/").content.decode()
    assert "version 1" in html and "Positive and kind" not in html

    # Publishing from today takes effect at once.
    FrameworkVersion.objects.filter(pk=draft.pk).update(effective_from=timezone.localdate())
    FrameworkVersion.objects.filter(framework=framework, number=1).update(
        effective_to=timezone.localdate()
    )
    html = client.get("/values/").content.decode()
    assert "version 2" in html and "Positive and kind" in html


# No admin access at all: 403 at /admin/ (AdminAccessMiddleware). Admin access
# without the values permissions: Wagtail's "permission denied", a redirect to
# the dashboard.
DENIED = dict.fromkeys(["staff", "line_manager", "survey_admin"], (403, None))
DENIED["comms_editor"] = (302, "/admin/")


@pytest.mark.parametrize("persona", sorted(DENIED))
def test_others_cannot_use_the_values_admin(request, client_for, persona, framework):
    status, location = DENIED[persona]
    user = request.getfixturevalue(persona)
    client = client_for(user)
    value = framework.versions.get(number=1).values.first()
    for response in (
        client.get(INDEX),
        client.post(reverse("values_admin:create_draft", args=[framework.pk])),
        client.get(edit_url(value)),
    ):
        assert response.status_code == status
        assert response.get("Location") == location
    assert framework.versions.count() == 1


def test_values_admin_query_count_is_bounded(
    client_for, hr_admin, framework, django_assert_max_num_queries
):
    client = client_for(hr_admin)
    client.get(INDEX)
    with django_assert_max_num_queries(25) as small:
        client.get(INDEX)
    for _ in range(3):
        draft = version_create_draft(framework=framework, user=hr_admin)
        version_publish(
            version=draft,
            effective_from=FrameworkVersion.objects.filter(framework=framework)
            .exclude(pk=draft.pk)
            .order_by("-number")
            .first()
            .effective_from
            + datetime.timedelta(days=1),
            user=hr_admin,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(INDEX)
