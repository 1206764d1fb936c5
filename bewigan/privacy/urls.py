"""Data protection pages for HR admins (/data-protection/...). Each capability adds
its own routes below; every route must also appear in docs/permissions.md."""

from django.urls import path  # noqa: F401

app_name = "privacy"
urlpatterns: list = []
