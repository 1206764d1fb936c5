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

        from .signin_audit import connect_signals as connect_signin_audit

        connect_signin_audit()  # sign-in history in the audit log
