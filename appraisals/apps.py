from django.apps import AppConfig


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    label = "appraisals"
