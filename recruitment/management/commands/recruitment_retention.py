"""Scorecard reminders (run daily). Anonymising unsuccessful candidates moved
into the retention schedule, which applies HR's period and legal holds:
`manage.py apply_retention` (bewigan/privacy/retention.py, docs/privacy/retention.md)."""

from django.core.management.base import BaseCommand

from recruitment import services


class Command(BaseCommand):
    help = (
        "Send scorecard reminders (--reminders). Candidate anonymisation runs in the "
        "retention schedule: manage.py apply_retention."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reminders", action="store_true", help="Send scorecard reminders")

    def handle(self, *args, reminders=False, **options):
        self.stdout.write(
            "Unsuccessful candidates are anonymised by the retention schedule "
            "(manage.py apply_retention), which applies HR's period and legal holds."
        )
        if reminders:
            sent = services.scorecard_reminders_send()
            self.stdout.write(f"Sent {sent} scorecard reminder(s).")
