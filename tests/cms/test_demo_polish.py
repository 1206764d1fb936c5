"""The demo reads like real data (issue #14): human story and news slugs,
idea titles without "(4)" counters, interviews in office hours on weekdays."""

import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_demo_slugs_titles_and_interview_times_read_like_real_data():
    from bewigan.people import demo_data
    from cms import demo as cms_demo
    from cms.models import Idea, InnovationStoryPage, NewsPage
    from recruitment import demo as recruitment_demo
    from recruitment.models import Interview

    demo_data.seed()
    recruitment_demo.seed()
    cms_demo.seed()

    slugs = list(InnovationStoryPage.objects.values_list("slug", flat=True))
    slugs += list(NewsPage.objects.values_list("slug", flat=True))
    assert slugs and not [s for s in slugs if re.fullmatch(r"(story|news)-\d+", s)]
    assert "kettle-on-at-the-hindley-library" in slugs

    titles = list(Idea.objects.values_list("title", flat=True))
    assert len(titles) == 100
    assert not [t for t in titles if re.search(r"\(\d+\)$", t)]
    assert len(set(titles)) == len(titles)  # so each idea's page title is unique

    for when in Interview.objects.values_list("scheduled_at", flat=True):
        local = timezone.localtime(when)
        assert 9 <= local.hour <= 17 and local.weekday() < 5, local


def test_make_run_port_reaches_links_in_emails_and_the_banner():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.BEWIGAN_BASE_URL)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={
            "PATH": "/usr/bin:/bin",
            "PORT": "8123",
            "DJANGO_SETTINGS_MODULE": "bewigan.settings.dev",
            "DATA_DIR": str(settings.DATA_DIR),
        },
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert out.stdout.strip() == "http://127.0.0.1:8123"
