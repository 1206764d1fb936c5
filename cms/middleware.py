"""Wagtail looks up the Site for every request with a query. Sites change
almost never: keep the answer per worker (selectors.memo, cleared in this
worker when a Site is saved, in the others within the memo's lifetime)."""


class WagtailSiteCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.request import split_domain_port
        from wagtail.models import Site

        from .selectors import memo

        if not hasattr(request, "_wagtail_site"):
            key = ("site", split_domain_port(request._get_raw_host())[0], request.get_port())
            request._wagtail_site = memo(key, lambda: Site._find_for_request(request))
        return self.get_response(request)
