"""Build (or top up) the demo partnership. Idempotent: safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo sign-ins."

    def handle(self, *args, **options):
        for dotted in settings.BEWIGAN_DEMO_SEEDERS:
            self.stdout.write(f"Seeding {dotted.rsplit('.', 2)[0]}…")
            import_string(dotted)(stdout=self.stdout)
        from bewigan.people.demo import DEMO_PASSWORD, DEMO_SIGN_INS

        self.stdout.write(
            self.style.SUCCESS(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})")
        )
        for d in DEMO_SIGN_INS:
            self.stdout.write(f"  {d.role:<22} {d.email}")
        self.stdout.write(f"Open {settings.BEWIGAN_BASE_URL} and sign in with one of these.\n")
