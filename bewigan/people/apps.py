from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "bewigan.people"
    label = "people"
    verbose_name = "People and organisations"
