from pathlib import Path

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from bewigan.core import views as core_views

# Django admin's own sign-in goes through allauth (rate limits, MFA).
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "BeWigan data administration"
# A database outage answers with the friendly 503 page (bewigan/core/views.py).
handler500 = "bewigan.core.views.server_error"


def _to_allauth_login():
    # Wagtail's own login forms sign in with a password only, bypassing MFA.
    return login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True))


urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accounts/", include("allauth.urls")),
    # One place to change a password: allauth's form (capped length, rate limits).
    path(
        "django-admin/password_change/",
        RedirectView.as_view(pattern_name="account_change_password"),
    ),
    path("django-admin/", admin.site.urls),
    path("admin/login/", _to_allauth_login()),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("people/", include("bewigan.people.urls")),
    path("values/", include("bewigan.values.urls")),
    path("data-protection/", include("bewigan.privacy.urls")),
    path("", include("bewigan.core.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("my-time/", include("appraisals.urls")),
    path("surveys/", include("surveys.urls")),
    path("ideas/", include("cms.urls")),
    path("_util/login/", _to_allauth_login()),
    # `make run` (DEBUG) serves image renditions, signed-in users only, as
    # deploy/nginx/bewigan.conf does in production. Documents stay behind
    # Wagtail's permission-checked serve view; static() is empty without DEBUG.
    *static(f"{settings.MEDIA_URL}images/", document_root=Path(settings.MEDIA_ROOT) / "images"),
    path("", include(wagtail_urls)),
]
