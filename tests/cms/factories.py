import datetime

import factory
from django.utils import timezone

from bewigan.values.models import Value
from cms.models import (
    Idea,
    IdeaStatus,
    IdeaStatusChange,
    InnovationStoryPage,
    NewsPage,
    StandardPage,
)
from tests.people.factories import UserFactory


def current_value(key="positive"):
    return Value.objects.current().get(key=key)


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Idea number {n}")
    what_matters = "People wait too long for small aids after discharge."
    description = "Carry the most-used aids in the car and lend them on the first visit."
    value = factory.LazyFunction(current_value)
    author = factory.SubFactory(UserFactory)
    status = IdeaStatus.SUBMITTED

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            IdeaStatusChange.objects.create(
                idea=self,
                to_status=IdeaStatus.SUBMITTED,
                reason="Idea submitted",
                changed_by=self.author,
            )


def add_story(index, *, title="A story", publish=True, **kwargs):
    kwargs.setdefault("summary", f"Summary of {title}")
    kwargs.setdefault("date", timezone.localdate() - datetime.timedelta(days=1))
    story = InnovationStoryPage(title=title, **kwargs)
    index.add_child(instance=story)
    if publish:
        story.save_revision().publish()
    return story


def add_news(index, *, title="Some news", **kwargs):
    kwargs.setdefault("summary", f"Summary of {title}")
    page = NewsPage(title=title, **kwargs)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def add_standard(parent, *, title="A page", **kwargs):
    page = StandardPage(title=title, **kwargs)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
