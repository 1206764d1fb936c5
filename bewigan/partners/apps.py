from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "bewigan.partners"
    label = "partners"
    verbose_name = "Partner organisations' data sharing"

    def ready(self):
        # Signal receivers: a grant saved in this process drops cached reach.
        from . import boundaries  # noqa: F401
