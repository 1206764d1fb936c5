from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("me/", views.my_profile, name="my_profile"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
]
