import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from bewigan.core.work import WorkItem
from bewigan.people import roles
from cms.blocks import ImageBlock
from cms.demo import demo_image
from cms.models import InnovationStoryPage
from cms.selectors import memo_clear, pages_overdue_for_review
from tests.cms.factories import IdeaFactory, add_news, add_standard, add_story, current_value
from tests.people.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def providers(monkeypatch):
    """Stand-ins for the other capabilities' my_work and shout-out selectors."""
    state = {"work": {}, "shout_outs": []}

    def fake_collect(*, user):
        return state["work"].get(user.email, {})

    def fake_shout_outs(*, user, limit=10):
        return state["shout_outs"][:limit]

    monkeypatch.setattr("cms.selectors.collect_my_work", fake_collect)
    monkeypatch.setattr("appraisals.selectors.public_shout_outs", fake_shout_outs)
    return state


class ShoutOut:
    def __init__(self, giver, recipient, message):
        self.giver_name, self.recipient_name, self.message = giver, recipient, message
        self.value_name, self.created_at, self.url = (
            "Positive",
            timezone.now(),
            "/my-time/shout-outs/1/",
        )


def test_story_page_shows_blocks_people_values_and_source_idea(
    client_for, story_index, staff, organisation
):
    idea = IdeaFactory(title="Bikes for carers")
    image, alt = demo_image("Bikes", 1)
    hood = NeighbourhoodFactory(name="Leigh")
    story = InnovationStoryPage(
        title="Bikes between visits",
        summary="E-bikes for carers.",
        hero_image=image,
        hero_alt=alt,
        source_idea=idea,
        body=[
            {
                "type": "text",
                "value": '<p>It <b>worked</b>.</p><p><a href="javascript:alert(1)">x</a></p>',
            },
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "Three bikes in a rack", "caption": ""},
            },
            {
                "type": "quote",
                "value": {"quote": "Less traffic, more time.", "attribution": "A carer"},
            },
            {
                "type": "impact",
                "value": {
                    "heading": "Before and after",
                    "figures": [
                        {"measure": "Minutes travelling", "before": "95", "after": "60", "note": ""}
                    ],
                },
            },
        ],
    )
    story.values.set([current_value()])
    story.organisations.set([organisation])
    story.neighbourhoods.set([hood])
    story.people.set([staff.person])
    story_index.add_child(instance=story)
    story.tags.add("reablement")
    story.save_revision().publish()
    html = client_for(staff).get(story.url).content.decode()
    assert html.count("<h1") == 1
    assert 'alt="Three bikes in a rack"' in html and f'alt="{alt}"' in html
    assert "Less traffic, more time." in html and "Minutes travelling" in html
    assert "javascript:" not in html  # Wagtail's rich text whitelist drops it
    assert f'href="/people/{staff.person.pk}/"' in html
    assert f'href="{idea.get_absolute_url()}"' in html
    assert "Leigh" in html and organisation.name in html and "Positive" in html
    assert "?tag=reablement" in html


def test_image_block_requires_alt_text():
    image, _ = demo_image("Shapes", 2)
    block = ImageBlock()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"image": image.pk, "alt_text": "  ", "caption": ""}))


def test_uploaded_images_are_checked_for_type_size_and_pixels(settings):
    from django import forms
    from PIL import Image as PILImage
    from wagtail.images.fields import WagtailImageField

    def check(name, content):
        field = WagtailImageField()  # reads the WAGTAILIMAGES_* settings when created
        with pytest.raises(forms.ValidationError) as exc:
            field.clean(SimpleUploadedFile(name, content))
        return " ".join(exc.value.messages).lower()

    assert "not a supported image format" in check("evil.svg", b"<svg onload='alert(1)'/>")
    buf = io.BytesIO()
    PILImage.new("RGB", (400, 300), "red").save(buf, format="PNG")
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 400 * 300 - 1
    assert "pixels" in check("big.png", buf.getvalue())
    settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    assert "too big" in check("big.png", buf.getvalue())


def test_home_page_panels_show_only_what_each_person_may_see(
    client_for, story_index, news_index, home, staff, colleague, providers
):
    add_story(story_index, title="Featured kettle story", featured=True)
    add_story(story_index, title="Latest bikes story")
    add_news(news_index, title="Hub opens in Leigh")
    IdeaFactory(author=staff, title="My own idea")
    providers["work"][staff.email] = {
        "My time": [
            WorkItem(
                title="Your my time conversation is due",
                url="/my-time/1/",
                area="My time",
                overdue=True,
            )
        ]
    }
    providers["shout_outs"] = [
        ShoutOut("Kai Ward", "Sam Turner", "Thanks for covering the <b>rota</b>")
    ]
    html = client_for(staff).get("/").content.decode()
    assert html.count("<h1") == 1
    for text in (
        "Featured kettle story",
        "Latest bikes story",
        "Hub opens in Leigh",
        "My own idea",
        "Your my time conversation is due",
        "Overdue",
    ):
        assert text in html
    assert "Thanks for covering the &lt;b&gt;rota&lt;/b&gt;" in html
    # A colleague with nothing waiting sees no "My work" panel at all, and not staff's ideas.
    html = client_for(colleague).get("/").content.decode()
    assert "My work" not in html and "Your my time conversation is due" not in html
    assert "My own idea" not in html


def test_story_index_filters_and_paginates(client_for, story_index, staff, organisation):
    hood = NeighbourhoodFactory(name="Wigan North", slug="wigan-north")
    tagged = add_story(story_index, title="Tagged story", publish=False)
    tagged.tags.add("reablement")
    tagged.neighbourhoods.set([hood])
    tagged.organisations.set([organisation])
    tagged.values.set([current_value("courageous")])
    tagged.save_revision().publish()
    for i in range(14):
        add_story(story_index, title=f"Plain story {i}")
    client = client_for(staff)
    for params in (
        {"tag": "reablement"},
        {"neighbourhood": "wigan-north"},
        {"organisation": organisation.slug},
        {"value": "courageous"},
    ):
        html = client.get(story_index.url, params).content.decode()
        assert "Tagged story" in html and "Plain story 1" not in html, params
    html = client.get(story_index.url).content.decode()
    assert "15 stories" in html and "Page 1 of 2" in html
    html = client.get(story_index.url, {"page": 2, "tag": ""}).content.decode()
    assert "Page 2 of 2" in html


def test_story_feeds_need_sign_in_and_list_stories(client, client_for, story_index, staff):
    add_story(story_index, title="Feed story")
    assert client.get(reverse("cms:story_feed_rss")).status_code == 302
    client = client_for(staff)
    rss = client.get(reverse("cms:story_feed_rss"))
    atom = client.get(reverse("cms:story_feed_atom"))
    assert rss.status_code == 200 and b"<rss" in rss.content and b"Feed story" in rss.content
    assert atom.status_code == 200 and b"http://www.w3.org/2005/Atom" in atom.content


def test_group_restricted_page_hidden_from_others(
    client_for, home, story_index, staff, comms_editor
):
    handbook = add_standard(
        home, title="Comms handbook", slug="comms-handbook", summary="Checklist"
    )
    restriction = PageViewRestriction.objects.create(
        page=handbook, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.COMMS_EDITOR)])
    secret = add_story(story_index, title="Open story")
    assert secret.live
    staff_client = client_for(staff)
    assert staff_client.get(handbook.url).status_code != 200
    assert (
        f'href="{handbook.url}"'
        not in staff_client.get(reverse("cms:search"), {"q": "handbook"}).content.decode()
    )
    comms_client = client_for(comms_editor)
    assert comms_client.get(handbook.url).status_code == 200
    assert (
        f'href="{handbook.url}"'
        in comms_client.get(reverse("cms:search"), {"q": "handbook"}).content.decode()
    )


def test_pages_overdue_for_review_report(
    client_for, home, story_index, news_index, comms_editor, staff
):
    today = timezone.localdate()
    overdue = add_story(
        story_index, title="Old story", review_date=today - datetime.timedelta(days=3)
    )
    add_story(story_index, title="Fresh story", review_date=today + datetime.timedelta(days=30))
    old_news = add_news(
        news_index, title="Old news", review_date=today - datetime.timedelta(days=1)
    )
    assert set(pages_overdue_for_review().values_list("pk", flat=True)) == {overdue.pk, old_news.pk}
    response = client_for(comms_editor).get(reverse("cms_overdue_review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Old story" in html and "Old news" in html and "Fresh story" not in html
    assert client_for(staff).get(reverse("cms_overdue_review")).status_code == 403


def test_comms_editor_manages_tags_as_snippets(client_for, comms_editor, staff):
    response = client_for(comms_editor).get("/admin/snippets/taggit/tag/")
    assert response.status_code == 200
    assert client_for(staff).get("/admin/snippets/taggit/tag/").status_code == 403


@pytest.mark.parametrize("count", [4, 30])
def test_home_and_story_index_query_counts_are_constant(
    client_for,
    story_index,
    news_index,
    staff,
    count,
    settings,
    providers,
    django_assert_max_num_queries,
):
    settings.BEWIGAN_CMS_CACHE_SECONDS = 30
    for i in range(count):
        story = add_story(story_index, title=f"Story {i}", featured=i < 2, publish=False)
        story.values.set([current_value()])
        story.tags.add(f"tag-{i % 3}")
        story.save_revision().publish()
    for i in range(count // 2):
        add_news(news_index, title=f"News {i}")
    IdeaFactory.create_batch(count)
    client = client_for(staff)
    client.get("/")
    client.get(story_index.url)
    client.get(reverse("cms:search"), {"q": "Story"})
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
    # Warm per-worker caches: the platform's 3 (session, user, groups with the
    # unread count), Wagtail's privacy check 1; the list and search results are
    # kept as HTML / hits per filter, page and query (see test_caching.py).
    with django_assert_max_num_queries(6):
        assert client.get(story_index.url).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("cms:search"), {"q": "Story"}).status_code == 200
    # On a miss (first request after a publish) the search is still bounded.
    memo_clear()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("cms:search"), {"q": "Story"}).status_code == 200
