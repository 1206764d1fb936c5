"""Run the retention rule now (schedule daily with cron or a task runner):
unsuccessful candidates' personal data is anonymised N months after the
decision; scores are kept without evidence text for anonymous analytics."""

from django.core.management.base import BaseCommand

from recruitment import services


class Command(BaseCommand):
    help = "Anonymise unsuccessful candidates whose retention period has ended, and send scorecard reminders."

    def add_arguments(self, parser):
        parser.add_argument(
            "--months", type=int, default=None, help="Override BEWIGAN_RECRUITMENT_RETENTION_MONTHS"
        )
        parser.add_argument(
            "--reminders", action="store_true", help="Also send scorecard reminders"
        )

    def handle(self, *args, months=None, reminders=False, **options):
        count = services.candidates_anonymise_expired(months=months)
        self.stdout.write(f"Anonymised {count} candidate(s).")
        if reminders:
            sent = services.scorecard_reminders_send()
            self.stdout.write(f"Sent {sent} scorecard reminder(s).")
