"""Issue #14, site-wide: on the demo data, every page each demo persona can
reach passes axe, reflows at 320 px (WCAG 1.4.10), has a unique title
"Page – BeWigan", and the key pages keep layout shift (CLS) at or below 0.1
on a phone.

One test, because the demo seed is the slow part and live-server tests
flush the database after each test. Pages are visited once per URL shape
(/ideas/12/ and /ideas/13/ are one shape), starting from each persona's home
page and following the links they see.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from bewigan.people.demo import DEMO_PASSWORD, DEMO_SIGN_INS

# Not pages: downloads, feeds, files, the admin (Wagtail's own UI) and sign-out.
SKIP = re.compile(
    r"^/(admin|django-admin|documents|media|static)/|/logout/|\.(csv|xlsx|xml|rss|pdf)$|/feed|export"
)
MAX_PAGES = 150
PHONE = {"width": 320, "height": 640}
# Lighthouse's mobile profile: a small phone, touch, 2x pixels.
MOBILE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__cls += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def _shape(path: str) -> str:
    split = urlsplit(path)
    query = "&".join(sorted(p.split("=")[0] for p in split.query.split("&") if p))
    return re.sub(r"\d+", "N", split.path) + (f"?{query}" if query else "")


def _sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def _check(page, checker, where: str, path: str, titles: dict[str, str]) -> list[str]:
    problems = []
    width = page.evaluate("document.scrollingElement.scrollWidth")
    if width > PHONE["width"]:
        problems.append(f"{where} is {width} px wide at 320 px")
    results = checker.run(page)
    if results.violations_count:
        ids = [v["id"] for v in results.response["violations"]]
        problems.append(f"{where} axe: {ids}")
    title = page.title()
    if not re.fullmatch(r"(Error: )?.+ – BeWigan", title):
        problems.append(f"{where} title {title!r}")
    # The same page filtered or paged (?page=2) may keep its title; another
    # page may not.
    elif title in titles and urlsplit(titles[title]).path != urlsplit(path).path:
        problems.append(f"{where} repeats the title of {titles[title]}: {title!r}")
    titles.setdefault(title, path)
    return problems


@pytest.fixture
def demo(settings):
    settings.BEWIGAN_MFA_EXEMPT_EMAILS = [d.email for d in DEMO_SIGN_INS]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_every_page_each_persona_reaches_passes_axe_reflows_and_has_a_unique_title(
    browser, live_server, demo
):
    base = live_server.url
    checker = Axe()
    seen_shapes: set[str] = set()
    titles: dict[str, str] = {}
    problems: list[str] = []
    visited = 0
    for persona in DEMO_SIGN_INS:
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        _sign_in(page, base, persona.email)
        queue = deque(["/"])
        queued = {"/"}
        followed: set[str] = set()  # this persona's shapes: their links differ
        while queue and visited < MAX_PAGES:
            path = queue.popleft()
            shape = _shape(path)
            if shape in followed:
                continue
            followed.add(shape)
            response = page.goto(base + path)
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            where = f"{persona.role}: {path}"
            if shape not in seen_shapes:
                seen_shapes.add(shape)
                visited += 1
                if response.status >= 400:
                    problems.append(f"{where} answered {response.status}")
                    continue
                problems += _check(page, checker, where, path, titles)
            for href in page.eval_on_selector_all(
                "main a[href], nav a[href]", "els => els.map(e => e.getAttribute('href'))"
            ):
                url = urlsplit(urljoin(base + path, href))
                if url.netloc != urlsplit(base).netloc:
                    continue
                target = url.path + (f"?{url.query}" if url.query else "")
                if SKIP.search(url.path) or target in queued:
                    continue
                if _shape(target) not in followed:
                    queued.add(target)
                    queue.append(target)
        context.close()
    print(f"\n{visited} pages (URL shapes) checked at 320 px")
    assert visited > 60, visited
    assert not problems, "\n".join(problems)


KEY_PAGES = {
    "staff@wigan.gov.uk": ["/", "/my-time/", "/surveys/", "/ideas/", "/stories/", "/people/me/"],
    "manager@wigan.gov.uk": ["/my-time/team/"],
    "surveys@wigan.gov.uk": ["/surveys/manage/"],
}


def test_key_pages_keep_layout_shift_at_or_below_0_1_on_a_phone(browser, live_server, demo):
    """Lighthouse's CLS, measured the same way: layout-shift entries without
    recent input, summed, on a mobile viewport, after the page settles."""
    from cms.models import InnovationStoryPage
    from surveys.models import Wave

    story = InnovationStoryPage.objects.live().order_by("path").first()
    wave = Wave.objects.order_by("-number").first()
    pages = {
        **KEY_PAGES,
        "staff@wigan.gov.uk": [
            *KEY_PAGES["staff@wigan.gov.uk"],
            story.url,
            f"/surveys/waves/{wave.pk}/answer/",
        ],
    }
    scores = {}
    for email, paths in pages.items():
        context = browser.new_context(**MOBILE)
        context.add_init_script(CLS_OBSERVER)
        page = context.new_page()
        _sign_in(page, live_server.url, email)
        for path in paths:
            page.goto(live_server.url + path, wait_until="load")
            page.wait_for_timeout(800)  # let late shifts (module scripts) land
            scores[path] = page.evaluate("window.__cls")
        context.close()
    print("\nCLS on a phone: " + ", ".join(f"{p} {v:.3f}" for p, v in scores.items()))
    assert all(v <= 0.1 for v in scores.values()), scores
