"""The data-sharing grants register in the Wagtail admin (Settings menu is
for superusers; this sits in the main menu for HR admins).

- HR admins see the grants their organisation gave or received; superusers
  see every grant.
- An HR admin records grants FROM their own organisation (a partner shares
  its own people); superusers record any grant. `recorded_by` and the audit
  log say who.
- Grants are never edited or deleted: "Revoke" ends one (either side may),
  and the row stays with its dates.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from bewigan.partners import boundaries
from bewigan.partners.models import DataSharingGrant
from bewigan.people.models import Organisation

# --- Who may do what -------------------------------------------------------------------------


class GrantPermissionPolicy(BasePermissionPolicy):
    """View: HR admins and superusers. Add: the same (from their own
    organisation, enforced by the form and `grant_record`). Change and
    delete: nobody; grants are revoked instead."""

    def user_has_permission(self, user, action):
        if action == "view":
            return boundaries.may_view_grants(user)
        if action == "add":
            return boundaries.may_view_grants(user)
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        if action != "view":
            return False
        return boundaries.grants_visible_to(user=user).filter(pk=instance.pk).exists()

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" in actions:
            return boundaries.grants_visible_to(user=user)
        return DataSharingGrant.objects.none()

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()


register_permission_policy(DataSharingGrant, GrantPermissionPolicy(DataSharingGrant))


class VisibleGrantMixin:
    """404 for a grant that is missing or not the user's to see alike."""

    def get_object(self, queryset=None):
        grant = boundaries.grants_visible_to(user=self.request.user).filter(pk=self.pk).first()
        if grant is None:
            raise Http404
        return grant


# --- Listing ---------------------------------------------------------------------------------

STATUS_CHOICES = [
    ("active", "Active"),
    ("future", "Starts later"),
    ("ended", "Ended"),
    ("revoked", "Revoked"),
]


class GrantFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, method="filter_status", empty_label="Any status"
    )

    class Meta:
        model = DataSharingGrant
        fields = ["purpose", "sharing_organisation", "receiving_organisation"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == "active":
            return queryset.active(today)
        if value == "future":
            return queryset.filter(revoked_at__isnull=True, starts_on__gt=today)
        if value == "ended":
            return queryset.filter(revoked_at__isnull=True, ends_on__lte=today)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class GrantIndexView(generic.IndexView):
    def get_base_queryset(self):
        return boundaries.grants_visible_to(user=self.request.user)

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if boundaries.may_revoke_grant(self.request.user, instance):
            buttons.append(
                ListingButton(
                    "Revoke",
                    url=reverse("privacy_grants:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=25,
                )
            )
        return buttons


# --- Recording a grant -----------------------------------------------------------------------


class GrantForm(WagtailAdminModelForm):
    """The sharing organisation is the HR admin's own (superusers: any)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("sharing_organisation", "receiving_organisation"):
            if name in self.fields:
                # A plain list, not Wagtail's snippet chooser (which would
                # offer every organisation whatever the queryset).
                self.fields[name].widget = forms.Select()
        sharing = self.fields.get("sharing_organisation")
        if sharing is not None:
            sharing.queryset = boundaries.organisations_user_may_share(self.for_user)
            sharing.help_text = (
                "The organisation whose people are shared. You record grants from your own "
                "organisation."
            )
            if sharing.queryset.count() == 1:
                sharing.empty_label = None
        receiving = self.fields.get("receiving_organisation")
        if receiving is not None:
            receiving.queryset = Organisation.objects.order_by("name")
            receiving.help_text = "The organisation whose HR or survey admins may then act on them."
        if "ends_on" in self.fields:
            self.fields[
                "ends_on"
            ].help_text = "The first day the grant no longer applies. Leave empty for no end date."

    def clean(self):
        cleaned = super().clean()
        probe = DataSharingGrant(
            sharing_organisation=cleaned.get("sharing_organisation"),
            receiving_organisation=cleaned.get("receiving_organisation"),
            starts_on=cleaned.get("starts_on"),
            ends_on=cleaned.get("ends_on"),
        )
        try:
            boundaries.validate_grant(probe)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field not in self.errors:
                    self.add_error(field, errors)
        return cleaned

    def validate_constraints(self, exclude=None):
        # `clean` reports these constraints against the fields.
        pass


class GrantCreateView(generic.CreateView):
    submit_button_label = "Record grant"
    page_title = "Record a data-sharing grant"

    def save_instance(self):
        d = self.form.cleaned_data
        return boundaries.grant_record(
            user=self.request.user,
            sharing_organisation=d["sharing_organisation"],
            receiving_organisation=d["receiving_organisation"],
            purpose=d["purpose"],
            agreement_reference=d["agreement_reference"],
            description=d.get("description", ""),
            starts_on=d["starts_on"],
            ends_on=d.get("ends_on"),
        )

    def get_success_message(self, instance):
        return f"Grant recorded: {instance}. It is in the audit log."


class GrantInspectView(VisibleGrantMixin, generic.InspectView):
    template_name = "privacy/admin/grant_inspect.html"

    def get_page_subtitle(self):
        return boundaries.grant_label(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = boundaries.grant_status(self.object)
        context["revoke_url"] = (
            reverse("privacy_grants:revoke", args=[self.object.pk])
            if boundaries.may_revoke_grant(self.request.user, self.object)
            else None
        )
        return context


class GrantHistoryView(VisibleGrantMixin, HistoryView):
    pass


class GrantUsageView(VisibleGrantMixin, UsageView):
    pass


# --- Revoking a grant ------------------------------------------------------------------------


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=500,
        help_text="Recorded in the audit log, for example “agreement ended early”.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class GrantRevokeView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "privacy/admin/grant_revoke.html"
    page_title = "Revoke grant"
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not boundaries.may_view_grants(request.user):
            raise PermissionDenied
        self.pk = kwargs["pk"]
        grant = boundaries.grants_visible_to(user=request.user).filter(pk=self.pk).first()
        if grant is None:
            raise Http404
        if not boundaries.may_revoke_grant(request.user, grant):
            raise PermissionDenied
        self.grant = grant
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return boundaries.grant_label(self.grant)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("privacy_grants:index"), "label": "Data-sharing grants"},
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            grant=self.grant,
            purpose=boundaries.PURPOSE_LABELS.get(self.grant.purpose, self.grant.purpose),
            status=boundaries.grant_status(self.grant),
            form=form or RevokeForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = RevokeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        boundaries.grant_revoke(
            user=request.user, grant=self.grant, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, f"Grant revoked: {self.grant}. Access under it stopped straight away."
        )
        return redirect("privacy_grants:index")


# --- The viewset -----------------------------------------------------------------------------


def _status(grant):
    return boundaries.grant_status(grant)


class DataSharingGrantViewSet(ModelViewSet):
    model = DataSharingGrant
    icon = "lock"
    menu_label = "Data-sharing grants"
    menu_order = 285
    add_to_admin_menu = True
    name = "privacy_grants"
    url_prefix = "data-sharing-grants"
    index_view_class = GrantIndexView
    add_view_class = GrantCreateView
    inspect_view_class = GrantInspectView
    history_view_class = GrantHistoryView
    usage_view_class = GrantUsageView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = GrantFilterSet
    list_display = [
        "agreement_reference",
        "sharing_organisation",
        "receiving_organisation",
        Column(
            "purpose",
            label="Purpose",
            accessor=lambda g: boundaries.PURPOSE_LABELS.get(g.purpose, g.purpose),
        ),
        Column("starts_on", label="From", sort_key="starts_on"),
        Column("ends_on", label="Until (not included)", accessor=lambda g: g.ends_on or "—"),
        Column("status", label="Status", accessor=_status),
        Column("recorded_by", label="Recorded by", accessor=lambda g: g.recorded_by or "—"),
    ]
    inspect_view_fields = [
        "sharing_organisation",
        "receiving_organisation",
        "purpose",
        "agreement_reference",
        "description",
        "starts_on",
        "ends_on",
        "recorded_by",
        "recorded_at",
        "revoked_at",
    ]
    search_fields = ["agreement_reference", "description"]
    search_backend_name = None
    ordering = ["-starts_on", "-id"]
    edit_handler = ObjectList(
        [
            FieldPanel("sharing_organisation"),
            FieldPanel("receiving_organisation"),
            FieldPanel("purpose"),
            FieldPanel("agreement_reference"),
            FieldPanel("description"),
            FieldPanel("starts_on"),
            FieldPanel("ends_on"),
        ],
        base_form_class=GrantForm,
    )

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", GrantRevokeView.as_view(), name="revoke"),
        ]


@hooks.register("register_admin_viewset")
def register_grants_viewset():
    return DataSharingGrantViewSet()
