"""Routes for the grants pages, mounted under /data-protection/ by urls.py."""

urlpatterns: list = []
