from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from deputies.services import qr_regenerate_all


class Command(BaseCommand):
    help = "Queue QR images for every deputy and site whose images do not encode the current SITE_URL."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Re-render all images, current or not.")

    def handle(self, *args, force: bool = False, **options) -> None:
        with transaction.atomic():
            queued = qr_regenerate_all(force=force)
        self.stdout.write(f"Queued {queued} QR code(s) for {settings.SITE_URL}.")
