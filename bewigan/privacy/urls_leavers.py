"""Routes for the leavers pages, mounted under /data-protection/ by urls.py."""

urlpatterns: list = []
