"""Apply the retention schedule (run daily by deploy/systemd/bewigan-retention.timer).

    manage.py apply_retention             # apply; record a dry run for kinds waiting for one
    manage.py apply_retention --dry-run   # count only: what would go, what holds keep
    manage.py apply_retention --kind audit_log --kind notifications

See docs/privacy/retention.md.
"""

from django.core.management.base import BaseCommand, CommandError

from bewigan.privacy.retention import (
    KINDS,
    KINDS_BY_KEY,
    SKIP_LABELS,
    retention_daily,
    retention_run,
)


class Command(BaseCommand):
    help = "Apply the retention schedule (or count what it would remove with --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count only; change nothing")
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            choices=sorted(KINDS_BY_KEY),
            help="Only this kind (repeatable). Default: every kind.",
        )

    def handle(self, *args, dry_run=False, kinds=None, **options):
        if dry_run or kinds:
            runs = [retention_run(dry_run=dry_run, kinds=kinds)]
        else:
            runs = retention_daily()
        failed = False
        for run in runs:
            self.stdout.write(
                f"{'Dry run' if run.dry_run else 'Applied'} as of {run.as_of} (run {run.pk}):"
            )
            for kind in KINDS:
                if kind.key in run.skipped and not run.dry_run:
                    self.stdout.write(
                        f"  {kind.label}: skipped ({SKIP_LABELS[run.skipped[kind.key]].lower()})"
                    )
                elif kind.key in run.counts:
                    verb = (
                        "would go"
                        if run.dry_run
                        else ("anonymised" if kind.action == "anonymise" else "deleted")
                    )
                    held = run.held.get(kind.key, 0)
                    self.stdout.write(
                        f"  {kind.label}: {run.counts[kind.key]} {verb}"
                        + (f", {held} kept by legal holds" if held else "")
                    )
            if run.error:
                failed = True
                self.stderr.write(run.error)
        if failed:
            raise CommandError("Some kinds failed; the others were applied. See the run above.")
