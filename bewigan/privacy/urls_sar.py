"""Routes for the sar pages, mounted under /data-protection/ by urls.py."""

from django.urls import path

from . import views_sar

urlpatterns: list = [
    path("subject-access/", views_sar.sar_list, name="sar_list"),
    path("subject-access/new/", views_sar.sar_new, name="sar_new"),
    path("subject-access/<int:pk>/", views_sar.sar_detail, name="sar_detail"),
    path("subject-access/<int:pk>/review/", views_sar.sar_review, name="sar_review"),
    path("subject-access/<int:pk>/download/", views_sar.sar_download, name="sar_download"),
]
