from django.urls import path

from . import views

app_name = "recruitment"
urlpatterns = [
    path("", views.index, name="index"),
    path("questions/", views.question_list, name="question_list"),
    path("questions/new/", views.question_create, name="question_create"),
    path("questions/export.csv", views.questions_export, name="questions_export"),
    path("questions/import/", views.questions_import, name="questions_import"),
    path("questions/<int:pk>/", views.question_detail, name="question_detail"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/status/", views.question_status, name="question_status"),
    path("vacancies/", views.vacancy_list, name="vacancy_list"),
    path("vacancies/new/", views.vacancy_create, name="vacancy_create"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy_detail"),
    path("vacancies/<int:pk>/edit/", views.vacancy_edit, name="vacancy_edit"),
    path("vacancies/<int:pk>/plan/add/", views.plan_add, name="plan_add"),
    path("vacancies/<int:pk>/plan/<int:plan_question_id>/", views.plan_change, name="plan_change"),
    path("vacancies/<int:pk>/panel/", views.panel_add, name="panel_add"),
    path("vacancies/<int:pk>/panel/<int:seat_id>/remove/", views.panel_remove, name="panel_remove"),
    path("vacancies/<int:pk>/kit/", views.interview_kit, name="kit"),
    path("vacancies/<int:pk>/candidates/new/", views.candidate_create, name="candidate_create"),
    path(
        "vacancies/<int:pk>/candidates/import/", views.candidates_import, name="candidates_import"
    ),
    path(
        "vacancies/<int:pk>/candidates/<int:candidate_id>/schedule/",
        views.interview_schedule,
        name="interview_schedule",
    ),
    path("interviews/<int:pk>/scorecard/", views.scorecard, name="scorecard"),
    path("interviews/<int:pk>/consensus/", views.consensus, name="consensus"),
    path("interviews/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("analytics/", views.analytics_page, name="analytics"),
]
