from django.core.management.base import BaseCommand

from deputies.services import qr_regenerate_all


class Command(BaseCommand):
    help = "Render QR images for every deputy and site whose images do not encode their township's address."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Re-render all images, current or not.")

    def handle(self, *args, force: bool = False, **options) -> None:
        done = qr_regenerate_all(force=force)
        current = done.total - done.rendered - done.queued
        if done.queued:
            self.stdout.write(f"Queued {done.queued} QR code(s) for the Celery worker to render for "
                              f"their township's address; {current} already current.")
        elif done.rendered:
            self.stdout.write(f"Rendered {done.rendered} QR code(s); {current} already current.")
        else:
            self.stdout.write(f"All {done.total} QR code(s) already encode their township's address; nothing to render.")
