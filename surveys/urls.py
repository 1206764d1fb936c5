from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("calendar/", views.calendar, name="calendar"),
    path("waves/<int:pk>/answer/", views.answer, name="answer"),
    path("waves/<int:pk>/thank-you/", views.thanks, name="thanks"),
    path("waves/<int:pk>/results/", views.results, name="results"),
    path("waves/<int:pk>/results.<str:fmt>", views.results_export, name="results_export"),
    path("waves/<int:pk>/heatmap/", views.heatmap, name="heatmap"),
    path("waves/<int:pk>/heatmap.<str:fmt>", views.heatmap_export, name="heatmap_export"),
    path("waves/<int:pk>/comments/", views.comments, name="comments"),
    path("waves/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path(
        "waves/<int:pk>/actions/<int:action_pk>/status/", views.action_status, name="action_status"
    ),
    path("manage/", views.manage, name="manage"),
    path("manage/questions/", views.question_list, name="question_list"),
    path("manage/questions/new/", views.question_create, name="question_create"),
    path("manage/surveys/new/", views.survey_create, name="survey_create"),
    path("manage/surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("manage/waves/<int:pk>/publish/", views.wave_publish, name="wave_publish"),
    path("manage/waves/<int:pk>/remind/", views.wave_remind, name="wave_remind"),
    path("manage/waves/<int:pk>/refresh/", views.wave_refresh, name="wave_refresh"),
]
