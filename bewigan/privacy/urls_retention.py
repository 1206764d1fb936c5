"""Routes for the retention schedule, legal holds and erasure, mounted under
/data-protection/ by urls.py (namespace `privacy`)."""

from django.urls import path

from . import views_retention as views

urlpatterns: list = [
    path("retention/", views.retention_schedule, name="retention_schedule"),
    path("retention/dry-run/", views.retention_dry_run, name="retention_dry_run"),
    path("retention/runs/<int:pk>/", views.retention_run_detail, name="retention_run_detail"),
    path("retention/<slug:kind>/", views.retention_rule_edit, name="retention_rule_edit"),
    path("holds/", views.hold_list, name="hold_list"),
    path("holds/new/", views.hold_new, name="hold_new"),
    path("holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    path("erasure/", views.erasure_list, name="erasure_list"),
    path("erasure/people/<int:pk>/", views.erasure_person, name="erasure_person"),
    path("erasure/candidates/<int:pk>/", views.erasure_candidate, name="erasure_candidate"),
    path("erasure/<int:pk>/", views.erasure_detail, name="erasure_detail"),
]
