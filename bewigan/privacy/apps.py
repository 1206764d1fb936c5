from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "bewigan.privacy"
    label = "privacy"
    verbose_name = "Data protection"

    def ready(self):
        # Signal receivers: the session index is written on every sign-in;
        # the people import's leavers and movers are processed here.
        from . import leavers, sessions  # noqa: F401
