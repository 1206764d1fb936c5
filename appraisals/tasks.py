"""Background work: thin wrappers that call services (django-tasks)."""

from django_tasks import task


@task()
def send_my_time_reminders() -> dict:
    """Run daily (e.g. from cron: `manage.py shell -c` enqueue, or a scheduler)."""
    from .services import my_time_reminders_send

    result = my_time_reminders_send()
    return {"due_soon": result.due_soon, "overdue": result.overdue}
