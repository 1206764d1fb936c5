"""Data protection pages for HR admins (/data-protection/...). Each capability
keeps its routes in its own module; every route must also appear in
docs/permissions.md."""

from .urls_grants import urlpatterns as grants
from .urls_leavers import urlpatterns as leavers
from .urls_retention import urlpatterns as retention
from .urls_sar import urlpatterns as sar

app_name = "privacy"
urlpatterns = [*sar, *retention, *grants, *leavers]
