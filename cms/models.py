"""Wagtail pages for the intranet, and staff innovation ideas.

Pages: HomePage (site root) → StoryIndexPage → InnovationStoryPage;
NewsIndexPage → NewsPage; StandardPage anywhere. Stories, news and standard
pages carry a content owner and a review date (see the "Pages overdue for
review" admin report in wagtail_hooks.py).

Ideas are ordinary models (not pages): anyone signed in reads them; writes
go through cms.services and are guarded by cms.rules.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.queryset import SearchableQuerySetMixin

from .blocks import StoryBodyBlock


def _current_values_q():
    from bewigan.values.models import Value

    return Q(pk__in=Value.objects.current().values("pk"))


class OneQueryRestrictionsMixin:
    """Wagtail checks page privacy on every serve with two queries (ancestors'
    aliases, then restrictions). The same answer in one: restrictions on this
    page or any ancestor, an alias standing for its source page. Always read
    from the database, never cached, so privacy is enforced at once."""

    def get_view_restrictions(self):
        from django.db.models.expressions import RawSQL
        from wagtail.models import PageViewRestriction

        steplen = self.steplen
        paths = [self.path[:i] for i in range(steplen, len(self.path) + 1, steplen)]
        return PageViewRestriction.objects.filter(
            page_id__in=RawSQL(_targets_sql(len(paths)), paths)  # noqa: S611 - ORM-built SQL, paths are parameters
        )


# The ancestors' subquery, compiled by the ORM once per process and depth:
# compiling it cost more than running the whole check.
_TARGETS_SQL: dict[int, str] = {}


def _targets_sql(depth: int) -> str:
    sql = _TARGETS_SQL.get(depth)
    if sql is None:
        from django.db.models.functions import Coalesce

        paths = [f"{i:04d}" for i in range(depth)]
        query = (
            Page.objects.filter(path__in=paths)
            .annotate(target=Coalesce("alias_of_id", "id"))
            .order_by()
            .values("target")
            .query
        )
        sql, params = query.get_compiler(Page.objects.db).as_sql()
        assert list(params) == paths, params
        _TARGETS_SQL[depth] = sql
    return sql


class OneQueryChildRouteMixin:
    """An index whose children are all of one type (`child_model`) finds the
    child a URL names with one query (Wagtail's route takes two: the base
    row, then the specific one). Anything else routes as Wagtail does."""

    child_model: str = ""

    def route(self, request, path_components):
        if path_components:
            from django.apps import apps

            model = apps.get_model(self.child_model)
            sql, order = _child_sql(model)
            values = {"path": self.path + "%", "depth": self.depth + 1, "slug": path_components[0]}
            child = next(iter(model.objects.raw(sql, [values[k] for k in order])), None)
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        return super().route(request, path_components)


# The child lookup, compiled by the ORM once per process and model (compiling
# it took 1.3 ms, running it 0.3 ms). Tree paths are [0-9A-Z] only, so the
# LIKE pattern needs no escaping.
_CHILD_SQL: dict = {}


def _child_sql(model) -> tuple[str, list[str]]:
    key = (model._meta.label, model.objects.db)
    if key not in _CHILD_SQL:
        markers = {"path": "~path~%", "depth": 9999, "slug": "~slug~"}
        query = model.objects.filter(
            path__startswith="~path~", depth=markers["depth"], slug=markers["slug"]
        )[:1]
        sql, params = query.query.get_compiler(model.objects.db).as_sql()
        names = {value: name for name, value in markers.items()}
        _CHILD_SQL[key] = (sql, [names[p] for p in params])
    return _CHILD_SQL[key]


class ReviewedPage(OneQueryRestrictionsMixin, Page):
    """Abstract: a page somebody owns and reviews by a date.

    Its content (body, images, the facts beside it) is rendered once per
    worker and revision: templates wrap it in `{% wagtailpagecache
    fragment_cache_seconds "<name>" using=fragment_cache %}`, whose key is this
    page's `cache_key` (id, URL, last published time and live revision, so a
    new revision shows at once in every worker) and the site. Wagtail skips
    the cache in previews. Only what is the same for everyone who may open
    the page goes inside; the header (name, admin link, unread count) is
    outside. Names of related records (people, tags) can lag by up to
    BEWIGAN_CMS_CACHE_SECONDS."""

    content_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="page owner",
        help_text="The person responsible for keeping this page accurate",
    )
    review_date = models.DateField(
        null=True, blank=True, help_text="When the page owner must check it again"
    )

    review_panels = [
        MultiFieldPanel(
            [FieldPanel("content_owner"), FieldPanel("review_date")], heading="Ownership and review"
        )
    ]

    class Meta:
        abstract = True

    @property
    def review_overdue(self) -> bool:
        return self.review_date is not None and self.review_date < timezone.localdate()

    def get_cache_key_components(self):
        return [*super().get_cache_key_components(), self.live_revision_id]

    def get_context(self, request, *args, **kwargs):
        from .selectors import fragment_cache_alias, prime_site_root_paths

        prime_site_root_paths(request)
        context = super().get_context(request, *args, **kwargs)
        context["fragment_cache_seconds"] = getattr(settings, "BEWIGAN_CMS_CACHE_SECONDS", 30)
        context["fragment_cache"] = fragment_cache_alias()
        return context


class HomePage(OneQueryRestrictionsMixin, Page):
    """Each person's starting point (see selectors.home_panels)."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    def route(self, request, path_components):
        """Children of the home page (the sections: stories, news, ...) are
        looked up once per worker (selectors.memo, cleared on publish,
        unpublish, move and slug change); deeper levels route as usual."""
        from .selectors import memo

        if not path_components:
            return super().route(request, path_components)
        slug = path_components[0]

        def child():
            page = self.get_children().filter(slug=slug).first()
            return page.specific if page is not None else None

        subpage = memo(("route", self.pk, slug), child)
        if subpage is None:
            return super().route(request, path_components)  # 404 as Wagtail does
        subpage._cached_parent_obj = self
        return subpage.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        from .selectors import home_panels, prime_site_root_paths

        prime_site_root_paths(request)
        context = super().get_context(request, *args, **kwargs)
        context.update(home_panels(user=request.user, request=request))
        return context


class StoryIndexPage(OneQueryChildRouteMixin, OneQueryRestrictionsMixin, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    child_model = "cms.InnovationStoryPage"
    subpage_types = ["cms.InnovationStoryPage"]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]

    def get_context(self, request, *args, **kwargs):
        from .selectors import prime_site_root_paths, story_index_html

        prime_site_root_paths(request)
        context = super().get_context(request, *args, **kwargs)
        context["listing_html"] = story_index_html(index=self, request=request)
        return context


class StoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.InnovationStoryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class _PlainOptionsMixin:
    """Render a long <select>'s options in Python: Django renders one
    template per <option>, which for every person and user in the
    partnership was most of the page editor's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = []
        for group_name, group, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], " selected" if option["selected"] else "", option["label"])
                    for option in group
                ),
            )
            if group_name:
                html = format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
            options.append(html)
        return format_html(
            "<select{}>{}</select>",
            flatatt({"name": widget["name"], **widget["attrs"]}),
            format_html_join("", "{}", ((o,) for o in options)),
        )


class PlainSelect(_PlainOptionsMixin, forms.Select):
    pass


class PlainSelectMultiple(_PlainOptionsMixin, forms.SelectMultiple):
    pass


class InnovationStoryPageForm(WagtailAdminPageForm):
    """The page editor lists every person to tag and every user who may own
    the page: load names in one query (not one per person: 765 queries on the
    demo data) and render the options without a template each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "people" in self.fields:
            from bewigan.people.models import Person

            self.fields["people"].queryset = Person.objects.select_related("user").order_by(
                "user__last_name", "user__first_name", "pk"
            )
        for name in ("people", "content_owner", "source_idea"):
            field = self.fields.get(name)
            if field is None or type(field.widget) not in (forms.Select, forms.SelectMultiple):
                continue
            plain = PlainSelectMultiple if field.widget.allow_multiple_selected else PlainSelect
            widget = plain(attrs=field.widget.attrs)
            widget.choices = field.choices
            widget.is_required = field.widget.is_required
            field.widget = widget


class InnovationStoryPage(ReviewedPage):
    base_form_class = InnovationStoryPageForm
    date = models.DateField(default=timezone.localdate)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences shown in lists and search"
    )
    featured = models.BooleanField(default=False, help_text="Show on everyone's home page")
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_alt = models.CharField(
        max_length=250,
        blank=True,
        help_text="Alt text for the main image (required when there is an image)",
    )
    body = StreamField(StoryBodyBlock(), blank=True)
    values = ParentalManyToManyField(
        "values.Value", blank=True, related_name="stories", limit_choices_to=_current_values_q
    )
    organisations = ParentalManyToManyField(
        "people.Organisation", blank=True, related_name="stories"
    )
    neighbourhoods = ParentalManyToManyField(
        "people.Neighbourhood", blank=True, related_name="stories"
    )
    people = ParentalManyToManyField("people.Person", blank=True, related_name="stories")
    source_idea = models.ForeignKey(
        "cms.Idea",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stories",
        help_text="The idea this story came from",
    )
    tags = ClusterTaggableManager(through=StoryPageTag, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("featured"),
        MultiFieldPanel([FieldPanel("hero_image"), FieldPanel("hero_alt")], heading="Main image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("values", widget=forms.CheckboxSelectMultiple),
                FieldPanel("organisations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("neighbourhoods", widget=forms.CheckboxSelectMultiple),
                FieldPanel("people"),
                FieldPanel("source_idea"),
                FieldPanel("tags"),
            ],
            heading="About this story",
        ),
        *ReviewedPage.review_panels,
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = "innovation story"

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.hero_image_id and not self.hero_alt.strip():
            raise ValidationError({"hero_alt": "Enter alt text for the main image"})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Lazy: read only when the cached fragment is rendered.
        context["story_people"] = self.people.select_related("user")
        return context


class NewsIndexPage(OneQueryChildRouteMixin, OneQueryRestrictionsMixin, Page):
    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    child_model = "cms.NewsPage"
    subpage_types = ["cms.NewsPage"]
    parent_page_types = ["cms.HomePage"]

    def get_context(self, request, *args, **kwargs):
        from .selectors import prime_site_root_paths

        prime_site_root_paths(request)
        context = super().get_context(request, *args, **kwargs)
        news = NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")
        context["news"] = _paginate(
            request, news.only("title", "slug", "url_path", "date", "summary"), 20
        )
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(ReviewedPage):
    date = models.DateField(default=timezone.localdate)
    summary = models.CharField(max_length=300)
    body = StreamField(StoryBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("tags"),
        *ReviewedPage.review_panels,
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list = []

    class Meta:
        verbose_name = "news item"


class StandardPage(ReviewedPage):
    summary = models.CharField(max_length=300, blank=True)
    body = StreamField(StoryBodyBlock(), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        *ReviewedPage.review_panels,
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]


def _paginate(request, items, per_page):
    from django.core.paginator import Paginator

    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- Ideas -----------------------------------------------------------------


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    UNDER_REVIEW = "under_review", "Under review"
    SUPPORTED = "supported", "Supported to try"
    TRIALLING = "trialling", "Trialling"
    ADOPTED = "adopted", "Adopted"
    NOT_NOW = "not_now", "Not now"
    MERGED = "merged", "Merged"


# Where an idea may go next. "Not now" can be reopened; adopted and merged are final.
TRANSITIONS = {
    IdeaStatus.SUBMITTED: [IdeaStatus.UNDER_REVIEW, IdeaStatus.NOT_NOW, IdeaStatus.MERGED],
    IdeaStatus.UNDER_REVIEW: [IdeaStatus.SUPPORTED, IdeaStatus.NOT_NOW, IdeaStatus.MERGED],
    IdeaStatus.SUPPORTED: [IdeaStatus.TRIALLING, IdeaStatus.NOT_NOW, IdeaStatus.MERGED],
    IdeaStatus.TRIALLING: [IdeaStatus.ADOPTED, IdeaStatus.NOT_NOW],
    IdeaStatus.NOT_NOW: [IdeaStatus.UNDER_REVIEW],
    IdeaStatus.ADOPTED: [],
    IdeaStatus.MERGED: [],
}
# Statuses in which the author is still waiting for an answer.
AWAITING_ANSWER = [IdeaStatus.SUBMITTED, IdeaStatus.UNDER_REVIEW]
STATUS_TAG_COLOURS = {
    IdeaStatus.SUBMITTED: "grey",
    IdeaStatus.UNDER_REVIEW: "blue",
    IdeaStatus.SUPPORTED: "turquoise",
    IdeaStatus.TRIALLING: "purple",
    IdeaStatus.ADOPTED: "green",
    IdeaStatus.NOT_NOW: "orange",
    IdeaStatus.MERGED: "yellow",
}


class IdeaQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def waiting_longer_than(self, days: int, now=None):
        now = now or timezone.now()
        return self.filter(
            status__in=AWAITING_ANSWER, status_changed_at__lt=now - timedelta(days=days)
        )


class Idea(index.Indexed, models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    title = models.CharField(max_length=150)
    what_matters = models.TextField(
        "what matters",
        validators=[MaxLengthValidator(2000)],
        help_text="The problem, and who it matters to",
    )
    description = models.TextField("the idea", validators=[MaxLengthValidator(4000)])
    value = models.ForeignKey("values.Value", on_delete=models.PROTECT, related_name="ideas")
    team = models.ForeignKey(
        "people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas"
    )
    neighbourhood = models.ForeignKey(
        "people.Neighbourhood",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    organisation = models.ForeignKey(
        "people.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    needs_time = models.BooleanField("time", default=False)
    needs_money = models.BooleanField("money", default=False)
    needs_rule_waived = models.BooleanField("a rule waived", default=False)
    support_detail = models.TextField(
        "support needed", blank=True, validators=[MaxLengthValidator(1000)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_ideas",
        help_text="The innovation lead looking after the idea",
    )
    status = models.CharField(
        max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_ideas"
    )
    supporter_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IdeaQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("what_matters"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("status"),
        index.FilterField("value_id"),
        index.FilterField("created_at"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "status_changed_at"]),
            models.Index(fields=["-created_at", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False) | ~Q(status="merged"),
                name="merged_idea_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="idea_not_merged_into_itself"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cms:idea_detail", args=[self.pk])

    @property
    def status_colour(self) -> str:
        return STATUS_TAG_COLOURS.get(self.status, "grey")

    @property
    def next_statuses(self) -> list:
        return TRANSITIONS.get(IdeaStatus(self.status), [])

    @property
    def support_needed(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.needs_time, "Time"),
                (self.needs_money, "Money"),
                (self.needs_rule_waived, "A rule waived"),
            )
            if flag
        ]


class IdeaStatusChange(models.Model):
    """Append-only history of an idea's status, visible to everyone."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=IdeaStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    reason = models.TextField(validators=[MaxLengthValidator(2000)])
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="status_change_has_reason")
        ]

    def __str__(self):
        return f"{self.idea_id}: {self.from_status} → {self.to_status}"


class IdeaSupport(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="support_idea_once")]

    def __str__(self):
        return f"{self.user_id} supports {self.idea_id}"


class IdeaComment(models.Model):
    sensitive = True  # personal data: scoped reads only (tools/lint_sensitive_access.py)

    EDIT_WINDOW = timedelta(minutes=15)

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_comments"
    )
    body = models.TextField(validators=[MaxLengthValidator(2000)])
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Comment {self.pk} on idea {self.idea_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def editable_until(self):
        return self.created_at + self.EDIT_WINDOW
