"""Release sealed anonymous answers that are due, in every capability.

Run every few minutes (deploy/systemd/bewigan-release.timer) by a process
that holds the release key. Each capability listed in
settings.BEWIGAN_SEALED_RELEASERS decides what is due (a survey wave with
twice its minimum waiting, or closed; a 360 round that has closed); core
knows no domain. Afterwards, on PostgreSQL, the sealed table is vacuumed so
the dead copies of released boxes leave its pages.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from bewigan.core import sealed


class Command(BaseCommand):
    help = "Release sealed anonymous answers that are due (surveys, anonymous 360)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Print a new RELEASE_PRIVATE_KEY / RELEASE_PUBLIC_KEY pair and exit.",
        )

    def handle(self, *args, new_key=False, **options):
        if new_key:
            private, public = sealed.generate_key_pair()
            self.stdout.write(f"RELEASE_PRIVATE_KEY={private}\nRELEASE_PUBLIC_KEY={public}")
            return
        if not sealed.can_release():
            raise CommandError(
                "This process has only the public release key: set RELEASE_PRIVATE_KEY here."
            )
        total = 0
        for dotted in settings.BEWIGAN_SEALED_RELEASERS:
            released = import_string(dotted)()
            total += released
            self.stdout.write(f"{dotted}: released {released}")
        sealed.vacuum()
        self.stdout.write(f"Released {total} answer(s).")
