"""Wagtail admin: the "Pages overdue for review" report and tags as a
snippet. Values, organisations and neighbourhoods are registered by their
own apps (bewigan/values, bewigan/people)."""

from django.urls import path, reverse
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.admin.views.reports import PageReportView
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import InnovationStoryPage
from .selectors import pages_overdue_for_review


class OverdueReviewView(PageReportView):
    page_title = "Pages overdue for review"
    header_icon = "time"
    index_url_name = "cms_overdue_review"
    index_results_url_name = "cms_overdue_review_results"
    any_permission_required = ["add", "change", "publish"]
    list_export = PageReportView.list_export + ["specific.review_date", "specific.content_owner"]
    export_headings = {
        **PageReportView.export_headings,
        "specific.review_date": "Review date",
        "specific.content_owner": "Page owner",
    }

    def get_queryset(self):
        editable = PagePermissionPolicy().instances_user_has_permission_for(
            self.request.user, "change"
        )
        self.queryset = (
            (pages_overdue_for_review() & editable).specific(defer=True).order_by("path")
        )
        return super().get_queryset()

    def get_filename(self):
        return "pages-overdue-for-review"


class OverdueReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return PagePermissionPolicy().user_has_any_permission(
            request.user, ["add", "change", "publish"]
        )


@hooks.register("register_admin_urls")
def register_overdue_review_urls():
    return [
        path("reports/overdue-review/", OverdueReviewView.as_view(), name="cms_overdue_review"),
        path(
            "reports/overdue-review/results/",
            OverdueReviewView.as_view(results_only=True),
            name="cms_overdue_review_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_overdue_review_menu_item():
    return OverdueReviewMenuItem(
        "Pages overdue for review",
        reverse("cms_overdue_review"),
        name="overdue-review",
        icon_name="time",
        order=650,
    )


class TagSnippetViewSet(SnippetViewSet):
    model = Tag
    icon = "tag"
    add_to_admin_menu = True
    menu_label = "Tags"
    menu_order = 250
    list_display = ["name", "slug"]
    search_fields = ("name",)
    panels = [FieldPanel("name"), FieldPanel("slug")]


register_snippet(TagSnippetViewSet)


class StoryDraftsPanel(Component):
    """Dashboard: story drafts waiting for a comms editor (written on the
    front end and sent for approval, or made from an adopted idea), oldest
    wait first. Comms editors are also notified of each (cms.services)."""

    name = "story_drafts"
    template_name = "cms/admin/story_drafts_panel.html"
    order = 205  # just above Wagtail's own moderation panels
    limit = 10

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        drafts = InnovationStoryPage.objects.filter(live=False).order_by(
            "latest_revision_created_at", "pk"
        )
        context["drafts"] = list(
            drafts.select_related("owner").only(
                "id", "title", "owner", "latest_revision_created_at", "has_unpublished_changes"
            )[: self.limit]
        )
        context["count"] = drafts.count() if len(context["drafts"]) == self.limit else None
        return context


@hooks.register("construct_homepage_panels")
def add_story_drafts_panel(request, panels):
    if PagePermissionPolicy().user_has_permission(request.user, "publish"):
        panels.append(StoryDraftsPanel())
