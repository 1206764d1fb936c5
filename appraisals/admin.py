"""Django admin: only the support routes (HR-configurable links).

Deliberately NOT registered: PrivateNote (only its author may ever read it),
Conversation, FeedbackResponse/FeedbackAnswer and everything else personal.
Admin access would bypass the per-object rules in appraisals/rules.py."""

from django.contrib import admin

from .models import SupportRoute


@admin.register(SupportRoute)
class SupportRouteAdmin(admin.ModelAdmin):
    list_display = ["title", "url", "order", "is_active"]
    list_editable = ["order", "is_active"]
