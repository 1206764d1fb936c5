"""Print every named route of our apps with its view's first docstring line
(used to keep docs/permissions.md complete; tests/site enforces it)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bewigan.settings.test")

import django  # noqa: E402

django.setup()

from django.urls import resolve  # noqa: E402

from tests.site.test_urls import our_routes  # noqa: E402

for name, path in sorted(set(our_routes())):
    func = resolve(path).func
    doc = (getattr(func, "__doc__", "") or "").strip().splitlines()
    print(f"{name}\t{path}\t{doc[0] if doc else ''}")
