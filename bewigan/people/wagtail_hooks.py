"""Organisations, neighbourhoods and teams in the Wagtail admin for HR admins.

An organisation's kind keeps its history (clinical commissioning groups
became integrated care boards): the edit form shows the kind read-only, and
"Change kind" records a new dated period through `organisation_change_kind`.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from .models import Neighbourhood, Organisation, Team
from .services import organisation_change_kind

KIND_HELP = (
    "To change the kind, use “Change kind” in the list of organisations, so the history is kept."
)


class OrganisationAdminForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "kind" in self.fields:
            # Disabled fields ignore whatever is posted: the kind cannot be
            # overwritten here, only changed (with history) below.
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = KIND_HELP


class OrganisationChangeKindForm(forms.Form):
    kind = forms.ChoiceField(label="New kind", choices=Organisation.Kind.choices)
    on = forms.DateField(
        label="From",
        help_text="The date the organisation became this kind.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == self.organisation.kind:
            self.add_error("kind", f"{self.organisation} is already this kind.")
        current = self.organisation.kind_history.filter(valid_to__isnull=True).first()
        on = cleaned.get("on")
        if current is not None and on is not None and on <= current.valid_from:
            self.add_error(
                "on",
                f"The date must be after {current.valid_from:%-d %B %Y}, when the current kind began.",
            )
        return cleaned


class OrganisationChangeKindView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "people/admin/organisation_change_kind.html"
    page_title = "Change kind"
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("people.change_organisation"):
            raise PermissionDenied
        self.organisation = get_object_or_404(Organisation, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.organisation)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailsnippets_people_organisation:list"), "label": "Organisations"},
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            organisation=self.organisation,
            history=list(self.organisation.kind_history.order_by("valid_from")),
            form=form
            or OrganisationChangeKindForm(
                organisation=self.organisation, initial={"on": timezone.localdate()}
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = OrganisationChangeKindForm(request.POST, organisation=self.organisation)
        if form.is_valid():
            organisation_change_kind(
                organisation=self.organisation,
                kind=form.cleaned_data["kind"],
                on=form.cleaned_data["on"],
                user=request.user,
            )
            messages.success(
                request,
                f"{self.organisation} is now recorded as the new kind; its history is kept.",
            )
            return redirect("wagtailsnippets_people_organisation:list")
        return self.render_to_response(self.get_context_data(form=form))


class OrganisationIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("people.change_organisation"):
            buttons.append(
                ListingButton(
                    "Change kind",
                    url=reverse(
                        "wagtailsnippets_people_organisation:change_kind", args=[instance.pk]
                    ),
                    icon_name="history",
                    priority=15,
                )
            )
        return buttons


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "site"
    menu_label = "Organisations"
    index_view_class = OrganisationIndexView
    list_display = ["name", "short_name", "kind", "self_sign_up"]
    list_filter = ["kind", "self_sign_up"]
    search_fields = ["name", "short_name"]
    search_backend_name = None  # plain database filtering: the list is short
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("short_name"),
            FieldPanel("aliases"),
            FieldPanel("slug"),
            FieldPanel("kind"),
            FieldPanel("email_domains"),
            FieldPanel("self_sign_up"),
        ],
        base_form_class=OrganisationAdminForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("change-kind/<int:pk>/", OrganisationChangeKindView.as_view(), name="change_kind"),
        ]


class NeighbourhoodViewSet(SnippetViewSet):
    model = Neighbourhood
    icon = "globe"
    menu_label = "Neighbourhoods"
    list_display = ["name", "population"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["name"]


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = "Teams"
    list_display = ["name", "code", "organisation", "neighbourhood", "parent"]
    list_filter = ["organisation", "neighbourhood", "is_cross_organisation"]
    search_fields = ["name", "code"]
    search_backend_name = None
    ordering = ["organisation__name", "name"]
    panels = [
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("organisation"),
        FieldPanel("neighbourhood"),
        FieldPanel("parent"),
        FieldPanel("is_cross_organisation"),
    ]

    def get_queryset(self, request):
        return Team.objects.select_related("organisation", "neighbourhood", "parent")


class StructureViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, NeighbourhoodViewSet, TeamViewSet)
    menu_label = "Organisations and teams"
    menu_icon = "site"
    menu_order = 260


register_snippet(StructureViewSetGroup)


@hooks.register("after_create_snippet")
def start_kind_history(request, instance):
    """A new organisation's kind starts its history today."""
    if isinstance(instance, Organisation) and not instance.kind_history.exists():
        organisation_change_kind(
            organisation=instance, kind=instance.kind, on=timezone.localdate(), user=request.user
        )


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, perm, **kwargs):
        super().__init__(*args, **kwargs)
        self.perm = perm

    def is_shown(self, request):
        return request.user.has_perm(self.perm)


@hooks.register("register_admin_menu_item")
def register_invite_menu_item():
    return PermissionMenuItem(
        "Invite someone",
        reverse("people:invite"),
        icon_name="mail",
        order=270,
        perm="people.invite_person",
    )


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return PermissionMenuItem(
        "Audit log",
        reverse("people:audit_log"),
        icon_name="history",
        order=280,
        perm="people.view_audit_log",
    )
