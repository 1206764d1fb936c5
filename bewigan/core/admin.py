from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import AuditEntry, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(AuditEntry)  # lint: allow (read-only; entries never hold content)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nothing in the application can edit or delete an entry."""

    list_display = ["at", "actor", "action", "object_type", "object_repr", "subject"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Notification is deliberately NOT registered: their titles and bodies carry
# private shout-outs, who was asked for 360 feedback and subject access
# steps. Only the recipient reads them (issue #16), superusers included.
