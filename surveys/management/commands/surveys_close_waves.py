"""Finalise closed survey waves: the last refresh of their results and the
purge of unsubmitted drafts. Run daily by deploy/systemd/bewigan-surveys-close.timer;
safe to run any number of times (see `surveys.services.waves_close`)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from surveys import services
from surveys.models import Draft


class Command(BaseCommand):
    help = (
        "Give every survey wave whose close date has passed a last refresh of its results "
        "(once), and delete the unsubmitted drafts of closed waves."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be done and change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        if dry_run:
            for wave in services.waves_awaiting_close(today):
                self.stdout.write(f"Would refresh: {wave} (closed {wave.closes_on:%-d %B %Y})")
            drafts = Draft.objects.filter(wave__closes_on__lt=today).count()
            self.stdout.write(f"Would delete {drafts} unsubmitted draft(s) of closed waves.")
            return
        report = services.waves_close(today=today)
        for wave, stats in report.refreshed:
            self.stdout.write(
                f"Refreshed {wave}: {stats['responses']} responses, "
                f"{stats['written']} of {stats['groups']} groups rewritten."
            )
        if not report.refreshed and not report.failed:
            self.stdout.write("No wave has closed since the last run.")
        self.stdout.write(f"Deleted {report.drafts_deleted} unsubmitted draft(s) of closed waves.")
        if report.failed:
            for wave, error in report.failed:
                self.stderr.write(f"Could not refresh {wave}: {error}")
            raise CommandError(
                f"{len(report.failed)} wave(s) could not be refreshed; they will be retried "
                "on the next run."
            )
