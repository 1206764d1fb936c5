"""The values framework in the Wagtail admin.

- "Values framework" menu item: frameworks and their versions, "Create a new
  draft version" and "Publish from date" (admin_views.py).
- Values (with their behaviours as an InlinePanel) are a snippet. A value in
  a published version cannot change: the permission policy says so (no edit
  or delete buttons), the edit and delete views are refused by the hooks
  below, and the form refuses it too.
"""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .forms import FROZEN_MESSAGE, ValueAdminForm, value_is_frozen
from .models import FrameworkVersion, Value

FROZEN_ACTIONS = {"change", "delete"}


class ValuePermissionPolicy(ModelPermissionPolicy):
    """Django model permissions, except that nobody may change or delete a
    value of a published version."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action in FROZEN_ACTIONS and instance.version.is_frozen:
            return False
        return super().user_has_permission_for_instance(user, action, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if set(actions) <= FROZEN_ACTIONS:
            instances = instances.filter(version__status=FrameworkVersion.Status.DRAFT)
        return instances


register_permission_policy(Value, ValuePermissionPolicy(Value), exact_class=True)


class ValueViewSet(SnippetViewSet):
    model = Value
    icon = "list-ul"
    menu_label = "Values"
    add_to_admin_menu = False
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "name",
        Column("version", label="Framework version", accessor="version"),
        "key",
        "order",
    ]
    list_filter = ["version", "version__status"]
    search_fields = ["name", "summary"]
    ordering = ["version__framework__name", "-version__number", "order"]
    edit_handler = ObjectList(
        [
            FieldPanel("version"),
            FieldPanel("name"),
            FieldPanel("key"),
            FieldPanel("summary"),
            FieldPanel("order"),
            InlinePanel("behaviours", label="Behaviours", min_num=1),
        ],
        base_form_class=ValueAdminForm,
    )

    def get_queryset(self, request):
        return Value.objects.select_related("version__framework")


register_snippet(ValueViewSet)


def _refuse_frozen(request, instance):
    messages.error(request, FROZEN_MESSAGE)
    from django.shortcuts import redirect

    return redirect(reverse("wagtailsnippets_values_value:inspect", args=[instance.pk]))


@hooks.register("before_edit_snippet")
def refuse_edit_of_published_value(request, instance):
    if isinstance(instance, Value) and value_is_frozen(instance):
        return _refuse_frozen(request, instance)
    return None


@hooks.register("before_delete_snippet")
def refuse_delete_of_published_value(request, instances):
    for instance in instances:
        if isinstance(instance, Value) and value_is_frozen(instance):
            return _refuse_frozen(request, instance)
    return None


@hooks.register("register_admin_urls")
def register_values_admin_urls():
    urls = [
        path("", admin_views.FrameworkIndexView.as_view(), name="index"),
        path(
            "<int:framework_pk>/draft/",
            admin_views.version_create_draft_view,
            name="create_draft",
        ),
        path(
            "versions/<int:version_pk>/publish/",
            admin_views.VersionPublishView.as_view(),
            name="publish",
        ),
    ]
    return [path("values-framework/", include((urls, "values_admin"), namespace="values_admin"))]


class ValuesFrameworkMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.VIEW)


@hooks.register("register_admin_menu_item")
def register_values_menu_item():
    return ValuesFrameworkMenuItem(
        "Values framework",
        reverse("values_admin:index"),
        name="values-framework",
        icon_name="list-ul",
        order=250,
    )
