"""Data protection pages for HR admins (/data-protection/...). Each capability
keeps its routes in its own module; every route must also appear in
docs/permissions.md."""

from django.urls import path

from .urls_grants import urlpatterns as grants
from .urls_leavers import urlpatterns as leavers
from .urls_retention import urlpatterns as retention
from .urls_sar import urlpatterns as sar
from .views_hub import index

app_name = "privacy"
urlpatterns = [path("", index, name="index"), *sar, *retention, *grants, *leavers]
