"""Django admin for support staff: read-mostly views of the bank and
vacancies. Candidate personal data is reached through the audited HR page."""

from django.contrib import admin

from .models import PlanQuestion, Question, QuestionVersion, RoleFamily, Vacancy


@admin.register(RoleFamily)
class RoleFamilyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


class QuestionVersionInline(admin.TabularInline):
    model = QuestionVersion
    fields = ["number", "text", "value", "style", "approved_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["code", "status", "latest_version", "approved_version"]
    list_filter = ["status"]
    search_fields = ["code", "versions__text"]
    readonly_fields = ["latest_version", "approved_version", "created_by", "created_at"]
    inlines = [QuestionVersionInline]


class PlanQuestionInline(admin.TabularInline):
    model = PlanQuestion
    raw_id_fields = ["question_version"]
    extra = 0


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "reference", "organisation", "recruiting_manager", "status"]
    list_filter = ["status", "organisation"]
    search_fields = ["title", "reference"]
    raw_id_fields = ["recruiting_manager", "team"]
    inlines = [PlanQuestionInline]
