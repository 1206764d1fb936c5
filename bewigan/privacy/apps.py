from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "bewigan.privacy"
    label = "privacy"
    verbose_name = "Data protection"
