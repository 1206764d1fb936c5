from django.urls import path

from . import views

app_name = "appraisals"
urlpatterns = [
    path("", views.index, name="index"),
    path("team/", views.dashboard, name="dashboard"),
    path("people/<int:pk>/", views.timeline, name="timeline"),
    path("people/<int:pk>/records/", views.records, name="records"),
    path("people/<int:pk>/records.<str:fmt>", views.records_export, name="records_export"),
    path("people/<int:pk>/plan/", views.plan, name="plan"),
    path("people/<int:pk>/cadence/", views.cadence, name="cadence"),
    path("people/<int:pk>/annual/", views.annual_start, name="annual_start"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation_detail"),
    path("conversations/<int:pk>/edit/", views.conversation_edit, name="conversation_edit"),
    path(
        "conversations/<int:pk>/confirm/", views.conversation_confirm, name="conversation_confirm"
    ),
    path(
        "conversations/<int:pk>/comments/", views.conversation_comment, name="conversation_comment"
    ),
    path("conversations/<int:pk>/private-note/", views.private_note, name="private_note"),
    path(
        "conversations/<int:pk>/talking-points/", views.talking_point_add, name="talking_point_add"
    ),
    path("conversations/<int:pk>/actions/", views.action_add, name="action_add"),
    path("talking-points/<int:pk>/", views.talking_point_mark, name="talking_point_mark"),
    path("actions/<int:pk>/", views.action_done, name="action_done"),
    path("private-notes/", views.private_note_list, name="private_note_list"),
    path("shout-outs/", views.shout_out_list, name="shout_out_list"),
    path("shout-outs/new/", views.shout_out_new, name="shout_out_new"),
    path("feedback/", views.feedback_index, name="feedback_index"),
    path("feedback/new/", views.feedback_round_new, name="feedback_round_new"),
    path("feedback/<int:pk>/", views.feedback_round_detail, name="feedback_round_detail"),
    path("feedback/requests/<int:pk>/", views.feedback_answer, name="feedback_answer"),
    path("team-time/", views.team_time_list, name="team_time_list"),
    path("team-time/<int:pk>/", views.team_time_detail, name="team_time_detail"),
    path("team-actions/<int:pk>/", views.team_action_done, name="team_action_done"),
    path("coverage/", views.coverage, name="coverage"),
    path("break-glass/", views.break_glass, name="break_glass"),
    path("break-glass/<int:pk>/", views.break_glass_detail, name="break_glass_detail"),
    path("support-routes/", views.support_route_list, name="support_route_list"),
    path("support-routes/<int:pk>/", views.support_route_edit, name="support_route_edit"),
]
