from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bewigan.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from .logging import connect_task_signals

        connect_task_signals()

        from .work import connect_signals

        connect_signals()  # "my work" caches: models also written in the admins
