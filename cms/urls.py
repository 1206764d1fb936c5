from django.urls import path

from . import feeds, views

app_name = "cms"
urlpatterns = [
    path("", views.idea_list, name="idea_list"),
    path("new/", views.idea_create, name="idea_create"),
    path("triage/", views.triage, name="triage"),
    path("search/", views.search, name="search"),
    path("write-a-story/", views.story_write, name="story_write"),
    path("feeds/stories.rss", feeds.StoryFeed(), name="story_feed_rss"),
    path("feeds/stories.atom", feeds.StoryAtomFeed(), name="story_feed_atom"),
    path("<int:pk>/", views.idea_detail, name="idea_detail"),
    path("<int:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("<int:pk>/support/", views.idea_support, name="idea_support"),
    path("<int:pk>/withdraw-support/", views.idea_withdraw_support, name="idea_withdraw_support"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/status/", views.idea_status, name="idea_status"),
    path("<int:pk>/assign/", views.idea_assign, name="idea_assign"),
    path("<int:pk>/story/", views.idea_create_story, name="idea_create_story"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
]
