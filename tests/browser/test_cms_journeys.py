"""Intranet journeys: an idea from submission to a published story that
search finds, and an axe check on every front-end page the cms app adds."""

import re

import pytest
from playwright.sync_api import expect

from cms.models import Idea, InnovationStoryPage, NewsIndexPage, StoryIndexPage
from tests.cms.factories import add_news, add_standard, add_story, current_value


@pytest.fixture
def indexes():
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    stories = StoryIndexPage(title="Innovation stories", slug="stories")
    home.add_child(instance=stories)
    stories.save_revision().publish()
    news = NewsIndexPage(title="News", slug="news")
    home.add_child(instance=news)
    news.save_revision().publish()
    return stories, news


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def test_idea_to_published_story_found_by_search(
    page, live_server, sign_in, axe, staff, innovation_lead, comms_editor, mfa_exempt, indexes
):
    # A member of staff shares an idea.
    sign_in(staff, next_path="/ideas/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Share an idea")
    axe(page)
    page.get_by_label("Give your idea a short title").fill(
        "Lend perching stools on the first visit"
    )
    page.get_by_label("What matters?").fill(
        "People wait twelve days for small aids after hospital."
    )
    page.get_by_label("What is your idea?").fill("Carry the most-used aids in the car.")
    page.get_by_label(re.compile("^Positive")).check()
    page.get_by_label("Time", exact=True).check()
    page.get_by_role("button", name="Submit idea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lend perching stools on the first visit"
    )
    expect(page.locator(".govuk-tag").first).to_have_text("Submitted")
    axe(page)
    idea = Idea.objects.get()
    _sign_out(page)

    # The innovation lead moves it through to adopted, each time with a reason.
    sign_in(innovation_lead, next_path=f"/ideas/{idea.pk}/")
    for label in ["Under review", "Supported to try", "Trialling", "Adopted"]:
        page.get_by_label(label, exact=True).check()
        page.get_by_label("Reason").fill(f"Moving on: {label}")
        page.get_by_role("button", name="Change status").click()
        expect(page.locator(".govuk-tag").first).to_have_text(label)
    axe(page)
    page.get_by_role("button", name="Create a draft story from this idea").click()
    expect(page.get_by_text("A draft story is being written")).to_be_visible()
    story = InnovationStoryPage.objects.get()
    assert not story.live and story.source_idea_id == idea.pk
    _sign_out(page)

    # The comms editor finishes and publishes it in Wagtail's admin.
    sign_in(comms_editor, next_path=f"/admin/pages/{story.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    story.refresh_from_db()
    assert story.live

    # Everyone can find it, highlighted, and it links back to the idea.
    page.goto(f"{live_server.url}/ideas/search/?q=perching")
    expect(page.locator("mark").first).to_have_text(re.compile("perching", re.I))
    axe(page)
    page.get_by_role("link", name=re.compile("Lend perching stools")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lend perching stools on the first visit"
    )
    expect(page.get_by_role("link", name=re.compile(f"Idea {idea.pk}"))).to_be_visible()
    axe(page)


def test_every_intranet_page_passes_axe(
    page, live_server, sign_in, axe, staff, innovation_lead, mfa_exempt, indexes
):
    stories, news = indexes
    story = add_story(stories, title="Kettle on at the library", featured=True)
    item = add_news(news, title="New hub opens")
    about = add_standard(
        stories.get_parent(), title="About this intranet", slug="about", summary="Who runs it"
    )
    idea = Idea.objects.create(
        title="Text reminders for falls classes",
        what_matters="People forget.",
        description="Send a text the day before.",
        value=current_value(),
        author=staff,
    )
    from cms import services

    comment = services.comment_add(user=staff, idea=idea, body="I can help")
    sign_in(staff, next_path="/")
    for path in [
        "/",
        stories.url,
        story.url,
        news.url,
        item.url,
        about.url,
        "/ideas/",
        f"/ideas/{idea.pk}/",
        f"/ideas/comments/{comment.pk}/edit/",
        "/ideas/search/?q=kettle",
        "/ideas/write-a-story/",
        "/stories/?value=positive",
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("h1")).to_have_count(1)
        axe(page)
    _sign_out(page)
    sign_in(innovation_lead, next_path="/ideas/triage/?waiting_days=1")
    expect(page.get_by_role("heading", level=1)).to_have_text("Triage board")
    axe(page)
