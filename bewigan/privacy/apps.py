from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "bewigan.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        # Signal receivers: the session index is written on every sign-in.
        from . import sessions  # noqa: F401
