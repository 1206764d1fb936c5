from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bewigan.core"
    label = "core"
    verbose_name = "Core"
