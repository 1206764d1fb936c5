"""RSS and Atom feeds of innovation stories. Like everything else they
need sign-in (LoginRequiredMiddleware), and list only pages the reader may see."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from . import selectors


class StoryFeed(Feed):
    title = "BeWigan innovation stories"
    link = "/"
    description = "Stories of staff trying new things across the Wigan partnership"

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return request.user

    def items(self, user):
        return selectors.stories_for_feed(user=user)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.date, datetime.time(9, 0)))


class StoryAtomFeed(StoryFeed):
    feed_type = Atom1Feed
    subtitle = StoryFeed.description
