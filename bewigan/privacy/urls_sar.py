"""Routes for the sar pages, mounted under /data-protection/ by urls.py."""

urlpatterns: list = []
