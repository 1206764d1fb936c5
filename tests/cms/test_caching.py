"""The per-worker caches (cms.selectors.memo / memo_html) as a running worker
has them: lists and search results are shared only between people who may
see the same sections, and publishing or changing an idea shows at once."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from bewigan.core.services import notify
from bewigan.people import roles
from cms.models import StoryIndexPage
from tests.cms.factories import IdeaFactory, add_standard, add_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.BEWIGAN_CMS_CACHE_SECONDS = 30  # as in production


@pytest.fixture
def restricted_index(home):
    """A section for the Comms editor group only, with its own story index."""
    handbook = add_standard(home, title="Comms handbook", slug="comms-handbook")
    restriction = PageViewRestriction.objects.create(
        page=handbook, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.COMMS_EDITOR)])
    index = StoryIndexPage(title="Comms stories", slug="comms-stories")
    handbook.add_child(instance=index)
    index.save_revision().publish()
    return index


def test_cached_home_and_search_never_show_restricted_pages_to_others(
    cached, client_for, story_index, restricted_index, staff, comms_editor
):
    add_story(story_index, title="Open kettle story")
    secret = add_story(restricted_index, title="Secret kettle story")
    # The comms editor fills the caches first ...
    comms = client_for(comms_editor)  # (client_for signs the one test client in)
    assert "Secret kettle story" in comms.get("/").content.decode()
    assert "Secret <mark>kettle</mark> story" in (
        comms.get(reverse("cms:search"), {"q": "kettle"}).content.decode()
    )
    assert comms.get(secret.url).status_code == 200
    # ... and a member of staff, who may not see the section, never gets them.
    staff_client = client_for(staff)
    html = staff_client.get("/").content.decode()
    assert "Open kettle story" in html and "Secret kettle story" not in html
    html = staff_client.get(reverse("cms:search"), {"q": "kettle"}).content.decode()
    assert "Open <mark>kettle</mark> story" in html and "Secret" not in html
    # Serving the restricted page itself is checked against the database every time.
    assert staff_client.get(secret.url).status_code != 200


def test_new_restriction_applies_at_once_when_served(cached, client_for, home, staff):
    page = add_standard(home, title="Rota", slug="rota")
    staff_client = client_for(staff)
    assert staff_client.get(page.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.COMMS_EDITOR)])
    assert staff_client.get(page.url).status_code != 200


def test_cached_story_index_is_per_filter_and_page_and_refreshed_on_publish(
    cached, client_for, story_index, staff
):
    add_story(story_index, title="First story")
    client = client_for(staff)
    assert "1 story" in client.get(story_index.url).content.decode()
    assert "No stories match" in client.get(story_index.url, {"tag": "bikes"}).content.decode()
    add_story(story_index, title="Second story")  # publishing clears the caches
    html = client.get(story_index.url).content.decode()
    assert "2 stories" in html and "Second story" in html
    assert "Second story" in client.get("/").content.decode()


def test_cached_search_shows_idea_changes_at_once(cached, client_for, staff, home):
    idea = IdeaFactory(title="Kettle rota for the hub")
    client = client_for(staff)
    assert "rota for the hub" in client.get(reverse("cms:search"), {"q": "kettle"}).content.decode()
    idea.title = "Kettle swap for the library"
    idea.save()
    html = client.get(reverse("cms:search"), {"q": "kettle"}).content.decode()
    assert "swap for the library" in html and "rota for the hub" not in html


def test_header_admin_link_and_unread_count_without_extra_queries(
    cached, client_for, home, staff, comms_editor
):
    """Group permissions come from a per-process map, the unread count with the
    group names (bewigan.core.middleware.load_groups_and_unread)."""
    assert 'href="/admin/"' in client_for(comms_editor).get("/").content.decode()
    client = client_for(staff)  # the same test client, now signed in as staff
    html = client.get("/").content.decode()
    assert 'href="/admin/"' not in html
    assert "unread" not in html
    notify(recipient=staff, title="Your idea moved", email=False)
    assert '1<span class="govuk-visually-hidden"> unread' in client.get("/").content.decode()
    # A permission given to staff's group shows on the next page.
    from django.contrib.auth.models import Permission

    Group.objects.get(name=roles.STAFF).permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    staff.groups.add(Group.objects.get(name=roles.STAFF))
    assert 'href="/admin/"' in client.get("/").content.decode()
