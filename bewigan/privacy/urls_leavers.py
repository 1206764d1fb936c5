"""Routes for the leavers pages, mounted under /data-protection/ by urls.py."""

from django.urls import path

from . import views_leavers

urlpatterns: list = [
    path("leavers/", views_leavers.leaver_list, name="leaver_list"),
    path("leavers/<int:pk>/", views_leavers.leaver_mark, name="leaver_mark"),
    path("leavers/<int:pk>/handover/", views_leavers.leaver_handover, name="leaver_handover"),
]
