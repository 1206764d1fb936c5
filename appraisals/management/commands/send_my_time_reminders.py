from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Enqueue the my-time cadence reminders (run daily from cron)."

    def handle(self, *args, **options):
        from appraisals.tasks import send_my_time_reminders

        result = send_my_time_reminders.enqueue()
        self.stdout.write(f"Enqueued my-time reminders: {result.id}")
