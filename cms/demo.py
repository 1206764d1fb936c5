"""Demo content for the intranet (idempotent and deterministic): the home
page at the site root, a page tree with innovation stories and news (images
drawn locally with Pillow), a group-restricted page, the comms-editor
moderation workflow, and about 100 ideas across every status."""

import datetime
import io
import random

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, PageViewRestriction, Site

from . import demo_content as content
from .models import (
    HomePage,
    Idea,
    IdeaComment,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
    InnovationStoryPage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
    StoryIndexPage,
)
from .moderation import setup_moderation

PALETTE = ["#005a6f", "#00703c", "#f47738", "#4c2c92", "#d4351c", "#1d70b8", "#85994b"]
SHAPE_WORDS = ["circles", "squares", "stripes"]


def _say(stdout, text):
    if stdout is not None:
        stdout.write(text)


@transaction.atomic
def seed(stdout=None):
    home = _home()
    setup_moderation(django_apps)
    if not StoryIndexPage.objects.exists():
        _pages(home)
        _say(
            stdout,
            f"Intranet: {InnovationStoryPage.objects.count()} stories, {NewsPage.objects.count()} news items",
        )
    if not Idea.objects.exists():
        _ideas()
        _say(stdout, f"Intranet: {Idea.objects.count()} ideas")
    _say(stdout, "Intranet: home page at the site root")
    return home


def seed_home():
    """Only the home page at the site root and the moderation workflow (for
    browser tests, which need a site but not the demo content)."""
    home = _home()
    setup_moderation(django_apps)
    return home


def _home():
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="Home",
            slug="bewigan-home",
            intro="<p>Stories, news and ideas from across the Wigan partnership.</p>",
        )
        root.add_child(instance=home)
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    else:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's placeholder "Welcome" page is not needed any more.
        if old_root.pk != home.pk and old_root.specific_class is Page:
            old_root.delete()
    return home


def demo_image(title: str, seed_number: int):
    """A simple, locally drawn picture (no network): coloured shapes."""
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images.models import Image

    rng = random.Random(seed_number)
    bg, fg, accent = rng.sample(PALETTE, 3)
    img = PILImage.new("RGB", (960, 540), bg)
    draw = ImageDraw.Draw(img)
    kind = SHAPE_WORDS[seed_number % 3]
    for i in range(6):
        x, y = rng.randint(0, 860), rng.randint(0, 440)
        size = rng.randint(60, 180)
        colour = fg if i % 2 else accent
        if kind == "circles":
            draw.ellipse([x, y, x + size, y + size], fill=colour)
        elif kind == "squares":
            draw.rectangle([x, y, x + size, y + size], fill=colour)
        else:
            draw.rectangle([0, i * 90, 960, i * 90 + 40], fill=colour)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    image = Image(title=title)
    image.file = ImageFile(buf, name=f"demo-{seed_number}.png")
    image.save()
    alt = f"Illustration: {kind} in {'several colours'}"
    return image, alt


def _pages(home):
    from bewigan.people.models import Neighbourhood, Organisation, Person
    from bewigan.values.models import Value

    User = get_user_model()
    comms = User.objects.filter(email="comms@wigan.gov.uk").first()
    values = list(Value.objects.current().order_by("order"))
    orgs = list(Organisation.objects.order_by("name"))
    hoods = list(Neighbourhood.objects.order_by("name"))
    people = list(Person.objects.active().select_related("user").order_by("pk")[:40])
    today = timezone.localdate()

    index = StoryIndexPage(
        title="Innovation stories",
        slug="stories",
        intro="<p>What staff across the partnership tried, and what changed.</p>",
    )
    home.add_child(instance=index)
    for i, (title, summary, paras, quote, figures, tags) in enumerate(content.STORIES):
        body = [{"type": "text", "value": "".join(f"<p>{p}</p>" for p in paras)}]
        if quote:
            body.append({"type": "quote", "value": {"quote": quote[0], "attribution": quote[1]}})
        if figures:
            body.append(
                {
                    "type": "impact",
                    "value": {
                        "heading": "Before and after",
                        "figures": [
                            {"measure": m, "before": b, "after": a, "note": ""}
                            for m, b, a in figures
                        ],
                    },
                }
            )
        image, alt = demo_image(title, i)
        story = InnovationStoryPage(
            title=title,
            slug=slugify(title)[:60],
            summary=summary,
            date=today - datetime.timedelta(days=7 * i + 1),
            featured=i < 3,
            hero_image=image,
            hero_alt=alt,
            body=body,
            content_owner=comms,
            owner=comms,
            # A few stories are overdue for review, so the admin report has rows.
            review_date=today + datetime.timedelta(days=180 - 40 * (i % 6)),
        )
        if values:
            story.values.set([values[i % len(values)]])
        if orgs:
            story.organisations.set({orgs[i % len(orgs)], orgs[(i + 2) % len(orgs)]})
        if hoods:
            story.neighbourhoods.set([hoods[i % len(hoods)]])
        if people:
            story.people.set({people[i % len(people)], people[(i * 7 + 3) % len(people)]})
        index.add_child(instance=story)
        story.tags.add(*tags)
        story.save()
        story.save_revision(user=comms).publish()

    news_index = NewsIndexPage(
        title="News", slug="news", intro="<p>News from across the partnership.</p>"
    )
    home.add_child(instance=news_index)
    for i, (title, summary) in enumerate(content.NEWS):
        item = NewsPage(
            title=title,
            slug=slugify(title)[:60],
            summary=summary,
            date=today - datetime.timedelta(days=5 * i + 2),
            body=[
                {
                    "type": "text",
                    "value": f"<p>{summary}</p><p>Ask your manager or the comms team if you have questions.</p>",
                }
            ],
            content_owner=comms,
            owner=comms,
            review_date=today + datetime.timedelta(days=90 - 30 * (i % 5)),
        )
        news_index.add_child(instance=item)
        item.save_revision(user=comms).publish()

    about = StandardPage(
        title="About this intranet",
        slug="about",
        summary="Who runs it, and how to share a story or an idea.",
        body=[
            {
                "type": "text",
                "value": "<p>The comms team edits stories and news. Anyone can share an idea or write a story; "
                "stories are checked by a comms editor before they are published.</p>",
            }
        ],
        content_owner=comms,
        owner=comms,
        review_date=today - datetime.timedelta(days=10),
    )
    home.add_child(instance=about)
    about.save_revision(user=comms).publish()

    handbook = StandardPage(
        title="Comms team handbook",
        slug="comms-handbook",
        summary="House style and the publishing checklist, for comms editors only.",
        body=[
            {
                "type": "text",
                "value": "<p>Check alt text, plain English and consent before you publish.</p>",
            }
        ],
        content_owner=comms,
        owner=comms,
        review_date=today + datetime.timedelta(days=60),
    )
    home.add_child(instance=handbook)
    handbook.save_revision(user=comms).publish()
    restriction = PageViewRestriction.objects.create(
        page=handbook, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Comms editor")])


STATUS_PATHS = {
    IdeaStatus.SUBMITTED: [],
    IdeaStatus.UNDER_REVIEW: [IdeaStatus.UNDER_REVIEW],
    IdeaStatus.SUPPORTED: [IdeaStatus.UNDER_REVIEW, IdeaStatus.SUPPORTED],
    IdeaStatus.TRIALLING: [IdeaStatus.UNDER_REVIEW, IdeaStatus.SUPPORTED, IdeaStatus.TRIALLING],
    IdeaStatus.ADOPTED: [
        IdeaStatus.UNDER_REVIEW,
        IdeaStatus.SUPPORTED,
        IdeaStatus.TRIALLING,
        IdeaStatus.ADOPTED,
    ],
    IdeaStatus.NOT_NOW: [IdeaStatus.UNDER_REVIEW, IdeaStatus.NOT_NOW],
    IdeaStatus.MERGED: [IdeaStatus.MERGED],
}
STATUS_CYCLE = [
    IdeaStatus.SUBMITTED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SUBMITTED,
    IdeaStatus.SUPPORTED,
    IdeaStatus.TRIALLING,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.ADOPTED,
    IdeaStatus.NOT_NOW,
    IdeaStatus.MERGED,
    IdeaStatus.SUBMITTED,
]


def _idea_title(base: str, team, used: set[str], places: list[str]) -> str:
    """A title as a person would write it: the same idea from another place
    says where ("… in Leigh"), never a "(4)" counter."""
    own = []
    if team is not None:
        if team.neighbourhood_id:
            own.append(f"in {team.neighbourhood.name}")
        own.append(f"at {team.organisation.label}")
        own.append(f"for {team.name}")
    for title in (base, *(f"{base} {p}" for p in own + [f"in {p}" for p in places])):
        if title not in used:
            used.add(title)
            return title
    used.add(base)
    return base


def _ideas(count: int = 100):
    from bewigan.people.models import Neighbourhood, Person, TeamMembership
    from bewigan.values.models import Value

    rng = random.Random(2026)
    User = get_user_model()
    values = list(Value.objects.current().order_by("order"))
    if not values:
        return
    lead = User.objects.filter(email="innovation@wigan.gov.uk").first()
    staff_user = User.objects.filter(email="staff@wigan.gov.uk").first()
    people = list(
        Person.objects.active().select_related("user", "organisation").order_by("pk")[:120]
    )
    if not people:
        return
    memberships = {
        m.person_id: m.team
        for m in TeamMembership.objects.filter(person__in=people).select_related(
            "team__organisation", "team__neighbourhood"
        )
    }
    now = timezone.now()
    ideas = []
    titles: set[str] = set()
    places = list(Neighbourhood.objects.order_by("name").values_list("name", flat=True))
    for i in range(count):
        author = staff_user if (i % 17 == 0 and staff_user) else people[(i * 13) % len(people)].user
        person = getattr(author, "person", None)
        team = memberships.get(person.pk) if person else None
        status = STATUS_CYCLE[i % len(STATUS_CYCLE)]
        created = now - datetime.timedelta(days=3 + (count - i) * 3, hours=i % 7)
        idea = Idea.objects.create(
            title=_idea_title(
                content.IDEA_TITLES[i % len(content.IDEA_TITLES)], team, titles, places
            ),
            what_matters=content.IDEA_PROBLEMS[i % len(content.IDEA_PROBLEMS)],
            description=content.IDEA_DESCRIPTIONS[i % len(content.IDEA_DESCRIPTIONS)],
            value=values[i % len(values)],
            team=team,
            neighbourhood=team.neighbourhood if team else None,
            organisation=team.organisation if team else (person.organisation if person else None),
            needs_time=i % 2 == 0,
            needs_money=i % 3 == 0,
            needs_rule_waived=i % 5 == 0,
            support_detail="Two hours a week for six weeks." if i % 2 == 0 else "",
            author=author,
            created_at=created,
            status_changed_at=created,
        )
        IdeaStatusChange.objects.create(
            idea=idea,
            to_status=IdeaStatus.SUBMITTED,
            reason="Idea submitted",
            changed_by=author,
            created_at=created,
        )
        when = created
        for step in STATUS_PATHS[status]:
            when = when + datetime.timedelta(days=rng.randint(2, 9))
            if step == IdeaStatus.MERGED:
                target = next(
                    (x for x in reversed(ideas) if x.status not in (IdeaStatus.MERGED,)), None
                )
                if target is None:
                    break
                idea.merged_into = target
            IdeaStatusChange.objects.create(
                idea=idea,
                from_status=idea.status,
                to_status=step,
                reason=content.STATUS_REASONS[step.value],
                changed_by=lead,
                created_at=min(when, now),
            )
            idea.status = step
            idea.status_changed_at = min(when, now)
            idea.owner = lead
        supporters = rng.sample(people, rng.randint(0, 8))
        supports = [
            IdeaSupport(idea=idea, user=p.user) for p in supporters if p.user_id != author.pk
        ]
        IdeaSupport.objects.bulk_create(supports)
        idea.supporter_count = len(supports)
        comments = []
        for c in range(rng.randint(0, 4)):
            commenter = people[(i * 7 + c * 11) % len(people)].user
            comments.append(
                IdeaComment(
                    idea=idea,
                    author=commenter,
                    body=content.COMMENTS[(i + c) % len(content.COMMENTS)],
                    created_at=created + datetime.timedelta(hours=5 + c * 20),
                )
            )
        if i % 23 == 5 and comments:
            comments[0].body = ""
            comments[0].deleted_at = comments[0].created_at + datetime.timedelta(minutes=5)
            comments[0].deleted_by = comments[0].author
        IdeaComment.objects.bulk_create(comments)
        idea.comment_count = sum(1 for c in comments if c.deleted_at is None)
        idea.save()
        ideas.append(idea)

    # Two published stories started life as adopted ideas (linked both ways).
    adopted = [x for x in ideas if x.status == IdeaStatus.ADOPTED][:2]
    for idea, story in zip(
        adopted, InnovationStoryPage.objects.live().order_by("path")[3:5], strict=False
    ):
        story.source_idea = idea
        story.save_revision().publish()
