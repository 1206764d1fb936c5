import pytest
from django.apps import apps as django_apps

from cms.models import NewsIndexPage, StoryIndexPage


@pytest.fixture(autouse=True)
def _no_memo(settings):
    """Lists cached in-process (selectors.memo) must not leak between tests."""
    from cms.selectors import memo_clear

    settings.BEWIGAN_CMS_CACHE_SECONDS = 0
    memo_clear()
    yield
    memo_clear()


@pytest.fixture
def home(db):
    from cms.demo import _home
    from cms.moderation import setup_moderation

    page = _home()
    setup_moderation(django_apps)
    return page


@pytest.fixture
def story_index(home):
    index = StoryIndexPage(title="Innovation stories", slug="stories")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


@pytest.fixture
def news_index(home):
    index = NewsIndexPage(title="News", slug="news")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index
