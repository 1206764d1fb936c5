"""Routes for the retention pages, mounted under /data-protection/ by urls.py."""

urlpatterns: list = []
