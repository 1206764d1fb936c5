"""Reads for the intranet: the home page panels, story lists, ideas, the
triage board and search. Query counts are settled here (select_related,
prefetch, denormalised counters), so they do not grow with the data."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page, PageViewRestriction

from bewigan.core.work import collect_my_work
from bewigan.people.models import Neighbourhood, Organisation
from bewigan.people.roles import in_group
from bewigan.values.models import Value as ValueModel

from .models import (
    AWAITING_ANSWER,
    Idea,
    IdeaComment,
    IdeaStatus,
    IdeaStatusChange,
    IdeaSupport,
    InnovationStoryPage,
    NewsPage,
    StandardPage,
    StoryPageTag,
)

# --- A small in-process cache for lists that are the same for everyone ------
# Each worker keeps them for BEWIGAN_CMS_CACHE_SECONDS (30 s by default);
# publishing, unpublishing, moving or deleting a page clears them in that
# worker at once (signals in apps.py), the other workers within the TTL.
_MEMO: dict = {}
MEMO_MAX_ENTRIES = 2000


def memo(key, fn):
    from django.conf import settings

    ttl = getattr(settings, "BEWIGAN_CMS_CACHE_SECONDS", 30)
    if ttl <= 0:
        return fn()
    now = time.monotonic()
    hit = _MEMO.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = fn()
    if len(_MEMO) >= MEMO_MAX_ENTRIES:
        _MEMO.clear()  # bounded: filters, pages and queries make many keys
    _MEMO[key] = (now + ttl, value)
    return value


def memo_clear(*args, **kwargs):
    from django.core.cache import caches

    _MEMO.clear()
    if fragment_cache_alias() == FRAGMENT_CACHE:
        caches[FRAGMENT_CACHE].clear()  # this worker's page fragments (ReviewedPage)


FRAGMENT_CACHE = "fragments"


def fragment_cache_alias() -> str:
    """The cache for page fragments: CACHES["fragments"], per worker (see
    settings). A settings module that replaces CACHES without it gets the
    default cache, where the revision in the key still keeps them right."""
    from django.conf import settings

    return FRAGMENT_CACHE if FRAGMENT_CACHE in settings.CACHES else "default"


def memo_html(key, template_name: str, context) -> str:
    """Rendered HTML of a template kept in the memo under `key`. `context` is
    a callable returning the template context, called only on a miss. Keys
    must include everything the HTML depends on (filters, page, the sections
    hidden from the person)."""
    from django.template.loader import render_to_string

    return memo(("html", *key), lambda: mark_safe(render_to_string(template_name, context())))  # noqa: S308 - rendered by the template engine, autoescaped


def _site_key(request):
    site = getattr(request, "_wagtail_site", None) if request is not None else None
    return site.pk if site is not None else None


def prime_site_root_paths(request) -> None:
    """Give Wagtail's per-request URL cache the site root paths from the
    in-process memo, saving a cache-table query on every page with links."""
    if request is not None and not hasattr(request, "_wagtail_cached_site_root_paths"):
        from wagtail.models import Site

        request._wagtail_cached_site_root_paths = memo("site_root_paths", Site.get_site_root_paths)


# --- Page visibility (Wagtail's page privacy, per person) -----------------


def hidden_page_paths(*, user) -> list[str]:
    """Tree paths of sections this person may not see: password-protected
    ones, and group-restricted ones for groups they are not in. Remembered
    on the user object for the rest of the request (1-2 queries)."""
    cached = getattr(user, "_cms_hidden_paths", None)
    if cached is not None:
        return cached
    rows = memo("restrictions", _restriction_rows)
    hidden = []
    for path, kind, groups in rows:
        if kind == PageViewRestriction.LOGIN:
            continue  # everyone here is signed in
        if kind == PageViewRestriction.GROUPS and any(in_group(user, name) for name in groups):
            continue
        hidden.append(path)
    user._cms_hidden_paths = hidden
    return hidden


def _restriction_rows():
    return [
        (r.page.path, r.restriction_type, frozenset(g.name for g in r.groups.all()))
        for r in PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    ]


def visible_pages(qs: QuerySet, *, user) -> QuerySet:
    qs = qs.live()
    for path in hidden_page_paths(user=user):
        qs = qs.exclude(path__startswith=path)
    return qs


def _story_cards(qs):
    return qs.only("title", "slug", "url_path", "date", "summary", "path", "depth").order_by(
        "-date", "-pk"
    )


# --- Home page -------------------------------------------------------------


def home_panels(*, user, request=None) -> dict:
    """The home page's panels. The parts that are the same for everyone who
    may see the same sections (stories, news, shout-outs, values) are
    rendered once per worker and kept as HTML (memo_html), keyed by the
    sections hidden from this person, so page privacy still holds; "my work"
    and "your ideas" are personal and read on every request."""
    from appraisals.selectors import public_shout_outs
    from bewigan.values.selectors import current_values

    hidden = tuple(hidden_page_paths(user=user))

    def _pages():
        from .models import StoryIndexPage

        stories = InnovationStoryPage.objects.live()
        news = NewsPage.objects.live()
        for path in hidden:
            stories = stories.exclude(path__startswith=path)
            news = news.exclude(path__startswith=path)
        featured = list(_story_cards(stories.filter(featured=True))[:3])
        return {
            "featured_stories": featured,
            "latest_stories": list(
                _story_cards(stories.exclude(pk__in=[s.pk for s in featured]))[:6]
            ),
            "news_items": list(
                news.only("title", "slug", "url_path", "date", "summary", "path", "depth").order_by(
                    "-date", "-pk"
                )[:5]
            ),
            "story_index": StoryIndexPage.objects.live()
            .only("pk", "url_path", "path", "depth")
            .first(),
        }

    shared_box: list = []

    def _shared():  # built at most once per request, and only on a miss
        if not shared_box:
            shared_box.append(_shared_context())
        return shared_box[0]

    def _shared_context():
        return {
            **memo(("home", hidden), _pages),
            # The public feed is the same for everyone: kept per worker like
            # the story lists (cleared when a shout-out is saved or deleted).
            "shout_outs": memo("shout_outs", lambda: list(public_shout_outs(user=user, limit=5))),
            "values": memo("values", lambda: list(current_values())),
            "request": request,
        }

    site_key = _site_key(request)
    my_ideas = _my_ideas(user) if user.is_authenticated else []
    return {
        "stories_html": memo_html(
            ("home_stories", site_key, hidden), "cms/_home_stories.html", _shared
        ),
        "shared_panels_html": memo_html(
            ("home_shared", site_key, hidden), "cms/_home_shared_panels.html", _shared
        ),
        "my_work": collect_my_work(user=user),
        "my_ideas": my_ideas,
    }


_MY_IDEAS_SQL: dict[str, str] = {}


def _my_ideas(user) -> list[Idea]:
    """The person's five newest ideas, newest first by id: ideas get their id
    when created (created_at defaults to now), and the author index then
    gives the five without sorting all of the author's ideas. The ORM builds
    the SQL once per process and database (compiling it cost more than
    running it); only the author's id changes."""
    alias = Idea.objects.db
    sql = _MY_IDEAS_SQL.get(alias)
    if sql is None:
        query = Idea.objects.filter(author_id=0).only("pk", "title", "status").order_by("-pk")
        sql, params = query[:5].query.get_compiler(alias).as_sql()
        assert tuple(params) == (0,), params
        _MY_IDEAS_SQL[alias] = sql
    return list(Idea.objects.raw(sql, [user.pk]))


# --- Story index -------------------------------------------------------------


@dataclass
class StoryFilters:
    value: str = ""
    organisation: str = ""
    neighbourhood: str = ""
    tag: str = ""

    @classmethod
    def from_params(cls, params) -> StoryFilters:
        return cls(
            **{
                k: (params.get(k) or "").strip()[:100]
                for k in ("value", "organisation", "neighbourhood", "tag")
            }
        )

    def querystring(self) -> str:
        return urlencode({k: v for k, v in self.__dict__.items() if v})

    @property
    def active(self) -> bool:
        return any(self.__dict__.values())


def story_filter_options() -> dict:
    return memo("story_filter_options", _story_filter_options)


def _story_filter_options() -> dict:
    return {
        "value_options": list(
            ValueModel.objects.current().order_by("order", "name").values_list("key", "name")
        ),
        "organisation_options": list(
            Organisation.objects.order_by("name").values_list("slug", "name")
        ),
        "neighbourhood_options": list(
            Neighbourhood.objects.order_by("name").values_list("slug", "name")
        ),
        "tag_options": list(
            StoryPageTag.objects.values_list("tag__slug", "tag__name")
            .distinct()
            .order_by("tag__name")[:100]
        ),
    }


def story_list(*, index, params, user=None) -> tuple[StoryFilters, QuerySet]:
    filters = StoryFilters.from_params(params)
    qs = InnovationStoryPage.objects.child_of(index)
    qs = visible_pages(qs, user=user) if user is not None else qs.live().public()
    if filters.value:
        qs = qs.filter(values__key=filters.value)
    if filters.organisation:
        qs = qs.filter(organisations__slug=filters.organisation)
    if filters.neighbourhood:
        qs = qs.filter(neighbourhoods__slug=filters.neighbourhood)
    if filters.tag:
        qs = qs.filter(tagged_items__tag__slug=filters.tag)
    qs = _story_cards(qs.distinct()).prefetch_related(
        Prefetch("values", queryset=ValueModel.objects.only("pk", "key", "name"))
    )
    return filters, qs


def story_index_html(*, index, request) -> str:
    """The story index's filters, list and pagination as HTML, kept per worker
    for each index, filter, page and set of sections hidden from the person
    (so two people who may see different sections never share a list)."""
    from dataclasses import astuple

    from django.core.paginator import Paginator

    user = request.user
    filters = StoryFilters.from_params(request.GET)
    page_number = (request.GET.get("page") or "1")[:12]
    key = (
        "story_index",
        index.pk,
        _site_key(request),
        tuple(hidden_page_paths(user=user)),
        astuple(filters),
        page_number,
    )

    def context():
        _, stories = story_list(index=index, params=request.GET, user=user)
        return {
            **story_filter_options(),
            "page": index,
            "filters": filters,
            "stories": Paginator(stories, 12).get_page(page_number),
            "query": filters.querystring(),
            "request": request,
        }

    return memo_html(key, "cms/_story_index_body.html", context)


def stories_for_feed(*, user, limit: int = 30):
    return list(_story_cards(visible_pages(InnovationStoryPage.objects.all(), user=user))[:limit])


# --- Ideas ---------------------------------------------------------------------


def _ideas_base():
    return Idea.objects.select_related(
        "value", "author", "owner", "team", "neighbourhood", "organisation"
    )


def idea_get(*, pk: int) -> Idea:
    idea = _ideas_base().select_related("merged_into").filter(pk=pk).first()
    if idea is None:
        raise Http404("No such idea")
    return idea


def idea_comment_get(*, pk: int) -> IdeaComment:
    comment = IdeaComment.objects.select_related("idea", "author").filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment")
    return comment


def idea_detail(*, idea: Idea, user) -> dict:
    return {
        "history": list(IdeaStatusChange.objects.filter(idea=idea).select_related("changed_by")),
        "comments": list(
            IdeaComment.objects.filter(idea=idea).select_related("author", "deleted_by")
        ),
        "user_supports": IdeaSupport.objects.filter(idea=idea, user=user).exists(),
        "stories": list(idea.stories.only("pk", "title", "live", "url_path", "path", "depth")),
        "merged_ideas": list(idea.merged_ideas.only("pk", "title")),
    }


@dataclass
class IdeaFilters:
    status: str = ""
    value: str = ""
    organisation: str = ""
    neighbourhood: str = ""
    waiting_days: int | None = None
    owner: str = ""  # "", "me", "none"
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> IdeaFilters:
        f = cls(
            status=params.get("status", "")
            if params.get("status", "") in IdeaStatus.values
            else "",
            value=(params.get("value") or "")[:50],
            organisation=(params.get("organisation") or "")[:50],
            neighbourhood=(params.get("neighbourhood") or "")[:50],
            owner=params.get("owner", "") if params.get("owner", "") in ("me", "none") else "",
        )
        raw = (params.get("waiting_days") or "").strip()
        if raw:
            if raw.isdigit() and 0 < int(raw) <= 3650:
                f.waiting_days = int(raw)
            else:
                f.errors["waiting_days"] = "Enter a whole number of days between 1 and 3650"
        return f

    def querystring(self) -> str:
        data = {k: v for k, v in self.__dict__.items() if v and k != "errors"}
        return urlencode(data)


def idea_list(*, filters: IdeaFilters, user=None) -> QuerySet[Idea]:
    qs = _ideas_base()
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.value:
        qs = qs.filter(value__key=filters.value)
    if filters.organisation:
        qs = qs.filter(organisation__slug=filters.organisation)
    if filters.neighbourhood:
        qs = qs.filter(neighbourhood__slug=filters.neighbourhood)
    if filters.waiting_days:
        qs = qs.waiting_longer_than(filters.waiting_days).order_by("status_changed_at", "pk")
    if filters.owner == "me" and user is not None:
        qs = qs.filter(owner=user)
    elif filters.owner == "none":
        qs = qs.filter(owner__isnull=True)
    return qs


def idea_filter_options() -> dict:
    return memo("idea_filter_options", _idea_filter_options)


def _idea_filter_options() -> dict:
    return {
        "status_options": IdeaStatus.choices,
        "value_options": list(
            ValueModel.objects.current().order_by("order", "name").values_list("key", "name")
        ),
        "organisation_options": list(
            Organisation.objects.order_by("name").values_list("slug", "name")
        ),
        "neighbourhood_options": list(
            Neighbourhood.objects.order_by("name").values_list("slug", "name")
        ),
    }


def triage_summary(*, waiting_days: int) -> dict:
    """Counts per status and of ideas waiting for an answer, in one query."""
    cutoff = timezone.now() - timezone.timedelta(days=waiting_days)
    agg = Idea.objects.aggregate(
        waiting=Count("pk", filter=Q(status__in=AWAITING_ANSWER, status_changed_at__lt=cutoff)),
        unassigned=Count("pk", filter=Q(status__in=AWAITING_ANSWER, owner__isnull=True)),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in IdeaStatus},
    )
    return {
        "waiting": agg.pop("waiting"),
        "unassigned": agg.pop("unassigned"),
        "by_status": [(IdeaStatus(k).label, k, v) for k, v in agg.items()],
    }


def innovation_leads():
    from django.contrib.auth import get_user_model

    from bewigan.people.roles import INNOVATION_LEAD

    return (
        get_user_model()
        .objects.filter(groups__name=INNOVATION_LEAD, is_active=True)
        .exclude(person__leaver_date__lte=timezone.localdate())  # never a leaver
        .order_by("first_name")
    )


# --- Search ----------------------------------------------------------------------

SEARCH_KINDS = [
    ("", "Everything"),
    ("stories", "Stories"),
    ("news", "News"),
    ("pages", "Other pages"),
    ("ideas", "Ideas"),
]
_ENTITY = re.compile(r"(&[#a-zA-Z0-9]+;)")


def highlight(text: str, query: str) -> str:
    """Escape first, then wrap each query word in <mark> (never inside an
    HTML entity), so user text can never inject markup."""
    escaped = escape(text or "")
    words = sorted(
        {w for w in re.findall(r"\w+", query or "") if len(w) > 1}, key=len, reverse=True
    )
    if not words:
        return mark_safe(escaped)  # noqa: S308 - escaped above
    pattern = re.compile("|".join(re.escape(escape(w)) for w in words), re.IGNORECASE)
    parts = _ENTITY.split(escaped)
    out = [
        p if _ENTITY.fullmatch(p) else pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", p)
        for p in parts
    ]
    return mark_safe("".join(out))  # noqa: S308 - only our <mark> tags are added to escaped text


@dataclass
class SearchHit:
    kind: str
    title: str
    url: str
    snippet: str
    meta: str = ""


def search(
    *,
    user,
    query: str,
    kind: str = "",
    idea_status: str = "",
    limit: int = 10,
    offset: int = 0,
    request=None,
):
    """Pages and ideas matching `query`: (page hits, page total, idea hits, idea total)."""
    query = (query or "").strip()[:200]
    page_hits, idea_hits, page_total, idea_total = [], [], 0, 0
    if not query:
        return page_hits, 0, idea_hits, 0
    if kind in ("", "stories", "news", "pages"):
        model = {"stories": InnovationStoryPage, "news": NewsPage, "pages": StandardPage}.get(
            kind, Page
        )
        pages = visible_pages(model.objects.all(), user=user)
        if model is Page:
            pages = pages.type(InnovationStoryPage, NewsPage, StandardPage)
        if _use_sqlite_fts():
            models = [InnovationStoryPage, NewsPage, StandardPage] if model is Page else [model]
            results = pages.filter(pk__in=_sqlite_fts_ids(query, models)).order_by(
                "-first_published_at", "-pk"
            )
        else:
            results = pages.search(query)
        page_total = results.count()
        found = list(results[offset : offset + limit])
        # Summaries and dates of every page type in one query (LEFT JOINs).
        extra = {
            row["pk"]: row
            for row in Page.objects.filter(pk__in=[p.pk for p in found])
            .annotate(
                hit_summary=Coalesce(
                    "innovationstorypage__summary",
                    "newspage__summary",
                    "standardpage__summary",
                    Value(""),
                ),
                hit_date=Coalesce("innovationstorypage__date", "newspage__date"),
            )
            .values("pk", "hit_summary", "hit_date")
        }
        for p in found:
            row = extra.get(p.pk, {})
            page_hits.append(
                SearchHit(
                    kind=ContentType.objects.get_for_id(p.content_type_id)
                    .model_class()
                    ._meta.verbose_name.capitalize(),
                    title=highlight(p.title, query),
                    url=p.get_url(request=request),
                    snippet=highlight(row.get("hit_summary") or "", query),
                    meta=row["hit_date"].strftime("%-d %B %Y") if row.get("hit_date") else "",
                )
            )
    if kind in ("", "ideas"):
        ideas = Idea.objects.all()
        if idea_status in IdeaStatus.values:
            ideas = ideas.filter(status=idea_status)
        if _use_sqlite_fts():
            results = ideas.filter(pk__in=_sqlite_fts_ids(query, [Idea])).order_by(
                "-created_at", "-pk"
            )
        else:
            results = ideas.search(query)
        idea_total = results.count()
        found = list(results[offset : offset + limit])
        for idea in found:
            idea_hits.append(
                SearchHit(
                    kind="Idea",
                    title=highlight(idea.title, query),
                    url=idea.get_absolute_url(),
                    snippet=highlight(_excerpt(idea.description, query), query),
                    meta=idea.get_status_display(),
                )
            )
    return page_hits, page_total, idea_hits, idea_total


def search_cached(*, user, query: str, kind: str, idea_status: str, limit, offset, request):
    """`search`, kept per worker for each query, filter, page and set of
    sections hidden from the person (cleared on page publish, unpublish, move,
    and when an idea is saved or deleted; see apps.py)."""
    query = (query or "").strip()[:200]
    if not query:
        return search(user=user, query=query)
    key = (
        "search",
        _site_key(request),
        tuple(hidden_page_paths(user=user)),
        query.lower(),
        kind,
        idea_status if idea_status in IdeaStatus.values else "",
        limit,
        offset,
    )
    return memo(
        key,
        lambda: search(
            user=user,
            query=query,
            kind=kind,
            idea_status=idea_status,
            limit=limit,
            offset=offset,
            request=request,
        ),
    )


def _use_sqlite_fts() -> bool:
    from django.db import connection

    return connection.vendor == "sqlite"


def _sqlite_fts_ids(query: str, models) -> RawSQL:
    """Ids of `models` whose search-index entry matches every word of `query`.

    Wagtail's SQLite backend (FTS5) joins the index to the content-type index
    first and scores every match with a correlated subquery: 3-16 s at 10,000
    ideas. Starting from the FTS table (CROSS JOIN fixes SQLite's join order)
    answers in milliseconds. Results come newest first on SQLite; PostgreSQL
    uses Wagtail's backend with relevance ranking."""
    words = [w.replace('"', '""') for w in re.findall(r"\w+", query)][:20]
    match = "{title body} : (" + " AND ".join(f'"{w}"' for w in words) + ")"
    ct_ids = [ContentType.objects.get_for_model(m).pk for m in models]
    placeholders = ", ".join(["%s"] * len(ct_ids))
    return RawSQL(  # noqa: S611 - fixed SQL; the query words are parameters
        "SELECT CAST(e.object_id AS INTEGER) FROM wagtailsearch_indexentry_fts f"  # noqa: S608 - placeholders only
        " CROSS JOIN wagtailsearch_indexentry e ON f.rowid = e.id"
        f" WHERE wagtailsearch_indexentry_fts MATCH %s AND e.content_type_id IN ({placeholders})",
        [match, *ct_ids],
    )


def _excerpt(text: str, query: str, width: int = 240) -> str:
    text = text or ""
    words = [w for w in re.findall(r"\w+", query) if len(w) > 1]
    start = 0
    for w in words:
        i = text.lower().find(w.lower())
        if i >= 0:
            start = max(0, i - 60)
            break
    snippet = text[start : start + width]
    return ("…" if start else "") + snippet + ("…" if start + width < len(text) else "")


# --- Review ------------------------------------------------------------------


def pages_overdue_for_review(*, on=None) -> QuerySet[Page]:
    on = on or timezone.localdate()
    return Page.objects.filter(
        Q(innovationstorypage__review_date__lt=on)
        | Q(newspage__review_date__lt=on)
        | Q(standardpage__review_date__lt=on)
    )


def in_comms(user) -> bool:
    from bewigan.people.roles import COMMS_EDITOR

    return in_group(user, COMMS_EDITOR)
