"""Wagtail admin pages for the values framework: the list of frameworks and
their versions, "create a new draft version" and "publish from date".
Values and behaviours of a draft are edited through the Value snippet
(see wagtail_hooks.py). Every write goes through services.py."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import PublishForm
from .models import Framework, FrameworkVersion
from .selectors import frameworks_for_admin, version_get_for_admin
from .services import version_create_draft, version_publish

VIEW = "values.view_frameworkversion"
ADD = "values.add_frameworkversion"
CHANGE = "values.change_frameworkversion"


def _require(user, perm):
    if not user.has_perm(perm):
        raise PermissionDenied


def value_list_url(version: FrameworkVersion) -> str:
    return reverse("wagtailsnippets_values_value:list") + f"?version={version.pk}"


class FrameworkIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "values/admin/index.html"
    page_title = "Values framework"
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        _require(request.user, VIEW)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        frameworks = list(frameworks_for_admin())
        for framework in frameworks:
            versions = list(framework.versions.all())
            framework.admin_versions = versions
            framework.has_draft = any(v.status == FrameworkVersion.Status.DRAFT for v in versions)
            for version in versions:
                version.values_url = value_list_url(version)
        context.update(
            frameworks=frameworks,
            can_add=self.request.user.has_perm(ADD),
            can_publish=self.request.user.has_perm(CHANGE),
            today=timezone.localdate(),
        )
        return context


@require_POST
def version_create_draft_view(request, framework_pk: int):
    _require(request.user, ADD)
    framework = get_object_or_404(Framework, pk=framework_pk)
    try:
        draft = version_create_draft(framework=framework, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("values_admin:index")
    messages.success(
        request,
        f"Draft version {draft.number} of {framework} created as a copy of the published "
        "version. Edit its values and behaviours, then publish it from a date.",
    )
    return redirect(value_list_url(draft))


class VersionPublishView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "values/admin/publish.html"
    page_title = "Publish version"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        _require(request.user, CHANGE)
        self.version = version_get_for_admin(pk=kwargs["version_pk"])
        if self.version.is_frozen:
            messages.error(
                request, "This version is already published. Published versions cannot change."
            )
            return redirect("values_admin:index")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.version.framework} version {self.version.number}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("values_admin:index"), "label": "Values framework"},
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        current = (
            self.version.framework.versions.published().filter(effective_to__isnull=True).first()
        )
        context.update(
            version=self.version,
            current=current,
            form=form or PublishForm(initial={"change_note": self.version.change_note}),
            values_url=value_list_url(self.version),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PublishForm(request.POST)
        if form.is_valid():
            effective_from = form.cleaned_data["effective_from"]
            if effective_from < timezone.localdate():
                form.add_error(
                    "effective_from",
                    "The date must be today or later: past records keep the version they used.",
                )
            else:
                try:
                    version_publish(
                        version=self.version,
                        effective_from=effective_from,
                        user=request.user,
                        change_note=form.cleaned_data["change_note"],
                    )
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(
                        request,
                        f"Version {self.version.number} of {self.version.framework} is published "
                        f"and in use from {effective_from:%-d %B %Y}.",
                    )
                    return redirect("values_admin:index")
        return self.render_to_response(self.get_context_data(form=form))
