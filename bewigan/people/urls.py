from django.urls import path

from . import views, views_admin

app_name = "people"
urlpatterns = [
    path("me/", views.my_profile, name="my_profile"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("find/", views.finder, name="finder"),
    path("find/suggest/", views.suggest, name="suggest"),
]

# HR-admin pages (views_admin.py)
urlpatterns += [
    path("invite/", views_admin.invite_person, name="invite"),
    path("audit/", views_admin.audit_log, name="audit_log"),
    path("audit/export/", views_admin.audit_log_export, name="audit_log_export"),
]

# HR bulk import of people (importing/views.py)
from .importing import views as import_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/example.csv", import_views.import_example, name="import_example"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
]
