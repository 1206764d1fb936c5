"""Background work: thin wrappers over services (django-tasks)."""

from django_tasks import task

from . import services


@task()
def send_scorecard_reminders() -> int:
    return services.scorecard_reminders_send()
