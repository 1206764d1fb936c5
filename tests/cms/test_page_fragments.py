"""Story, news and standard pages keep their content per worker and revision
({% wagtailpagecache %}, cms.models.ReviewedPage): queries do not grow with
what a story holds, a new revision shows at once in every worker, and
nothing personal is shared between people."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published

from bewigan.core.services import notify
from bewigan.people import roles
from bewigan.settings import base as base_settings
from bewigan.values.models import Value
from cms.models import StoryIndexPage
from cms.selectors import memo_clear
from tests.cms.factories import add_news, add_standard, add_story
from tests.people.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    """As in production: the memo on, and the per-worker caches from base.py
    (the test settings may replace CACHES with a shared database cache)."""
    settings.BEWIGAN_CMS_CACHE_SECONDS = 30
    settings.CACHES = {
        **settings.CACHES,
        "fragments": base_settings.CACHES["fragments"],
        "renditions": base_settings.CACHES["renditions"],
    }
    caches["fragments"].clear()
    caches["renditions"].clear()
    yield
    caches["fragments"].clear()
    caches["renditions"].clear()


def _body(size, *, link_to):
    """`size` blocks of every kind in turn; text blocks link to a page and
    image blocks use size // 2 different images."""
    images = [
        Image.objects.create(title=f"Picture {i}", file=get_test_image_file())
        for i in range(max(1, size // 2))
    ]
    body = []
    for i in range(size):
        kind = ("text", "image", "quote", "impact")[i % 4]
        value = {
            "text": f'<p>Part {i}, see <a linktype="page" id="{link_to.pk}">the index</a>.</p>',
            "image": {"image": images[i % len(images)].pk, "alt_text": f"Alt {i}", "caption": ""},
            "quote": {"quote": f"Quote {i}", "attribution": "A carer"},
            "impact": {
                "heading": "Before and after",
                "figures": [{"measure": "Days", "before": "3", "after": "1", "note": ""}],
            },
        }[kind]
        body.append({"type": kind, "value": value})
    return body, images[0]


def _rich_pages(story_index, news_index, *, size, slug):
    body, hero = _body(size, link_to=story_index)
    story = add_story(
        story_index,
        title=f"Story {slug}",
        slug=slug,
        body=body,
        hero_image=hero,
        hero_alt="A picture",
        publish=False,
    )
    story.values.set(Value.objects.current())
    story.people.set([PersonFactory() for _ in range(size)])
    story.tags.add(*[f"{slug}-{i}" for i in range(size)])
    story.save_revision().publish()
    news = add_news(news_index, title=f"News {slug}", slug=f"news-{slug}", body=body)
    return story, news


def _queries(client, url, *, cold):
    client.get(url)  # the session's daily checks, then a warm worker
    if cold:  # a worker that has not rendered this revision (or any image) yet
        memo_clear()
        caches["renditions"].clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_story_and_news_queries_do_not_grow_with_blocks_images_tags_or_people(
    cached, client_for, story_index, news_index, staff, django_assert_max_num_queries
):
    small = _rich_pages(story_index, news_index, size=2, slug="small")
    large = _rich_pages(story_index, news_index, size=16, slug="large")
    client = client_for(staff)
    for small_page, large_page in zip(small, large, strict=True):
        for cold in (False, True):
            n_small, _ = _queries(client, small_page.url, cold=cold)
            n_large, html = _queries(client, large_page.url, cold=cold)
            assert n_small == n_large, (large_page.url, cold, n_small, n_large)
        assert html.count('<a href="/stories/">the index</a>') == 4  # links expanded
        assert html.count("<img") >= 4
    # Warm: session, user, groups with the unread count, the page, its privacy.
    for page in large:
        client.get(page.url)
        with django_assert_max_num_queries(5):
            assert client.get(page.url).status_code == 200


@contextmanager
def _signals_reach_this_worker_only():
    """Publishing clears the caches of the worker that published, by signal;
    the other workers only learn of it from the key (the live revision)."""
    uid = f"cms-memo-{id(page_published)}"
    page_published.disconnect(dispatch_uid=uid)
    try:
        yield
    finally:
        page_published.connect(memo_clear, dispatch_uid=uid)


@pytest.mark.parametrize("kind", ["story", "news", "standard"])
def test_new_revision_shows_at_once_in_a_worker_that_cached_the_old_one(
    cached, kind, client_for, home, story_index, news_index, staff
):
    page = {
        "story": lambda: add_story(story_index, title="Kettle club", slug="kettle"),
        "news": lambda: add_news(news_index, title="Kettle club", slug="kettle"),
        # (Sections directly under the home page are routed from the memo,
        # which other workers refresh within BEWIGAN_CMS_CACHE_SECONDS.)
        "standard": lambda: add_standard(
            add_standard(home, title="About", slug="about"), title="Kettle club", slug="kettle"
        ),
    }[kind]()
    client = client_for(staff)
    assert "Kettle club" in client.get(page.url).content.decode()
    assert "Kettle club" in client.get(page.url).content.decode()  # from the cache
    page.title = "Kettle and toast club"
    page.summary = "Now with toast."
    with _signals_reach_this_worker_only():
        page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "Kettle and toast club" in html and "Now with toast." in html


def test_header_and_privacy_are_never_shared_through_the_cached_content(
    cached, client_for, home, story_index, staff, comms_editor
):
    story = add_story(story_index, title="Kettle club", slug="kettle")
    handbook = add_standard(home, title="Comms handbook", slug="comms-handbook")
    restriction = PageViewRestriction.objects.create(
        page=handbook, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.COMMS_EDITOR)])
    comms_index = StoryIndexPage(title="Comms stories", slug="comms-stories")
    handbook.add_child(instance=comms_index)
    comms_index.save_revision().publish()
    secret = add_story(comms_index, title="Secret kettle", slug="secret")
    notify(recipient=comms_editor, title="Your story was approved", email=False)

    # The comms editor fills the caches first ...
    client = client_for(comms_editor)
    html = client.get(story.url).content.decode()
    assert "Ruth Hughes" in html and 'href="/admin/"' in html and "unread" in html
    assert "Secret kettle" in client.get(secret.url).content.decode()
    assert "Comms handbook" in client.get(handbook.url).content.decode()

    # ... and a member of staff gets the same story with their own header,
    # and still cannot open the restricted section's pages.
    client = client_for(staff)
    html = client.get(story.url).content.decode()
    assert "Kettle club" in html and "Sam Turner" in html
    assert "Ruth Hughes" not in html and 'href="/admin/"' not in html and "unread" not in html
    assert client.get(secret.url).status_code != 200
    assert client.get(handbook.url).status_code != 200
