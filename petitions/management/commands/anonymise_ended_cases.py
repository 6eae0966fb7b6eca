import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from liaison.scoping import each_township
from petitions.privacy import anonymise_ended


class Command(BaseCommand):
    help = (
        "Anonymise constituents' personal data once their cases ended more than PERSONAL_DATA_RETENTION_DAYS ago "
        "(closed, rejected or merged): names, mobiles, places, texts and photos go; status, outcome, dates, "
        "category, village and unit stay. A constituent with a case still open, or ended more recently, keeps "
        "theirs. Each batch is committed on its own: safe to stop and run again."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=None,
                            help="Retention in days (default: the PERSONAL_DATA_RETENTION_DAYS setting).")
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, days: int | None = None, batch_size: int = 200, **options) -> None:
        days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - datetime.timedelta(days=days)
        self.stdout.write(f"Anonymising what ended before {cutoff:%Y-%m-%d}.")
        for township in each_township():
            done = anonymise_ended(cutoff=cutoff, batch_size=batch_size, progress=lambda kind, n: self.stdout.write(
                f"  {township.code}: {n} {kind} anonymised"))
            self.stdout.write(f"{township.code}: {done} rows anonymised")
