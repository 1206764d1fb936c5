"""`manage.py import_people FILE [--dry-run] [--full-organisation]`"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bewigan.people.importing.services import ImportFileError, people_import_file


class Command(BaseCommand):
    help = (
        "Import people from an HR export (CSV or XLSX); see docs/people-import.md for the columns."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to a .csv or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Validate and report, change nothing"
        )
        parser.add_argument(
            "--full-organisation",
            action="store_true",
            help="The file lists everyone in its organisations: mark people missing from it as leavers",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            plan = people_import_file(
                content=path.read_bytes(),
                filename=path.name,
                dry_run=options["dry_run"],
                full_organisation=options["full_organisation"],
            )
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if plan.errors:
            for error in plan.errors:
                self.stderr.write(error.message)
            raise CommandError(
                f"{len(plan.errors)} problem(s) in {path.name}: nothing was imported."
            )
        c = plan.counts
        verb = "Would import" if options["dry_run"] else "Imported"
        self.stdout.write(
            f"{verb} {plan.changes} change(s) from {c['rows']} row(s): {c['new']} new, {c['changed']} changed, "
            f"{c['unchanged']} unchanged, {c['leavers']} leaver(s)"
            + (f" ({c['absent_leavers']} not in the file)" if c["absent_leavers"] else "")
            + "."
        )
        if plan.ignored_columns:
            self.stdout.write("Ignored columns: " + ", ".join(plan.ignored_columns))
