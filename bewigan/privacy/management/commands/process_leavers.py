"""Daily (bewigan-leavers.timer): process people whose leaving date has
arrived: close their account, end their sessions, hand over their work."""

from django.core.management.base import BaseCommand

from bewigan.privacy.leavers import LOOKBACK_DAYS, leavers_process_due


class Command(BaseCommand):
    help = (
        "Process leavers whose leaving date arrived in the last "
        f"{LOOKBACK_DAYS} days and who have not been processed yet."
    )

    def handle(self, *args, **options):
        result = leavers_process_due()
        totals = result.totals
        self.stdout.write(
            f"{result.processed} leaver(s) processed: "
            f"{totals.get('sessions_ended', 0)} session(s) ended, "
            f"{totals.get('panel_seats_removed', 0)} panel seat(s) removed, "
            f"{totals.get('people_told', 0)} handover notification(s)."
        )
