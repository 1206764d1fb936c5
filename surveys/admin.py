"""Django admin: the library, surveys and waves only.

Response, Answer, Comment, Participation, Draft and the aggregate tables are
deliberately NOT registered: nobody, superusers included, can browse
individual responses or who-took-part through the admin site."""

from django.contrib import admin

from .models import Question, Survey, SurveyQuestion, Wave


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "kind", "theme", "value"]
    list_filter = ["kind", "theme"]
    search_fields = ["text"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "frequency", "min_group_size", "min_comment_group_size"]
    inlines = [SurveyQuestionInline]


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin):
    list_display = ["survey", "number", "opens_on", "closes_on", "results_published"]
    list_filter = ["survey", "results_published"]
    filter_horizontal = ["organisations", "teams", "neighbourhoods"]
    readonly_fields = ["refreshed_at"]
