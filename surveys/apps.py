from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    label = "surveys"

    def ready(self):
        from . import conf  # noqa: F401 - registers the system check
