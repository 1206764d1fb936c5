from django.apps import AppConfig


class ValuesConfig(AppConfig):
    name = "bewigan.values"
    label = "values"
    verbose_name = "Values framework"
